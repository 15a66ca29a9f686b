package systems_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay/synctest"
	"github.com/tickecon/tickecon/systems"
)

// Every tick of a busy random commerce session — carts, coupons, accounts
// and packages, trades, sagas with their outcomes and timeouts, settlement
// every 7 ticks, a 10-tick idempotency window — runs twice: forward, then
// restored from a snapshot taken before it and re-run with every stage
// audited. Both runs agree on every stage checksum and every event: the
// systems are deterministic, everything they keep is in snapshots, and no
// write escapes the incremental checksum.
func TestCommerceSessionSyncTest(t *testing.T) {
	cfg := systems.Config{IdempotencyWindow: 10, SettlementEvery: 7, SagaTimeout: 5}
	ticks := 400
	if testing.Short() {
		ticks = 150
	}
	seen := map[events.Kind]int{}
	for _, seed := range []uint64{3, 11} {
		a := &commerceSim{shop: newShop(t, cfg), rng: rand.New(rand.NewPCG(seed, 4)),
			players: []string{"alice", "bob", "carol", "dave"}, created: map[events.Kind][]components.ID{}}
		a.w.SetSyncTest(func() *ecs.World {
			w := ecs.New()
			systems.InstallCommerce(w, cfg)
			return w
		})
		for range ticks {
			a.inputs()
			rec := a.step()
			synctest.Require(t, a.w)
			for _, ev := range rec.Events {
				seen[ev.Kind]++
				if ev.Kind == events.SagaStarted {
					a.created[events.SagaStarted] = append(a.created[events.SagaStarted], ev.Subject)
				}
			}
		}
		require.Equal(t, uint64(ticks), a.w.SyncTicks(), "every tick ran twice")
	}
	for _, k := range []events.Kind{events.PurchaseCompleted, events.PurchaseDuplicate, events.CartCheckedOut,
		events.AccountCharged, events.AccountSettled, events.CouponRedeemed, events.TradeCompleted,
		events.SagaCompleted, events.SagaCompensated} {
		require.Positive(t, seen[k], "no %v in the sessions", k)
	}
}
