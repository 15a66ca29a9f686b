package systems_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// replicate feeds a tick's recorded inputs to another world and steps it.
func replicate(w *ecs.World, rec *ecs.TickRecord) *ecs.TickRecord {
	for _, c := range rec.Commands {
		w.Command(c)
	}
	for _, in := range rec.Intents {
		w.Submit(in)
	}
	return w.Step()
}

// The slim path for plain one-listing intents is a straight-line copy of
// the general path's checks: on hostile random ticks (every rejection
// reason, closed buyers, listings and tills, retried request ids) a world
// using it and one sending everything down the general path emit the same
// events and checksums, tick after tick.
func TestSlimPathMatchesGeneralPath(t *testing.T) {
	a, b := newSim(t, 7), newSim(t, 7)
	systems.DisableSlim(b.w.Systems()[0].(*systems.PurchaseSystem))
	a.w.Step() // both apply their own content at tick 0
	b.w.Step()
	reasons := map[events.Reason]int{}
	for range 400 {
		a.inputs(150)
		ra := a.w.Step()
		rb := replicate(b.w, ra)
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
		for _, ev := range ra.Events {
			if ev.Kind == events.PurchaseCompleted || ev.Kind == events.PurchaseRejected {
				reasons[ev.Reason]++
			}
		}
	}
	for r := events.ReasonNone; r <= events.ReasonInventoryFull; r++ {
		if r == events.ReasonTillOverflow {
			continue // needs a till near MaxInt64: the fixture case below
		}
		require.Positive(t, reasons[r], "outcome %v never happened", r)
	}
}

// Big hostile ticks — enough intents for the counting and radix sorts and
// for the look-ahead, forced on in this small world — on the slim path
// give the same events and checksums as the general path without either.
func TestLookAheadAndBigTicksMatchGeneralPath(t *testing.T) {
	a, b := newSim(t, 9), newSim(t, 9)
	systems.AlwaysLookAhead(a.w.Systems()[0].(*systems.PurchaseSystem))
	systems.DisableSlim(b.w.Systems()[0].(*systems.PurchaseSystem))
	a.w.Step()
	b.w.Step()
	for tick := range 60 {
		a.inputs(300 + 37*tick)
		ra := a.w.Step()
		rb := replicate(b.w, ra)
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
	}
}

// The same with commerce installed (receipts on, an idempotency window,
// accounts, packages, carts, coupons, sagas and trades in the mix), where
// the slim path must step aside for every intent another port serves.
func TestSlimPathMatchesGeneralPathWithCommerce(t *testing.T) {
	a, b := commercePair(t, 11)
	systems.DisableSlim(b.c.Purchase)
	require.Greater(t, playCommercePair(t, a, b, 300, false), 100)
}

// commercePair returns a commerce simulation with receipts on and a second
// shop of the same content to replay its recorded inputs.
func commercePair(t *testing.T, seed uint64) (*commerceSim, *shop) {
	cfg := systems.Config{IdempotencyWindow: 10, SettlementEvery: 7, SagaTimeout: 5}
	a := &commerceSim{shop: newShop(t, cfg), rng: rand.New(rand.NewPCG(seed, 4)),
		players: []string{"alice", "bob", "carol", "dave"}, created: map[events.Kind][]components.ID{}}
	a.c.Purchase.Receipts = true
	b := newShop(t, cfg)
	b.c.Purchase.Receipts = true
	require.Equal(t, a.w.Checksum(), b.w.Checksum())
	return a, b
}

// playCommercePair plays ticks of a's random inputs, replays each tick's
// inputs on b and requires the same events and checksums (and per-stage
// checksums if stages); it returns how many purchases completed.
func playCommercePair(t *testing.T, a *commerceSim, b *shop, ticks int, stages bool) int {
	completed := 0
	for range ticks {
		a.inputs()
		ra := a.step()
		rb := replicate(b.w, ra)
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
		if stages {
			require.Equal(t, ra.Stages, rb.Stages, "tick %d", ra.Tick)
		}
		for _, ev := range ra.Events {
			if ev.Kind == events.PurchaseCompleted {
				completed++
			}
			if ev.Kind == events.SagaStarted {
				a.created[events.SagaStarted] = append(a.created[events.SagaStarted], ev.Subject)
			}
		}
	}
	return completed
}

// A till that cannot take the money: TillOverflow on the slim path, with
// nothing moved.
func TestSlimPathTillOverflow(t *testing.T) {
	f := newFixture(t)
	before := f.w.Checksum()
	f.w.Submit(f.intent("alice", "vaultPebbles", 1, 1))
	rec := f.w.Step()
	require.Len(t, rec.Events, 1)
	require.Equal(t, events.ReasonTillOverflow, rec.Events[0].Reason)
	require.Equal(t, before, rec.Checksum)
}

// An entity with an Account as well as a Wallet and an Inventory pays
// through the account under InstallCommerce (accounts are asked first):
// the slim path must leave it to the ports, not debit the wallet.
func TestSlimPathLeavesAccountHoldersToThePorts(t *testing.T) {
	run := func(slim bool) *ecs.TickRecord {
		w := ecs.New()
		c := systems.InstallCommerce(w, systems.DefaultConfig)
		if !slim {
			systems.DisableSlim(c.Purchase)
		}
		gold := w.Command(events.DefineCurrency("gold", 0)).ID
		item := w.Command(events.DefineItem("pebble", 10)).ID
		shop := w.Command(events.OpenShop("shop")).ID
		listing := w.Command(events.PostListing(shop, item, gold, 5, 10)).ID
		buyer := w.Command(events.OpenPlayer("b", 2)).ID
		w.Command(events.Mint(buyer, gold, 100))
		w.Step()
		// A third party's entity with both: its Account is set up before
		// the tick, as a package's own command would.
		e, _ := w.Lookup(buyer)
		w.ECS().Add(e, c.Maps.Account.ID())
		*c.Maps.Account.Get(e) = components.Account{Holder: buyer, Limit: 1000}
		w.Submit(components.PurchaseIntent{Buyer: buyer, Listing: listing, Quantity: 1, RequestID: 1})
		return w.Step()
	}
	slim, general := run(true), run(false)
	require.Equal(t, general.Events, slim.Events)
	require.Equal(t, general.Checksum, slim.Checksum)
	kinds := map[events.Kind]int{}
	for _, ev := range slim.Events {
		kinds[ev.Kind]++
	}
	require.Equal(t, 1, kinds[events.AccountCharged], "paid through the account: %v", slim.Events)
}

// receiptPayer is a third party's payment port that serves receipt
// entities (and refuses every payment): whether an intent naming a receipt
// finds it shows in the rejection reason.
type receiptPayer struct{ m *systems.CommerceMaps }

func (r receiptPayer) Accepts(w *ecs.World, e arche.Entity) bool { return r.m.IsReceipt(e) }
func (r receiptPayer) Check(*ecs.World, *systems.Payment) events.Reason {
	return events.ReasonNotYours
}
func (r receiptPayer) Commit(*ecs.World, *systems.Payment) {}

// Slim purchases' receipts are created in one batch, later in the tick than
// they are announced; an intent that names one of their ids in the same
// tick (as buyer, listing, payer, recipient, cart or coupon) must still
// find the receipt: the same events and checksums as creating each receipt
// at once (the general path, slim off).
func TestBatchedReceiptsExistBeforeTheyAreNamed(t *testing.T) {
	run := func(slim bool) []*ecs.TickRecord {
		w := ecs.New()
		c := systems.InstallCommerce(w, systems.DefaultConfig)
		if !slim {
			systems.DisableSlim(c.Purchase)
		}
		c.Purchase.RegisterPayment(receiptPayer{c.Maps})
		w.SetChecksumAudit(1) // every entity rehashed from scratch after every stage
		gold := w.Command(events.DefineCurrency("gold", 0)).ID
		item := w.Command(events.DefineItem("pebble", 100)).ID
		shop := w.Command(events.OpenShop("shop")).ID
		listing := w.Command(events.PostListing(shop, item, gold, 5, 1000)).ID
		var buyers []components.ID
		for range 4 {
			b := w.Command(events.OpenPlayer("b", 4)).ID
			w.Command(events.Mint(b, gold, 1000))
			buyers = append(buyers, b)
		}
		w.Step()
		var recs []*ecs.TickRecord
		for tick := range 6 {
			next := w.NextID() // the first receipt this tick issues
			req := uint64(tick + 1)
			for _, b := range buyers {
				w.Submit(components.PurchaseIntent{Buyer: b, Listing: listing, Quantity: 1, RequestID: req})
			}
			if tick%2 == 1 {
				// Only slim purchases before it: the last buyer's receipt is
				// still pending when a later intent names it.
				w.Submit(components.PurchaseIntent{Buyer: next + 3, Listing: listing, Quantity: 1, RequestID: req})
				rec := w.Step().Clone()
				recs = append(recs, &rec)
				continue
			}
			// Named by later intents of the same tick (intents run in buyer order).
			w.Submit(components.PurchaseIntent{Buyer: next, Listing: listing, Quantity: 1, RequestID: req})
			w.Submit(components.PurchaseIntent{Buyer: next + 1, Listing: next, Quantity: 1, RequestID: req})
			w.Submit(components.PurchaseIntent{Buyer: buyers[3], Listing: next, Quantity: 1, RequestID: 100 + req})
			w.Submit(components.PurchaseIntent{Buyer: buyers[2], Listing: listing, Quantity: 1, RequestID: 200 + req, PayVia: next})
			w.Submit(components.PurchaseIntent{Buyer: buyers[3], Listing: listing, Quantity: 1, RequestID: 300 + req, ShipTo: next + 1})
			w.Submit(components.PurchaseIntent{Buyer: buyers[1], Cart: next, RequestID: 400 + req})
			w.Submit(components.PurchaseIntent{Buyer: buyers[1], Listing: listing, Quantity: 1, RequestID: 500 + req, Coupon: next})
			rec := w.Step().Clone()
			recs = append(recs, &rec)
			drift, _ := w.ChecksumDrift()
			require.Zero(t, drift)
			for _, ev := range rec.Events {
				if ev.Kind == events.ReceiptIssued && tick%2 == 0 {
					w.Command(events.Close(ev.Subject))
				}
			}
		}
		return recs
	}
	slim, general := run(true), run(false)
	issued := 0
	for i := range slim {
		require.Equal(t, general[i].Events, slim[i].Events, "tick %d", slim[i].Tick)
		require.Equal(t, general[i].Checksum, slim[i].Checksum, "tick %d", slim[i].Tick)
		require.Equal(t, general[i].Stages, slim[i].Stages, "tick %d", slim[i].Tick)
		for _, ev := range slim[i].Events {
			if ev.Kind == events.ReceiptIssued {
				issued++
			}
		}
	}
	require.Equal(t, 4*len(slim), issued, "every plain purchase issued a receipt")
	// The receipts were found: as buyer (an entity, but no customer — not
	// an unknown buyer) and as payer (served by receiptPayer).
	found := map[events.Reason]int{}
	for _, rec := range slim {
		for _, ev := range rec.Events {
			if ev.Kind == events.PurchaseRejected {
				found[ev.Reason]++
			}
		}
	}
	require.Equal(t, 3*2+3, found[events.ReasonNotACustomer])
	require.Equal(t, 3, found[events.ReasonNotYours])
	require.Zero(t, found[events.ReasonUnknownBuyer])
}
