package systems_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// The PurchaseSystem folds touched hashes into the checksum between two
// buyers (ecs.World.FoldTouched; in big worlds only by default). Forced on
// at every buyer boundary, hostile ticks — every rejection reason, closed
// entities, retries, big ticks with the look-ahead — give the same events
// and checksums as a world that never folds, and audits find no drift: no
// purchase changes state after the point where the next buyer's fold runs.
func TestFoldingBetweenBuyersKeepsChecksums(t *testing.T) {
	a, b := newSim(t, 13), newSim(t, 13)
	a.w.SetChecksumFolding(0, 1)
	a.w.SetChecksumAudit(1)
	systems.AlwaysLookAhead(a.w.Systems()[0].(*systems.PurchaseSystem))
	a.w.Step()
	b.w.Step()
	for tick := range 200 {
		a.inputs(150 + 7*tick)
		ra := a.w.Step()
		rb := replicate(b.w, ra)
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
		require.Equal(t, ra.Stages, rb.Stages, "tick %d", ra.Tick)
	}
	drift, _ := a.w.ChecksumDrift()
	require.Zero(t, drift)
}

// The same with commerce installed: receipts (created in batches after the
// events naming them), the idempotency window, accounts, packages, carts,
// coupons, sagas and trades, on the slim and the general path.
func TestFoldingBetweenBuyersKeepsChecksumsWithCommerce(t *testing.T) {
	cfg := systems.Config{IdempotencyWindow: 10, SettlementEvery: 7, SagaTimeout: 5}
	a := &commerceSim{shop: newShop(t, cfg), rng: rand.New(rand.NewPCG(17, 4)),
		players: []string{"alice", "bob", "carol", "dave"}, created: map[events.Kind][]components.ID{}}
	a.c.Purchase.Receipts = true
	a.w.SetChecksumFolding(0, 1)
	a.w.SetChecksumAudit(1)
	b := newShop(t, cfg)
	b.c.Purchase.Receipts = true
	require.Equal(t, a.w.Checksum(), b.w.Checksum())
	completed := 0
	for range 300 {
		a.inputs()
		ra := a.step()
		rb := replicate(b.w, ra)
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
		require.Equal(t, ra.Stages, rb.Stages, "tick %d", ra.Tick)
		for _, ev := range ra.Events {
			if ev.Kind == events.PurchaseCompleted {
				completed++
			}
			if ev.Kind == events.SagaStarted {
				a.created[events.SagaStarted] = append(a.created[events.SagaStarted], ev.Subject)
			}
		}
	}
	require.Greater(t, completed, 100)
	drift, _ := a.w.ChecksumDrift()
	require.Zero(t, drift)
}
