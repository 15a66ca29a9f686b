package shard

import (
	"cmp"
	"fmt"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
	"github.com/tickecon/tickecon/third_party/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// Config sets up one shard's world.
type Config struct {
	// Shard is this world's number, 1–65535 (0 is refused by Install).
	Shard uint16 `json:"shard"`
	// Shards is how many shards the economy has (0: not checked); a hold
	// naming a listing on a shard beyond it is refused (UnknownListing)
	// instead of waiting for a shard that does not exist.
	Shards uint16 `json:"shards,omitempty"`
	// HoldTimeout is how many of this shard's ticks a hold waits for the
	// seller's answer before the shard asks the seller to cancel (≥ 1).
	// The hold stays until an answer: the seller may already have sold.
	HoldTimeout uint64 `json:"hold_timeout"`
	// Commerce configures the commerce systems every shard runs.
	Commerce systems.Config `json:"commerce"`
	// Economy names the economy the shard belongs to; Audit refuses logs
	// of different economies (ErrOtherEconomy), which it could otherwise
	// pair by message id and find conserved. NewCluster sets it to a
	// fingerprint of the configuration and of every shard's content
	// (16 hex digits), after the name given here and a "/" if one was
	// ("eu-1/3fa2…"); a world made with NewWorld keeps what it is given.
	Economy string `json:"economy,omitempty"`
}

// DefaultHoldTimeout is 120 ticks: 2 s at 60 ticks per second, forty times
// the loopback latency.
const DefaultHoldTimeout = 120

// System is the cross-shard part of one shard's world: the commands that
// hold, answer, post and void (all inputs of the shard's log) and, each
// tick, the cancel of holds past their deadline. Install adds it.
type System struct {
	shard   uint16
	shards  uint16
	timeout uint64
	Com     *systems.Commerce

	holds generic.Map[Hold]
	sales generic.Map[Sale]
	saleF arche.CachedFilter
	holdF arche.CachedFilter

	// Derived state, rebuilt from the components after a restore (stale):
	// the pending holds in deadline order and the sale of each message id.
	due    []due
	head   int
	bySale map[uint64]components.ID    // looked up, never iterated
	byReq  map[[2]uint64]components.ID // (buyer, client request id) → hold; looked up, never iterated
	stale  bool
	// holds with goods waiting for room in their buyer's inventory, by id
	waiting []components.ID
	// player → the sale that accepted its handover (a move away); looked
	// up, never iterated
	handedOver map[components.ID]components.ID
}

type due struct {
	at uint64
	id components.ID
}

// Name implements ecs.System.
func (s *System) Name() string { return "shard" }

// Shard returns the world's shard number.
func (s *System) Shard() uint16 { return s.shard }

// SaveState implements ecs.StateSaver: the system's own state is derived
// from components, so it saves nothing and rebuilds on load.
func (s *System) SaveState() ([]byte, error) { return []byte{}, nil }

// LoadState implements ecs.StateSaver.
func (s *System) LoadState([]byte) error {
	s.stale = true
	return nil
}

// ConfigError is a Config Install refuses.
type ConfigError struct{ Msg string }

// Error implements error.
func (e *ConfigError) Error() string { return "shard: config: " + e.Msg }

// Install makes w a shard: the commerce systems (systems.InstallCommerce)
// plus the cross-shard commands and System, with the holds and sales in
// the checksum, in Holdings and Supply. Call it on a fresh world, before
// the first Step.
func Install(w *ecs.World, cfg Config) (*System, error) {
	if cfg.Shard == 0 {
		return nil, &ConfigError{Msg: "shard numbers start at 1"}
	}
	if cfg.HoldTimeout == 0 {
		return nil, &ConfigError{Msg: "hold_timeout must be at least 1 tick"}
	}
	if cfg.Shards != 0 && cfg.Shard > cfg.Shards {
		return nil, &ConfigError{Msg: fmt.Sprintf("shard %d of %d", cfg.Shard, cfg.Shards)}
	}
	s := &System{shard: cfg.Shard, shards: cfg.Shards, timeout: cfg.HoldTimeout, bySale: map[uint64]components.ID{},
		byReq: map[[2]uint64]components.ID{}, handedOver: map[components.ID]components.ID{}}
	s.Com = systems.InstallCommerce(w, cfg.Commerce)
	a := w.ECS()
	s.holds = generic.NewMap[Hold](a)
	s.sales = generic.NewMap[Sale](a)
	s.holdF = a.Cache().Register(arche.All(s.holds.ID(), w.Maps.Stable.ID()))
	s.saleF = a.Cache().Register(arche.All(s.sales.ID(), w.Maps.Stable.ID()))
	w.AddEntityHasher(s.hash)
	w.AddHoldings(s.holdingsOf)
	w.OnClose(s.onClose)
	w.HandleCommand(events.XHoldPlaced, handler{creates: true, check: s.checkHold, apply: s.applyHold})
	w.HandleCommand(events.XSaleRequested, handler{check: s.checkInbound, apply: s.applyRequest})
	w.HandleCommand(events.XCancelRequested, handler{check: s.checkInbound, apply: s.applyCancel})
	w.HandleCommand(events.XHoldPosted, handler{check: s.checkAnswer, apply: s.applyPost})
	w.HandleCommand(events.XHoldVoided, handler{check: s.checkAnswer, apply: s.applyVoid})
	w.AddSystem(s)
	return s, nil
}

// handler adapts two functions to ecs.CommandHandler.
type handler struct {
	creates bool
	check   func(*ecs.World, *events.Event) events.Reason
	apply   func(*ecs.World, *events.Event)
}

func (h handler) Creates() bool                                     { return h.creates }
func (h handler) Check(w *ecs.World, c *events.Event) events.Reason { return h.check(w, c) }
func (h handler) Apply(w *ecs.World, c *events.Event)               { h.apply(w, c) }

func alive(w *ecs.World, id components.ID) (arche.Entity, bool) {
	e, st := w.Lookup(id)
	return e, st == ecs.Alive
}

// Msg returns the message id of hold id on this shard.
func (s *System) Msg(hold components.ID) uint64 { return uint64(AddrOf(s.shard, hold)) }

// Hold returns the hold id's state (ok false if it is not a live hold).
func (s *System) Hold(w *ecs.World, id components.ID) (Hold, bool) {
	e, ok := alive(w, id)
	if !ok || !s.holds.Has(e) {
		return Hold{}, false
	}
	return *s.holds.Get(e), true
}

// Sale returns what this shard answered to message msg (ok false: no
// request or cancel for it has arrived).
func (s *System) Sale(w *ecs.World, msg uint64) (Sale, bool) {
	s.rebuild(w)
	id, ok := s.bySale[msg]
	if !ok {
		return Sale{}, false
	}
	e, live := alive(w, id)
	if !live {
		return Sale{}, false
	}
	return *s.sales.Get(e), true
}

// Buy is the command that starts a cross-shard purchase on the buyer's
// shard: hold qty × unit price of currency from buyer for listing (an
// address on another shard, selling item). Queue it with World.Command; the
// ticket's ID is the hold. request is the client's id for it: a retry with
// the same (buyer, request) is refused as DuplicateRequest while the first
// hold exists (HoldFor finds it); 0 states none.
func Buy(buyer components.ID, listing Addr, item, currency components.ID, qty, held int64, request uint64) events.Event {
	return events.XHoldPlacedEvent{Buyer: buyer, Listing: components.ID(listing), Item: item,
		Currency: currency, Qty: qty, Held: held, Request: request}.Event()
}

// HoldFor returns the hold buyer placed with client request id request.
func (s *System) HoldFor(w *ecs.World, buyer components.ID, request uint64) (components.ID, bool) {
	s.rebuild(w)
	id, ok := s.byReq[[2]uint64{uint64(buyer), request}]
	if !ok || request == 0 {
		return 0, false
	}
	return id, true
}

// checkHold validates a hold: a live player paying, a listing on another
// shard, positive amounts, the money there and room for the goods. Goods
// given (Held 0: a move taking the old player's goods along) need no room:
// what does not fit waits in the hold, as it does for a purchase whose
// room went meanwhile. A handover (all 0) needs a live player only.
func (s *System) checkHold(w *ecs.World, c *events.Event) events.Reason {
	l := Addr(c.Object)
	handover := handoverCmd(c)
	switch {
	case !l.Valid() || l.Shard() == s.shard || s.shards != 0 && l.Shard() > s.shards:
		return events.ReasonUnknownListing
	case c.Qty < 0 || c.Amount < 0 || c.Qty == 0 && !handover && (c.Item != 0 || c.Amount == 0):
		return events.ReasonBadQuantity
	case c.At != 0 && c.At != w.NextTick()+s.timeout:
		return events.ReasonBadCommand
	case c.Subject > MaxLocalID:
		return events.ReasonIDOutOfRange
	}
	if _, dup := s.HoldFor(w, c.Ref, c.Request); dup {
		return events.ReasonDuplicateRequest
	}
	m := &w.Maps
	be, ok := alive(w, c.Ref)
	if !ok || !m.Wallet.Has(be) || !m.Inventory.Has(be) {
		return events.ReasonUnknownBuyer
	}
	if handover {
		return events.ReasonNone
	}
	if ce, ok := alive(w, c.Currency); !ok || !m.Currency.Has(ce) {
		return events.ReasonUnknownEntity
	}
	if m.Wallet.Get(be).Balance(c.Currency) < c.Amount {
		return events.ReasonInsufficientFunds
	}
	if c.Qty == 0 {
		return events.ReasonNone // a transfer of money: no goods back
	}
	ie, ok := alive(w, c.Item)
	if !ok || !m.Item.Has(ie) {
		return events.ReasonUnknownEntity
	}
	if c.Amount > 0 && !m.Inventory.Get(be).FitsOne(c.Item, c.Qty, m.Item.Get(ie).MaxStack) {
		return events.ReasonInventoryFull
	}
	return events.ReasonNone
}

func (s *System) applyHold(w *ecs.World, c *events.Event) {
	s.rebuild(w)
	c.At = w.NextTick() + s.timeout
	e := w.SpawnAs(c.Subject, s.holds.ID())
	*s.holds.Get(e) = Hold{Buyer: c.Ref, Listing: Addr(c.Object), Item: c.Item, Currency: c.Currency,
		Qty: c.Qty, Held: c.Amount, Deadline: c.At, State: components.SagaPending, Request: c.Request}
	if c.Request != 0 {
		s.byReq[[2]uint64{uint64(c.Ref), c.Request}] = c.Subject
	}
	if c.Amount > 0 {
		be, _ := w.Lookup(c.Ref)
		w.Maps.Wallet.Get(be).Debit(c.Currency, c.Amount)
	}
	w.Emit(*c) // names the buyer (Ref) and the hold: both rehashed
	s.due = append(s.due, due{at: c.At, id: c.Subject})
}

// checkInbound accepts any request or cancel from another shard: its
// answer, acceptance or refusal, is the outcome; only a message that
// names no hold on another shard is refused (there is no one to answer).
func (s *System) checkInbound(w *ecs.World, c *events.Event) events.Reason {
	if m := Addr(c.Request); !m.Valid() || m.Shard() == s.shard || s.shards != 0 && m.Shard() > s.shards {
		return events.ReasonBadCommand
	}
	return events.ReasonNone
}

// repeat answers a message already answered, with the first answer.
func (s *System) repeat(w *ecs.World, msg uint64) bool {
	s.rebuild(w)
	id, ok := s.bySale[msg]
	if !ok {
		return false
	}
	e, live := alive(w, id)
	if !live { // unreachable: closing a sale forgets its message
		return false
	}
	r := s.sales.Get(e)
	w.Emit(events.XSaleRepeatedEvent{Answer: r.Answer, Sale: id, Listing: r.Listing, Till: r.Till,
		Buyer: components.ID(r.Buyer), Item: r.Item, Currency: r.Currency, Qty: r.Qty, Total: r.Total,
		Reason: r.Reason, Msg: r.Msg}.Event())
	return true
}

// judge decides a request: the first failing check names the refusal. A
// request naming a listing is a purchase (unit price × Qty, at most Held);
// one naming a player is a trade with that player: Qty of Item from its
// inventory for exactly Held (Held 0: goods given, as a move takes them),
// or, with Qty 0, Held given to it, or, with everything 0, the handover of
// a move. One naming a hold takes goods waiting in it, for a buyer that
// moved (judgeWaiting).
func (s *System) judge(w *ecs.World, c *events.Event) (till components.ID, total int64, why events.Reason) {
	m := &w.Maps
	le, ok := alive(w, c.Object)
	switch {
	case ok && m.Listing.Has(le):
	case ok && m.Wallet.Has(le) && m.Inventory.Has(le):
		return s.judgeTrade(w, le, c)
	case ok && s.holds.Has(le):
		return s.judgeWaiting(w, le, c)
	default:
		return 0, 0, events.ReasonUnknownListing
	}
	l := m.Listing.Get(le)
	switch {
	case c.Qty <= 0 || c.Amount <= 0:
		return 0, 0, events.ReasonBadQuantity
	case l.Item != c.Item || l.Currency != c.Currency:
		return 0, 0, events.ReasonPriceChanged
	case l.Stock < c.Qty:
		return 0, 0, events.ReasonOutOfStock
	}
	total, ok = components.MulInt64(l.Price, c.Qty)
	switch {
	case !ok:
		return 0, 0, events.ReasonPriceOverflow
	case total > c.Amount:
		return 0, 0, events.ReasonPriceChanged
	}
	tw := systems.TillWallet(w, l.Till)
	switch {
	case tw == nil:
		return 0, 0, events.ReasonTillGone
	case !tw.CanCredit(c.Currency, total):
		return 0, 0, events.ReasonTillOverflow
	}
	return l.Till, total, events.ReasonNone
}

func (s *System) judgeTrade(w *ecs.World, pe arche.Entity, c *events.Event) (components.ID, int64, events.Reason) {
	m := &w.Maps
	if handoverCmd(c) {
		s.rebuild(w)
		if _, done := s.handedOver[c.Object]; done {
			return 0, 0, events.ReasonDuplicateRequest // moved once already: it cannot live on two shards
		}
		return c.Object, 0, events.ReasonNone
	}
	switch {
	case c.Qty < 0 || c.Amount < 0 || c.Qty == 0 && c.Amount == 0:
		return 0, 0, events.ReasonBadQuantity
	case c.Qty > 0 && m.Inventory.Get(pe).Count(c.Item) < c.Qty:
		return 0, 0, events.ReasonInsufficientHoldings
	case !m.Wallet.Get(pe).CanCredit(c.Currency, c.Amount):
		return 0, 0, events.ReasonOverflow
	}
	return c.Object, c.Amount, events.ReasonNone
}

// judgeWaiting decides a request for goods waiting in hold he (posted to
// a buyer whose inventory was full): all of Qty or nothing, for nothing,
// and only to the player the buyer moved to (its accepted handover names
// it), since the goods are the buyer's.
func (s *System) judgeWaiting(w *ecs.World, he arche.Entity, c *events.Event) (components.ID, int64, events.Reason) {
	h := s.holds.Get(he)
	switch {
	case c.Qty <= 0 || c.Amount != 0:
		return 0, 0, events.ReasonBadQuantity
	case h.Item != c.Item || h.Waiting < c.Qty:
		return 0, 0, events.ReasonInsufficientHoldings
	}
	s.rebuild(w)
	sale, ok := s.handedOver[h.Buyer]
	if !ok {
		return 0, 0, events.ReasonNotYours
	}
	se, _ := w.Lookup(sale)
	if r := s.sales.Get(se); r == nil || r.Buyer != Addr(c.Ref) {
		return 0, 0, events.ReasonNotYours
	}
	return 0, 0, events.ReasonNone
}

// record spawns the sale remembering msg's answer.
func (s *System) record(w *ecs.World, r Sale) components.ID {
	id, e := w.Spawn(s.sales.ID())
	*s.sales.Get(e) = r
	s.bySale[r.Msg] = id
	if r.Handover() {
		s.handedOver[r.Listing] = id
	}
	return id
}

func (s *System) applyRequest(w *ecs.World, c *events.Event) {
	w.Emit(*c)
	if s.repeat(w, c.Request) {
		return
	}
	till, total, why := s.judge(w, c)
	r := Sale{Msg: c.Request, Listing: c.Object, Buyer: Addr(c.Ref), Item: c.Item, Currency: c.Currency}
	if why != events.ReasonNone {
		r.Answer, r.Reason = events.XSaleRefused, why
		id := s.record(w, r)
		w.Emit(events.XSaleRefusedEvent{Sale: id, Listing: c.Object, Buyer: c.Ref, Reason: why, Msg: c.Request}.Event())
		return
	}
	r.Answer, r.Till, r.Qty, r.Total = events.XSaleAccepted, till, c.Qty, total
	id := s.record(w, r) // a structural change: look the listing and till up after it
	le, _ := w.Lookup(c.Object)
	if l := w.Maps.Listing.Get(le); l != nil {
		l.Stock -= c.Qty
	} else if h := s.holds.Get(le); h != nil { // goods waiting for a buyer that moved
		h.Waiting -= c.Qty
	} else if c.Qty > 0 { // a trade: from the player's inventory
		w.Maps.Inventory.Get(le).Remove(c.Item, c.Qty)
	}
	if total > 0 {
		systems.TillWallet(w, till).Credit(c.Currency, total)
	}
	if c.Qty > 0 {
		w.Emit(events.BurnItems(c.Object, c.Item, c.Qty)) // exported to the buyer's shard
	}
	if till != 0 && c.Currency != 0 { // neither a handover nor waiting goods: no wallet is paid
		w.Emit(events.Mint(till, c.Currency, total)) // imported from the buyer's hold
	}
	w.Emit(events.XSaleAcceptedEvent{Sale: id, Listing: c.Object, Till: till, Buyer: c.Ref, Item: c.Item,
		Currency: c.Currency, Qty: c.Qty, Total: total, Msg: c.Request}.Event())
}

// applyCancel refuses a message not seen yet (so its request, should it
// arrive later, is answered with that refusal) or repeats the answer
// given.
func (s *System) applyCancel(w *ecs.World, c *events.Event) {
	w.Emit(*c)
	if s.repeat(w, c.Request) {
		return
	}
	id := s.record(w, Sale{Msg: c.Request, Answer: events.XSaleRefused, Reason: events.ReasonTimeout})
	w.Emit(events.XSaleRefusedEvent{Sale: id, Reason: events.ReasonTimeout, Msg: c.Request}.Event())
}

// checkAnswer validates an answer for one of this shard's holds: it must
// be pending (a second answer is refused as SagaClosed: applied once) and
// an acceptance must match what was asked.
func (s *System) checkAnswer(w *ecs.World, c *events.Event) events.Reason {
	if c.Request != s.Msg(c.Subject) {
		return events.ReasonBadCommand
	}
	e, ok := alive(w, c.Subject)
	if !ok || !s.holds.Has(e) {
		return events.ReasonUnknownEntity
	}
	h := s.holds.Get(e)
	if h.State != components.SagaPending {
		return events.ReasonSagaClosed
	}
	if c.Ref != 0 && c.Ref != h.Buyer {
		return events.ReasonBadCommand
	}
	if c.Kind == events.XHoldVoided {
		if c.Reason == events.ReasonNone || c.Currency != 0 && c.Currency != h.Currency ||
			c.Amount != 0 && c.Amount != h.Held {
			return events.ReasonBadCommand
		}
		return events.ReasonNone
	}
	if c.Item != h.Item || c.Currency != h.Currency || c.Qty != h.Qty || c.Amount < 0 || c.Amount > h.Held ||
		c.Rest < 0 || c.Rest > h.Held-c.Amount {
		return events.ReasonBadCommand
	}
	return events.ReasonNone
}

// refund gives amount back to the buyer, or keeps it in the hold when the
// buyer is gone or its balance would overflow (nothing vanishes).
func (s *System) refund(w *ecs.World, h *Hold, amount int64) int64 {
	if amount == 0 {
		return 0
	}
	if be, ok := alive(w, h.Buyer); ok && w.Maps.Wallet.Has(be) {
		if wal := w.Maps.Wallet.Get(be); wal.CanCredit(h.Currency, amount) {
			wal.Credit(h.Currency, amount)
			return amount
		}
	}
	return 0
}

func (s *System) applyPost(w *ecs.World, c *events.Event) {
	e, _ := w.Lookup(c.Subject)
	h := s.holds.Get(e)
	c.Ref = h.Buyer
	h.Held -= c.Amount
	if c.Amount > 0 {
		w.Emit(events.Burn(c.Subject, h.Currency, c.Amount)) // exported to the seller's till
	}
	back := s.refund(w, h, h.Held)
	h.Held -= back
	c.Rest = back
	// The goods: into the inventory as far as it has room, the rest waits
	// in the hold (imported either way, so the ledger sees them arrive).
	m := &w.Maps
	fit := int64(0)
	if be, ok := alive(w, h.Buyer); ok && h.Qty > 0 && m.Inventory.Has(be) {
		ie, _ := w.Lookup(h.Item)
		inv := m.Inventory.Get(be)
		fit = min(h.Qty, inv.Room(h.Item, m.Item.Get(ie).MaxStack))
		if fit > 0 {
			inv.Add(h.Item, fit, m.Item.Get(ie).MaxStack)
			w.Emit(events.Grant(h.Buyer, h.Item, fit))
		}
	}
	if rest := h.Qty - fit; rest > 0 {
		h.Waiting += rest
		w.Emit(events.Grant(c.Subject, h.Item, rest))
		s.rebuild(w)
		if i, found := slices.BinarySearch(s.waiting, c.Subject); !found {
			s.waiting = slices.Insert(s.waiting, i, c.Subject)
		}
	}
	h.State = components.SagaCompleted
	w.Emit(*c)
}

func (s *System) applyVoid(w *ecs.World, c *events.Event) {
	e, _ := w.Lookup(c.Subject)
	h := s.holds.Get(e)
	c.Ref, c.Currency, c.Amount = h.Buyer, h.Currency, h.Held
	h.Held -= s.refund(w, h, h.Held)
	h.State, h.Reason = components.SagaCompensated, c.Reason
	w.Emit(*c)
}

// Update implements ecs.System: every pending hold past its deadline (in
// id order) asks its seller to cancel, once.
func (s *System) Update(w *ecs.World) {
	s.rebuild(w)
	now, k := w.NextTick(), s.head
	for k < len(s.due) && s.due[k].at < now {
		k++
	}
	batch := s.due[s.head:k]
	s.head = k
	// Deadlines are appended in command order; a world rebuilt from a
	// snapshot sorts them. Id order within the batch makes both the same.
	slices.SortFunc(batch, func(a, b due) int { return cmp.Compare(a.id, b.id) })
	for _, d := range batch {
		e, ok := alive(w, d.id)
		if !ok || !s.holds.Has(e) {
			continue
		}
		h := s.holds.Get(e)
		if h.State != components.SagaPending || h.Cancel {
			continue
		}
		h.Cancel = true
		w.Emit(events.XCancelSentEvent{Hold: d.id, Listing: components.ID(h.Listing), Msg: s.Msg(d.id)}.Event())
	}
	s.deliverWaiting(w)
	if s.head > 1024 && s.head*2 > len(s.due) { // drop the popped half, amortized
		s.due = append(s.due[:0], s.due[s.head:]...)
		s.head = 0
	}
}

// rebuild derives the deadline queue and the message index from the
// components after a restore.
func (s *System) rebuild(w *ecs.World) {
	if !s.stale {
		return
	}
	s.stale = false
	s.due, s.head = s.due[:0], 0
	clear(s.bySale)
	clear(s.byReq)
	s.waiting = s.waiting[:0]
	st := w.Maps.Stable.ID()
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		h := (*Hold)(q.Get(s.holds.ID()))
		if h.Request != 0 {
			s.byReq[[2]uint64{uint64(h.Buyer), h.Request}] = (*components.Stable)(q.Get(st)).ID
		}
		if h.Waiting > 0 {
			s.waiting = append(s.waiting, (*components.Stable)(q.Get(st)).ID)
		}
		if h.State == components.SagaPending && !h.Cancel {
			s.due = append(s.due, due{at: h.Deadline, id: (*components.Stable)(q.Get(st)).ID})
		}
	}
	slices.SortFunc(s.due, func(a, b due) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	slices.Sort(s.waiting)
	clear(s.handedOver)
	q = w.ECS().Query(&s.saleF)
	for q.Next() {
		r := (*Sale)(q.Get(s.sales.ID()))
		id := (*components.Stable)(q.Get(st)).ID
		s.bySale[r.Msg] = id
		if r.Handover() {
			s.handedOver[r.Listing] = id
		}
	}
}

// Pending returns how many holds of this shard wait for their answer.
func (s *System) Pending(w *ecs.World) int {
	n := 0
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		if (*Hold)(q.Get(s.holds.ID())).State == components.SagaPending {
			n++
		}
	}
	return n
}

// deliverWaiting moves goods waiting in posted holds (their buyer's
// inventory was full when they arrived) into the inventory as room
// appears, holds in id order, each tick: an ItemsBurned of the hold and an
// ItemsGranted of the buyer, so nothing moves unlogged.
func (s *System) deliverWaiting(w *ecs.World) {
	if len(s.waiting) == 0 {
		return
	}
	m := &w.Maps
	keep := s.waiting[:0]
	for _, id := range s.waiting {
		e, ok := alive(w, id)
		if !ok || !s.holds.Has(e) {
			continue
		}
		h := s.holds.Get(e)
		if be, ok := alive(w, h.Buyer); ok && m.Inventory.Has(be) && h.Waiting > 0 {
			ie, _ := w.Lookup(h.Item)
			inv := m.Inventory.Get(be)
			if fit := min(h.Waiting, inv.Room(h.Item, m.Item.Get(ie).MaxStack)); fit > 0 {
				inv.Add(h.Item, fit, m.Item.Get(ie).MaxStack)
				h.Waiting -= fit
				w.Emit(events.BurnItems(id, h.Item, fit))
				w.Emit(events.Grant(h.Buyer, h.Item, fit))
			}
		}
		if h.Waiting > 0 {
			keep = append(keep, id)
		}
	}
	s.waiting = keep
}
