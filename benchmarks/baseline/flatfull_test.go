package baseline_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/benchmarks/baseline"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// purchaseEvents returns the events the PurchaseSystem emitted in rec (a
// commerce tick also holds the closing commands' events).
func purchaseEvents(rec *ecs.TickRecord) []events.Event {
	var out []events.Event
	for _, ev := range rec.Events {
		switch ev.Kind {
		case events.PurchaseCompleted, events.PurchaseRejected, events.PurchaseDuplicate, events.ReceiptIssued:
			out = append(out, ev)
		}
	}
	return out
}

// flatFullAgrees plays ticks of intents into tickecon and the flat-full
// design and requires the same purchase events, in the same order, and
// the same state. With commerce, the client closes every other receipt a
// tick later in both, so receipts open and closed are both named by later
// hostile intents. It returns the count of each outcome.
func flatFullAgrees(t *testing.T, sc *benchmarks.Scenario, ticks int, intents func(tick int) []components.PurchaseIntent) map[events.Reason]int {
	t.Helper()
	w := build(t, sc)
	var f *baseline.FlatFull
	if sc.Commerce {
		f = baseline.NewFlatFullCommerce(sc, systems.DefaultConfig.IdempotencyWindow)
	} else {
		f = baseline.NewFlatFull(sc)
	}
	outcomes := map[events.Reason]int{}
	var toClose []components.ID
	for tick := range ticks {
		for _, id := range toClose {
			w.Command(events.Close(id))
			require.True(t, f.Close(id), "receipt %d", id)
		}
		toClose = toClose[:0]
		in := intents(tick)
		for _, it := range in {
			w.Submit(it)
		}
		rec := w.Step()
		want := purchaseEvents(rec)
		got := f.Tick(in, rec.Tick)
		require.Equal(t, want, got, "tick %d", tick)
		for _, ev := range got {
			switch ev.Kind {
			case events.PurchaseCompleted:
				outcomes[events.ReasonNone]++
				require.True(t, f.Dirty(ev.Subject) && f.Dirty(ev.Object) && f.Dirty(ev.Till))
			case events.PurchaseDuplicate:
				outcomes[events.ReasonDuplicateRequest]++
			case events.ReceiptIssued:
				if ev.Subject%2 == 0 {
					toClose = append(toClose, ev.Subject)
				}
			default:
				outcomes[ev.Reason]++
			}
		}
		requireSameFullState(t, sc, w, f)
	}
	return outcomes
}

// requireSameFullState compares every player's gold and slots, every
// till's gold and every listing's stock.
func requireSameFullState(t *testing.T, sc *benchmarks.Scenario, w *ecs.World, f *baseline.FlatFull) {
	t.Helper()
	m := &w.Maps
	for i := range sc.Players {
		id := sc.Player(i)
		e, _ := w.Lookup(id)
		require.Equal(t, m.Wallet.Get(e).Balance(sc.Gold), f.Balance(id), "player %d gold", id)
		slots := m.Inventory.Get(e).Slots
		if len(slots) == 0 {
			slots = nil
		}
		got := f.Slots(id)
		if len(got) == 0 {
			got = nil
		}
		require.Equal(t, slots, got, "player %d slots", id)
	}
	for _, shop := range sc.ShopIDs {
		e, _ := w.Lookup(shop)
		require.Equal(t, m.Wallet.Get(e).Balance(sc.Gold), f.Balance(shop), "till %d", shop)
	}
	for _, l := range sc.Listings {
		e, _ := w.Lookup(l.ID)
		require.Equal(t, m.Listing.Get(e).Stock, f.Stock(l.ID), "listing %d stock", l.ID)
	}
}

// The flat-full design is only a fair floor if it implements tickecon's
// rules: on hostile inputs that hit every reachable rejection reason (and,
// with commerce, retries answered from the idempotency window and intents
// naming receipts, open and closed) it emits exactly tickecon's events.
func TestFlatFullEmitsTickeconsEventsOnHostileInputs(t *testing.T) {
	for _, commerce := range []bool{false, true} {
		for _, foreign := range []bool{false, true} {
			name := map[bool]string{false: "plain", true: "commerce"}[commerce] +
				map[bool]string{false: "/own tills", true: "/foreign tills"}[foreign]
			t.Run(name, func(t *testing.T) {
				sc := benchmarks.Hostile(40)
				sc.Commerce, sc.ForeignTills = commerce, foreign
				var withPre []components.PurchaseIntent
				outcomes := flatFullAgrees(t, sc, 80, func(tick int) []components.PurchaseIntent {
					in := sc.HostileIntents(150, uint64(tick))
					// Preconditions on some: a right and a wrong listing
					// version, a max total below and above the price.
					withPre = append(withPre[:0], in...)
					for i := range withPre {
						switch i % 11 {
						case 3:
							withPre[i].ListingVersion = uint64(i%2) + 1
						case 7:
							withPre[i].MaxTotal = int64(i % 13)
						}
					}
					return withPre
				})
				for _, r := range events.Reasons() {
					switch r {
					case events.ReasonListingGone, events.ReasonTillGone:
						continue // no listing or till is closed
					case events.ReasonBuyerGone:
						if !commerce {
							continue // only receipts close
						}
					}
					if r > events.ReasonInventoryFull {
						break // command reasons
					}
					assert.Positive(t, outcomes[r], "reason %s never happened", r)
				}
				assert.Positive(t, outcomes[events.ReasonPriceChanged])
				assert.Greater(t, outcomes[events.ReasonNone], 100)
			})
		}
	}
}

// On the benchmark's own busy inputs both designs agree too, plain and
// commerce (fresh request ids every tick, as BenchmarkInterleaved gives).
func TestFlatFullEmitsTickeconsEventsOnBusyInputs(t *testing.T) {
	for _, commerce := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "commerce"}[commerce], func(t *testing.T) {
			sc := benchmarks.Busy(2000)
			sc.ForeignTills, sc.Commerce = true, commerce
			outcomes := flatFullAgrees(t, sc, 4, func(tick int) []components.PurchaseIntent {
				in := sc.Intents(5000, uint64(tick))
				for i := range in {
					in[i].RequestID += uint64(tick) * 5000
				}
				return in
			})
			assert.InDelta(t, 0.99, float64(outcomes[events.ReasonNone])/20000, 0.01)
		})
	}
}
