package systems_test

import (
	"encoding/binary"
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

// choices turns the fuzzer's bytes into decisions, so that its mutations
// change one decision at a time. Exhausted: every decision is 0.
type choices struct {
	b []byte
	i int
}

func (c *choices) n(k int) int {
	if c.i >= len(c.b) || k <= 1 {
		c.i++
		return 0
	}
	v := c.b[c.i]
	c.i++
	return int(v) % k
}

func (c *choices) done() bool { return c.i >= len(c.b) }

// hostile are amounts at the edges: where sums wrap and limits bite.
var hostile = []int64{0, 1, 2, 3, -1, math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64/2 + 1,
	math.MinInt64, ecs.MaxStack, ecs.MaxStack + 1, 1 << 40}

// amount is mostly small money, sometimes hostile.
func (c *choices) amount() int64 {
	if c.n(8) == 0 {
		return hostile[c.n(len(hostile))]
	}
	return int64(c.n(256)) + int64(c.n(4))*256
}

// price is often 0 (free goods: where item counts, not money, overflow
// first), sometimes hostile, else small.
func (c *choices) price() int64 {
	switch c.n(8) {
	case 0, 1:
		return 0
	case 2:
		return max(0, hostile[c.n(len(hostile))])
	}
	return int64(c.n(60))
}

// qty is mostly a few units, sometimes hostile.
func (c *choices) qty() int64 {
	if c.n(8) == 0 {
		return hostile[c.n(len(hostile))]
	}
	return int64(1 + c.n(4))
}

// fuzzContent builds small content from the choices; some of it invalid
// on purpose (then Validate refuses it and the input is skipped).
func fuzzContent(c *choices) *ecs.Content {
	ct := &ecs.Content{}
	nc, ni := 1+c.n(2), 1+c.n(3)
	for i := range nc {
		ct.Currencies = append(ct.Currencies, ecs.CurrencySpec{Key: fmt.Sprint("c", i), Decimals: int64(c.n(3))})
	}
	for i := range ni {
		ms := int64(1 + c.n(10))
		if c.n(6) == 0 {
			ms = ecs.MaxStack
		}
		ct.Items = append(ct.Items, ecs.ItemSpec{Key: fmt.Sprint("i", i), MaxStack: ms})
	}
	for s := range 1 + c.n(2) {
		sh := ecs.ShopSpec{Key: fmt.Sprint("s", s)}
		if c.n(3) == 0 {
			sh.Funds = append(sh.Funds, ecs.MoneySpec{Currency: fmt.Sprint("c", c.n(nc)), Amount: max(1, c.amount())})
		}
		for l := range 1 + c.n(3) {
			price, stock := c.price(), int64(5+c.n(60))
			if c.n(6) == 0 {
				price, stock = max(0, c.amount()), max(0, c.amount())
			}
			sh.Listings = append(sh.Listings, ecs.ListingSpec{Key: fmt.Sprint("s", s, "l", l),
				Item: fmt.Sprint("i", c.n(ni)), Currency: fmt.Sprint("c", c.n(nc)), Price: price, Stock: stock})
		}
		ct.Shops = append(ct.Shops, sh)
	}
	for p := range 2 + c.n(3) {
		ps := ecs.PlayerSpec{Key: fmt.Sprint("p", p), Capacity: int64(1 + c.n(5))}
		for cur := range nc {
			ps.Wallet = append(ps.Wallet, ecs.MoneySpec{Currency: fmt.Sprint("c", cur), Amount: 500 + int64(c.n(256))})
		}
		if c.n(4) == 0 {
			ps.Wallet = append(ps.Wallet, ecs.MoneySpec{Currency: fmt.Sprint("c", c.n(nc)), Amount: max(1, c.amount())})
		}
		ct.Players = append(ct.Players, ps)
	}
	return ct
}

// role is what kind of entity a decision wants.
type role uint8

const (
	rCurrency role = iota
	rItem
	rShop
	rListing
	rPlayer
	rCart
	rAccount
	rPackage
	rCoupon
	rTrade
	rRecord
	roles
)

// created maps the kinds of creating commands to their role.
var created = map[events.Kind]role{
	events.ListingPosted: rListing, events.WalletOpened: rPlayer, events.CartOpened: rCart,
	events.AccountOpened: rAccount, events.PackageOpened: rPackage, events.CouponIssued: rCoupon,
	events.TradeOpened: rTrade, events.SagaStarted: rRecord,
}

// fuzzSession is one world driven by the choices, and what it created.
type fuzzSession struct {
	c      *choices
	w      *ecs.World
	com    *systems.Commerce
	pools  [roles][]components.ID // ids by role: content and created
	req    uint64
	ledger *ecs.Ledger
}

// pick returns an id of role r, or now and then any id at all (the wrong
// kind, a closed one, one never allocated).
func (s *fuzzSession) pick(r role) components.ID {
	if s.c.n(16) == 0 || len(s.pools[r]) == 0 {
		return components.ID(s.c.n(int(s.w.NextID()) + 3))
	}
	return s.pools[r][s.c.n(len(s.pools[r]))]
}

func (s *fuzzSession) id() components.ID { return s.pick(role(s.c.n(int(roles)))) }

// recent picks one of the last few ids of role r (outcomes mostly concern
// recent sagas, acceptances recent trades), or any of them.
func (s *fuzzSession) recent(r role) components.ID {
	if ids := s.pools[r]; len(ids) > 0 && s.c.n(3) != 0 {
		return ids[len(ids)-1-s.c.n(min(len(ids), 3))]
	}
	return s.pick(r)
}

// party returns a party of trade tr, mostly, so that trades complete.
func (s *fuzzSession) party(tr components.ID) components.ID {
	m := s.com.Maps
	if e, st := s.w.Lookup(tr); st == ecs.Alive && m.Trade.Has(e) && s.c.n(6) != 0 {
		return m.Trade.Get(e).Parties[s.c.n(2)]
	}
	return s.pick(rPlayer)
}

func (s *fuzzSession) command() {
	c := s.c
	p, l, cur, item := s.pick(rPlayer), s.pick(rListing), s.pick(rCurrency), s.pick(rItem)
	var ev events.Event
	switch c.n(24) {
	case 0: // players and tills (shops) earn and spend outside purchases
		ev = events.Mint([2]components.ID{p, s.pick(rShop)}[c.n(2)], cur, c.amount())
	case 1:
		ev = events.Burn([2]components.ID{p, s.pick(rShop)}[c.n(2)], cur, c.amount())
	case 2:
		ev = events.Grant(p, item, c.qty())
	case 3:
		ev = events.Grant(l, item, c.qty())
	case 4:
		ev = events.BurnItems(p, item, c.qty())
	case 5:
		ev = events.Close(s.id())
	case 6:
		ev = events.ListingPostedEvent{Shop: s.pick(rShop), Item: item, Currency: cur, Price: c.price(), Stock: c.qty(), Till: [2]components.ID{0, p}[c.n(2)]}.Event()
	case 7:
		ev = events.OpenPlayer("", int64(c.n(4)))
	case 8:
		ev = events.OpenCart(p)
	case 9:
		ev = events.AddCartLine(s.recent(rCart), l, c.qty())
	case 10:
		ev = events.OpenAccount(p, c.amount())
	case 11:
		ev = events.OpenPackage(p)
	case 12:
		ev = events.DeliverPackage(s.pick(rPackage))
	case 13:
		ev = events.IssueCoupon([2]components.ID{s.pick(rPlayer), s.pick(rShop)}[c.n(2)], [2]components.ID{0, p}[c.n(2)], cur, c.amount())
	case 14:
		ev = events.OpenTrade(p, s.pick(rPlayer))
	case 15:
		tr := s.recent(rTrade)
		ev = events.TradeOfferedEvent{Trade: tr, Party: s.party(tr), Item: item, Qty: c.qty()}.Event()
	case 16:
		tr := s.recent(rTrade)
		ev = events.TradeOfferedEvent{Trade: tr, Party: s.party(tr), Currency: cur, Amount: c.amount()}.Event()
	case 17, 18:
		tr := s.recent(rTrade)
		ev = events.AcceptTrade(tr, s.party(tr))
	case 19: // both parties accept the current offer
		tr := s.recent(rTrade)
		if e, st := s.w.Lookup(tr); st == ecs.Alive && s.com.Maps.Trade.Has(e) {
			ps := s.com.Maps.Trade.Get(e).Parties
			s.w.Command(events.AcceptTrade(tr, ps[0]))
			ev = events.AcceptTrade(tr, ps[1])
		} else {
			ev = events.AcceptTrade(tr, p)
		}
	case 20: // the provider pays and the carrier delivers
		r := s.recent(rRecord)
		var price int64
		if e, st := s.w.Lookup(r); st == ecs.Alive && s.com.Maps.Record.Has(e) {
			price = s.com.Maps.Record.Get(e).Price
		}
		s.w.Command(events.ConfirmPayment(r, uint64(1+c.n(3)), price))
		ev = events.AcceptDelivery(r, uint64(1+c.n(3)))
	default:
		k := [4]events.Kind{events.PaymentConfirmed, events.PaymentDeclined, events.DeliveryAccepted, events.DeliveryRefused}
		ev = events.Event{Kind: k[c.n(4)], Subject: s.recent(rRecord), Request: uint64(c.n(3))}
		if e, st := s.w.Lookup(ev.Subject); st == ecs.Alive && s.com.Maps.Record.Has(e) && c.n(4) != 0 {
			ev.Amount = s.com.Maps.Record.Get(e).Price // mostly the right price
		} else {
			ev.Amount = c.amount()
		}
	}
	id := s.w.Command(ev).ID
	if r, ok := created[ev.Kind]; ok {
		s.pools[r] = append(s.pools[r], id)
	}
}

// owner returns, mostly, who may use cart, account or coupon id (so that
// those purchases get past NotYours), else buyer.
func (s *fuzzSession) owner(id, buyer components.ID) components.ID {
	m := s.com.Maps
	e, st := s.w.Lookup(id)
	if st != ecs.Alive || s.c.n(5) == 0 {
		return buyer
	}
	var o components.ID
	switch {
	case m.Cart.Has(e):
		o = m.Cart.Get(e).Owner
	case m.Account.Has(e):
		o = m.Account.Get(e).Holder
	case m.Coupon.Has(e):
		o = m.Coupon.Get(e).Holder
	}
	if o == 0 {
		return buyer
	}
	return o
}

func (s *fuzzSession) intent() {
	c := s.c
	s.req++
	it := components.PurchaseIntent{Buyer: s.pick(rPlayer), Listing: s.pick(rListing), Quantity: c.qty(), RequestID: s.req}
	if c.n(5) == 0 {
		it.RequestID = s.req - uint64(c.n(int(min(s.req, 8)))) // a retry
	}
	// Compositions combine freely (a cart paid by an account shipped to a
	// parcel with a coupon…); each is picked on its own.
	if c.n(4) == 0 {
		it.Listing, it.Quantity, it.Cart = 0, 0, s.recent(rCart)
		it.Buyer = s.owner(it.Cart, it.Buyer)
	}
	if c.n(5) == 0 {
		it.PayVia = s.pick(rAccount)
		it.Buyer = s.owner(it.PayVia, it.Buyer)
	}
	if c.n(5) == 0 {
		it.ShipTo = s.pick(rPackage)
	}
	if c.n(5) == 0 {
		it.Coupon = s.pick(rCoupon)
		it.Buyer = s.owner(it.Coupon, it.Buyer)
	}
	if c.n(7) == 0 {
		it.Saga = true
	}
	s.w.Submit(it)
}

// runFuzzSession plays the session the bytes describe and checks, after
// every tick: conservation (the world's supply equals minted − burned per
// currency and granted − burned per item, no negative holding), the
// incremental checksum against a full recompute, and a replica fed only
// the recorded inputs agreeing event for event.
// It returns how many events of each kind the session produced.
func runFuzzSession(t *testing.T, data []byte) map[events.Kind]int {
	seen := map[events.Kind]int{}
	c := &choices{b: data}
	content := fuzzContent(c)
	if content.Validate() != nil {
		return seen
	}
	cfg := systems.Config{IdempotencyWindow: uint64(c.n(4)), SettlementEvery: uint64(c.n(5)), SagaTimeout: uint64(1 + c.n(8))}
	newWorld := func() (*ecs.World, *systems.Commerce) {
		w := ecs.New()
		return w, systems.InstallCommerce(w, cfg)
	}
	a, com := newWorld()
	b, _ := newWorld()
	s := &fuzzSession{c: c, w: a, com: com, ledger: ecs.NewLedger(a)}
	ids, err := content.Apply(a)
	require.NoError(t, err)
	_, err = content.Apply(b)
	require.NoError(t, err)
	for _, x := range content.Currencies {
		s.pools[rCurrency] = append(s.pools[rCurrency], ids.MustID(x.Key))
	}
	for _, x := range content.Items {
		s.pools[rItem] = append(s.pools[rItem], ids.MustID(x.Key))
	}
	for _, x := range content.Shops {
		s.pools[rShop] = append(s.pools[rShop], ids.MustID(x.Key))
		for _, l := range x.Listings {
			s.pools[rListing] = append(s.pools[rListing], ids.MustID(l.Key))
		}
	}
	for _, x := range content.Players {
		s.pools[rPlayer] = append(s.pools[rPlayer], ids.MustID(x.Key))
	}
	for tick := 0; tick < 80 && (tick == 0 || !c.done()); tick++ {
		if tick > 0 {
			for range c.n(6) {
				s.command()
			}
			for range c.n(6) {
				s.intent()
			}
		}
		ra := a.Step()
		s.ledger.Record(ra)
		if err := s.ledger.Check(a); err != nil {
			t.Fatalf("tick %d: %v\nevents: %v", ra.Tick, err, ra.Events)
		}
		require.Equal(t, a.FullChecksum(), ra.Checksum, "tick %d: incremental checksum is stale", ra.Tick)
		if tick == 0 {
			for _, ev := range ra.Events {
				require.NotEqual(t, events.CommandRejected, ev.Kind, "content that validates loads whole")
			}
		}
		for _, ev := range ra.Events {
			seen[ev.Kind]++
			if ev.Kind == events.SagaStarted { // records are created by the purchase system
				s.pools[rRecord] = append(s.pools[rRecord], ev.Subject)
			}
		}
		if tick > 0 { // tick 0: b applied the content itself
			for _, cmd := range ra.Commands {
				b.Command(cmd)
			}
			for _, it := range ra.Intents {
				b.Submit(it)
			}
		}
		rb := b.Step()
		require.Equal(t, ra.Events, rb.Events, "tick %d", ra.Tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", ra.Tick)
	}
	return seen
}

// fuzzSeeds are reproducible random sessions for the seed corpus.
func fuzzSeeds() [][]byte {
	var out [][]byte
	for seed := range uint64(16) {
		rng := rand.New(rand.NewPCG(seed, 0xf022))
		b := make([]byte, 1000+rng.IntN(3000))
		for i := 0; i+8 <= len(b); i += 8 {
			binary.LittleEndian.PutUint64(b[i:], rng.Uint64())
		}
		out = append(out, b)
	}
	return out
}

// FuzzSession plays whole commerce sessions — random content, commands and
// intents over every composition (carts, coupons, trades, sagas and their
// outcomes, accounts and settlement, parcels, closes), with amounts near
// MaxInt64 — and checks conservation and replay equality after every tick.
// CI runs it for 10 s; run longer by hand:
//
//	go test ./systems -run '^$' -fuzz FuzzSession -fuzztime 10m
func FuzzSession(f *testing.F) {
	for _, b := range fuzzSeeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) { runFuzzSession(t, data) })
}

// The seed corpus alone reaches every composition's outcome, so the fuzzer
// starts from sessions that do everything (else it would prove less than
// it claims).
func TestFuzzSessionSeedsReachEveryComposition(t *testing.T) {
	seen := map[events.Kind]int{}
	for _, b := range fuzzSeeds() {
		for k, n := range runFuzzSession(t, b) {
			seen[k] += n
		}
	}
	t.Log(seen)
	for _, k := range []events.Kind{events.PurchaseCompleted, events.PurchaseRejected, events.PurchaseDuplicate,
		events.CartCheckedOut, events.AccountCharged, events.AccountSettled, events.PackageDelivered,
		events.CouponRedeemed, events.TradeCompleted, events.TradeRejected, events.SagaStarted,
		events.SagaCompleted, events.SagaCompensated, events.EntityClosed, events.CommandRejected} {
		require.Positive(t, seen[k], "no %v in the seed sessions", k)
	}
}
