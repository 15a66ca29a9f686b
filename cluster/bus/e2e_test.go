package bus

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// TestEndToEnd: a busy session of 3000 ticks with a saga purchase every 5
// ticks; the relay follows the live log, a projection consumer sees every
// event exactly once, the tasker and two workers run every saga's payment
// and delivery, and the outcomes come back through the inbox into the log,
// which then replays bit for bit.
func TestEndToEnd(t *testing.T) {
	cfg := systems.DefaultConfig
	cfg.SagaTimeout = 1 << 30 // no timeouts: every saga must complete through the workers
	r := newRig(t, cfg)
	r.startRelay()
	r.startTasker()
	tasks := map[components.ID]Task{}
	pay := r.startWorker(WorkerConfig{Type: TaskPayment}, func(ctx context.Context, t Task) (Outcome, error) {
		r.mu.Lock()
		tasks[t.Record] = t
		r.mu.Unlock()
		return provider(1_000_000)(ctx, t)
	})
	del := r.startWorker(WorkerConfig{Type: TaskDelivery}, provider(2_000_000))
	r.startInbox(InboxConfig{})

	// The projection runs alongside the game.
	proj := NewPurchaseHistory()
	c, err := NewConsumer(r.ctx, r.nc, ConsumerConfig{World: world, Durable: "history"})
	require.NoError(t, err)
	seen := map[EventID]int{}
	r.goRun(func(ctx context.Context) error {
		return c.Run(ctx, func(ctx context.Context, b *Batch) error {
			r.mu.Lock()
			for i := range b.Events {
				seen[b.ID(i)]++
			}
			r.mu.Unlock()
			return proj.Handle(ctx, b)
		})
	})

	const ticks = 3000
	for range ticks {
		r.tick(20, 5, 200*time.Microsecond)
	}
	r.idleUntil(func() bool { return r.finished == r.started }, 30*time.Second, time.Millisecond)
	last := r.finish()
	require.GreaterOrEqual(t, last, uint64(ticks-1))

	want := logEvents(t, r.g.path)
	require.Eventually(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(seen) >= len(want)
	}, 30*time.Second, 10*time.Millisecond)
	r.stop()
	require.Len(t, seen, len(want), "every event reached the projection")
	for id, n := range seen {
		require.Equal(t, 1, n, "event %v handled %d times", id, n)
	}
	require.Greater(t, len(want), 50_000, "a busy session")

	// The projection equals the one computed from the log directly.
	direct := NewPurchaseHistory()
	for id, ev := range want {
		direct.apply(id, ev)
	}
	require.Equal(t, direct.byPlayer, proj.byPlayer)

	// Every saga: one payment, one delivery, completed; outcomes came from the workers.
	sagas := sagaLog(t, r.g.path)
	require.Len(t, sagas, r.started)
	require.Greater(t, r.started, 500)
	completed := 0
	for rec, k := range sagas {
		require.Equal(t, 1, k[events.SagaStarted], "record %d", rec)
		require.Equal(t, 1, k[events.PaymentConfirmed], "record %d", rec)
		require.Equal(t, 1, k[events.DeliveryAccepted], "record %d", rec)
		require.Equal(t, 1, k[events.SagaCompleted]+k[events.SagaCompensated], "record %d", rec)
		completed += k[events.SagaCompleted]
	}
	// A saga whose buyer's inventory filled up meanwhile is compensated
	// (InventoryFull) even though both outcomes arrived; never by timeout.
	// How many fill up depends on when the workers' outcomes land (under
	// -race once 57 of 561, where this test asked for fewer than a tenth),
	// so the reason is checked, not a share.
	for _, ev := range want {
		if ev.Kind == events.SagaCompensated {
			require.Equal(t, events.ReasonInventoryFull, ev.Reason, "%v", ev)
		}
	}
	require.Positive(t, completed)
	require.EqualValues(t, r.started, pay.Stats().Done)
	// Each payment task asked for the saga's buyer, goods and price.
	for id, ev := range want {
		v, ok := ev.AsSagaStarted()
		if !ok {
			continue
		}
		task := tasks[v.Record]
		require.Equal(t, Task{ID: task.ID, Type: TaskPayment, World: world, Record: v.Record, Buyer: v.Buyer,
			Listing: v.Listing, Item: v.Item, Qty: v.Qty, Currency: v.Currency, Amount: v.Price,
			Request: v.Request, Tick: id.Tick}, task)
	}
	require.EqualValues(t, r.started, del.Stats().Done)
	require.EqualValues(t, 2*r.started, r.inbox.Stats().Submitted)
	r.verifyReplay()
}
