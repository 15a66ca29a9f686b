package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// Options tune a report. The zero value is a good default.
type Options struct {
	// MaxPoints bounds the points of each chart series (default 2000).
	MaxPoints int
	// WealthAt lists the ticks to show the wealth distribution at
	// (default: the first and last tick and three in between).
	WealthAt []uint64
	// Top is the number of rows of the top-items and top-sellers tables
	// (default 10).
	Top int
	// Progress, if set, is called after every tick with the byte offset
	// reached in the log.
	Progress func(tick uint64, offset int64)
}

// Limits of what is charted, so a huge content keeps a readable page.
const (
	maxListingSeries = 12  // stock lines drawn (the best sellers)
	maxTracked       = 256 // listings whose stock is followed per tick
	maxSnaps         = 32  // wealth distributions kept while reading
)

// ErrNoTicks is a log that holds no complete tick: nothing to report.
var ErrNoTicks = errors.New("the log holds no complete tick: nothing to report")

// DesyncError is a log that does not replay: the report would chart events
// the world did not produce, so none is made.
type DesyncError struct{ Mismatch *replay.Mismatch }

// Error implements error.
func (e *DesyncError) Error() string {
	return fmt.Sprintf("report: the log does not replay: desync at tick %d (tickecon verify explains it)", e.Mismatch.Tick)
}

// StartError is a log whose first tick is not tick 0: a report needs the
// whole session, from the content on.
type StartError struct{ Tick uint64 }

// Error implements error.
func (e *StartError) Error() string {
	return fmt.Sprintf("report: the log starts at tick %d; a report needs a log recorded from tick 0", e.Tick)
}

// Currency is one currency of the session.
type Currency struct {
	ID       components.ID `json:"id"`
	Name     string        `json:"name"`
	Decimals int           `json:"decimals"` // minor-unit digits (display)
}

// Format renders an amount in minor units as a decimal of major units,
// exactly ("1234" with 2 decimals is "12.34").
func (c Currency) Format(t components.Total) string { return formatMoney(t, c.Decimals) }

// Chart is one chart: x values and one y series per line. Values are
// display-only floats (money in major units).
type Chart struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Note   string   `json:"note,omitempty"`
	XLabel string   `json:"xlabel"`
	YLabel string   `json:"ylabel"`
	X      []uint64 `json:"x"`
	Series []Series `json:"series"`
	// ScaleFrom, if set, fits the y axis to the points at or after this
	// tick (the content's tick-0 endowment would flatten the rest).
	ScaleFrom uint64 `json:"scaleFrom,omitempty"`
	// Currency is set on a currency's money-supply chart (its first series
	// is minted − burned).
	Currency components.ID `json:"currency,omitempty"`
}

// Series is one line of a chart.
type Series struct {
	Label string    `json:"label"`
	Y     []float64 `json:"y"`
}

// Table is a table of exact, already formatted cells.
type Table struct {
	Title string
	Note  string
	Head  []string
	Rows  [][]string
}

// CheckLine cross-checks one currency at the last tick: what the events
// issued (minted − burned), what the holders the events name hold by
// category, and the replayed world's Supply. Amounts in minor units.
type CheckLine struct {
	Currency                     Currency
	Minted, Burned, Issued       components.Total
	Wallets, Tills, Escrow, Held components.Total
	World                        components.Total // ecs.World.Supply().MoneyOf
	OK                           bool             // Issued == Held == World
}

// Report is everything a report page shows.
type Report struct {
	Systems             string // the log's setup
	FirstTick, LastTick uint64
	Ticks, Events       int
	Offset              int64  // bytes of the log read
	TicksPerBucket      uint64 // the charts' downsampling (1: every tick)
	Currencies          []Currency
	Check               []CheckLine
	Charts              []Chart
	Tables              []Table
	Wealth              []Wealth
	// TornTail is set when the log ended in a torn record: the report
	// covers the complete ticks before it.
	TornTail *ticklog.TornTailError
	Notes    []string
	// EventsOnly is a report made from events alone (NewEventLive): no
	// world was replayed, so it has no holdings by category, stock, wealth
	// distribution or World column, and its check is minted − burned only.
	EventsOnly bool
}

// OK reports whether every currency's check agrees.
func (r *Report) OK() bool {
	for _, c := range r.Check {
		if !c.OK {
			return false
		}
	}
	return true
}

// category is who holds money, by how the holder was created.
type category uint8

const (
	catEscrow  category = iota // coupons, purchase records, anything else
	catWallet                  // players (WalletOpened)
	catTill                    // shops (ShopOpened)
	catListing                 // listings (ListingPosted): items only
)

var catNames = [...]string{"escrow", "players", "tills", "listings"}

// ent is what the report knows of one entity.
type ent struct {
	id     components.ID
	cat    category
	closed bool
	stamp  uint64 // 1 + the tick it was last read in
	money  []ecs.Holding
	stock  int64 // units held (a listing's stock)
}

type flow struct {
	label string
	total components.Total // exact, positive
	s     *series
}

type curState struct {
	Currency
	scale          float64 // 10^decimals
	minted, burned components.Total
	issued         components.Total    // minted − burned
	held           [3]components.Total // by category: escrow, players, tills
	heldAll        components.Total    // their sum
	supply         *series
	money          []*series // its series in minor units (shown in major)
	cats           [3]*series
	flows          []*flow // in order of first appearance
	flowIdx        [flowKinds][4]*flow
	sales          *series
}

type listing struct {
	id, shop, till, item, cur components.ID
	name                      string
	price                     int64
	sold                      int64
	revenue                   components.Total
	s                         *series // stock (nil if not tracked)
	e                         *ent
}

type itemStat struct {
	id      components.ID
	units   int64
	revenue map[components.ID]components.Total
	lines   int
}

type seller struct {
	id      components.ID
	lines   int
	revenue map[components.ID]components.Total
}

type builder struct {
	opts     Options
	w        *ecs.World
	g        *grid
	names    map[components.ID]string
	dense    []*ent // by id
	ents     map[components.ID]*ent
	curIdx   map[components.ID]int
	curs     []*curState
	players  []*ent
	listings []*listing
	listIdx  map[components.ID]*listing
	items    map[components.ID]*itemStat
	itemList []*itemStat
	sellers  map[components.ID]*seller
	sellList []*seller
	lines    *series
	units    *series
	rejects  []*flow // per reason label
	rejIdx   map[rejectKey]*flow
	kinds    []*flow // commerce event counts per kind
	kindIdx  map[events.Kind]*flow
	touched  []components.ID
	buf      []ecs.Holding
	snaps    []snap
	every    uint64
	wantAt   map[uint64]bool
}

type snap struct {
	tick uint64
	w    []Wealth
}

// Build replays the log and computes its report. A torn tail is not an
// error: the report covers the complete ticks and Report.TornTail says so.
// Errors: the log's read errors (*ticklog.CorruptError…), *DesyncError,
// *StartError, ErrNoTicks, *ecs.SetupError.
func Build(src replay.Source, opts Options) (*Report, error) {
	r, c, err := src()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	r.SetReuse(true)        // each tick is replayed before the next is read
	r.SetRawSnapshots(true) // skipped: the world is replayed
	l, err := NewLive(r.Header().Setup, opts)
	if err != nil {
		return nil, err
	}
	var torn *ticklog.TornTailError
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if errors.As(err, &torn) {
			break
		}
		if err != nil {
			return nil, err
		}
		if rec.Tick == nil {
			continue
		}
		if err := l.Step(rec.Tick); err != nil {
			return nil, err
		}
		l.offset = r.Offset()
		if opts.Progress != nil {
			opts.Progress(rec.Tick.Tick, r.Offset())
		}
	}
	rep := l.Report()
	if rep == nil {
		return nil, ErrNoTicks
	}
	rep.TornTail = torn
	return rep, nil
}

// Live builds a report tick by tick, from a log still being written
// (tickecon dash): Step each recorded tick as it arrives, Report whenever
// a view is wanted. It is not safe for concurrent use.
type Live struct {
	b      *builder
	names  []string
	ticks  int
	events int
	first  uint64
	last   uint64
	offset int64
	setup  string
}

// NewLive returns a builder for a log of the given setup (its header's).
func NewLive(setup ecs.Setup, opts Options) (*Live, error) {
	if opts.MaxPoints <= 0 {
		opts.MaxPoints = 2000
	}
	if opts.Top <= 0 {
		opts.Top = 10
	}
	newWorld, err := setup.Worlds() // the registered setup (package systems registers its own)
	if err != nil {
		return nil, err
	}
	b := &builder{opts: opts, w: newWorld(), g: newGrid(opts.MaxPoints),
		names: map[components.ID]string{}, ents: map[components.ID]*ent{}, curIdx: map[components.ID]int{},
		listIdx: map[components.ID]*listing{}, items: map[components.ID]*itemStat{}, sellers: map[components.ID]*seller{},
		rejIdx: map[rejectKey]*flow{}, kindIdx: map[events.Kind]*flow{}, every: 1}
	if len(opts.WealthAt) > 0 {
		b.wantAt = map[uint64]bool{}
		for _, t := range opts.WealthAt {
			b.wantAt[t] = true
		}
	}
	b.lines = b.g.series("purchase lines")
	b.units = b.g.series("units bought")
	return &Live{b: b, names: b.w.StageNames(), setup: cmp.Or(setup.Systems, "core")}, nil
}

// Step replays one recorded tick, checks it against the recording
// (*DesyncError) and counts it. The first tick must be tick 0
// (*StartError); the record is not kept.
func (l *Live) Step(t *ecs.TickRecord) error {
	if l.b.w == nil {
		return ErrEventsOnly
	}
	if l.ticks == 0 {
		if t.Tick != 0 {
			return &StartError{Tick: t.Tick}
		}
		l.first = t.Tick
	}
	got, err := replay.StepRecorded(l.b.w, t)
	if err != nil {
		return err
	}
	if mm := replay.CompareTick(l.names, t, got); mm != nil {
		return &DesyncError{Mismatch: mm}
	}
	if err := l.b.tick(got.Tick, got.Events); err != nil {
		return err
	}
	l.ticks++
	l.events += len(got.Events)
	l.last = got.Tick
	return nil
}

// ErrEventsOnly is Step on a Live made by NewEventLive, which has no world
// to replay a record on (StepEvents is its step).
var ErrEventsOnly = errors.New("report: an events-only report is stepped with StepEvents")

// OrderError is StepEvents given a tick at or before one it already has.
type OrderError struct{ Tick, Last uint64 }

// Error implements error.
func (e *OrderError) Error() string {
	return fmt.Sprintf("report: tick %d after tick %d: ticks must come in order", e.Tick, e.Last)
}

// maxFill bounds the empty ticks StepEvents adds between two ticks (a
// source publishes nothing for a tick without events): past it the charts
// jump, so a gap of millions of ticks costs no more than this.
const maxFill = 1 << 12

// NewEventLive returns a builder fed a session's events alone, tick by
// tick (StepEvents): for a source that carries the events but not the
// inputs, such as a relay's JetStream stream. Nothing is replayed, so the
// report (Report.EventsOnly) has the money issued, faucets and sinks,
// purchases and rejections, listings, top items and sellers, and trades,
// coupons and sagas, but not who holds the money, the stock or the wealth
// distribution, and its check is minted − burned only.
func NewEventLive(opts Options) *Live {
	if opts.MaxPoints <= 0 {
		opts.MaxPoints = 2000
	}
	if opts.Top <= 0 {
		opts.Top = 10
	}
	b := &builder{opts: opts, g: newGrid(opts.MaxPoints),
		names: map[components.ID]string{}, ents: map[components.ID]*ent{}, curIdx: map[components.ID]int{},
		listIdx: map[components.ID]*listing{}, items: map[components.ID]*itemStat{}, sellers: map[components.ID]*seller{},
		rejIdx: map[rejectKey]*flow{}, kindIdx: map[events.Kind]*flow{}, every: 1}
	b.lines = b.g.series("purchase lines")
	b.units = b.g.series("units bought")
	return &Live{b: b, setup: "events"}
}

// StepEvents counts the events of one tick (in the order the tick emitted
// them) on a Live made by NewEventLive. Ticks come in increasing order;
// ticks skipped in between had no events (up to maxFill of them are
// charted as empty). The events are not kept.
func (l *Live) StepEvents(tick uint64, evs []events.Event) error {
	if l.b.w != nil {
		return errors.New("report: StepEvents on a replaying report (use Step)")
	}
	if l.ticks > 0 {
		if tick <= l.last {
			return &OrderError{Tick: tick, Last: l.last}
		}
		if gap := tick - l.last - 1; gap > 0 && gap <= maxFill {
			for t := l.last + 1; t < tick; t++ {
				if err := l.b.tick(t, nil); err != nil {
					return err
				}
				l.ticks++ // a tick of the session, without events
			}
		}
	} else {
		l.first = tick
	}
	if err := l.b.tick(tick, evs); err != nil {
		return err
	}
	l.ticks++
	l.events += len(evs)
	l.last = tick
	return nil
}

// SetOffset records how many bytes of the log were read (shown on the page).
func (l *Live) SetOffset(n int64) { l.offset = n }

// Ticks returns the number of ticks stepped so far.
func (l *Live) Ticks() int { return l.ticks }

// Report returns the report of the ticks stepped so far (nil before the
// first). It may be called again after more steps.
func (l *Live) Report() *Report {
	if l.ticks == 0 {
		return nil
	}
	rep := &Report{Systems: l.setup, FirstTick: l.first, LastTick: l.last, Ticks: l.ticks, Events: l.events, Offset: l.offset,
		EventsOnly: l.b.w == nil}
	l.b.finish(rep)
	return rep
}

// ent returns the entity id, added if new.
func (b *builder) ent(id components.ID) *ent {
	e := b.get(id)
	if e == nil {
		e = &ent{id: id}
		if id < components.ID(len(b.dense))+denseSlack {
			for components.ID(len(b.dense)) <= id {
				b.dense = append(b.dense, nil)
			}
			b.dense[id] = e
		} else {
			b.ents[id] = e
		}
	}
	return e
}

// denseSlack: ids are allocated in order, so entities live in a slice
// indexed by id; an id far beyond the others (a made-up one in a hostile
// intent) goes to the map.
const denseSlack = 1 << 16

// get returns the entity id (nil if unknown).
func (b *builder) get(id components.ID) *ent {
	if id < components.ID(len(b.dense)) {
		return b.dense[id]
	}
	return b.ents[id]
}

// touch notes the entities an event names, once per tick, to re-read what
// they hold after the tick.
func (b *builder) touch(ids ...components.ID) {
	tick := b.w.NextTick() // the tick just run, plus one: never 0
	for _, id := range ids {
		if id == 0 {
			continue
		}
		e := b.get(id)
		if e == nil {
			// An id no creating event named yet (a receipt, a purchase
			// record, an intent's made-up buyer): read after the tick, and
			// followed only if it holds something, so a session's millions
			// of receipts cost nothing here.
			b.touched = append(b.touched, id)
			continue
		}
		if e.stamp != tick {
			e.stamp = tick
			b.touched = append(b.touched, id)
		}
	}
}

func (b *builder) cur(id components.ID) *curState {
	if i, ok := b.curIdx[id]; ok {
		return b.curs[i]
	}
	name := b.names[id]
	if name == "" {
		name = fmt.Sprintf("currency %d", id)
	}
	c := &curState{Currency: Currency{ID: id, Name: name}, scale: 1}
	c.supply = b.g.series("minted − burned")
	for k := range c.cats {
		c.cats[k] = b.g.series(catNames[k])
	}
	c.sales = b.g.series(name)
	c.money = append(c.money, c.supply, c.cats[0], c.cats[1], c.cats[2], c.sales)
	b.curIdx[id] = len(b.curs)
	b.curs = append(b.curs, c)
	return c
}

// Faucets and sinks: how money appeared or left, and where.
const (
	flowMint    = iota // Minted
	flowPayment        // Minted after PaymentConfirmed (a saga's payment)
	flowBurn           // Burned
	flowClose          // Burned as its holder closed
	flowKinds
)

var flowNames = [flowKinds]string{"mint → ", "payment → ", "burn ← ", "close ← "}

// flow returns currency c's series of one kind of flow into or out of
// holders of category cat.
func (b *builder) flow(c *curState, how int, cat category) *flow {
	f := c.flowIdx[how][cat]
	if f == nil {
		label := flowNames[how] + catNames[cat]
		f = &flow{label: label, s: b.g.series(label)}
		f.s.div = c.scale
		c.money = append(c.money, f.s)
		c.flowIdx[how][cat] = f
		c.flows = append(c.flows, f)
	}
	return f
}

// Rejection series: a purchase's reason, a retry answered from the
// idempotency window, a command's kind and reason.
const (
	rejectPurchase = iota
	rejectRetry
	rejectCommand
)

type rejectKey struct {
	what   int
	reason events.Reason
	of     events.Kind
}

func (b *builder) reject(what int, reason events.Reason, of events.Kind) {
	k := rejectKey{what, reason, of}
	f := b.rejIdx[k]
	if f == nil {
		label := "retry answered again"
		switch what {
		case rejectPurchase:
			label = "purchase: " + reason.String()
		case rejectCommand:
			label = "command " + of.String() + ": " + reason.String()
		}
		f = &flow{label: label, s: b.g.series(label)}
		b.rejIdx[k] = f
		b.rejects = append(b.rejects, f)
	}
	f.total = f.total.Add(1)
	f.s.cur++
}

// holderCat is the category of the entity holding money.
func (b *builder) holderCat(id components.ID) category {
	if e := b.get(id); e != nil && e.cat != catListing {
		return e.cat
	}
	return catEscrow
}

// closes reports whether the burn at evs[i] is part of closing its
// holder: burns of the holder's holdings, then EntityClosed.
func closes(evs []events.Event, i int) bool {
	s := evs[i].Subject
	for j := i + 1; j < len(evs); j++ {
		switch ev := &evs[j]; {
		case (ev.Kind == events.Burned || ev.Kind == events.ItemsBurned) && ev.Subject == s:
			continue
		case ev.Kind == events.EntityClosed && ev.Subject == s:
			return true
		}
		return false
	}
	return false
}

// tick counts one tick's events; with a world (not events-only) it then
// re-reads what the entities they name hold.
func (b *builder) tick(t uint64, evs []events.Event) error {
	b.touched = b.touched[:0]
	for i := range evs {
		ev := &evs[i]
		if b.w != nil {
			b.touch(ev.Subject, ev.Object, ev.Till, ev.Ref)
		}
		switch ev.Kind {
		case events.CurrencyDefined:
			b.names[ev.Subject] = ev.Name
			c := b.cur(ev.Subject)
			c.Name, c.Decimals, c.sales.label = ev.Name, int(ev.Size), ev.Name
			c.scale = 1
			for range c.Decimals {
				c.scale *= 10
			}
			for _, s := range c.money {
				s.div = c.scale
			}
		case events.ItemDefined:
			b.names[ev.Subject] = ev.Name
		case events.ShopOpened:
			b.names[ev.Subject] = ev.Name
			b.ent(ev.Subject).cat = catTill
		case events.WalletOpened:
			b.names[ev.Subject] = ev.Name
			e := b.ent(ev.Subject)
			e.cat = catWallet
			b.players = append(b.players, e)
		case events.ListingPosted:
			b.names[ev.Subject] = ev.Name
			e := b.ent(ev.Subject)
			e.cat = catListing
			l := &listing{id: ev.Subject, shop: ev.Object, till: ev.Till, item: ev.Item, cur: ev.Currency,
				name: ev.Name, price: ev.Amount, e: e}
			if len(b.listings) < maxTracked && b.w != nil { // stock is read from the world
				l.s = b.g.series(ev.Name)
			}
			b.listings = append(b.listings, l)
			b.listIdx[ev.Subject] = l
		case events.EntityClosed:
			if e := b.get(ev.Subject); e != nil {
				e.closed = true
			}
		case events.Minted:
			c := b.cur(ev.Currency)
			c.minted = c.minted.Add(ev.Amount)
			c.issued = c.issued.Add(ev.Amount)
			how := flowMint
			if i > 0 && evs[i-1].Kind == events.PaymentConfirmed && evs[i-1].Subject == ev.Subject {
				how = flowPayment
			}
			f := b.flow(c, how, b.holderCat(ev.Subject))
			f.total = f.total.Add(ev.Amount)
			f.s.cur += float64(ev.Amount)
		case events.Burned:
			c := b.cur(ev.Currency)
			c.burned = c.burned.Add(ev.Amount)
			c.issued = c.issued.Sub(ev.Amount)
			how := flowBurn
			if closes(evs, i) {
				how = flowClose
			}
			f := b.flow(c, how, b.holderCat(ev.Subject))
			f.total = f.total.Add(ev.Amount)
			f.s.cur -= float64(ev.Amount)
		case events.PurchaseCompleted:
			b.purchase(ev)
		case events.PurchaseRejected:
			b.reject(rejectPurchase, ev.Reason, 0)
		case events.PurchaseDuplicate:
			b.reject(rejectRetry, 0, 0)
		case events.CommandRejected:
			b.reject(rejectCommand, ev.Reason, ev.Of)
		case events.ReceiptIssued, events.ItemsGranted, events.ItemsBurned:
		default:
			if ev.Kind >= events.PurchaseDuplicate {
				f := b.kindIdx[ev.Kind]
				if f == nil {
					f = &flow{label: ev.Kind.String(), s: b.g.series(ev.Kind.String())}
					b.kindIdx[ev.Kind] = f
					b.kinds = append(b.kinds, f)
				}
				f.total = f.total.Add(1)
				f.s.cur++
			}
		}
	}
	if b.w == nil {
		for _, c := range b.curs {
			c.supply.cur = totalFloat(c.issued)
		}
		b.g.commit(t)
		return nil
	}
	if err := b.readHoldings(); err != nil {
		return err
	}
	for _, c := range b.curs {
		c.supply.cur = totalFloat(c.issued)
		for k := range c.cats {
			c.cats[k].cur = totalFloat(c.held[k])
		}
	}
	for _, l := range b.listings {
		if l.s != nil {
			l.s.cur = float64(l.e.stock)
		}
	}
	b.wealthAt(t)
	b.g.commit(t)
	return nil
}

func (b *builder) purchase(ev *events.Event) {
	b.lines.cur++
	b.units.cur += float64(ev.Qty)
	c := b.cur(ev.Currency)
	c.sales.cur += float64(ev.Amount)
	if l := b.listIdx[ev.Object]; l != nil {
		l.sold += ev.Qty
		l.revenue = l.revenue.Add(ev.Amount)
	}
	it := b.items[ev.Item]
	if it == nil {
		it = &itemStat{id: ev.Item, revenue: map[components.ID]components.Total{}}
		b.items[ev.Item] = it
		b.itemList = append(b.itemList, it)
	}
	it.units += ev.Qty
	it.lines++
	it.revenue[ev.Currency] = it.revenue[ev.Currency].Add(ev.Amount)
	s := b.sellers[ev.Till]
	if s == nil {
		s = &seller{id: ev.Till, revenue: map[components.ID]components.Total{}}
		b.sellers[ev.Till] = s
		b.sellList = append(b.sellList, s)
	}
	s.lines++
	s.revenue[ev.Currency] = s.revenue[ev.Currency].Add(ev.Amount)
}

// readHoldings re-reads what every entity the tick's events named holds,
// and moves the difference between the categories' totals.
func (b *builder) readHoldings() error {
	for _, id := range b.touched {
		e := b.get(id)
		var err error
		b.buf, err = b.w.Holdings(id, b.buf[:0])
		if err != nil {
			if !errors.Is(err, ecs.ErrEntityGone) && !errors.Is(err, ecs.ErrUnknownEntity) {
				return err
			}
			b.buf = b.buf[:0] // closed: holds nothing
		}
		if e == nil {
			if len(b.buf) == 0 {
				continue
			}
			e = b.ent(id) // a holder no creating event named: escrow
		}
		cat := e.cat
		if cat == catListing {
			cat = catEscrow // a listing holds no money; if it ever did, count it
		}
		for _, h := range e.money {
			c := b.cur(h.What)
			c.held[cat] = c.held[cat].Sub(h.Amount)
			c.heldAll = c.heldAll.Sub(h.Amount)
		}
		e.money = e.money[:0]
		e.stock = 0
		for _, h := range b.buf {
			if h.Kind == ecs.Money {
				c := b.cur(h.What)
				c.held[cat] = c.held[cat].Add(h.Amount)
				c.heldAll = c.heldAll.Add(h.Amount)
				e.money = append(e.money, h)
			} else {
				e.stock += h.Amount
			}
		}
	}
	return nil
}

// balance returns what e holds of currency c.
func (e *ent) balance(c components.ID) int64 {
	for _, h := range e.money {
		if h.What == c {
			return h.Amount
		}
	}
	return 0
}

// wealthAt keeps the wealth distribution of tick t if it is wanted: the
// chosen ticks, or (by default) a thinning schedule — every tick at first,
// every 2nd, 4th… as the log goes on, at most maxSnaps kept — from which
// finish picks the quartiles.
func (b *builder) wealthAt(t uint64) {
	if b.wantAt != nil {
		if b.wantAt[t] {
			b.snaps = append(b.snaps, snap{t, b.distributions(t)})
		}
		return
	}
	if t%b.every != 0 {
		return
	}
	b.snaps = append(b.snaps, snap{t, b.distributions(t)})
	for len(b.snaps) > maxSnaps {
		b.every *= 2
		b.snaps = slices.DeleteFunc(b.snaps, func(s snap) bool { return s.tick%b.every != 0 })
	}
}

func (b *builder) distributions(t uint64) []Wealth {
	out := make([]Wealth, 0, len(b.curs))
	bal := make([]int64, 0, len(b.players))
	for _, c := range b.curs {
		bal = bal[:0]
		for _, p := range b.players {
			if !p.closed {
				bal = append(bal, p.balance(c.ID))
			}
		}
		out = append(out, wealthOf(t, c.ID, bal))
	}
	return out
}
