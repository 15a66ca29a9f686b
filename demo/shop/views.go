package shop

import (
	"fmt"
	"slices"

	"github.com/tickecon/tickecon/components"
)

// ListingView is one row of the shop table.
type ListingView struct {
	ID       components.ID
	Shop     string
	Item     components.ID
	ItemName string
	ItemIdx  int // index of the item type, for its sprite
	Currency string
	Decimals uint8
	Price    int64
	Stock    int64
	// BuyBlock says in words why the player cannot buy the chosen quantity
	// here ("out of stock", "not enough Gold"…), or is "" when Buy would be
	// submitted. The window greys the Buy button and shows it.
	BuyBlock string
}

// PriceText is the listing's unit price with its currency, e.g. "2.50 Gold".
func (l ListingView) PriceText() string {
	return FormatAmount(l.Price, l.Decimals) + " " + l.Currency
}

// BalanceView is one currency balance of a wallet.
type BalanceView struct {
	Currency string
	Decimals uint8
	Amount   int64
}

// Text renders the balance, e.g. "50.00 Gold".
func (b BalanceView) Text() string { return FormatAmount(b.Amount, b.Decimals) + " " + b.Currency }

// SlotView is one inventory slot.
type SlotView struct {
	Item     components.ID
	ItemName string
	ItemIdx  int
	Qty      int64
}

// ItemIndex returns the position of an item type in definition order (for
// its sprite), or -1.
func (m *Model) ItemIndex(id components.ID) int { return slices.Index(m.items, id) }

// Listings returns the number of listings shown.
func (m *Model) Listings() int { return len(m.listings) }

// Listing returns the row of listing i (0 ≤ i < Listings()).
func (m *Model) Listing(i int) ListingView {
	id := m.listings[i]
	v := ListingView{ID: id}
	l, ok := m.listing(id)
	if !ok {
		v.BuyBlock = "listing closed"
		return v
	}
	v.Shop, v.Item, v.ItemName, v.ItemIdx = m.Name(l.Shop), l.Item, m.Name(l.Item), m.ItemIndex(l.Item)
	v.Currency, v.Decimals = m.currency(l.Currency)
	v.Price, v.Stock = l.Price, l.Stock
	v.BuyBlock = m.buyBlock(l, v.Currency)
	return v
}

// buyBlock is the first reason, in the purchase system's validation
// order, why the player's purchase of m.qty units of l would be rejected,
// as far as the screen shows it; "" if none.
func (m *Model) buyBlock(l components.ShopListing, currency string) string {
	switch {
	case m.mode != Live:
		return "replaying"
	case l.Stock == 0:
		return "out of stock"
	case l.Stock < m.qty:
		return fmt.Sprintf("only %d in stock", l.Stock)
	}
	cost, ok := components.MulInt64(l.Price, m.qty)
	switch {
	case !ok:
		return "price too large"
	case m.balance(m.player, l.Currency) < cost:
		return "not enough " + currency
	case m.room(m.player, l.Item) < m.qty:
		return "no room in your inventory"
	}
	return ""
}

// Shoppers returns every player entity (the player first), by id.
func (m *Model) Shoppers() []components.ID { return m.shoppers }

// Wallet returns the balances of a wallet, one per currency, in currency
// definition order.
func (m *Model) Wallet(id components.ID) []BalanceView {
	var out []BalanceView
	if !m.hasWallet(id) {
		return out
	}
	for _, c := range m.w.Currencies() {
		name, dec := m.currency(c)
		out = append(out, BalanceView{Currency: name, Decimals: dec, Amount: m.balance(id, c)})
	}
	return out
}

// Inventory returns the slots of a player's inventory and its capacity.
func (m *Model) Inventory(id components.ID) ([]SlotView, int) {
	inv := m.inventory(id)
	if inv == nil {
		return nil, 0
	}
	out := make([]SlotView, 0, len(inv.Slots))
	for _, s := range inv.Slots {
		out = append(out, SlotView{Item: s.Item, ItemName: m.Name(s.Item), ItemIdx: m.ItemIndex(s.Item), Qty: s.Qty})
	}
	return out, inv.Capacity
}

// listingItemName names the item a listing sells (or the listing).
func (m *Model) listingItemName(listing components.ID) string {
	if l, ok := m.listing(listing); ok {
		return m.Name(l.Item)
	}
	return m.Name(listing)
}

// Units is the number of item units a shopper holds, all types together.
func (m *Model) Units(id components.ID) int64 { return m.units(id) }
