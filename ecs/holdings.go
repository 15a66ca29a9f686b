package ecs

import (
	"errors"
	"fmt"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
)

// Typed reads: what one entity holds and what the whole world holds, without
// knowing which components hold value. The core counts wallets, inventories
// and listing stock; an extension that adds value-holding components
// (coupons, parcels, escrow…) registers them with AddHoldings, so these reads
// and the conservation rule stay complete.

// Errors of the typed reads; test with errors.Is. They come wrapped in an
// *EntityError that names the id.
var (
	// ErrUnknownEntity: the id was never allocated (or is zero).
	ErrUnknownEntity = errors.New("unknown entity")
	// ErrEntityGone: the id was allocated but its entity is closed.
	ErrEntityGone = errors.New("entity closed")
	// ErrNotACurrency: the id is not a live currency.
	ErrNotACurrency = errors.New("not a currency")
	// ErrNotAnItem: the id is not a live item type.
	ErrNotAnItem = errors.New("not an item type")
	// ErrTooLarge: an entity's holdings of one kind add up past int64.
	ErrTooLarge = errors.New("holdings exceed int64")
)

// EntityError is the error of a typed read: which id, and why.
type EntityError struct {
	ID  components.ID
	Err error // one of the Err… values above
}

// Error implements error.
func (e *EntityError) Error() string { return fmt.Sprintf("ecs: id %d: %v", e.ID, e.Err) }

// Unwrap returns Err, for errors.Is.
func (e *EntityError) Unwrap() error { return e.Err }

// HoldingKind says whether a Holding is money or items.
type HoldingKind uint8

// Holding kinds.
const (
	Money HoldingKind = iota + 1 // What is a currency, Amount minor units
	Items                        // What is an item type, Amount units
)

// String returns "money" or "items".
func (k HoldingKind) String() string {
	switch k {
	case Money:
		return "money"
	case Items:
		return "items"
	}
	return fmt.Sprintf("HoldingKind(%d)", uint8(k))
}

// Holding is value held by an entity: an amount of one currency or a
// number of units of one item type.
type Holding struct {
	Kind   HoldingKind
	What   components.ID
	Amount int64
}

// String returns e.g. "money 1: 250" (currency 1, 250 minor units).
func (h Holding) String() string { return fmt.Sprintf("%v %d: %d", h.Kind, h.What, h.Amount) }

// HoldingsFunc appends to buf the value the live entity e holds in the
// components an extension adds (nothing if e has none of them), and returns
// buf. It must only read, and should not allocate beyond buf's growth.
type HoldingsFunc func(w *World, e arche.Entity, buf []Holding) []Holding

// AddHoldings registers what an extension's components hold, for Holdings,
// Balance, ItemCount and Supply. Register it with the components (as
// systems.InstallCommerce does for coupons, parcels and purchase records):
// value a HoldingsFunc does not report is invisible to the conservation
// check.
func (w *World) AddHoldings(fn HoldingsFunc) { w.holdings = append(w.holdings, fn) }

// entityHoldings appends everything e holds, unaggregated: wallet balances,
// inventory slots, listing stock, then each extension's report.
func (w *World) entityHoldings(e arche.Entity, buf []Holding) []Holding {
	m := &w.Maps
	mask := w.ecs.Mask(e) // once, not a lookup per component (every closed receipt passes here)
	if mask.Get(m.Wallet.ID()) {
		for _, b := range m.Wallet.Get(e).Balances {
			buf = append(buf, Holding{Kind: Money, What: b.Currency, Amount: b.Amount})
		}
	}
	if mask.Get(m.Inventory.ID()) {
		for _, s := range m.Inventory.Get(e).Slots {
			buf = append(buf, Holding{Kind: Items, What: s.Item, Amount: s.Qty})
		}
	}
	if mask.Get(m.Listing.ID()) {
		l := m.Listing.Get(e)
		buf = append(buf, Holding{Kind: Items, What: l.Item, Amount: l.Stock})
	}
	for _, fn := range w.holdings {
		buf = fn(w, e, buf)
	}
	return buf
}

// live resolves id for a typed read.
func (w *World) live(id components.ID) (arche.Entity, error) {
	e, st := w.Lookup(id)
	switch st {
	case Unknown:
		return e, &EntityError{ID: id, Err: ErrUnknownEntity}
	case Gone:
		return e, &EntityError{ID: id, Err: ErrEntityGone}
	}
	return e, nil
}

// Holdings appends to buf what the entity id holds — one Holding per
// currency and per item type with a non-zero amount, money first, each
// kind sorted by id — and returns buf. It counts every component that
// holds value (wallet, inventory, listing stock and what extensions
// registered with AddHoldings: a coupon's value, a parcel's goods, a
// purchase record's escrow). With a buffer of enough capacity it allocates
// nothing. Errors: ErrUnknownEntity, ErrEntityGone, ErrTooLarge.
func (w *World) Holdings(id components.ID, buf []Holding) ([]Holding, error) {
	e, err := w.live(id)
	if err != nil {
		return buf, err
	}
	start := len(buf)
	w.scratch = w.entityHoldings(e, w.scratch[:0])
	for _, h := range w.scratch {
		if h.Amount == 0 {
			continue
		}
		i := start
		for i < len(buf) && (buf[i].Kind < h.Kind || buf[i].Kind == h.Kind && buf[i].What < h.What) {
			i++
		}
		if i < len(buf) && buf[i].Kind == h.Kind && buf[i].What == h.What {
			var ok bool
			if buf[i].Amount, ok = components.AddInt64(buf[i].Amount, h.Amount); !ok {
				return buf[:start], &EntityError{ID: id, Err: ErrTooLarge}
			}
			continue
		}
		buf = append(buf, Holding{})
		copy(buf[i+1:], buf[i:])
		buf[i] = h
	}
	return buf, nil
}

// held sums what the live entity id holds of one currency or item.
func (w *World) held(id components.ID, kind HoldingKind, what components.ID) (int64, error) {
	e, err := w.live(id)
	if err != nil {
		return 0, err
	}
	de, st := w.Lookup(what)
	if st != Alive || kind == Money && !w.Maps.Currency.Has(de) || kind == Items && !w.Maps.Item.Has(de) {
		why := ErrNotACurrency
		if kind == Items {
			why = ErrNotAnItem
		}
		return 0, &EntityError{ID: what, Err: why}
	}
	w.scratch = w.entityHoldings(e, w.scratch[:0])
	var n int64
	for _, h := range w.scratch {
		if h.Kind == kind && h.What == what {
			var ok bool
			if n, ok = components.AddInt64(n, h.Amount); !ok {
				return 0, &EntityError{ID: id, Err: ErrTooLarge}
			}
		}
	}
	return n, nil
}

// Balance returns the money of currency cur that the entity holder holds,
// in minor units: its wallet balance, plus what value-holding components
// registered with AddHoldings report (a coupon's value, a purchase
// record's escrow). 0 for an entity that holds none. It allocates nothing.
// Errors: ErrUnknownEntity or ErrEntityGone (holder), ErrNotACurrency
// (cur), ErrTooLarge.
func (w *World) Balance(holder, cur components.ID) (int64, error) {
	return w.held(holder, Money, cur)
}

// ItemCount returns the units of item the entity holder holds: in its
// inventory, as listing stock, and in registered components (a parcel's
// goods, a purchase record's escrow). It allocates nothing. Errors:
// ErrUnknownEntity or ErrEntityGone (holder), ErrNotAnItem (item),
// ErrTooLarge.
func (w *World) ItemCount(holder, item components.ID) (int64, error) {
	return w.held(holder, Items, item)
}
