package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// recordSession records a seeded random session (as tickecon record does)
// and returns the log's path and the recording world at its end.
func recordSession(t *testing.T, commerce bool, ticks, players, intents int, extra ...ecs.System) (string, *ecs.World) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.log")
	w := ecs.New()
	opts := ticklog.Options{SnapshotEvery: 100, Setup: systems.CoreSetup()}
	if commerce {
		systems.InstallCommerce(w, systems.DefaultConfig)
		opts.Setup = systems.CommerceSetup(systems.DefaultConfig)
	} else {
		systems.Install(w)
	}
	for _, s := range extra {
		w.AddSystem(s)
	}
	c := session.Content(7, players)
	s, err := session.Attach(w, 7, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, opts)
	require.NoError(t, err)
	lw.Record(w)
	for range ticks {
		s.Step(intents)
	}
	require.NoError(t, lw.Close())
	return path, w
}

// countKinds reads the log on its own and counts events by kind.
func countKinds(t *testing.T, path string) map[events.Kind]int {
	t.Helper()
	r, c, err := replay.FileSource(path)()
	require.NoError(t, err)
	defer c.Close()
	n := map[events.Kind]int{}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return n
		}
		require.NoError(t, err)
		if rec.Tick != nil {
			for _, ev := range rec.Tick.Events {
				n[ev.Kind]++
			}
		}
	}
}

func chart(t *testing.T, r *Report, id string) Chart {
	t.Helper()
	for _, c := range r.Charts {
		if c.ID == id {
			return c
		}
	}
	require.Failf(t, "no chart", "%s", id)
	return Chart{}
}

func sum(y []float64) float64 {
	s := 0.0
	for _, v := range y {
		s += v
	}
	return s
}

// The totals at the last tick agree with the recording world's Supply, in
// both setups; the per-tick counts agree with the events in the log.
func TestReportAgreesWithSupply(t *testing.T) {
	for _, commerce := range []bool{false, true} {
		path, w := recordSession(t, commerce, 300, 60, 40)
		r, err := Build(replay.FileSource(path), Options{})
		require.NoError(t, err)
		assert.True(t, r.OK(), "%+v", r.Check)
		assert.Equal(t, 300, r.Ticks)
		assert.Equal(t, uint64(299), r.LastTick)
		assert.Equal(t, uint64(1), r.TicksPerBucket, "300 ticks need no downsampling")
		sup := w.Supply()
		require.Len(t, r.Check, 2)
		for _, c := range r.Check {
			assert.Equal(t, sup.MoneyOf(c.Currency.ID), c.World)
			assert.Equal(t, sup.MoneyOf(c.Currency.ID), c.Issued, "minted − burned")
			assert.Equal(t, sup.MoneyOf(c.Currency.ID), c.Held, "wallets + tills + escrow")
			assert.Positive(t, c.Wallets.Sign())
			assert.Positive(t, c.Tills.Sign(), "shops sold something")
			// The chart's last point shows the same supply (display units).
			ch := chart(t, r, "supply-"+itoa(c.Currency.ID))
			last := ch.Series[0].Y[len(ch.Series[0].Y)-1]
			assert.InDelta(t, totalFloat(c.Issued), last*pow10(c.Currency.Decimals), 0.5)
		}
		n := countKinds(t, path)
		purch := chart(t, r, "purchases")
		assert.Equal(t, float64(n[events.PurchaseCompleted]), sum(purch.Series[0].Y))
		assert.Positive(t, n[events.PurchaseCompleted])
		rej := chart(t, r, "rejections")
		total := 0.0
		for _, s := range rej.Series {
			total += sum(s.Y)
		}
		assert.Equal(t, float64(n[events.PurchaseRejected]+n[events.PurchaseDuplicate]+n[events.CommandRejected]), total)
		assert.NotEmpty(t, r.Wealth)
		var buf bytes.Buffer
		require.NoError(t, r.WriteHTML(&buf, "s.log"))
		assert.Contains(t, buf.String(), `id="supply-1" data-minor="`+r.Check[0].Issued.String()+`"`)
		assert.NotContains(t, buf.String(), "http://", "no network: nothing is loaded")
		assert.NotContains(t, buf.String(), "https://cdn")
	}
}

func itoa(id components.ID) string { return strconv.FormatUint(uint64(id), 10) }

func pow10(n int) float64 {
	f := 1.0
	for range n {
		f *= 10
	}
	return f
}

// A hand-made commerce session: every flow lands where the events say,
// coupons, trades and sagas are counted and their money shows as escrow
// while they hold it, a closed player's burn is a "close".
func TestFlowsCouponsTradesAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.log")
	w := ecs.New()
	systems.InstallCommerce(w, systems.DefaultConfig)
	c := &ecs.Content{
		Currencies: []ecs.CurrencySpec{{Key: "gold", Name: "Gold", Decimals: 2}},
		Items:      []ecs.ItemSpec{{Key: "sword", Name: "Sword", MaxStack: 5}},
		Shops: []ecs.ShopSpec{{Key: "smith", Name: "Smith", Listings: []ecs.ListingSpec{
			{Key: "swords", Item: "sword", Currency: "gold", Price: 100, Stock: 10}}}},
		Players: []ecs.PlayerSpec{
			{Key: "alice", Name: "Alice", Capacity: 4, Wallet: []ecs.MoneySpec{{Currency: "gold", Amount: 1000}}},
			{Key: "bob", Name: "Bob", Capacity: 4, Wallet: []ecs.MoneySpec{{Currency: "gold", Amount: 500}}}},
	}
	ids, err := c.Apply(w)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{Setup: systems.CommerceSetup(systems.DefaultConfig)})
	require.NoError(t, err)
	lw.Record(w)
	gold, smith, alice, bob, swords, sword := ids.MustID("gold"), ids.MustID("smith"), ids.MustID("alice"), ids.MustID("bob"), ids.MustID("swords"), ids.MustID("sword")
	created := func(rec *ecs.TickRecord, k events.Kind) components.ID {
		for _, ev := range rec.Events {
			if ev.Kind == k {
				return ev.Subject
			}
		}
		require.Failf(t, "missing event", "%v in %v", k, rec.Events)
		return 0
	}
	w.Step()                                 // 0: content
	w.Command(events.Mint(smith, gold, 200)) // 1: the till gets money
	w.Step()
	w.Command(events.IssueCoupon(smith, alice, gold, 50))
	coupon := created(w.Step(), events.CouponIssued) // 2: 50 into escrow
	w.Submit(components.PurchaseIntent{Buyer: alice, Listing: swords, Quantity: 1, RequestID: 1, Coupon: coupon})
	w.Step() // 3: the coupon pays 50, Alice 50
	w.Command(events.OpenTrade(alice, bob))
	trade := created(w.Step(), events.TradeOpened) // 4
	w.Command(events.OfferItems(trade, alice, sword, 1))
	w.Command(events.OfferMoney(trade, bob, gold, 30))
	w.Step() // 5
	w.Command(events.AcceptTrade(trade, alice))
	w.Command(events.AcceptTrade(trade, bob))
	w.Step() // 6: the swap
	w.Command(events.Burn(alice, gold, 10))
	w.Step() // 7
	w.Command(events.Close(bob))
	w.Step() // 8: Bob's 470 burned as he closes
	w.Submit(components.PurchaseIntent{Buyer: alice, Listing: swords, Quantity: 1, RequestID: 2, Saga: true})
	record := created(w.Step(), events.SagaStarted) // 9
	w.Command(events.ConfirmPayment(record, 4242, 100))
	w.Step() // 10: the provider's 100 enters the record (escrow)
	w.Command(events.AcceptDelivery(record, 77))
	w.Step() // 11: the saga completes: the record pays the till
	require.NoError(t, lw.Close())

	r, err := Build(replay.FileSource(path), Options{WealthAt: []uint64{0, 8, 99}})
	require.NoError(t, err)
	require.True(t, r.OK(), "%+v", r.Check)
	ck := r.Check[0]
	assert.Equal(t, components.TotalOf(1700+100), ck.Minted)
	assert.Equal(t, components.TotalOf(10+470), ck.Burned)
	assert.Equal(t, w.Supply().MoneyOf(gold), ck.World)
	assert.Equal(t, components.TotalOf(1000-50-10+30), ck.Wallets, "Alice alone")
	assert.Equal(t, components.TotalOf(200-50+100+100), ck.Tills)
	assert.Equal(t, "13.20", ck.Currency.Format(ck.Issued))

	sup := chart(t, r, "supply-"+itoa(gold))
	require.Equal(t, []string{"minted − burned", "players", "tills", "escrow"}, labels(sup))
	require.Len(t, sup.X, 12)
	assert.Equal(t, 0.5, sup.Series[3].Y[2], "the coupon's 50 minor units are escrow at tick 2")
	assert.Equal(t, 0.0, sup.Series[3].Y[3], "and paid out at tick 3")
	assert.Equal(t, 1.0, sup.Series[3].Y[10], "the saga's payment is escrow at tick 10")
	assert.Equal(t, 0.0, sup.Series[3].Y[11], "and the till's at tick 11")
	assert.Equal(t, 3.5, sup.Series[2].Y[11])
	assert.Equal(t, 1.0, chart(t, r, "purchases").Series[0].Y[3])
	flows := chart(t, r, "flows-"+itoa(gold))
	assert.Equal(t, []string{"mint → players", "mint → tills", "burn ← players", "close ← players", "payment → escrow"}, labels(flows))
	assert.Equal(t, -4.7, flows.Series[3].Y[8])
	assert.Equal(t, 1.0, flows.Series[4].Y[10])
	kinds := labels(chart(t, r, "commerce"))
	assert.Subset(t, kinds, []string{"CouponIssued", "CouponRedeemed", "TradeOpened", "TradeOffered", "TradeAccepted", "TradeMoved", "TradeCompleted",
		"SagaStarted", "PaymentConfirmed", "DeliveryAccepted", "SagaCompleted"})

	// Wealth at the chosen ticks; 99 is not in the log and is named.
	require.Len(t, r.Wealth, 2)
	w0 := r.Wealth[0]
	assert.Equal(t, uint64(0), w0.Tick)
	assert.Equal(t, 2, w0.Players)
	assert.Equal(t, "0.1667", w0.Gini(4), "balances 500 and 1000: (−500+1000)/(2·1500)")
	assert.Equal(t, 1, r.Wealth[1].Players, "Bob is closed")
	assert.Contains(t, strings.Join(r.Notes, " "), "tick(s) 99")
}

func labels(c Chart) []string {
	var out []string
	for _, s := range c.Series {
		out = append(out, s.Label)
	}
	return out
}

func TestWealthIsExact(t *testing.T) {
	w := wealthOf(5, 1, []int64{10, 0, 0, 0})
	assert.Equal(t, "0.7500", w.Gini(4), "one of four holds all: (2·4−5)·10/(4·10)")
	assert.Equal(t, int64(0), w.Min)
	assert.Equal(t, int64(10), w.Max)
	assert.Equal(t, 0.0, w.Lorenz[75])
	assert.Equal(t, 1.0, w.Lorenz[100])
	eq := wealthOf(5, 1, []int64{7, 7, 7})
	assert.Equal(t, "0.0000", eq.Gini(4))
	var hundred []int64
	for i := int64(100); i >= 1; i-- {
		hundred = append(hundred, i)
	}
	h := wealthOf(5, 1, hundred)
	assert.Equal(t, []int64{10, 25, 50, 75, 90, 99}, h.Percentiles, "nearest rank")
	// Past int64 together: the total and the Gini stay exact.
	big := wealthOf(5, 1, []int64{1<<62 + 1, 1<<62 + 1, 1<<62 + 1, 0})
	assert.Equal(t, "13835058055282163715", big.Total.String())
	assert.Equal(t, "0.2500", big.Gini(4))
	assert.Equal(t, "–", wealthOf(5, 1, []int64{0, 0}).Gini(4))
	assert.Equal(t, "–", wealthOf(5, 1, nil).Gini(4))
}

// Downsampling keeps every spike, ends on the last value, and bounds the
// points.
func TestDownsampleKeepsExtremes(t *testing.T) {
	g := newGrid(100)
	s := g.series("s")
	var late *series
	for tk := uint64(0); tk < 10007; tk++ {
		switch tk {
		case 4321:
			s.cur = 1000
		case 7777:
			s.cur = -50
		default:
			s.cur = float64(tk % 7)
		}
		if tk == 5000 {
			late = g.series("late") // zero before it was made
		}
		if late != nil {
			late.cur = 1
		}
		g.commit(tk)
	}
	x, ys := g.points([]*series{s, late})
	assert.LessOrEqual(t, len(x), 101)
	assert.Greater(t, len(x), 50)
	assert.Len(t, ys[0], len(x))
	assert.Len(t, ys[1], len(x))
	assert.Contains(t, ys[0], 1000.0)
	assert.Contains(t, ys[0], -50.0)
	assert.Equal(t, uint64(0), x[0])
	assert.Equal(t, uint64(10006), x[len(x)-1])
	assert.Equal(t, float64(10006%7), ys[0][len(x)-1], "the line ends on the last tick's value")
	assert.Equal(t, 0.0, ys[1][0])
	assert.Equal(t, 1.0, ys[1][len(x)-1])
	for i := 1; i < len(x); i++ {
		require.LessOrEqual(t, x[i-1], x[i], "x ascends")
	}
	// Few ticks: one point per tick, as they were.
	g = newGrid(100)
	s = g.series("s")
	for tk := uint64(0); tk < 30; tk++ {
		s.cur = float64(tk)
		g.commit(tk)
	}
	x, ys = g.points([]*series{s})
	assert.Len(t, x, 30)
	assert.Equal(t, 29.0, ys[0][29])
}

// skim takes one minor unit from a player at tick 5 without an event: the
// recording world's own bug, which replay finds.
type skim struct{}

func (skim) Name() string { return "skim" }
func (skim) Update(w *ecs.World) {
	if w.NextTick() != 5 {
		return
	}
	for id := components.ID(1); ; id++ {
		e, st := w.Lookup(id)
		if st == ecs.Alive && w.Maps.Wallet.Has(e) && w.Maps.Inventory.Has(e) {
			w.Maps.Wallet.Get(e).Debit(1, 1)
			return
		}
	}
}

// A log that does not replay gets no report.
func TestDesyncedLogIsRefused(t *testing.T) {
	path, _ := recordSession(t, false, 20, 10, 10, skim{})
	_, err := Build(replay.FileSource(path), Options{})
	var de *DesyncError
	require.ErrorAs(t, err, &de)
	assert.GreaterOrEqual(t, de.Mismatch.Tick, uint64(5), "found at or after the skim (when the checksum sees it)")
	assert.Contains(t, err.Error(), "does not replay: desync at tick")
}

// Bad input: a torn log reports the good part; a damaged, empty or
// tickless log is a typed error.
func TestBadLogs(t *testing.T) {
	path, _ := recordSession(t, false, 120, 10, 10)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	torn := write("torn.log", data[:len(data)-20])
	r, err := Build(replay.FileSource(torn), Options{})
	require.NoError(t, err)
	require.NotNil(t, r.TornTail)
	assert.Equal(t, r.TornTail.LastTick, r.LastTick)
	assert.Positive(t, r.Ticks)
	assert.True(t, r.OK())

	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	_, err = Build(replay.FileSource(write("bad.log", bad)), Options{})
	var ce *ticklog.CorruptError
	assert.True(t, errors.As(err, &ce), "%v", err)

	_, err = Build(replay.FileSource(write("empty.log", nil)), Options{})
	assert.True(t, errors.As(err, &ce), "%v", err)

	// The header alone: no tick.
	first := firstRecordOffset(t, path)
	_, err = Build(replay.FileSource(write("hdr.log", data[:first])), Options{})
	assert.ErrorIs(t, err, ErrNoTicks)
}

// firstRecordOffset returns where the log's first record starts.
func firstRecordOffset(t *testing.T, path string) int64 {
	r, c, err := replay.FileSource(path)()
	require.NoError(t, err)
	defer c.Close()
	rec, err := r.Next()
	require.NoError(t, err)
	return rec.Offset
}

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		dec  int
		want string
	}{{1234, 2, "12.34"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {0, 2, "0.00"}, {-1234, 0, "-1234"}, {100, 3, "0.100"}} {
		assert.Equal(t, tc.want, formatMoney(components.TotalOf(tc.v), tc.dec))
	}
}
