package systems_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// commerceSim drives a commerce world with random, partly hostile inputs.
type commerceSim struct {
	*shop
	rng     *rand.Rand
	players []string
	created map[events.Kind][]components.ID // ids created by kind, in order
	req     uint64
}

func (c *commerceSim) any(k events.Kind) components.ID {
	ids := c.created[k]
	if len(ids) == 0 || c.rng.IntN(20) == 0 {
		return components.ID(c.rng.Uint64N(uint64(c.w.NextID()) + 5)) // anything, maybe wrong
	}
	return ids[c.rng.IntN(len(ids))]
}

func (c *commerceSim) player() components.ID { return c.id(c.players[c.rng.IntN(len(c.players))]) }

var simListings = []string{"potions", "swords", "pebbles", "vaultPebbles", "pricey"}

func (c *commerceSim) listing() components.ID { return c.id(simListings[c.rng.IntN(len(simListings))]) }

// inputs queues one tick of random commands and intents.
func (c *commerceSim) inputs() {
	r, gold, gems := c.rng, c.id("gold"), c.id("gems")
	amt := func(n int64) int64 { // mostly small, sometimes hostile
		switch r.IntN(40) {
		case 0:
			return math.MaxInt64
		case 1:
			return -1 - r.Int64N(n)
		}
		return r.Int64N(n)
	}
	cur := func() components.ID { return [2]components.ID{gold, gems}[r.IntN(2)] }
	cmd := func(ev events.Event) {
		id := c.w.Command(ev).ID
		c.created[ev.Kind] = append(c.created[ev.Kind], id)
	}
	for _, p := range c.players { // players use up what they own, and earn
		e, _ := c.w.Lookup(c.id(p))
		if inv := c.w.Maps.Inventory.Get(e); len(inv.Slots) > 0 && r.IntN(3) == 0 {
			c.w.Command(events.BurnItems(c.id(p), inv.Slots[0].Item, inv.Slots[0].Qty))
		}
		c.w.Command(events.Mint(c.id(p), cur(), r.Int64N(300)))
	}
	for _, l := range simListings {
		c.w.Command(events.Grant(c.id(l), c.listingItem(l), r.Int64N(5)))
		if r.IntN(10) == 0 { // terms change: intents that expect the old version are refused
			c.w.Command(events.Reprice(c.id(l), amt(300)))
		}
	}
	for range 8 {
		switch r.IntN(14) {
		case 0:
			cmd(events.OpenCart(c.player()))
		case 1:
			cmd(events.AddCartLine(c.any(events.CartOpened), c.listing(), amt(4)))
		case 2:
			cmd(events.OpenAccount(c.player(), amt(2000)))
		case 3:
			cmd(events.OpenPackage(c.player()))
		case 4:
			cmd(events.DeliverPackage(c.any(events.PackageOpened)))
		case 5:
			cmd(events.IssueCoupon(c.player(), [2]components.ID{0, c.player()}[r.IntN(2)], cur(), amt(400)))
		case 6:
			cmd(events.OpenTrade(c.player(), c.player()))
		case 7:
			ev := events.TradeOfferedEvent{Trade: c.any(events.TradeOpened), Party: c.player()}.Event()
			if r.IntN(2) == 0 {
				ev.Item, ev.Qty = c.id([3]string{"potion", "sword", "pebble"}[r.IntN(3)]), amt(4)
			} else {
				ev.Currency, ev.Amount = cur(), amt(500)
			}
			cmd(ev)
		case 8:
			cmd(events.AcceptTrade(c.any(events.TradeOpened), c.player()))
		default:
			k := [4]events.Kind{events.PaymentConfirmed, events.PaymentDeclined, events.DeliveryAccepted, events.DeliveryRefused}[r.IntN(4)]
			rec := c.any(events.SagaStarted)
			if recs := c.created[events.SagaStarted]; len(recs) > 0 && r.IntN(3) != 0 {
				rec = recs[len(recs)-1-r.IntN(min(len(recs), 3))] // outcomes mostly concern recent sagas
			}
			ev := events.Event{Kind: k, Subject: rec, Request: 1 + r.Uint64N(3)}
			if e, ok := c.w.Lookup(rec); k == events.PaymentConfirmed && ok == ecs.Alive && c.c.Maps.Record.Has(e) && r.IntN(5) != 0 {
				ev.Amount = c.c.Maps.Record.Get(e).Price
			}
			cmd(ev)
		}
	}
	if r.IntN(8) == 0 { // close something: what it holds is burned, with events
		k := [5]events.Kind{events.CouponIssued, events.PackageOpened, events.SagaStarted, events.CartOpened,
			events.AccountOpened}[r.IntN(5)]
		c.w.Command(events.Close(c.any(k)))
	}
	if r.IntN(6) == 0 { // close the receipts among recent ids (a range may reach past the last: refused)
		next := uint64(c.w.NextID())
		hi := next - min(next-1, r.Uint64N(6))
		lo := hi - min(hi-1, r.Uint64N(40))
		c.w.Command(events.CloseReceipts(components.ID(lo), components.ID(hi)))
	}
	for range 10 {
		c.req++
		it := components.PurchaseIntent{Buyer: c.player(), Listing: c.listing(), Quantity: amt(4), RequestID: c.req}
		if r.IntN(6) == 0 {
			it.RequestID = c.req - r.Uint64N(min(c.req, 20)) // a retry, maybe outside the window
		}
		switch r.IntN(8) {
		case 0:
			it.Listing, it.Quantity, it.Cart = 0, 0, c.any(events.CartOpened)
		case 1:
			it.PayVia = c.any(events.AccountOpened)
		case 2:
			it.ShipTo = c.any(events.PackageOpened)
		case 3:
			it.Coupon = c.any(events.CouponIssued)
		case 4:
			it.Saga = true
		case 5:
			it.ListingVersion = 1 + r.Uint64N(3)
		case 6:
			it.MaxTotal = amt(1000)
		}
		c.w.Submit(it)
	}
}

func (c *commerceSim) listingItem(l string) components.ID { return c.shop.listing(l).Item }

// A long random commerce session conserves money and items after every
// tick, and a second world fed only the recorded inputs (commands and
// intents, in a shuffled submission order) agrees on every event and
// checksum: the whole session — carts, coupons, accounts, trades, sagas,
// the idempotency window — replays deterministically. A third world
// restored from a JSON snapshot taken mid-session agrees from there on.
func TestCommerceRandomSessionConservesAndReplays(t *testing.T) {
	seen := map[events.Kind]int{}
	for _, seed := range []uint64{3, 5, 8} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { runCommerceSession(t, seed, seen) })
	}
	// The sessions exercised every feature, not just rejections.
	for _, k := range []events.Kind{events.PurchaseCompleted, events.PurchaseDuplicate, events.CartCheckedOut,
		events.AccountCharged, events.AccountSettled, events.PackageDelivered, events.CouponRedeemed,
		events.TradeCompleted, events.TradeRejected, events.SagaCompleted, events.SagaCompensated} {
		require.Positive(t, seen[k], "no %v in the sessions", k)
	}
}

func runCommerceSession(t *testing.T, seed uint64, seen map[events.Kind]int) {
	t.Helper()
	// Both receipt checksum terms: the seeds 3 and 8 the original ones, 5 version 2.
	cfg := systems.Config{IdempotencyWindow: 10, SettlementEvery: 7, SagaTimeout: 5, ChecksumVersion: uint8(seed % 3)}
	a := &commerceSim{shop: newShop(t, cfg), rng: rand.New(rand.NewPCG(seed, 4)),
		players: []string{"alice", "bob", "carol", "dave"}, created: map[events.Kind][]components.ID{}}
	defer func() { // what the shop saw, tick 0 and refused commands included
		for k, n := range a.seen {
			seen[k] += n
		}
	}()
	b := ecs.New()
	systems.InstallCommerce(b, cfg)
	// Replay tick 0 (content) from the recorded session start.
	c, _ := ecs.ParseContent([]byte(fixtureJSON))
	bi, _ := c.Apply(b)
	require.Equal(t, a.ids.MustID("dave"), bi.MustID("dave"))
	b.Step()
	shuffle := rand.New(rand.NewPCG(9, seed))
	var restored *ecs.World // a third world, restored from a snapshot at tick 300
	for tick := range 600 {
		if tick == 300 {
			snap, err := a.w.TakeSnapshot()
			require.NoError(t, err)
			raw, err := json.Marshal(snap)
			require.NoError(t, err)
			var back ecs.Snapshot
			require.NoError(t, json.Unmarshal(raw, &back))
			restored = ecs.New()
			systems.InstallCommerce(restored, cfg)
			require.NoError(t, restored.Restore(&back))
			require.Equal(t, a.w.Checksum(), restored.Checksum())
		}
		a.inputs()
		ra := a.step()
		// Every change was touched: the incremental checksum is the full one.
		if full := a.w.FullChecksum(); full != ra.Checksum { // StaleEntities scans the world: only on failure
			require.Failf(t, "incremental checksum is stale", "tick %d: full %#x, recorded %#x, stale %v: %v",
				ra.Tick, full, ra.Checksum, a.w.StaleEntities(), ra.Events)
		}
		for _, ev := range ra.Events {
			if ev.Kind == events.SagaStarted {
				a.created[events.SagaStarted] = append(a.created[events.SagaStarted], ev.Subject)
			}
		}
		for _, replica := range []*ecs.World{b, restored} {
			if replica == nil {
				continue
			}
			for _, cmd := range ra.Commands {
				replica.Command(cmd)
			}
			in := append([]components.PurchaseIntent(nil), ra.Intents...)
			shuffle.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			for _, it := range in {
				replica.Submit(it)
			}
			rb := replica.Step()
			require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
			require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
		}
	}
}
