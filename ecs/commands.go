package ecs

import (
	"math"
	"unsafe"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Command queues an authoring or admin command for the next tick and
// returns its ticket. A command is an events.Event naming the change
// wanted (build it with the constructors: events.Mint, events.PostListing,
// events.OpenCart …); applying it emits that same event, or a
// CommandRejected event with a typed reason and no change at all, both
// carrying the ticket.
//
// A creating kind (events.Kind.Creates: definitions, shops, listings,
// wallets, carts, accounts…) gets a fresh stable id when Subject is zero —
// the ticket's ID; a non-zero Subject (as in a replayed log) reserves that
// id instead. A command that already carries a ticket (a replayed or
// relayed one) keeps it, and later tickets count on from it.
func (w *World) Command(c events.Event) Ticket {
	if w.creates(c.Kind) {
		if c.Subject == 0 {
			c.Subject = w.nextID
		}
		w.reserve(c.Subject)
	}
	if c.Ticket == 0 {
		w.lastTicket++
		c.Ticket = w.lastTicket
	} else if c.Ticket > w.lastTicket {
		w.lastTicket = c.Ticket
	}
	c.Tick = 0
	w.pending = append(w.pending, c)
	return Ticket{Seq: c.Ticket, ID: c.Subject, Kind: c.Kind}
}

// Pending returns the commands queued for the next tick.
func (w *World) Pending() []events.Event { return w.pending }

// creates reports whether a command of kind k creates its Subject: the
// core's creating kinds, and extension kinds whose handler says so.
func (w *World) creates(k events.Kind) bool {
	if coreKind(k) {
		return k.Creates()
	}
	h := w.handler(k)
	return h != nil && h.Creates()
}

// coreKind reports whether the core applies commands of kind k itself.
func coreKind(k events.Kind) bool { return k > events.KindInvalid && k <= events.EntityClosed }

// ReserveSlack is how many ids may be reserved ahead of the ids actually
// created. A creating command with an explicit Subject beyond the next id
// (as a replayed, relayed or hostile command may carry) reserves every id
// up to it, and each reserved id costs the id index 16 bytes; so a jump is
// accepted only while the ids reserved but never created stay at most the
// ids created so far plus ReserveSlack. A refused jump reserves nothing and
// its command is rejected with ReasonIDOutOfRange. Ids taken in order
// (Subject zero, Spawn) are always accepted: each costs a command or an
// entity. A reserved id whose creating command is rejected counts as used
// (it is never handed out again), so rejections do not grow the gap.
// Snapshots are held to the same bound (Restore).
const ReserveSlack = 1 << 16

// reserveBound is how many ids may be reserved but not created in a world
// that has created ids.
func reserveBound(created uint64) uint64 { return created + ReserveSlack }

func (w *World) reserve(id components.ID) {
	if id < w.nextID {
		return // in use or reserved already: apply decides
	}
	if id > w.nextID && uint64(id)-w.created > reserveBound(w.created) {
		return // too far: apply rejects it as ReasonIDOutOfRange
	}
	w.nextID = id + 1 // the id table grows when an id is created, not here
}

// markUsed records that id was created (or burnt by a rejected creating
// command): it is never handed out again.
func (w *World) markUsed(id components.ID) {
	if w.core.IDs.MarkUsed(id) {
		w.created++
	}
}

func (w *World) reject(c *events.Event, why events.Reason) {
	if w.creates(c.Kind) && w.checkFreeID(c.Subject) == events.ReasonNone {
		w.markUsed(c.Subject) // its reservation is spent, so the id gap cannot grow
	}
	r := *c // the refused command as given: Event.Rejected gives it back
	r.Kind, r.Of, r.Reason = events.CommandRejected, c.Kind, why
	w.Emit(r)
}

// has reports whether id is alive and carries component comp.
func (w *World) has(id components.ID, comp arche.ID) (arche.Entity, bool) {
	e, st := w.Lookup(id)
	return e, st == Alive && w.ecs.Has(e, comp)
}

func (w *World) apply(c *events.Event) {
	if w.closesRow(c) {
		return
	}
	if why := w.check(c); why != events.ReasonNone {
		w.reject(c, why)
		return
	}
	m := &w.Maps
	switch c.Kind {
	case events.CurrencyDefined:
		e := w.create(c.Subject, c.Name, m.Currency.ID())
		m.Currency.Get(e).Decimals = uint8(c.Size)
		w.currs = append(w.currs, c.Subject)
	case events.ItemDefined:
		e := w.create(c.Subject, c.Name, m.Item.ID())
		m.Item.Get(e).MaxStack = c.Qty
	case events.ShopOpened:
		e := w.create(c.Subject, c.Name, m.Shop.ID(), m.Wallet.ID())
		w.openWallet(m.Wallet.Get(e))
	case events.WalletOpened:
		e := w.create(c.Subject, c.Name, m.Wallet.ID(), m.Inventory.ID())
		w.openPlayer(m.Wallet.Get(e), m.Inventory.Get(e), int(c.Size))
	case events.ListingPosted:
		if c.Till == 0 {
			c.Till = c.Object
		}
		e := w.create(c.Subject, c.Name, m.Listing.ID())
		*m.Listing.Get(e) = components.ShopListing{Shop: c.Object, Item: c.Item,
			Currency: c.Currency, Price: c.Amount, Stock: c.Qty, Till: c.Till}
	case events.ListingRepriced:
		e, _ := w.Lookup(c.Subject)
		l := m.Listing.Get(e)
		l.Price = c.Amount
		l.Revision++
		c.Currency, c.Size = l.Currency, int64(l.Revision+1) // the event reports the version (ListingInfo.Version)
	case events.Minted:
		e, _ := w.Lookup(c.Subject)
		m.Wallet.Get(e).Credit(c.Currency, c.Amount)
	case events.Burned:
		e, _ := w.Lookup(c.Subject)
		m.Wallet.Get(e).Debit(c.Currency, c.Amount)
	case events.ItemsGranted:
		e, _ := w.Lookup(c.Subject)
		if l := m.Listing.Get(e); l != nil {
			l.Stock += c.Qty
		} else {
			ie, _ := w.Lookup(c.Item)
			m.Inventory.Get(e).Add(c.Item, c.Qty, m.Item.Get(ie).MaxStack)
		}
	case events.ItemsBurned:
		e, _ := w.Lookup(c.Subject)
		if l := m.Listing.Get(e); l != nil {
			l.Stock -= c.Qty
		} else {
			m.Inventory.Get(e).Remove(c.Item, c.Qty)
		}
	case events.EntityClosed:
		w.close(c.Subject)
		return // close emits its own events
	default:
		w.handler(c.Kind).Apply(w, c) // check found the handler
		return
	}
	w.Emit(*c)
}

// check validates a command against the current state without changing it.
func (w *World) check(c *events.Event) events.Reason {
	if c.Kind.Valid() && !c.Conforms() {
		return events.ReasonBadCommand // a field its kind does not use: no meaning to apply
	}
	m := &w.Maps
	switch c.Kind {
	case events.CurrencyDefined:
		if c.Size < 0 || c.Size > MaxDecimals {
			return events.ReasonBadCommand
		}
	case events.ItemDefined:
		if c.Qty < 1 || c.Qty > MaxStack {
			return events.ReasonBadCommand
		}
	case events.ShopOpened:
	case events.WalletOpened:
		if c.Size < 0 || c.Size > MaxCapacity {
			return events.ReasonBadCommand
		}
	case events.ListingPosted:
		if c.Amount < 0 || c.Qty < 0 {
			return events.ReasonBadCommand
		}
		till := c.Till
		if till == 0 {
			till = c.Object
		}
		if _, ok := w.has(c.Object, m.Shop.ID()); !ok {
			return events.ReasonUnknownEntity
		}
		if _, ok := w.has(c.Item, m.Item.ID()); !ok {
			return events.ReasonUnknownEntity
		}
		if _, ok := w.has(c.Currency, m.Currency.ID()); !ok {
			return events.ReasonUnknownEntity
		}
		if _, ok := w.has(till, m.Wallet.ID()); !ok {
			return events.ReasonUnknownEntity
		}
	case events.ListingRepriced:
		if c.Amount < 0 {
			return events.ReasonBadCommand
		}
		e, ok := w.has(c.Subject, m.Listing.ID())
		if !ok {
			return events.ReasonUnknownEntity
		}
		l := m.Listing.Get(e)
		if l.Revision >= math.MaxInt64-2 {
			return events.ReasonOverflow // the version would not fit the event
		}
		// Currency and Version are the tick's to fill in; a command may
		// state them only as they will be (a replayed command does).
		if c.Currency != 0 && c.Currency != l.Currency || c.Size != 0 && c.Size != int64(l.Revision+2) {
			return events.ReasonBadCommand
		}
		return events.ReasonNone
	case events.Minted, events.Burned:
		if c.Amount <= 0 {
			return events.ReasonBadCommand
		}
		e, ok := w.has(c.Subject, m.Wallet.ID())
		if !ok {
			return events.ReasonUnknownEntity
		}
		if _, ok := w.has(c.Currency, m.Currency.ID()); !ok {
			return events.ReasonUnknownEntity
		}
		wal := m.Wallet.Get(e)
		if c.Kind == events.Minted && !wal.CanCredit(c.Currency, c.Amount) {
			return events.ReasonOverflow
		}
		if c.Kind == events.Burned && wal.Balance(c.Currency) < c.Amount {
			return events.ReasonInsufficientHoldings
		}
		return events.ReasonNone
	case events.ItemsGranted, events.ItemsBurned:
		return w.checkItems(c)
	case events.EntityClosed:
		e, st := w.Lookup(c.Subject)
		if st != Alive {
			return events.ReasonUnknownEntity
		}
		if w.core.IsRow(e) {
			return events.ReasonNone // a row (a receipt) is never a definition
		}
		// Definitions stay: closing one would orphan items and balances.
		if mask := w.ecs.Mask(e); mask.Get(m.Item.ID()) || mask.Get(m.Currency.ID()) {
			return events.ReasonBadCommand
		}
		return events.ReasonNone
	default:
		h := w.handler(c.Kind)
		if h == nil {
			return events.ReasonBadCommand
		}
		if !h.Creates() {
			return h.Check(w, c)
		}
		if why := w.checkFreeID(c.Subject); why != events.ReasonNone {
			return why
		}
		return h.Check(w, c)
	}
	return w.checkFreeID(c.Subject)
}

// checkFreeID checks that a creating command's id is reserved and unused.
func (w *World) checkFreeID(id components.ID) events.Reason {
	if id == 0 {
		return events.ReasonBadCommand
	}
	if id >= w.nextID {
		return events.ReasonIDOutOfRange
	}
	if !w.core.IDs.Entity(id).IsZero() || w.closedOrUsed(id) {
		return events.ReasonIDInUse
	}
	return events.ReasonNone
}

func (w *World) checkItems(c *events.Event) events.Reason {
	m := &w.Maps
	if c.Qty <= 0 {
		return events.ReasonBadCommand
	}
	ie, ok := w.has(c.Item, m.Item.ID())
	if !ok {
		return events.ReasonUnknownEntity
	}
	e, st := w.Lookup(c.Subject)
	if st != Alive {
		return events.ReasonUnknownEntity
	}
	if l := m.Listing.Get(e); l != nil {
		if l.Item != c.Item {
			return events.ReasonBadCommand
		}
		if c.Kind == events.ItemsGranted {
			if _, ok := components.AddInt64(l.Stock, c.Qty); !ok {
				return events.ReasonOverflow
			}
		} else if l.Stock < c.Qty {
			return events.ReasonInsufficientHoldings
		}
		return events.ReasonNone
	}
	inv := m.Inventory.Get(e)
	if inv == nil {
		return events.ReasonUnknownEntity
	}
	if c.Kind == events.ItemsGranted {
		if inv.Room(c.Item, m.Item.Get(ie).MaxStack) < c.Qty {
			return events.ReasonInventoryFull
		}
	} else if inv.Count(c.Item) < c.Qty {
		return events.ReasonInsufficientHoldings
	}
	return events.ReasonNone
}

// closedOrUsed reports whether id was used by an entity that is now closed.
// Stable ids are never reused, so such an id can not be created again.
func (w *World) closedOrUsed(id components.ID) bool {
	return w.core.IDs.Used(id)
}

func (w *World) create(id components.ID, name string, comps ...arche.ID) arche.Entity {
	all := append(comps, w.Maps.Stable.ID(), w.Maps.Name.ID())
	e := w.ecs.NewEntity(all...)
	w.Maps.Stable.Get(e).ID = id
	w.Maps.Name.Get(e).Text = name
	w.core.IDs.SetEntity(id, e)
	w.markUsed(id)
	w.Touch(id)
	return e
}

// openPlayer opens a wallet and an inventory of capacity slots whose
// balances and slots share one allocation: a purchase reads both, so in a
// large world they cost one random memory page instead of two. Balance and
// Stack have the same pointer-free layout, so the block is a []Stack whose
// first part is viewed as balances; each part has its own capacity, so
// neither can append into the other (a wallet that gains a currency moves
// its balances to a block of their own). The balances come first and have
// no spare room, so that the first 64-byte line holds the balance and the
// first slots: the look-ahead prefetches 256 bytes, 15 of 16 slots.
func (w *World) openPlayer(wal *components.Wallet, inv *components.Inventory, capacity int) {
	n := len(w.currs)
	block := make([]components.Stack, max(n+capacity, 1)) // never empty: &block[0]
	wal.Balances = unsafe.Slice((*components.Balance)(unsafe.Pointer(&block[0])), n)
	for i, c := range w.currs {
		wal.Balances[i].Currency = c
	}
	inv.Capacity = capacity
	inv.Slots = block[n : n : n+capacity]
}

// The block of openPlayer is both: the layouts must stay identical.
var _ = [1]struct{}{}[unsafe.Sizeof(components.Balance{})-unsafe.Sizeof(components.Stack{})]
var _ = [1]struct{}{}[unsafe.Offsetof(components.Balance{}.Amount)-unsafe.Offsetof(components.Stack{}.Qty)]

func (w *World) openWallet(wal *components.Wallet) {
	wal.Balances = make([]components.Balance, len(w.currs), len(w.currs)+4)
	for i, c := range w.currs {
		wal.Balances[i].Currency = c
	}
}

// close burns everything an entity holds — the holdings the typed reads and
// the conservation check count, extensions' included (AddHoldings) — each
// with its own event, then removes it. Its stable id is never reused.
func (w *World) close(id components.ID) {
	e, _ := w.Lookup(id)
	if w.core.IsRow(e) {
		w.closeRow(id)
		return
	}
	w.scratch = w.entityHoldings(e, w.scratch[:0])
	for _, h := range w.scratch {
		switch {
		case h.Amount <= 0:
		case h.Kind == Money:
			w.Emit(events.Burn(id, h.What, h.Amount))
		default:
			w.Emit(events.BurnItems(id, h.What, h.Amount))
		}
	}
	for _, fn := range w.closers {
		fn(w, id, e)
	}
	w.ecs.RemoveEntity(e)
	w.core.IDs.SetEntity(id, arche.Entity{})
	w.Touch(id)
	w.Emit(events.Close(id))
}

// closeRow closes row id (internal/core's rows: a receipt). A row holds
// nothing, so there is nothing to burn, and it has no entity of its own to
// remove: its owner frees it, and its cached hash leaves the running sum
// now — what the checksum's flush would do for a touched closed id — so
// the EntityClosed event need not touch it.
func (w *World) closeRow(id components.ID) {
	w.closeRowQuiet(id)
	w.Emit(events.Close(id))
	w.core.EventHashed()
}

// closeRowQuiet is closeRow without its event (core.State.CloseRow).
func (w *World) closeRowQuiet(id components.ID) {
	for _, fn := range w.closers {
		fn(w, id, w.core.Rows.Entity)
	}
	w.core.Rows.Owner.Close(id)
	w.core.EntSum -= w.core.IDs.CloseRow(id)
}

// closesRow closes a row (a receipt) when c is exactly events.Close of a
// live row, and reports whether it did: what check and apply do for that
// command, without the general checks' cost (a client closes every
// receipt it is issued: one command per purchase). Anything else — a
// field set that a Close does not use, an id that is not a live row —
// takes the general path, which accepts or rejects it as before.
func (w *World) closesRow(c *events.Event) bool {
	if c.Kind != events.EntityClosed || w.core.Rows.Owner == nil || !onlyClose(c) {
		return false
	}
	e, st := w.Lookup(c.Subject)
	if st != Alive || !w.core.IsRow(e) {
		return false
	}
	w.closeRow(c.Subject)
	return true
}

// onlyClose reports whether a command of kind EntityClosed sets no field
// but its Subject (and the Tick and Ticket every command carries): an
// events.Close exactly. Field by field, because comparing whole Events
// cost more than the rest of the close; TestOnlyCloseNamesEveryField
// fails when Event gains a field this does not test.
func onlyClose(c *events.Event) bool {
	return c.Reason == 0 && c.Of == 0 && c.Object|c.Till|c.Ref|c.Item|c.Currency == 0 &&
		c.Qty|c.Amount|c.Rest|c.Size == 0 && c.Request|c.At == 0 && c.Name == ""
}
