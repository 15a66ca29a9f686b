package ecs

import (
	"errors"
	"slices"
	"strconv"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
)

// Typed reads of what a game shows: a listing's terms, the names and
// decimals of currencies and items, a player's inventory. A game reads
// these instead of the components through arche (w.Maps), so it never
// depends on how they are stored. Each returns a copy: changing it changes
// nothing in the world. Errors come as an *EntityError naming the id.

// Errors of the typed reads of definitions and listings, besides those in
// holdings.go; test with errors.Is.
var (
	// ErrNotAListing: the id is not a live listing.
	ErrNotAListing = errors.New("not a listing")
	// ErrNoInventory: the id has no inventory (a shop, a currency…).
	ErrNoInventory = errors.New("no inventory")
)

// ListingInfo is a listing's terms: what a shop's UI shows and what a
// PurchaseIntent refers to.
type ListingInfo struct {
	ID       components.ID
	Name     string        // its content key, or "" (presentation only)
	Shop     components.ID // the shop that posted it
	Item     components.ID // the item type sold
	Currency components.ID // the currency of Price
	Price    int64         // per unit, in minor units of Currency
	Stock    int64         // units left
	Till     components.ID // the wallet sales pay into
	// Version is 1 as posted and rises with every change of the terms
	// (events.Reprice), never with stock. A PurchaseIntent that states it
	// (ListingVersion) is refused with ReasonPriceChanged once it changed.
	Version uint64
}

// Listing returns the terms of the live listing id. Errors:
// ErrUnknownEntity, ErrEntityGone, ErrNotAListing.
func (w *World) Listing(id components.ID) (ListingInfo, error) {
	e, err := w.live(id)
	if err != nil {
		return ListingInfo{}, err
	}
	l := w.Maps.Listing.Get(e)
	if l == nil {
		return ListingInfo{}, &EntityError{ID: id, Err: ErrNotAListing}
	}
	return ListingInfo{ID: id, Name: w.name(e), Shop: l.Shop, Item: l.Item, Currency: l.Currency,
		Price: l.Price, Stock: l.Stock, Till: l.Till, Version: l.Revision + 1}, nil
}

// Listings appends the ids of every live listing to buf, ascending, and
// returns it; shop 0 means every shop's, another id only that shop's. It
// scans the world's listings (not for a per-tick loop over many shops).
func (w *World) Listings(shop components.ID, buf []components.ID) []components.ID {
	start := len(buf)
	m := &w.Maps
	f := arche.All(m.Listing.ID(), m.Stable.ID())
	q := w.ecs.Query(&f)
	for q.Next() {
		if l := (*components.ShopListing)(q.Get(m.Listing.ID())); shop == 0 || l.Shop == shop {
			buf = append(buf, w.Maps.Stable.Get(q.Entity()).ID)
		}
	}
	slices.Sort(buf[start:]) // storage order is no order: ids are
	return buf
}

// CurrencyInfo is a currency's definition.
type CurrencyInfo struct {
	ID       components.ID
	Name     string // e.g. "Gold" (presentation only)
	Decimals uint8  // minor-unit digits a UI shows (2: 1234 is "12.34")
}

// Format writes amount minor units with c's decimals: 1234 with 2
// decimals is "12.34", -5 is "-0.05". Integer arithmetic only.
func (c CurrencyInfo) Format(amount int64) string {
	neg := amount < 0
	u := uint64(amount)
	if neg {
		u = -u // two's complement: right for MinInt64 too
	}
	s := strconv.FormatUint(u, 10)
	if d := int(c.Decimals); d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Currency returns the definition of the currency id. Errors:
// ErrUnknownEntity, ErrEntityGone, ErrNotACurrency.
func (w *World) Currency(id components.ID) (CurrencyInfo, error) {
	e, err := w.live(id)
	if err != nil {
		return CurrencyInfo{}, err
	}
	c := w.Maps.Currency.Get(e)
	if c == nil {
		return CurrencyInfo{}, &EntityError{ID: id, Err: ErrNotACurrency}
	}
	return CurrencyInfo{ID: id, Name: w.name(e), Decimals: c.Decimals}, nil
}

// ItemInfo is an item type's definition.
type ItemInfo struct {
	ID       components.ID
	Name     string // e.g. "Health Potion" (presentation only)
	MaxStack int64  // units per inventory slot
}

// Item returns the definition of the item type id. Errors:
// ErrUnknownEntity, ErrEntityGone, ErrNotAnItem.
func (w *World) Item(id components.ID) (ItemInfo, error) {
	e, err := w.live(id)
	if err != nil {
		return ItemInfo{}, err
	}
	it := w.Maps.Item.Get(e)
	if it == nil {
		return ItemInfo{}, &EntityError{ID: id, Err: ErrNotAnItem}
	}
	return ItemInfo{ID: id, Name: w.name(e), MaxStack: it.MaxStack}, nil
}

// Inventory returns the inventory of holder (a player): its capacity in
// slots and its stacks in slot order (what a UI shows), copied into buf's
// storage, so that with a buffer of enough capacity it allocates nothing.
// The copy's Count and Room answer as the inventory's would. Errors:
// ErrUnknownEntity, ErrEntityGone, ErrNoInventory.
func (w *World) Inventory(holder components.ID, buf []components.Stack) (components.Inventory, error) {
	e, err := w.live(holder)
	if err != nil {
		return components.Inventory{Slots: buf[:0]}, err
	}
	inv := w.Maps.Inventory.Get(e)
	if inv == nil {
		return components.Inventory{Slots: buf[:0]}, &EntityError{ID: holder, Err: ErrNoInventory}
	}
	return components.Inventory{Capacity: inv.Capacity, Slots: append(buf[:0], inv.Slots...)}, nil
}

// name returns the Name component's text of e, or "".
func (w *World) name(e arche.Entity) string {
	if n := w.Maps.Name.Get(e); n != nil {
		return n.Text
	}
	return ""
}
