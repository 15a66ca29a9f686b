// Package session drives a busy, seeded random economy session: content,
// then per tick a mix of purchases (some hostile), restocks and paydays.
// Tests, the replay tool's "record" command and benchmarks share it.
package session

import (
	"fmt"
	"math/rand/v2"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// Content returns a seeded random content: 2 currencies, 8 items, 3 shops
// with 4 listings each, and the given number of players.
func Content(seed uint64, players int) *ecs.Content {
	rng := rand.New(rand.NewPCG(seed, 0xc0de))
	c := &ecs.Content{Currencies: []ecs.CurrencySpec{
		{Key: "gold", Name: "Gold", Decimals: 2}, {Key: "gems", Name: "Gems"}}}
	for i := range 8 {
		c.Items = append(c.Items, ecs.ItemSpec{Key: fmt.Sprintf("item%d", i), Name: fmt.Sprintf("Item %d", i), MaxStack: 1 + rng.Int64N(20)})
	}
	for s := range 3 {
		shop := ecs.ShopSpec{Key: fmt.Sprintf("shop%d", s), Name: fmt.Sprintf("Shop %d", s)}
		for l := range 4 {
			shop.Listings = append(shop.Listings, ecs.ListingSpec{Key: fmt.Sprintf("shop%d-l%d", s, l),
				Item: fmt.Sprintf("item%d", rng.IntN(8)), Currency: c.Currencies[rng.IntN(2)].Key,
				Price: 1 + rng.Int64N(150), Stock: rng.Int64N(100)})
		}
		c.Shops = append(c.Shops, shop)
	}
	for p := range players {
		c.Players = append(c.Players, ecs.PlayerSpec{Key: fmt.Sprintf("p%d", p), Name: fmt.Sprintf("Player %d", p),
			Capacity: 4 + rng.Int64N(12), Wallet: []ecs.MoneySpec{{Currency: "gold", Amount: 1000 + rng.Int64N(5000)}, {Currency: "gems", Amount: 1 + rng.Int64N(50)}}})
	}
	return c
}

// Session is a world plus the seeded input generator.
type Session struct {
	World    *ecs.World
	rng      *rand.Rand
	players  []components.ID
	listings []components.ID
	items    []components.ID
	currs    []components.ID
	req      []uint64
}

// New builds the world (core systems) and queues the content for tick 0.
func New(seed uint64, content *ecs.Content) (*Session, error) {
	w := ecs.New()
	systems.Install(w)
	return Attach(w, seed, content)
}

// Attach queues content on an existing world (with whatever systems the
// caller installed) and returns a generator for it.
func Attach(w *ecs.World, seed uint64, content *ecs.Content) (*Session, error) {
	ids, err := content.Apply(w)
	if err != nil {
		return nil, err
	}
	s := &Session{World: w, rng: rand.New(rand.NewPCG(seed, 0x5e55))}
	for _, c := range content.Currencies {
		s.currs = append(s.currs, ids.MustID(c.Key))
	}
	for _, it := range content.Items {
		s.items = append(s.items, ids.MustID(it.Key))
	}
	for _, sh := range content.Shops {
		for _, l := range sh.Listings {
			s.listings = append(s.listings, ids.MustID(l.Key))
		}
	}
	for _, p := range content.Players {
		s.players = append(s.players, ids.MustID(p.Key))
	}
	s.req = make([]uint64, len(s.players))
	return s, nil
}

// Inputs queues one tick of inputs: n purchase intents (about one in
// twenty hostile: zero quantity, unknown listing, retried request id),
// restocks, item use and a payday every 50 ticks.
func (s *Session) Inputs(n int) {
	r, w := s.rng, s.World
	for _, l := range s.listings {
		if r.IntN(4) == 0 {
			e, st := w.Lookup(l)
			if st == ecs.Alive {
				w.Command(events.Grant(l, w.Maps.Listing.Get(e).Item, 1+r.Int64N(8)))
			}
		}
	}
	for range 4 {
		p := s.players[r.IntN(len(s.players))]
		if e, st := w.Lookup(p); st == ecs.Alive {
			if inv := w.Maps.Inventory.Get(e); len(inv.Slots) > 0 {
				w.Command(events.BurnItems(p, inv.Slots[0].Item, inv.Slots[0].Qty))
			}
		}
	}
	if w.NextTick()%50 == 49 {
		for _, p := range s.players {
			w.Command(events.Mint(p, s.currs[0], 500))
		}
	}
	for range n {
		i := r.IntN(len(s.players))
		s.req[i]++
		in := components.PurchaseIntent{Buyer: s.players[i], Listing: s.listings[r.IntN(len(s.listings))],
			Quantity: 1 + r.Int64N(3), RequestID: s.req[i]}
		switch r.IntN(20) {
		case 0:
			in.Quantity = 0
		case 1:
			in.Listing = s.items[0] // not a listing
		case 2:
			in.RequestID = max(1, in.RequestID-1) // a retry
		}
		w.Submit(in)
	}
}

// Step queues n intents and runs one tick.
func (s *Session) Step(n int) *ecs.TickRecord {
	s.Inputs(n)
	return s.World.Step()
}
