package shard

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// Report is what Audit found over the logs of a sharded economy.
type Report struct {
	Shards    []ShardSummary
	Completed int // purchases sold on the seller's shard and posted on the buyer's
	Refused   int // purchases refused by the seller and voided on the buyer's shard
	// InFlight lists every purchase that has not ended on both sides, in
	// message id order, with where it stands.
	InFlight []Flight
	// Unanswered names every request or cancel sent whose answer is in no
	// log: the seller's log does not have the message, or has not
	// answered it.
	Unanswered []MessageID
	Money      []Balance // per currency, ascending id
	Items      []Balance // per item type, ascending id
	// Names are the display names the logs' content gave currencies and
	// item types at tick 0 (their CurrencyDefined and ItemDefined events),
	// by id. Name looks one up.
	Names map[components.ID]string
}

// Name returns the display name the content gave currency or item id, or
// "" if no log defined it.
func (r *Report) Name(id components.ID) string { return r.Names[id] }

// ShardSummary is one log's part.
type ShardSummary struct {
	Shard uint16
	Path  string
	Ticks uint64 // the log's last tick + 1
	Holds int    // holds placed on it
	Sales int    // requests answered on it
}

// Flight is a purchase that has not ended on both sides.
type Flight struct {
	Msg   MessageID
	State string // "unanswered", "answered, not yet applied by the buyer's shard"
	// Money held on the buyer's shard while it is pending, and the part
	// the seller's till was already paid (counted twice until posted).
	Held, Paid int64
	Currency   components.ID
}

// Balance is one currency's or item's global account: what the shards
// hold, what is counted twice or not at all while messages are in flight,
// and what entered minus left the economy from outside (mints and grants
// minus burns, cross-shard transfers excluded). Conserved: Held − InFlight
// == Issued.
type Balance struct {
	What     components.ID
	Name     string // What's display name (Report.Name), "" if unknown
	Held     *big.Int
	InFlight *big.Int // money: paid to a till, still in a hold; items: minus the goods sent, not yet arrived
	Issued   *big.Int
}

// AuditError is an inconsistency across shards: value created or lost, a
// message answered both ways, a log of a shard given twice, or a log that
// is not a shard's.
type AuditError struct {
	Path string // the log concerned, if one
	Msg  string
	Err  error // ErrOtherEconomy, or nil
}

// ErrOtherEconomy is matched (errors.Is) by the *AuditError of a log whose
// shard belongs to another economy than the first log's (Config.Economy,
// or the configuration the shards share, differs): logs of two economies
// cannot be audited together.
var ErrOtherEconomy = errors.New("a shard of another economy")

// Unwrap returns Err.
func (e *AuditError) Unwrap() error { return e.Err }

// Error implements error.
func (e *AuditError) Error() string {
	if e.Path != "" {
		return "audit: " + e.Path + ": " + e.Msg
	}
	return "audit: " + e.Msg
}

// purchase is what the logs say about one message id.
type purchase struct {
	held, paid, total int64
	qty, got          int64
	currency, item    components.ID
	placed, accepted  bool
	refused           bool
	posted, voided    bool
	requested         bool // the seller's log has the request or the cancel
	cancelled         bool
	seller            uint16 // the seller's shard, as the buyer's log names it
	reason            events.Reason
	sold              struct { // what the seller's log says it sold
		currency, item components.ID
		qty            int64
	}
}

// Audit reads the logs of the shards of one economy (each a log whose
// header's setup is SetupName) and checks global conservation: each
// shard's supply at its last tick equals what its own events issued, every
// sale posted on the buyer's shard equals the seller's acceptance, no
// purchase was both sold and voided, and the shards together hold what
// entered the economy from outside, with the money and goods in flight
// accounted for. It names every message sent and never answered. An
// inconsistency is an *AuditError; unreadable logs are ticklog's errors.
func Audit(paths []string) (*Report, error) {
	rep := &Report{Names: map[components.ID]string{}}
	ps := map[uint64]*purchase{} // by message id; walked only after sorting its keys
	get := func(msg uint64) *purchase {
		p := ps[msg]
		if p == nil {
			p = &purchase{}
			ps[msg] = p
		}
		return p
	}
	var held, issued []Balance // per shard, summed: money then items via two slices each
	var heldItems, issuedItems []Balance
	var money, items []Balance
	seen := map[uint16]string{}
	var first Config // the first log's, its shard number zeroed
	var firstPath string
	for _, path := range paths {
		h, recs, err := ticklog.ReadAll(path)
		if err != nil {
			// Name the log: with several files, "corrupt at byte 0"
			// alone does not say which one. %w keeps the typed error
			// (torn tail, corrupt) for errors.As.
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if h.Setup.Systems != SetupName {
			return nil, &AuditError{Path: path, Msg: fmt.Sprintf("not a shard's log (systems %q)", h.Setup.Systems)}
		}
		var cfg Config
		d := json.NewDecoder(bytes.NewReader(h.Setup.Config))
		d.DisallowUnknownFields()
		if err := d.Decode(&cfg); err != nil || cfg.Shard == 0 {
			return nil, &AuditError{Path: path, Msg: "its setup names no shard"}
		}
		// The shards of one economy share everything in their setup but
		// their number; a log of another would pair with these by
		// message id and could balance by chance.
		same := cfg
		same.Shard = 0
		if len(seen) == 0 {
			first, firstPath = same, path
		} else if same != first {
			msg := fmt.Sprintf("shard %d is of another economy than %s", cfg.Shard, firstPath)
			if cfg.Economy != first.Economy {
				msg += fmt.Sprintf(" (economy %q, not %q)", cfg.Economy, first.Economy)
			} else {
				msg += " (its configuration differs)"
			}
			return nil, &AuditError{Path: path, Msg: msg, Err: ErrOtherEconomy}
		}
		if prev, dup := seen[cfg.Shard]; dup {
			return nil, &AuditError{Path: path, Msg: fmt.Sprintf("shard %d again (also %s)", cfg.Shard, prev)}
		}
		seen[cfg.Shard] = path
		newWorld := func() *ecs.World { w, _, _ := NewWorld(cfg); return w }
		if _, _, err := NewWorld(cfg); err != nil {
			return nil, &AuditError{Path: path, Msg: err.Error()}
		}
		w, err := replay.Resume(recs, newWorld)
		if err != nil {
			return nil, &AuditError{Path: path, Msg: err.Error()}
		}
		ledger := ecs.NewLedger(newWorld())
		sum := ShardSummary{Shard: cfg.Shard, Path: path, Ticks: w.NextTick()}
		for _, r := range recs {
			if r.Tick == nil {
				continue
			}
			ledger.Record(r.Tick)
			for i := range r.Tick.Events {
				ev := &r.Tick.Events[i]
				switch ev.Kind {
				case events.CurrencyDefined, events.ItemDefined:
					if ev.Name != "" {
						rep.Names[ev.Subject] = ev.Name
					}
				case events.XHoldPlaced:
					p := get(uint64(AddrOf(cfg.Shard, ev.Subject)))
					p.placed, p.held, p.qty, p.currency, p.item = true, ev.Amount, ev.Qty, ev.Currency, ev.Item
					p.seller = Addr(ev.Object).Shard()
					sum.Holds++
				case events.XCancelSent:
					get(ev.Request).cancelled = true
				case events.XSaleRequested, events.XCancelRequested:
					get(ev.Request).requested = true
				case events.XSaleAccepted:
					p := get(ev.Request)
					if p.accepted || p.refused {
						return nil, &AuditError{Path: path, Msg: fmt.Sprintf("message %v answered twice", Addr(ev.Request))}
					}
					p.accepted, p.paid = true, ev.Amount
					p.sold.currency, p.sold.item, p.sold.qty = ev.Currency, ev.Item, ev.Qty
					sum.Sales++
					addTo(&money, ev.Currency, ev.Amount, -1) // imported: not issued here
					addTo(&items, ev.Item, ev.Qty, 1)         // exported: not burned from the economy
				case events.XSaleRefused:
					p := get(ev.Request)
					if p.accepted || p.refused {
						return nil, &AuditError{Path: path, Msg: fmt.Sprintf("message %v answered twice", Addr(ev.Request))}
					}
					p.refused, p.reason = true, ev.Reason
					sum.Sales++
				case events.XHoldPosted:
					p := get(ev.Request)
					if p.posted || p.voided {
						return nil, &AuditError{Path: path, Msg: fmt.Sprintf("hold %v ended twice", Addr(ev.Request))}
					}
					p.posted, p.total, p.got = true, ev.Amount, ev.Qty
					addTo(&money, ev.Currency, ev.Amount, 1) // exported: not burned from the economy
					addTo(&items, ev.Item, ev.Qty, -1)       // imported: not granted from outside
				case events.XHoldVoided:
					p := get(ev.Request)
					if p.posted || p.voided {
						return nil, &AuditError{Path: path, Msg: fmt.Sprintf("hold %v ended twice", Addr(ev.Request))}
					}
					p.voided, p.reason = true, ev.Reason
				}
			}
		}
		if err := ledger.Check(w); err != nil {
			return nil, &AuditError{Path: path, Msg: "the shard's own ledger: " + err.Error()}
		}
		addLines(&held, w.Supply().Money())
		addLines(&heldItems, w.Supply().Items())
		addLines(&issued, ledger.Issued().Money())
		addLines(&issuedItems, ledger.Issued().Items())
		rep.Shards = append(rep.Shards, sum)
	}
	msgs := make([]uint64, 0, len(ps))
	for m := range ps {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	var flyMoney, flyItems []Balance
	for _, m := range msgs {
		p := ps[m]
		a := Addr(m)
		_, buyerLog := seen[a.Shard()]
		switch {
		case p.accepted && p.voided:
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: sold by the seller but voided by the buyer's shard", a)}
		case p.refused && p.posted:
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: refused by the seller but posted by the buyer's shard", a)}
		case p.posted && p.accepted && (p.total != p.paid || p.got != p.qty):
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: posted %d for %d units, sold for %d", a, p.total, p.got, p.paid)}
		case p.accepted && buyerLog && !p.placed:
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: sold, but the buyer's shard never held for it", a)}
		case p.posted && !p.accepted && !sellerLog(seen, p):
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: posted by the buyer's shard, but the seller's log (shard %d) is not among the audited", a, p.seller)}
		case p.posted && !p.accepted:
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: posted by the buyer's shard, but shard %d never sold it", a, p.seller)}
		case p.accepted && p.paid > p.held && p.placed:
			return nil, &AuditError{Msg: fmt.Sprintf("message %v: sold for %d, more than the %d held", a, p.paid, p.held)}
		}
		switch {
		case p.accepted && p.posted:
			rep.Completed++
		case p.refused && p.voided:
			rep.Refused++
		case p.placed && !p.accepted && !p.refused:
			rep.InFlight = append(rep.InFlight, Flight{Msg: MessageID{Msg: m, Kind: events.XSaleRequested},
				State: "unanswered", Held: p.held, Currency: p.currency})
			rep.Unanswered = append(rep.Unanswered, MessageID{Msg: m, Kind: events.XSaleRequested})
			if p.cancelled {
				rep.Unanswered = append(rep.Unanswered, MessageID{Msg: m, Kind: events.XCancelRequested})
			}
		case p.accepted && !p.posted:
			rep.InFlight = append(rep.InFlight, Flight{Msg: MessageID{Msg: m, Kind: events.XSaleAccepted},
				State: "sold, not yet posted by the buyer's shard", Held: p.held, Paid: p.paid, Currency: p.sold.currency})
			addTo(&flyMoney, p.sold.currency, p.paid, 1)
			addTo(&flyItems, p.sold.item, p.sold.qty, -1)
		case p.refused && !p.voided:
			rep.InFlight = append(rep.InFlight, Flight{Msg: MessageID{Msg: m, Kind: events.XSaleRefused},
				State: "refused, not yet voided by the buyer's shard", Held: p.held, Currency: p.currency})
		}
	}
	rep.Money = balances(held, issued, money, flyMoney)
	rep.Items = balances(heldItems, issuedItems, items, flyItems)
	for _, bs := range [2][]Balance{rep.Money, rep.Items} {
		for i := range bs {
			bs[i].Name = rep.Name(bs[i].What)
		}
	}
	for k, bs := range [2][]Balance{rep.Money, rep.Items} {
		for _, b := range bs {
			if new(big.Int).Sub(b.Held, b.InFlight).Cmp(b.Issued) != 0 {
				what := [2]string{"currency", "item"}[k] + fmt.Sprintf(" %d", b.What)
				if b.Name != "" {
					what += fmt.Sprintf(" (%q)", b.Name)
				}
				return rep, &AuditError{Msg: fmt.Sprintf("%s: the shards hold %v, %v of it in flight, but %v entered the economy", what, b.Held, b.InFlight, b.Issued)}
			}
		}
	}
	return rep, nil
}

// at returns the balance of what in bs (sorted by What), adding it.
func at(bs *[]Balance, what components.ID) *Balance {
	i, ok := slices.BinarySearchFunc(*bs, what, func(b Balance, w components.ID) int { return cmp.Compare(b.What, w) })
	if !ok {
		*bs = slices.Insert(*bs, i, Balance{What: what, Held: new(big.Int), InFlight: new(big.Int), Issued: new(big.Int)})
	}
	return &(*bs)[i]
}

// addTo adds sign × amount to what's Held in bs (a scratch sum).
func addTo(bs *[]Balance, what components.ID, amount int64, sign int64) {
	if what == 0 || amount == 0 {
		return // a transfer of money carries no goods, goods given no money
	}
	b := at(bs, what)
	b.Held.Add(b.Held, new(big.Int).Mul(big.NewInt(amount), big.NewInt(sign)))
}

// addLines adds supply lines (exact 128-bit totals) to bs's Held.
func addLines(bs *[]Balance, lines []ecs.SupplyLine) {
	for _, l := range lines {
		v, _ := new(big.Int).SetString(l.Total.String(), 10)
		b := at(bs, l.What)
		b.Held.Add(b.Held, v)
	}
}

// balances joins the shards' holdings, the issued totals (adjusted by the
// cross-shard transfers, which are neither issue nor burn), and the
// in-flight corrections.
func balances(held, issued, adjust, fly []Balance) []Balance {
	var out []Balance
	for _, l := range held {
		b := at(&out, l.What)
		b.Held.Add(b.Held, l.Held)
	}
	for _, l := range issued {
		b := at(&out, l.What)
		b.Issued.Add(b.Issued, l.Held)
	}
	for _, a := range adjust {
		b := at(&out, a.What)
		b.Issued.Add(b.Issued, a.Held)
	}
	for _, f := range fly {
		b := at(&out, f.What)
		b.InFlight.Add(b.InFlight, f.Held)
	}
	return out
}

func sellerLog(seen map[uint16]string, p *purchase) bool {
	_, ok := seen[p.seller]
	return ok
}
