package shop

import (
	"math/rand/v2"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Bot behaviour. It is part of what a seed reproduces.
const (
	botBuyPercent = 30 // chance per tick that a bot tries to buy
	botMaxQty     = 3  // a bot buys 1..botMaxQty units
	// botStubbornPercent: chance that a bot asks for more than it can
	// afford, so that InsufficientFunds rejections show up too.
	botStubbornPercent = 15
	botUsePercent      = 5 // chance per tick that a bot uses (burns) an item
)

// bot is a simulated shopper with its own random stream.
type bot struct {
	id      components.ID
	name    string
	rng     *rand.Rand
	nextReq uint64
}

// newBots makes a bot of every content player except the human one.
func newBots(c *ecs.Content, ids ecs.IDs, seed uint64) []*bot {
	var out []*bot
	for i, p := range c.Players {
		if p.Key == PlayerKey {
			continue
		}
		// One PCG stream per bot: a bot's choices depend only on the seed
		// and its own position in the content, never on global state.
		out = append(out, &bot{id: ids.MustID(p.Key), name: p.Name, nextReq: 1,
			rng: rand.New(rand.NewPCG(seed, uint64(i)))})
	}
	return out
}

// botsAct lets every bot decide, from its own random stream and the state
// it can read, whether to buy or use an item.
func (m *Model) botsAct() {
	for _, b := range m.bots {
		if len(m.listings) > 0 && b.rng.IntN(100) < botBuyPercent {
			i := b.rng.IntN(len(m.listings))
			q := 1 + b.rng.Int64N(botMaxQty)
			stubborn := b.rng.IntN(100) < botStubbornPercent
			// A bot reads its wallet like a player reads the screen: it
			// buys what it can afford, and only sometimes tries anyway.
			if n := m.affordable(b.id, i); n < q && !stubborn {
				q = n
			}
			if q > 0 {
				m.w.Submit(components.PurchaseIntent{Buyer: b.id, Listing: m.listings[i], Quantity: q, RequestID: b.nextReq})
				b.nextReq++
			}
		}
		if b.rng.IntN(100) < botUsePercent {
			if items := m.itemHoldings(b.id); len(items) > 0 {
				h := items[b.rng.IntN(len(items))]
				m.w.Command(events.BurnItems(b.id, h.What, 1))
			}
		}
	}
}

// affordable returns how many units of listing i the shopper's balance
// pays for (capped at botMaxQty), reading the state before the tick.
func (m *Model) affordable(id components.ID, i int) int64 {
	l, ok := m.listing(m.listings[i])
	if !ok {
		return 0
	}
	if l.Price == 0 {
		return botMaxQty
	}
	return min(m.balance(id, l.Currency)/l.Price, botMaxQty)
}

// itemHoldings are the item types holder holds (by id), from the reused
// holdings buffer.
func (m *Model) itemHoldings(holder components.ID) []ecs.Holding {
	h := m.holdings(holder)
	for i, x := range h {
		if x.Kind == ecs.Items {
			return h[i:] // money comes first
		}
	}
	return nil
}
