package ecs_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/systems"
)

// A kind mask selects the ticks that emitted one of its kinds; EveryTick
// selects idle ticks too; the zero mask selects none.
func TestSubscribeFiltersByKind(t *testing.T) {
	w, ids := loadShop(t)
	var mints, every, none []uint64
	w.Subscribe(ecs.Kinds(events.Minted, events.Burned), func(r *ecs.TickRecord) error {
		mints = append(mints, r.Tick)
		return nil
	})
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { every = append(every, r.Tick); return nil })
	w.Subscribe(ecs.KindMask{}, func(r *ecs.TickRecord) error { none = append(none, r.Tick); return nil })
	w.Step() // 0: content (mints included)
	w.Step() // 1: idle
	w.Command(events.Event{Kind: events.ItemsGranted, Subject: ids.MustID("alice"), Item: ids.MustID("potion"), Qty: 1})
	w.Step() // 2: a grant only
	w.Command(events.Event{Kind: events.Burned, Subject: ids.MustID("alice"), Currency: ids.MustID("gold"), Amount: 1})
	w.Step() // 3: a burn
	assert.Equal(t, []uint64{0, 3}, mints)
	assert.Equal(t, []uint64{0, 1, 2, 3}, every)
	assert.Empty(t, none)
	assert.True(t, ecs.Kinds(events.Burned).Has(events.Burned))
	assert.False(t, ecs.Kinds(events.Burned).Has(events.Minted))
	assert.True(t, ecs.EveryTick.Has(events.Minted))
}

// Cancel stops a subscription from the next call on, is idempotent, and
// works from inside a subscriber; the others keep their order.
func TestSubscribeCancel(t *testing.T) {
	w, _ := loadShop(t)
	var seen []string
	var cancelB func()
	cancelA := w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error {
		seen = append(seen, "a")
		cancelB() // b is not called in this very tick any more
		return nil
	})
	cancelB = w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error { seen = append(seen, "b"); return nil })
	w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error { seen = append(seen, "c"); return nil })
	w.Step()
	cancelA()
	cancelA()
	w.Step()
	assert.Equal(t, []string{"a", "c", "c"}, seen)
}

// A subscriber's error is kept for Err (typed, with the tick and the
// subscription) and cancels that subscriber only.
func TestSubscriberErrorsAreReportedAndStopTheSubscriber(t *testing.T) {
	w, _ := loadShop(t)
	broken := errors.New("disk full")
	calls, others := 0, 0
	w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error { others++; return nil })
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		calls++
		if r.Tick == 1 {
			return broken
		}
		return nil
	})
	w.Step()
	require.NoError(t, w.Err())
	w.Step()
	err := w.Err()
	require.ErrorIs(t, err, broken)
	var se *ecs.SubscriberError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, uint64(1), se.Tick)
	assert.Equal(t, 1, se.Sub)
	w.Step()
	assert.Equal(t, 2, calls, "not called after its error")
	assert.Equal(t, 3, others)
	require.ErrorIs(t, w.Err(), broken, "the error stays")
}

// Notifying subscribers allocates nothing per tick.
func TestSubscribeAllocatesNothingPerTick(t *testing.T) {
	w, _ := loadShop(t)
	w.Subscribe(ecs.Kinds(events.Minted), func(*ecs.TickRecord) error { return nil })
	w.Subscribe(ecs.EveryTick, func(*ecs.TickRecord) error { return nil })
	w.Step()
	w.Step()
	require.Zero(t, allocs.Total(1000, func() { w.Step() }), "allocations over 1000 ticks")
}

// Subscribing to one kind of event, then cancelling.
func ExampleWorld_Subscribe() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	ids, _ := content.Apply(w)
	cancel := w.Subscribe(ecs.Kinds(events.PurchaseCompleted), func(r *ecs.TickRecord) error {
		for _, ev := range r.Events {
			if p, ok := ev.AsPurchaseCompleted(); ok {
				buyer, _ := w.Lookup(p.Buyer)
				fmt.Printf("tick %d: %s bought %d for %d\n", r.Tick, w.Maps.Name.Get(buyer).Text, p.Qty, p.Total)
			}
		}
		return nil
	})
	w.Step() // tick 0: content, no purchase: not called
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 1})
	w.Step()
	cancel()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 2})
	w.Step() // cancelled: not called
	fmt.Println("subscriber errors:", w.Err())
	// Output:
	// tick 1: Alice bought 2 for 500
	// subscriber errors: <nil>
}
