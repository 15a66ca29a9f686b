package bus

import (
	"context"
	"slices"
	"sync"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Purchase is one line of a player's purchase history.
type Purchase struct {
	ID      EventID
	Listing components.ID // the listing (0 for a saga: see Record)
	Record  components.ID // the purchase record, for a saga purchase
	Item    components.ID
	Qty     int64
	Amount  int64
	Request uint64
}

// PurchaseHistory is an example projection kept from the event stream:
// every completed purchase per player (seed 000's "purchase record").
// It is idempotent per EventID, so it may be fed at-least-once.
type PurchaseHistory struct {
	mu       sync.Mutex
	byPlayer map[components.ID][]Purchase
	seen     map[EventID]struct{}
}

// NewPurchaseHistory returns an empty projection.
func NewPurchaseHistory() *PurchaseHistory {
	return &PurchaseHistory{byPlayer: map[components.ID][]Purchase{}, seen: map[EventID]struct{}{}}
}

// Kinds are the event kinds the projection needs (a consumer filter).
func (p *PurchaseHistory) Kinds() []events.Kind {
	return []events.Kind{events.PurchaseCompleted, events.SagaCompleted}
}

// Handle is a consumer Handler.
func (p *PurchaseHistory) Handle(_ context.Context, b *Batch) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range b.Events {
		p.apply(b.ID(i), b.Events[i])
	}
	return nil
}

func (p *PurchaseHistory) apply(id EventID, ev events.Event) {
	var pu Purchase
	var player components.ID
	if v, ok := ev.AsPurchaseCompleted(); ok {
		player = v.Buyer
		pu = Purchase{ID: id, Listing: v.Listing, Item: v.Item, Qty: v.Qty, Amount: v.Total, Request: v.Request}
	} else if v, ok := ev.AsSagaCompleted(); ok {
		player = v.Buyer
		pu = Purchase{ID: id, Record: v.Record, Item: v.Item, Qty: v.Qty, Amount: v.Paid, Request: v.Request}
	} else {
		return
	}
	if _, dup := p.seen[id]; dup {
		return
	}
	p.seen[id] = struct{}{}
	h := p.byPlayer[player]
	// Keep each history in session order whatever order events came in.
	i, _ := slices.BinarySearchFunc(h, id, func(a Purchase, id EventID) int {
		switch {
		case a.ID.Less(id):
			return -1
		case id.Less(a.ID):
			return 1
		}
		return 0
	})
	p.byPlayer[player] = slices.Insert(h, i, pu)
}

// History returns a copy of player's purchases, in session order.
func (p *PurchaseHistory) History(player components.ID) []Purchase {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.byPlayer[player])
}

// Players returns the players with at least one purchase, in id order.
func (p *PurchaseHistory) Players() []components.ID {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]components.ID, 0, len(p.byPlayer))
	for id := range p.byPlayer {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
