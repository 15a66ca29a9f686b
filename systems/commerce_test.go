package systems_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/systems"
)

// shop is a commerce world at tick 1 with the fixture content.
type shop struct {
	*fixture
	c      *systems.Commerce
	ledger *ecs.Ledger         // minted − burned, checked against the world's supply every step
	last   uint64              // checksum of the last tick
	seen   map[events.Kind]int // kinds emitted (or refused as commands) so far
}

func newShop(t *testing.T, cfg systems.Config) *shop {
	t.Helper()
	c, err := ecs.ParseContent([]byte(fixtureJSON))
	require.NoError(t, err)
	w := ecs.New()
	com := systems.InstallCommerce(w, cfg)
	ids, err := c.Apply(w)
	require.NoError(t, err)
	s := &shop{fixture: &fixture{t: t, w: w, ids: fixtureIDs{IDs: ids}}, c: com, ledger: ecs.NewLedger(w), seen: map[events.Kind]int{}}
	s.step()
	return s
}

// cmd queues a command and returns its subject.
func (s *shop) cmd(ev events.Event) components.ID { return s.w.Command(ev).ID }

// step runs a tick, fails on rejected commands unless allowed, and checks
// conservation after it.
func (s *shop) step() *ecs.TickRecord {
	s.t.Helper()
	rec := s.w.Step()
	requireTickets(s.t, rec)
	for _, ev := range rec.Events { // every commerce test holds every event to its field table
		requireFieldTable(s.t, ev)
		s.seen[ev.Kind]++
		if c, ok := ev.Rejected(); ok {
			s.seen[c.Kind]++ // refused commands count as walked too
		}
	}
	s.last = rec.Checksum
	s.ledger.Record(rec)
	require.NoError(s.t, s.ledger.Check(s.w), "conservation")
	return rec
}

// stepOK is step that also requires no rejected command.
func (s *shop) stepOK() *ecs.TickRecord {
	s.t.Helper()
	rec := s.step()
	for _, ev := range rec.Events {
		require.NotEqual(s.t, events.CommandRejected, ev.Kind, "%v", ev)
	}
	return rec
}

func kinds(rec *ecs.TickRecord) []events.Kind {
	var out []events.Kind
	for _, ev := range rec.Events {
		out = append(out, ev.Kind)
	}
	return out
}

func TestReceiptIsCreatedInTheSameFrame(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	s.w.Submit(s.intent("alice", "potions", 2, 1))
	rec := s.step()
	require.Equal(t, []events.Kind{events.PurchaseCompleted, events.ReceiptIssued}, kinds(rec))
	rid := rec.Events[1].Subject
	e, st := s.w.Lookup(rid)
	require.Equal(t, ecs.Alive, st)
	require.True(t, s.c.Maps.IsReceipt(e))
	r, ok := s.c.Maps.Receipt(s.w, rid)
	require.True(t, ok)
	assert.Equal(t, components.Receipt{Buyer: s.id("alice"), Request: 1, Tick: rec.Tick,
		What: s.id("potions"), Lines: 1, Amount: 500}, r)
	s.w.Command(events.Close(rid))
	s.step()
	_, ok = s.c.Maps.Receipt(s.w, rid)
	assert.False(t, ok, "a closed receipt is gone")
	_, st = s.w.Lookup(rid)
	assert.Equal(t, ecs.Gone, st)
	assert.Equal(t, s.w.NextID()-1, rid, "receipt ids come from the world's deterministic allocator")
}

func TestIdempotencyWindowReturnsTheOriginalOutcome(t *testing.T) {
	s := newShop(t, systems.Config{IdempotencyWindow: 3})
	s.w.Submit(s.intent("alice", "potions", 1, 9))
	s.w.Submit(s.intent("bob", "potions", 5, 9)) // bob cannot pay 1250
	first := s.step().Clone()
	receipt := first.Events[1].Subject
	for tick := 1; tick < 3; tick++ { // retries inside the window: nothing applied again
		before := s.last
		s.w.Submit(s.intent("alice", "potions", 1, 9))
		s.w.Submit(s.intent("bob", "potions", 1, 9)) // even with other fields: same request
		rec := s.step()
		require.Len(t, rec.Events, 2)
		a, ok := rec.Events[0].AsPurchaseDuplicate()
		require.True(t, ok)
		b, ok := rec.Events[1].AsPurchaseDuplicate()
		require.True(t, ok)
		assert.Equal(t, events.PurchaseDuplicateEvent{Buyer: s.id("alice"), Request: 9,
			Original: events.PurchaseCompleted, Receipt: receipt, At: first.Tick}, a)
		assert.Equal(t, events.PurchaseDuplicateEvent{Buyer: s.id("bob"), Request: 9,
			Original: events.PurchaseRejected, Reason: events.ReasonInsufficientFunds, At: first.Tick}, b)
		assert.Equal(t, before, rec.Checksum, "a retry changes nothing")
		assert.Equal(t, int64(1), s.inventory("alice").Count(s.id("potion")))
	}
	// The window is over: the same request id is a new request again.
	s.w.Submit(s.intent("alice", "potions", 1, 9))
	rec := s.step()
	assert.Equal(t, events.PurchaseCompleted, rec.Events[0].Kind)
	assert.Equal(t, int64(2), s.inventory("alice").Count(s.id("potion")))
}

func TestIdempotencyStateIsInTheChecksum(t *testing.T) {
	a := newShop(t, systems.Config{IdempotencyWindow: 5})
	b := newShop(t, systems.Config{IdempotencyWindow: 5})
	a.w.Submit(a.intent("alice", "nothing", 1, 3)) // rejected: changes no component
	ra, rb := a.step(), b.step()
	assert.NotEqual(t, ra.Checksum, rb.Checksum, "a remembered request is state")
	for range 5 {
		ra, rb = a.step(), b.step()
	}
	assert.Equal(t, ra.Checksum, rb.Checksum, "forgotten after the window")
}

func TestCartChecksOutWholeOnceOnly(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	cart := s.cmd(events.OpenCart(s.id("alice")))
	s.cmd(events.AddCartLine(cart, s.id("potions"), 2))
	s.cmd(events.AddCartLine(cart, s.id("pebbles"), 1))
	s.cmd(events.AddCartLine(cart, s.id("potions"), 1))
	s.stepOK()
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: cart, RequestID: 1})
	rec := s.step()
	require.Equal(t, []events.Kind{events.PurchaseCompleted, events.PurchaseCompleted, events.PurchaseCompleted,
		events.ReceiptIssued, events.CartCheckedOut}, kinds(rec))
	assert.Equal(t, int64(1000-750), s.wallet("alice").Balance(s.id("gold")))
	assert.Equal(t, int64(5), s.wallet("alice").Balance(s.id("gems")))
	assert.Equal(t, int64(3), s.inventory("alice").Count(s.id("potion")))
	assert.Equal(t, int64(1), s.inventory("alice").Count(s.id("pebble")))
	assert.Equal(t, int64(999), s.listing("pebbles").Stock)
	receipt, ok := rec.Events[3].AsReceiptIssued()
	require.True(t, ok)
	assert.Equal(t, int64(3), receipt.Lines)
	assert.Equal(t, int64(750), receipt.Total, "gold only: a cart is paid in one currency")
	assert.Equal(t, cart, receipt.For)
	out, ok := rec.Events[4].AsCartCheckedOut()
	require.True(t, ok)
	assert.Equal(t, events.CartCheckedOutEvent{Cart: cart, Buyer: s.id("alice"), Receipt: receipt.Receipt, Request: 1}, out)

	before := s.last
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: cart, RequestID: 2})
	rec = s.step()
	require.Len(t, rec.Events, 1)
	rej, ok := rec.Events[0].AsPurchaseRejected()
	require.True(t, ok)
	assert.Equal(t, events.ReasonCartCheckedOut, rej.Reason)
	assert.Equal(t, cart, rej.Cart)
	assert.NotEqual(t, before, rec.Checksum, "only the idempotency memory changed")
	s.cmd(events.AddCartLine(cart, s.id("potions"), 1))
	rec = s.step()
	assert.Equal(t, events.ReasonCartCheckedOut, rec.Events[0].Reason)
}

func TestCartWithOneBadLineChangesNothing(t *testing.T) {
	cases := []struct {
		name  string
		lines [][2]any
		buyer string
		want  events.Reason
	}{
		{"second line out of stock", [][2]any{{"potions", int64(1)}, {"swords", int64(2)}}, "alice", events.ReasonOutOfStock},
		{"same listing twice beyond stock", [][2]any{{"swords", int64(1)}, {"swords", int64(1)}}, "alice", events.ReasonOutOfStock},
		{"total beyond funds", [][2]any{{"potions", int64(3)}, {"potions", int64(2)}}, "alice", events.ReasonInsufficientFunds},
		{"two items beyond capacity", [][2]any{{"potions", int64(30)}, {"pebbles", int64(11)}}, "bob", events.ReasonInventoryFull},
		{"someone else's cart", [][2]any{{"potions", int64(1)}}, "bob", events.ReasonNotYours},
		{"empty cart", nil, "alice", events.ReasonCartEmpty},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newShop(t, systems.Config{})
			cart := s.cmd(events.OpenCart(s.id("alice")))
			for _, l := range c.lines {
				s.cmd(events.AddCartLine(cart, s.id(l[0].(string)), l[1].(int64)))
			}
			s.stepOK()
			if c.buyer == "bob" && c.want == events.ReasonInventoryFull {
				s.cmd(events.Close(cart))
				cart = s.cmd(events.OpenCart(s.id("bob")))
				for _, l := range c.lines {
					s.cmd(events.AddCartLine(cart, s.id(l[0].(string)), l[1].(int64)))
				}
				s.cmd(events.Mint(s.id("bob"), s.id("gold"), 1<<20))
				s.stepOK()
			}
			before := s.last
			s.w.Submit(components.PurchaseIntent{Buyer: s.id(c.buyer), Cart: cart, RequestID: 1})
			rec := s.step()
			require.Len(t, rec.Events, 1)
			assert.Equal(t, c.want, rec.Events[0].Reason)
			assert.Equal(t, before, rec.Checksum, "window 0: a rejected checkout changes nothing")
		})
	}
}

func TestAccountAndPackageComposition(t *testing.T) {
	s := newShop(t, systems.Config{SettlementEvery: 4})
	acct := s.cmd(events.OpenAccount(s.id("bob"), 600))
	parcel := s.cmd(events.OpenPackage(s.id("bob")))
	require.Equal(t, uint64(1), s.stepOK().Tick)
	s.step() // tick 2
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 2,
		RequestID: 1, PayVia: acct, ShipTo: parcel})
	rec := s.step() // tick 3: the end of day 0 (ticks 0..3)
	require.Equal(t, []events.Kind{events.AccountCharged, events.PurchaseCompleted, events.ReceiptIssued,
		events.AccountSettled}, kinds(rec))
	settled, ok := rec.Events[3].AsAccountSettled()
	require.True(t, ok)
	assert.Equal(t, int64(300), settled.Paid, "bob has 300 of 500 owed")
	assert.Equal(t, int64(200), settled.Owed)
	assert.Equal(t, events.ReasonInsufficientFunds, settled.Reason)
	assert.Equal(t, int64(0), s.wallet("bob").Balance(s.id("gold")))
	assert.Equal(t, int64(300), s.wallet("smithy").Balance(s.id("gold")))
	assert.Equal(t, int64(0), s.inventory("bob").Count(s.id("potion")), "goods went to the parcel")

	// The credit line: 200 owed + 3×250 > 600.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 3, RequestID: 2, PayVia: acct})
	rec = s.step()
	assert.Equal(t, events.ReasonCreditLimit, rec.Events[0].Reason)
	// Alice may not charge bob's account.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("potions"), Quantity: 1, RequestID: 1, PayVia: acct})
	rec = s.step()
	assert.Equal(t, events.ReasonNotYours, rec.Events[0].Reason)

	s.cmd(events.Mint(s.id("bob"), s.id("gold"), 1000))
	s.cmd(events.DeliverPackage(parcel))
	rec = s.stepOK() // tick 6
	assert.Equal(t, int64(2), s.inventory("bob").Count(s.id("potion")))
	rec = s.step() // tick 7: end of day 1
	require.Equal(t, []events.Kind{events.AccountSettled}, kinds(rec))
	assert.Equal(t, events.ReasonNone, rec.Events[0].Reason)
	assert.Equal(t, int64(800), s.wallet("bob").Balance(s.id("gold")))
	assert.Equal(t, int64(500), s.wallet("smithy").Balance(s.id("gold")))
	rec = s.step()
	rec = s.step()
	rec = s.step()
	rec = s.step() // tick 11: nothing owed, nothing billed
	assert.Empty(t, rec.Events)
}

func TestCouponsFullPartialAndOnceOnly(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	// The smithy funds two coupons from its till.
	s.cmd(events.Mint(s.id("smithy"), s.id("gold"), 1000))
	big := s.cmd(events.IssueCoupon(s.id("smithy"), 0, s.id("gold"), 600))
	mine := s.cmd(events.IssueCoupon(s.id("smithy"), s.id("bob"), s.id("gold"), 100))
	s.stepOK()
	assert.Equal(t, int64(300), s.wallet("smithy").Balance(s.id("gold")))

	// Same tick: carol (lower id than dave? no: alice < bob) — alice and
	// bob both use the bearer coupon; alice, the lower buyer id, gets it.
	require.Less(t, s.id("alice"), s.id("bob"))
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 1, RequestID: 1, Coupon: big})
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("potions"), Quantity: 3, RequestID: 1, Coupon: big})
	rec := s.step()
	require.Equal(t, []events.Kind{events.CouponRedeemed, events.PurchaseCompleted, events.ReceiptIssued,
		events.PurchaseRejected}, kinds(rec))
	assert.Equal(t, int64(600), rec.Events[0].Amount, "partial payment: 600 of 750")
	assert.Equal(t, int64(0), rec.Events[0].Qty)
	assert.Equal(t, events.ReasonCouponUsed, rec.Events[3].Reason)
	assert.Equal(t, int64(1000-150), s.wallet("alice").Balance(s.id("gold")))
	assert.Equal(t, int64(300+750), s.wallet("smithy").Balance(s.id("gold")))

	// Alice may not use bob's coupon; bob's coupon covers 100 of a 1-gold
	// potion at the pebble... full payment: the rest goes back to the issuer.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("potions"), Quantity: 1, RequestID: 2, Coupon: mine})
	rec = s.step()
	assert.Equal(t, events.ReasonNotYours, rec.Events[0].Reason)
	s.cmd(events.PostListing(s.id("smithy"), s.id("pebble"), s.id("gold"), 30, 5))
	cheap := s.stepOK().Events[0].Subject
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: cheap, Quantity: 2, RequestID: 2, Coupon: mine})
	rec = s.step()
	red, ok := rec.Events[0].AsCouponRedeemed()
	require.True(t, ok)
	assert.Equal(t, int64(60), red.Used)
	assert.Equal(t, int64(40), red.Returned, "unused value back to the issuer")
	assert.Equal(t, int64(300), s.wallet("bob").Balance(s.id("gold")), "fully paid by the coupon")
	assert.Equal(t, int64(1050+100), s.wallet("smithy").Balance(s.id("gold")))
	// A used coupon stays used.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: cheap, Quantity: 1, RequestID: 3, Coupon: mine})
	assert.Equal(t, events.ReasonCouponUsed, s.step().Events[0].Reason)
}

// Receipts are entities, and stable ids are never reused, so the id table
// grows by one entry per receipt: amortized page and directory growth (6
// allocations over these 1000 ticks of ~2000 receipts; one allocation per
// tick would be 1000). Everything else — the ports, the dues
// and goods buffers, the idempotency ring, arche's recycled entity slots —
// allocates nothing once warm.
func TestCommerceSteadyStateAllocatesNothing(t *testing.T) {
	s := newShop(t, systems.Config{IdempotencyWindow: 8, SettlementEvery: 16})
	acct := s.cmd(events.OpenAccount(s.id("bob"), 1<<40))
	s.cmd(events.Grant(s.id("pebbles"), s.id("pebble"), 1<<40))
	s.cmd(events.Mint(s.id("bob"), s.id("gold"), 1<<20))
	onCredit := s.cmd(events.PostListing(s.id("smithy"), s.id("pebble"), s.id("gold"), 1, 1<<40))
	s.stepOK()
	req := uint64(1)
	var receipts [4]components.ID
	tick := func() {
		req++
		s.w.Submit(s.intent("alice", "pebbles", 5, req))
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: onCredit, Quantity: 1, RequestID: req, PayVia: acct})
		if req > 2 {
			s.w.Submit(s.intent("alice", "pebbles", 5, req-1)) // a retry of last tick's
		}
		s.w.Submit(s.intent("nobody", "pebbles", 5, req))
		rec := s.w.Step()
		n := 0
		for _, ev := range rec.Events {
			if ev.Kind == events.ReceiptIssued {
				receipts[n] = ev.Subject
				n++
			}
		}
		for _, r := range receipts[:n] { // the client acknowledges its receipts
			s.w.Command(events.Close(r))
		}
		s.w.Command(events.BurnItems(s.id("alice"), s.id("pebble"), 5))
		s.w.Command(events.BurnItems(s.id("bob"), s.id("pebble"), 1))
	}
	for range 50 {
		tick()
	}
	assert.Less(t, allocs.Total(1000, tick), uint64(20), "allocations in 1000 ticks: the id table's growth only")
	s.w.Step()
	assert.Zero(t, s.inventory("alice").Count(s.id("pebble")))
	// Bob bought one pebble on credit per tick; settled every 16 ticks.
	ae, _ := s.w.Lookup(acct)
	owed := s.c.Maps.Account.Get(ae).OwedIn(s.id("gold"))
	assert.Less(t, owed, int64(16))
	assert.Equal(t, int64(300+1<<20)-int64(req-1)+owed, s.wallet("bob").Balance(s.id("gold")))
}

// Every commerce component's economic fields are in the checksum: a change
// made behind the event log's back is visible.
func TestCommerceStateIsInTheChecksum(t *testing.T) {
	s := newShop(t, systems.Config{SagaTimeout: 100})
	a := s.id("alice")
	acct := s.cmd(events.OpenAccount(a, 1000))
	parcel := s.cmd(events.OpenPackage(a))
	coupon := s.cmd(events.IssueCoupon(a, a, s.id("gold"), 10))
	cart := s.cmd(events.OpenCart(a))
	s.cmd(events.AddCartLine(cart, s.id("potions"), 1))
	trade := s.cmd(events.OpenTrade(a, s.id("bob")))
	s.cmd(events.TradeOfferedEvent{Trade: trade, Party: a, Currency: s.id("gold"), Amount: 5}.Event())
	s.stepOK()
	s.w.Submit(components.PurchaseIntent{Buyer: a, Listing: s.id("potions"), Quantity: 1, RequestID: 1, PayVia: acct, ShipTo: parcel})
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 1, RequestID: 1, Saga: true})
	rec := s.stepOK()
	var receipt, record components.ID
	for _, ev := range rec.Events {
		switch ev.Kind {
		case events.ReceiptIssued:
			receipt = ev.Subject
		case events.SagaStarted:
			record = ev.Subject
		}
	}
	require.NotZero(t, receipt)
	require.NotZero(t, record)
	base := s.w.Step().Checksum
	get := func(id components.ID) arche.Entity { e, _ := s.w.Lookup(id); return e }
	m := s.c.Maps
	tamper := map[string]func(){
		"receipt amount": func() { systems.ReceiptRow(m, receipt).Amount++ },
		"cart receipt":   func() { m.Cart.Get(get(cart)).Receipt++ },
		"cart line":      func() { m.Cart.Get(get(cart)).Lines[0].Qty++ },
		"account owed":   func() { m.Account.Get(get(acct)).Owed[0].Amount++ },
		"account limit":  func() { m.Account.Get(get(acct)).Limit++ },
		"parcel goods":   func() { m.Package.Get(get(parcel)).Goods[0].Qty++ },
		"coupon value":   func() { m.Coupon.Get(get(coupon)).Value++ },
		"coupon used":    func() { c := m.Coupon.Get(get(coupon)); c.Used = !c.Used },
		"trade money":    func() { m.Trade.Get(get(trade)).Sides[0].Money[0].Amount++ },
		"trade accepted": func() { tr := m.Trade.Get(get(trade)); tr.Accepted[1] = !tr.Accepted[1] },
		"record paid":    func() { m.Record.Get(get(record)).Paid++ },
		"record slot":    func() { m.Record.Get(get(record)).Delivery++ },
		"record state":   func() { m.Record.Get(get(record)).State++ },
	}
	require.Equal(t, base, s.w.Step().Checksum, "an idle tick changes nothing")
	// Tampering touches nothing, so only a from-scratch audit sees it: each
	// tick's audit counts a drift and folds the change into the checksum.
	s.w.SetChecksumAudit(1)
	prev := base
	for name, f := range tamper { // each change alone moves the checksum
		f()
		sum := s.w.Step().Checksum
		assert.NotEqual(t, prev, sum, name)
		prev = sum
	}
	// Undoing a change restores the checksum exactly (the sum is incremental).
	c := m.Coupon.Get(get(coupon))
	c.Value--
	assert.NotEqual(t, prev, s.w.Step().Checksum)
	c.Value++
	assert.Equal(t, prev, s.w.Step().Checksum)
	n, last := s.w.ChecksumDrift()
	assert.Equal(t, uint64(len(tamper)+2), n, "one drift per tampered tick")
	assert.Equal(t, s.w.NextTick()-1, last)
}
