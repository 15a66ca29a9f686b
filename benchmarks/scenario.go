// Package benchmarks measures what one tick costs: the PurchaseSystem at 1k
// to 1M intents per tick, an idle tick, the state checksum and a whole Step,
// next to the baseline designs (package baseline) fed the same random
// inputs; commerce worlds (Scenario.Commerce) against the flat-full design. Run
// it with benchmarks/run.sh, which prints a benchstat table and the ratios.
//
// This file builds the shared inputs: a Scenario describes an economy
// (players, shops, listings) and builds it as a tickecon world; Intents
// draws a reproducible random batch of purchase intents against it.
package benchmarks

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// Scenario describes a synthetic economy: one currency, ItemTypes item
// types, Shops shops with ListingsPerShop listings each, and Players
// players. After Build it also holds the stable ids the world allocated,
// so that baselines can mirror the same economy.
type Scenario struct {
	Players         int
	Shops           int
	ListingsPerShop int
	ItemTypes       int
	Capacity        int   // inventory slots per player
	MaxStack        int64 // units per slot, the same for every item type
	Funds           int64 // starting gold of every player
	Stock           int64 // starting stock of every listing
	MaxPrice        int64 // listing prices are 1..MaxPrice, by listing index
	// RichTill funds shop 0's till with MaxInt64 gold, so that its sales
	// are rejected as TillOverflow (hostile scenarios only).
	RichTill bool
	// PriceyListing prices listing 0 at 2^62, so that buying two or more
	// overflows (hostile scenarios only).
	PriceyListing bool
	// ForeignTills makes every listing of shop s pay into the till of shop
	// s+1 (mod Shops) instead of its own, so that a design which credits
	// the shop rather than the listing's till is caught.
	ForeignTills bool
	// Commerce builds the world with systems.InstallCommerce
	// (DefaultConfig: receipts, a 60-tick idempotency window) instead of
	// systems.Install.
	Commerce bool

	// Filled by Build.
	Gold     components.ID
	Items    []components.ID
	ShopIDs  []components.ID
	Listings []Listing
	// FirstPlayer is the id of player 0; player i has id FirstPlayer+i.
	FirstPlayer components.ID
	// NextID is the world's next stable id after Build: every id below it
	// was allocated (ids at or above it are unknown).
	NextID components.ID
}

// Listing is one listing of a built scenario.
type Listing struct {
	ID, Shop, Item, Till components.ID
	Price, Stock         int64
}

// Busy returns a scenario where almost every intent completes, tick after
// tick: funds and stock are effectively unlimited and every item type fits
// in its own never-full slot, so the workload stays the same however many
// ticks a benchmark runs.
func Busy(players int) *Scenario {
	return &Scenario{
		Players:         players,
		Shops:           64,
		ListingsPerShop: 16,
		ItemTypes:       16,
		Capacity:        16,
		MaxStack:        1 << 40,
		Funds:           1 << 50,
		Stock:           1 << 50,
		MaxPrice:        100,
	}
}

// Hostile returns a small scenario where every rejection reason that a
// world without closed entities can produce is common: little money, little
// stock, tiny inventories, an overflowing till and an overflowing price.
func Hostile(players int) *Scenario {
	return &Scenario{
		Players:         players,
		Shops:           4,
		ListingsPerShop: 4,
		ItemTypes:       5,
		Capacity:        3,
		MaxStack:        4,
		Funds:           300,
		Stock:           30,
		MaxPrice:        9,
		RichTill:        true,
		PriceyListing:   true,
	}
}

// Build creates the scenario's economy in a new world with the default
// systems installed (the commerce systems if sc.Commerce), runs tick 0 (the authoring commands) and records the
// allocated ids in sc. It fails if any authoring command is rejected.
func (sc *Scenario) Build() (*ecs.World, *systems.PurchaseSystem, error) {
	w := ecs.New()
	var ps *systems.PurchaseSystem
	if sc.Commerce {
		ps = systems.InstallCommerce(w, systems.DefaultConfig).Purchase
	} else {
		ps = systems.Install(w)
	}
	sc.Gold = w.Command(events.DefineCurrency("Gold", 2)).ID
	sc.Items = make([]components.ID, sc.ItemTypes)
	for i := range sc.Items {
		sc.Items[i] = w.Command(events.DefineItem("item", sc.MaxStack)).ID
	}
	sc.ShopIDs = make([]components.ID, sc.Shops)
	sc.Listings = sc.Listings[:0]
	for s := range sc.ShopIDs {
		shop := w.Command(events.OpenShop("shop")).ID
		sc.ShopIDs[s] = shop
		if s == 0 && sc.RichTill {
			w.Command(events.Mint(shop, sc.Gold, math.MaxInt64))
		}
	}
	for s, shop := range sc.ShopIDs {
		till := shop
		if sc.ForeignTills {
			till = sc.ShopIDs[(s+1)%len(sc.ShopIDs)]
		}
		for range sc.ListingsPerShop {
			n := len(sc.Listings)
			l := Listing{Shop: shop, Till: till, Item: sc.Items[n%sc.ItemTypes], Price: 1 + int64(n)%sc.MaxPrice, Stock: sc.Stock}
			if n == 0 && sc.PriceyListing {
				l.Price = 1 << 62
			}
			l.ID = w.Command(events.ListingPostedEvent{Shop: shop, Till: till, Item: l.Item, Currency: sc.Gold, Price: l.Price, Stock: l.Stock}.Event()).ID
			sc.Listings = append(sc.Listings, l)
		}
	}
	for p := range sc.Players {
		id := w.Command(events.OpenPlayer("", int64(sc.Capacity))).ID
		if p == 0 {
			sc.FirstPlayer = id
		}
		w.Command(events.Mint(id, sc.Gold, sc.Funds))
	}
	sc.NextID = w.NextID()
	for _, ev := range w.Step().Events {
		if ev.Kind == events.CommandRejected {
			return nil, nil, fmt.Errorf("benchmarks: authoring command rejected: %v", ev)
		}
	}
	return w, ps, nil
}

// Player returns the id of player i.
func (sc *Scenario) Player(i int) components.ID { return sc.FirstPlayer + components.ID(i) }

// Intents draws n purchase intents from seed: a uniformly random player
// buys 1..3 units of a uniformly random listing, with a request id unique
// per intent. About 1% are invalid on purpose (half a zero quantity, half
// an unknown listing) so the rejection path is part of every tick.
func (sc *Scenario) Intents(n int, seed uint64) []components.PurchaseIntent {
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	out := make([]components.PurchaseIntent, n)
	for i := range out {
		in := components.PurchaseIntent{
			Buyer:     sc.Player(rng.IntN(sc.Players)),
			Listing:   sc.Listings[rng.IntN(len(sc.Listings))].ID,
			Quantity:  1 + rng.Int64N(3),
			RequestID: uint64(i) + 1,
		}
		switch rng.IntN(200) {
		case 0:
			in.Quantity = 0
		case 1:
			in.Listing = sc.NextID + components.ID(rng.IntN(1000))
		}
		out[i] = in
	}
	return out
}

// HostileIntents draws n intents that hit every rejection reason: ids
// anywhere in (and just past) the allocated range, quantities from -1 to 5
// and request ids that often repeat for the same buyer.
func (sc *Scenario) HostileIntents(n int, seed uint64) []components.PurchaseIntent {
	rng := rand.New(rand.NewPCG(seed, uint64(n)^0xbad))
	out := make([]components.PurchaseIntent, n)
	pick := func() components.ID {
		if rng.IntN(4) == 0 {
			return components.ID(rng.Uint64N(uint64(sc.NextID) + 3))
		}
		return sc.Player(rng.IntN(sc.Players))
	}
	for i := range out {
		l := sc.Listings[rng.IntN(len(sc.Listings))].ID
		if rng.IntN(8) == 0 {
			l = pick()
		}
		out[i] = components.PurchaseIntent{Buyer: pick(), Listing: l,
			Quantity: rng.Int64N(7) - 1, RequestID: rng.Uint64N(8)}
	}
	return out
}
