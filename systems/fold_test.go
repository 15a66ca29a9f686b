package systems_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/systems"
)

// The PurchaseSystem folds touched hashes into the checksum between two
// buyers when folding is on (core.State.FoldTouched; off by default). Forced on
// at every buyer boundary, hostile ticks — every rejection reason, closed
// entities, retries, big ticks with the look-ahead — give the same events
// and checksums as a world that never folds, and audits find no drift: no
// purchase changes state after the point where the next buyer's fold runs.
func TestFoldingBetweenBuyersKeepsChecksums(t *testing.T) {
	a, b := newSim(t, 13), newSim(t, 13)
	core.Of(a.w).SetFolding(0, 1)
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
	a, b := commercePair(t, 17)
	core.Of(a.w).SetFolding(0, 1)
	a.w.SetChecksumAudit(1)
	require.Greater(t, playCommercePair(t, a, b, 300, true), 100)
	drift, _ := a.w.ChecksumDrift()
	require.Zero(t, drift)
}
