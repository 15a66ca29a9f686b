package shop

import (
	"fmt"
	"math"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// Every read of the world's state goes through this file, so the model
// has one place that knows how the world stores it. Amounts (balances,
// holdings, supply) come from the world's typed reads; what those do not
// cover — names, a listing's terms, an inventory's slot layout and
// capacity, a currency's decimals — is presentation read from the
// components, never written.

// balance is the money of currency holder holds (0 for a closed or
// unknown holder: the screen shows nothing rather than an error).
func (m *Model) balance(holder, currency components.ID) int64 {
	n, err := m.w.Balance(holder, currency)
	if err != nil {
		return 0
	}
	return n
}

// holdings is everything holder holds, money first, each kind by id, in
// the model's reused buffer (valid until the next call).
func (m *Model) holdings(holder components.ID) []ecs.Holding {
	h, err := m.w.Holdings(holder, m.holdBuf[:0])
	m.holdBuf = h[:0]
	if err != nil {
		return nil
	}
	return h
}

// units is the number of item units holder holds, all types together.
func (m *Model) units(holder components.ID) int64 {
	var n int64
	for _, h := range m.holdings(holder) {
		if h.Kind == ecs.Items {
			n = components.SatAdd(n, h.Amount)
		}
	}
	return n
}

// moneySupply is all the money of currency there is (the conservation
// rule's count), saturated to int64 for the chart.
func (m *Model) moneySupply(currency components.ID) int64 {
	m.w.SupplyInto(&m.supply)
	t := m.supply.MoneyOf(currency)
	if v, ok := t.Int64(); ok {
		return v
	}
	if t.Sign() < 0 {
		return math.MinInt64
	}
	return math.MaxInt64
}

// listing is the listing with stable id id, if it is alive.
func (m *Model) listing(id components.ID) (components.ShopListing, bool) {
	if e, st := m.w.Lookup(id); st == ecs.Alive {
		if l := m.w.Maps.Listing.Get(e); l != nil {
			return *l, true
		}
	}
	return components.ShopListing{}, false
}

// inventory is holder's inventory, or nil. Callers only read it.
func (m *Model) inventory(holder components.ID) *components.Inventory {
	if e, st := m.w.Lookup(holder); st == ecs.Alive {
		return m.w.Maps.Inventory.Get(e)
	}
	return nil
}

// room is how many more units of item fit into holder's inventory.
func (m *Model) room(holder, item components.ID) int64 {
	inv := m.inventory(holder)
	if inv == nil {
		return 0
	}
	maxStack := int64(1)
	if e, st := m.w.Lookup(item); st == ecs.Alive {
		if d := m.w.Maps.Item.Get(e); d != nil {
			maxStack = d.MaxStack
		}
	}
	return inv.Room(item, maxStack)
}

// isListing reports whether id is a live listing.
func (m *Model) isListing(id components.ID) bool {
	_, ok := m.listing(id)
	return ok
}

// Name returns an entity's display name, or "#id" if it has none. In a
// joiner's window its own wallet is "You" and the content's player, which
// the content names "You" for the host's window, is "Host".
func (m *Model) Name(id components.ID) string {
	joined := m.build != nil
	if joined && id == m.player && id != 0 {
		return "You"
	}
	if e, st := m.w.Lookup(id); st == ecs.Alive {
		if n := m.w.Maps.Name.Get(e); n != nil && n.Text != "" {
			if joined && n.Text == hostPlayerName && m.w.Maps.Wallet.Has(e) {
				return "Host"
			}
			return n.Text
		}
	}
	return fmt.Sprintf("#%d", id)
}

// hostPlayerName is the name DefaultContent gives its player (PlayerKey):
// in a session the host plays it.
var hostPlayerName = func() string {
	c, err := ecs.ParseContent(DefaultContent)
	if err != nil {
		return ""
	}
	for _, p := range c.Players {
		if p.Key == PlayerKey {
			return p.Name
		}
	}
	return ""
}()

// currency returns a currency's name and decimals.
func (m *Model) currency(id components.ID) (string, uint8) {
	if e, st := m.w.Lookup(id); st == ecs.Alive {
		if c := m.w.Maps.Currency.Get(e); c != nil {
			return m.Name(id), c.Decimals
		}
	}
	return m.Name(id), 0
}

// refresh rebuilds the sorted entity lists from the world. Sorting by
// stable id gives content order, on every machine.
func (m *Model) refresh() {
	mp := &m.w.Maps
	collect := func(dst []components.ID, comps ...arche.ID) []components.ID {
		dst = dst[:0]
		q := m.w.ECS().Query(arche.All(comps...))
		for q.Next() {
			dst = append(dst, mp.Stable.Get(q.Entity()).ID)
		}
		slices.Sort(dst)
		return dst
	}
	m.listings = collect(m.listings, mp.Listing.ID(), mp.Stable.ID())
	m.shoppers = collect(m.shoppers, mp.Wallet.ID(), mp.Inventory.ID(), mp.Stable.ID())
	m.shops = collect(m.shops, mp.Shop.ID(), mp.Stable.ID())
	m.items = collect(m.items, mp.Item.ID(), mp.Stable.ID())
	for len(m.restock) < len(m.listings) {
		m.restock = append(m.restock, 1)
	}
	m.Select(m.sel)
}

// hasWallet reports whether holder has a wallet (a shopper or a shop).
func (m *Model) hasWallet(holder components.ID) bool {
	e, st := m.w.Lookup(holder)
	return st == ecs.Alive && m.w.Maps.Wallet.Has(e)
}
