package systems_test

import (
	"fmt"
	"testing"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// benchWorld has players rich enough and bags big enough to buy forever.
func benchWorld(b *testing.B, commerce bool, players int) (*ecs.World, []components.ID, components.ID) {
	w := ecs.New()
	if commerce {
		systems.InstallCommerce(w, systems.DefaultConfig)
	} else {
		systems.Install(w)
	}
	gold := w.Command(events.DefineCurrency("Gold", 0))
	item := w.Command(events.DefineItem("Pebble", 1<<40))
	shop := w.Command(events.OpenShop("Shop"))
	listing := w.Command(events.PostListing(shop, item, gold, 1, 1<<50))
	ps := make([]components.ID, players)
	for i := range ps {
		ps[i] = w.Command(events.OpenWallet("", 1))
		w.Command(events.Mint(ps[i], gold, 1<<40))
	}
	for _, ev := range w.Step().Events {
		if ev.Kind == events.CommandRejected {
			b.Fatalf("setup command rejected: %v", ev)
		}
	}
	return w, ps, listing
}

// BenchmarkCommerceStep compares a whole tick of plain purchases (Install)
// with the same purchases under InstallCommerce (ports, receipts, a 60-tick
// idempotency window, the saga and settlement systems, the commerce
// checksum), each with and without the per-stage checksums
// (TickRecord.Stages). Run: go test ./systems -run '^$' -bench CommerceStep -benchmem
func BenchmarkCommerceStep(b *testing.B) {
	for _, commerce := range []bool{false, true} {
		for _, stages := range []bool{false, true} {
			b.Run(fmt.Sprintf("commerce=%v/stages=%v", commerce, stages), func(b *testing.B) {
				const players = 1000
				w, ps, listing := benchWorld(b, commerce, players)
				w.SetStageChecksums(stages)
				req, done := uint64(0), 0
				tick := func() {
					req++
					for _, p := range ps {
						w.Submit(components.PurchaseIntent{Buyer: p, Listing: listing, Quantity: 1, RequestID: req})
					}
					done = 0
					for _, ev := range w.Step().Events {
						switch ev.Kind {
						case events.ReceiptIssued: // the client reads and closes its receipts
							w.Command(events.Close(ev.Subject))
						case events.PurchaseCompleted:
							done++
						}
					}
				}
				for range 100 { // warm: the idempotency ring is full
					tick()
				}
				b.ReportAllocs()
				for b.Loop() {
					tick()
				}
				if done != players {
					b.Fatalf("%d of %d purchases completed", done, players)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/players, "ns/purchase")
			})
		}
	}
}
