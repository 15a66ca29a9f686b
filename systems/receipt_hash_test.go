package systems_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// A slim purchase's receipt is created with its whole hash, and its
// ReceiptIssued touches nothing (the buyer keeps its term-by-term
// adjustment). The running checksum must stay what a rehash of every
// entity from scratch gives, tick after tick, while receipts are issued
// and closed — and also when another EntityHasher adds terms to every
// entity, which the PurchaseSystem cannot know: then receipts are hashed
// the generic way. Both worlds get the same inputs; the extra hasher is
// the only difference in their checksums.
func TestReceiptsCreatedWithTheirHashKeepTheChecksumExact(t *testing.T) {
	type world struct {
		w      *ecs.World
		buyers []components.ID
		shop   components.ID
	}
	mk := func(extra bool) *world {
		w := ecs.New()
		systems.InstallCommerce(w, systems.DefaultConfig)
		if extra {
			w.AddEntityHasher(func(_ *ecs.World, id components.ID, _ arche.Entity) uint64 {
				return ecs.FieldHash(id, 0x7e57, 1, 2, 3)
			})
		}
		w.SetChecksumAudit(1) // every stage checked against a rehash from scratch
		gold := w.Command(events.DefineCurrency("gold", 0)).ID
		item := w.Command(events.DefineItem("pebble", 100)).ID
		shop := w.Command(events.OpenShop("shop")).ID
		wd := &world{w: w, shop: w.Command(events.PostListing(shop, item, gold, 5, 1000)).ID}
		for range 5 {
			b := w.Command(events.OpenPlayer("b", 4)).ID
			w.Command(events.Mint(b, gold, 1000))
			wd.buyers = append(wd.buyers, b)
		}
		w.Step()
		return wd
	}
	for _, extra := range []bool{false, true} {
		wd := mk(extra)
		w := wd.w
		var open []components.ID
		for tick := range 12 {
			for i, b := range wd.buyers {
				// One to three intents per buyer: runs short and long
				// (adjustRun), and a retry answered from the window.
				for k := range 1 + (i+tick)%3 {
					w.Submit(components.PurchaseIntent{Buyer: b, Listing: wd.shop, Quantity: 1,
						RequestID: uint64(tick*10 + k%2)})
				}
			}
			for _, id := range open { // the client closes last tick's receipts
				w.Command(events.Close(id))
			}
			open = open[:0]
			rec := w.Step()
			issued := 0
			for _, ev := range rec.Events {
				require.NotEqual(t, events.CommandRejected, ev.Kind, "tick %d: %v", tick, ev)
				if ev.Kind == events.ReceiptIssued {
					issued++
					if ev.Subject%3 != 0 { // some stay open
						open = append(open, ev.Subject)
					}
				}
			}
			require.Positive(t, issued, "tick %d", tick)
			require.Equal(t, w.FullChecksum(), w.Checksum(), "extra=%v tick %d", extra, tick)
			drift, _ := w.ChecksumDrift()
			require.Zero(t, drift, "extra=%v tick %d", extra, tick)
		}
	}
}
