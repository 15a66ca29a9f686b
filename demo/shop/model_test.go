package shop

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// soloContent has the player and no bots, so that tests know every change.
const soloContent = `{
  "currencies": [{"key": "gold", "name": "Gold", "decimals": 2}],
  "items": [
    {"key": "potion", "name": "Potion", "max_stack": 10},
    {"key": "sword", "name": "Sword", "max_stack": 1}
  ],
  "shops": [{"key": "s", "name": "Shop", "listings": [
    {"key": "potions", "item": "potion", "currency": "gold", "price": 250, "stock": 5},
    {"key": "swords", "item": "sword", "currency": "gold", "price": 900, "stock": 2}
  ]}],
  "players": [{"key": "player", "name": "You", "capacity": 3,
    "wallet": [{"currency": "gold", "amount": 2000}]}]
}`

func solo(t *testing.T) *Model {
	t.Helper()
	m, err := New([]byte(soloContent), 1)
	require.NoError(t, err)
	require.Equal(t, 2, m.Listings())
	return m
}

func gold(m *Model) int64 { return m.Wallet(m.Player())[0].Amount }

func TestFormatAmount(t *testing.T) {
	for _, c := range []struct {
		amount int64
		dec    uint8
		want   string
	}{
		{1234, 2, "12.34"}, {5, 2, "0.05"}, {-5, 2, "-0.05"}, {0, 2, "0.00"},
		{100, 2, "1.00"}, {7, 0, "7"}, {-7, 0, "-7"}, {123456, 3, "123.456"},
		{math.MaxInt64, 2, "92233720368547758.07"},
		{math.MinInt64, 2, "-92233720368547758.08"},
	} {
		assert.Equal(t, c.want, FormatAmount(c.amount, c.dec), "%d/%d", c.amount, c.dec)
	}
}

func TestSelectionAndQuantityClamp(t *testing.T) {
	m := solo(t)
	assert.Equal(t, 0, m.Selected())
	m.Select(1)
	assert.Equal(t, 1, m.Selected())
	m.Select(7)
	assert.Equal(t, 1, m.Selected(), "past the end clamps to the last listing")
	m.Select(-3)
	assert.Equal(t, 0, m.Selected())

	m.SetQty(5)
	assert.EqualValues(t, 5, m.Qty())
	m.SetQty(0)
	assert.EqualValues(t, 1, m.Qty(), "quantity never goes below 1")
	m.SetQty(1000)
	assert.EqualValues(t, MaxQty, m.Qty())

	// The same through per-frame input, as the window sends it.
	m.Pause()
	m.Update(Input{Select: -1, Move: 1, QtyDelta: -1})
	assert.Equal(t, 1, m.Selected())
	assert.EqualValues(t, MaxQty-1, m.Qty())
	m.Update(Input{Select: 0})
	assert.Equal(t, 0, m.Selected())
}

func TestBuyCompletes(t *testing.T) {
	m := solo(t)
	l := m.Listing(0)
	before := gold(m)
	m.SetQty(3)
	req, err := m.Buy()
	require.NoError(t, err)
	assert.EqualValues(t, 1, req)
	assert.Contains(t, m.Status(), "Buying 3× Potion")

	rec := m.StepOnce()
	require.Len(t, rec.Events, 1)
	assert.Equal(t, events.PurchaseCompleted, rec.Events[0].Kind)
	assert.Equal(t, before-3*l.Price, gold(m), "paid unit price × quantity")
	assert.EqualValues(t, l.Stock-3, m.Listing(0).Stock)
	slots, capacity := m.Inventory(m.Player())
	assert.Equal(t, 3, capacity)
	require.Len(t, slots, 1)
	assert.Equal(t, l.Item, slots[0].Item)
	assert.EqualValues(t, 3, slots[0].Qty)
	assert.Equal(t, "Bought 3× Potion at Shop for 7.50 Gold", m.Status())
	assert.EqualValues(t, 1, m.Stats().PlayerPurchases)

	feed := m.Feed(1)
	require.Len(t, feed, 1)
	assert.Equal(t, FeedPurchase, feed[0].Kind)
	assert.True(t, feed[0].Player)
	assert.Equal(t, "You bought 3× Potion at Shop for 7.50 Gold", feed[0].Text)

	// The next purchase uses the next request id.
	m.SetQty(1)
	req, err = m.Buy()
	require.NoError(t, err)
	assert.EqualValues(t, 2, req)
}

func TestBuyRejectedChangesNothing(t *testing.T) {
	m := solo(t)
	m.Select(1) // swords: 2 in stock at 9.00
	m.SetQty(2)
	before, stock := gold(m), m.Listing(1).Stock
	// Two requests in one tick: the first takes both swords, so the
	// second, which looked fine on screen, is rejected by the system.
	_, err := m.Buy()
	require.NoError(t, err)
	m.SetQty(1)
	_, err = m.Buy()
	require.NoError(t, err)
	m.StepOnce()
	assert.Equal(t, "Rejected 1× Sword: out of stock", m.Status())
	assert.Equal(t, FeedRejection, m.StatusKind())
	assert.Equal(t, before-2*900, gold(m), "only the first request paid")
	assert.Equal(t, stock-2, m.Listing(1).Stock)
	assert.EqualValues(t, 1, m.Stats().Rejections[events.ReasonOutOfStock])
	assert.Equal(t, "You: 1× Sword rejected, out of stock", m.Feed(1)[0].Text)
}

// TestBuyBlockedWithReason: a purchase the screen already shows will fail
// is not submitted; the row says why in words and Buy reports it.
func TestBuyBlockedWithReason(t *testing.T) {
	m := solo(t)
	m.Select(1) // swords: 2 in stock at 9.00, 20.00 Gold in the wallet
	m.SetQty(3)
	assert.Equal(t, "only 2 in stock", m.Listing(1).BuyBlock)
	m.SetQty(2)
	assert.Empty(t, m.Listing(1).BuyBlock)
	_, err := m.Buy()
	require.NoError(t, err)
	m.StepOnce()
	assert.Equal(t, "out of stock", m.Listing(1).BuyBlock)
	tick := m.LastTick()
	_, err = m.Buy()
	require.ErrorContains(t, err, "out of stock")
	assert.Equal(t, "Cannot buy 2× Sword: out of stock", m.Status())
	rec := m.StepOnce()
	assert.Empty(t, rec.Intents, "a blocked Buy submits nothing")
	assert.Equal(t, tick+1, m.LastTick())

	m.Select(0) // potions at 2.50; 2.00 Gold left
	m.SetQty(1)
	assert.Equal(t, "not enough Gold", m.Listing(0).BuyBlock)
	_, err = m.Buy()
	require.ErrorContains(t, err, "not enough Gold")
}

func TestReasonText(t *testing.T) {
	assert.Equal(t, "out of stock", ReasonText(events.ReasonOutOfStock, "Gold"))
	assert.Equal(t, "not enough Gold", ReasonText(events.ReasonInsufficientFunds, "Gold"))
	assert.Equal(t, "not enough money", ReasonText(events.ReasonInsufficientFunds, ""))
	assert.Equal(t, "credit limit", ReasonText(events.ReasonCreditLimit, ""), "reasons without a text are split into words")
	for _, r := range events.Reasons() {
		txt := ReasonText(r, "Gold")
		assert.NotEmpty(t, txt)
		assert.NotContains(t, txt, "Reason(", "every known reason has words")
		assert.Equal(t, strings.ToLower(txt[:1]), txt[:1], "%v reads as a phrase", r)
	}
}

func TestPauseAndSingleStep(t *testing.T) {
	m := solo(t)
	start := m.LastTick()
	m.Update(NoInput)
	assert.Equal(t, start+1, m.LastTick(), "running: one tick per frame")

	m.Update(Input{Select: -1, TogglePause: true})
	assert.True(t, m.Paused())
	paused := m.LastTick()
	for range 5 {
		m.Update(NoInput)
	}
	assert.Equal(t, paused, m.LastTick(), "paused: frames do not tick")

	// A purchase made while paused waits for the next tick.
	m.Update(Input{Select: -1, Buy: true})
	assert.Equal(t, paused, m.LastTick())
	assert.EqualValues(t, 0, m.Stats().PlayerPurchases)
	m.Update(Input{Select: -1, Step: true})
	assert.Equal(t, paused+1, m.LastTick(), "step runs exactly one tick")
	assert.EqualValues(t, 1, m.Stats().PlayerPurchases)
	assert.True(t, m.Paused(), "stepping does not resume")

	m.Update(Input{Select: -1, TogglePause: true})
	assert.False(t, m.Paused())
	assert.Equal(t, paused+2, m.LastTick())
}

func TestRestockIsALoggedGrant(t *testing.T) {
	m := solo(t)
	m.Select(1)
	var granted []events.ItemsGrantedEvent
	m.World().Subscribe(ecs.Kinds(events.ItemsGranted), func(r *ecs.TickRecord) error {
		for _, ev := range r.Events {
			if v, ok := ev.AsItemsGranted(); ok {
				granted = append(granted, v)
			}
		}
		return nil
	})
	require.NoError(t, m.Restock())
	m.StepOnce()
	assert.EqualValues(t, 4, m.Listing(1).Stock, "initial stock 2, restocked by 2")
	require.Len(t, granted, 1)
	assert.Equal(t, m.Listing(1).ID, granted[0].Holder)
	assert.Equal(t, "restocked 2× Sword", m.Feed(1)[0].Text)
	assert.Equal(t, "Restocked Sword with 2", m.Status(), "the outcome matched by the command's ticket")
}

// run plays the default content with bots for n ticks and returns its
// summary and every committed record.
func run(t *testing.T, seed, n uint64) (string, []ecs.TickRecord, *Model) {
	t.Helper()
	var recs []ecs.TickRecord
	m, err := New(nil, seed, func(w *ecs.World) {
		w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { recs = append(recs, r.Clone()); return nil })
	})
	require.NoError(t, err)
	m.Run(n)
	require.Equal(t, n, m.LastTick())
	var buf bytes.Buffer
	require.NoError(t, m.WriteSummary(&buf))
	return buf.String(), recs, m
}

func TestHeadlessDeterministic(t *testing.T) {
	a, recsA, m := run(t, 7, 400)
	b, recsB, _ := run(t, 7, 400)
	assert.Equal(t, a, b, "same seed, same summary")
	require.Equal(t, len(recsA), len(recsB))
	for i := range recsA {
		require.Equal(t, recsA[i].Checksum, recsB[i].Checksum, "tick %d", i)
	}
	c, _, m2 := run(t, 8, 400)
	assert.NotEqual(t, a, c, "another seed plays another game")
	assert.NotEqual(t, m.Checksum(), m2.Checksum())

	// Bots compete: purchases and stock conflicts both happen.
	s := m.Stats()
	assert.Greater(t, s.Purchases, uint64(20))
	assert.Positive(t, s.Rejections[events.ReasonOutOfStock])
	assert.Positive(t, s.Minted)
	assert.Positive(t, s.Burned)
	assert.Positive(t, s.ItemsBurned)
	assert.Zero(t, s.CommandRejected, "the demo's own commands are always valid")
	assert.Contains(t, a, "checksum    ")
}

// TestBotsUseUniqueRequestIDs: every (buyer, request id) is used once in
// the whole session, so no bot intent is ever a DuplicateRequest.
func TestBotsUseUniqueRequestIDs(t *testing.T) {
	_, recs, m := run(t, 3, 500)
	type key struct {
		buyer components.ID
		req   uint64
	}
	seen := map[key]bool{}
	for _, r := range recs {
		for _, in := range r.Intents {
			k := key{in.Buyer, in.RequestID}
			require.False(t, seen[k], "duplicate request %v at tick %d", k, r.Tick)
			seen[k] = true
			assert.NotEqual(t, m.Player(), in.Buyer, "nobody buys for the idle player")
		}
	}
	assert.Greater(t, len(seen), 100)
	assert.Zero(t, m.Stats().Rejections[events.ReasonDuplicateRequest])
}

// TestConservation: every coin and item in the world is accounted for by
// the logged mints, grants and burns (the library's Ledger against the
// world's Supply), so the demo never changed state behind the event log.
func TestConservation(t *testing.T) {
	_, recs, m := run(t, 11, 800)
	ledger := ecs.NewLedger(ecs.New())
	for i := range recs {
		ledger.Record(&recs[i])
	}
	require.NoError(t, ledger.Check(m.World()))
	gold := m.World().Currencies()[0]
	total, ok := m.World().Supply().MoneyOf(gold).Int64()
	require.True(t, ok)
	assert.Equal(t, total, m.History(nil)[len(m.History(nil))-1].Supply(), "the chart shows the supply")
	assert.Positive(t, m.Stats().Purchases)
}

// sliceSource replays records kept in memory.
type sliceSource struct {
	recs []ecs.TickRecord
	i    int
}

func (s *sliceSource) Next() (*ecs.TickRecord, bool) {
	if s.i >= len(s.recs) {
		return nil, false
	}
	s.i++
	return &s.recs[s.i-1], true
}

func (s *sliceSource) Err() error { return nil }

func TestReplayReproducesSession(t *testing.T) {
	_, recs, live := run(t, 5, 300)
	m, err := NewReplay(&sliceSource{recs: recs})
	require.NoError(t, err)
	assert.Equal(t, Replay, m.Mode())
	assert.Equal(t, live.Player(), m.Player())
	_, err = m.Buy()
	require.Error(t, err, "a replay only watches")
	require.Error(t, m.Restock())
	m.Run(1 << 20)
	assert.True(t, m.Done())
	assert.Equal(t, ReplayVerified, m.Replay().State)
	assert.Equal(t, live.Ticks(), m.Replay().Ticks)
	assert.Equal(t, live.LastTick(), m.LastTick())
	assert.Equal(t, live.Checksum(), m.Checksum())
	assert.Equal(t, live.Stats().Purchases, m.Stats().Purchases)
}

// TestReplayToTheLastTickIsVerified: running a replay to exactly the
// recording's last tick consumes every record, so the verdict is verified,
// not "still playing" (the new-user trial's `-replay s.log -ticks 3000` on
// a log of ticks 0..3000).
func TestReplayToTheLastTickIsVerified(t *testing.T) {
	_, recs, live := run(t, 5, 120)
	m, err := NewReplay(&sliceSource{recs: recs})
	require.NoError(t, err)
	m.Run(live.LastTick())
	assert.Equal(t, live.LastTick(), m.LastTick())
	assert.True(t, m.Done(), "every record is consumed")
	assert.Equal(t, ReplayVerified, m.Replay().State)
	assert.Equal(t, live.Ticks(), m.Replay().Ticks)

	// One tick short of the end is still playing: the last record is unread.
	m, err = NewReplay(&sliceSource{recs: recs})
	require.NoError(t, err)
	m.Run(live.LastTick() - 1)
	assert.False(t, m.Done())
	assert.Equal(t, ReplayPlaying, m.Replay().State)
}

func TestReplayDetectsTamperedInput(t *testing.T) {
	_, recs, _ := run(t, 5, 200)
	// Turn one completed bot purchase in the middle of the session into an
	// impossible one: the replayed tick then differs from the recorded one.
	tampered := false
	for i := 100; i < len(recs) && !tampered; i++ {
		for _, ev := range recs[i].Events {
			v, ok := ev.AsPurchaseCompleted()
			if !ok {
				continue
			}
			for j, in := range recs[i].Intents {
				if in.Buyer == v.Buyer && in.RequestID == v.Request {
					recs[i].Intents[j].Quantity = 1 << 40
					tampered = true
				}
			}
			break
		}
	}
	require.True(t, tampered)
	m, err := NewReplay(&sliceSource{recs: recs})
	require.NoError(t, err)
	m.Run(1 << 20)
	st := m.Replay()
	require.Equal(t, ReplayDesync, st.State)
	assert.Equal(t, m.LastTick(), st.Tick, "the replay stops at the tick that differs")
	assert.Equal(t, fmt.Sprintf("DESYNC AT TICK %d", st.Tick), st.Headline())
	assert.Equal(t, ExitDesync, st.ExitCode())
	var buf bytes.Buffer
	require.NoError(t, m.WriteSummary(&buf))
	assert.Contains(t, buf.String(), fmt.Sprintf("desync at tick %d", st.Tick))
}

func TestBadContent(t *testing.T) {
	_, err := New([]byte(`{"players": [{"key": "bob", "name": "Bob"}]}`), 1)
	require.ErrorContains(t, err, `no player "player"`)
	_, err = New([]byte(`{"nope": 1}`), 1)
	require.Error(t, err)
	_, err = NewReplay(&sliceSource{})
	require.Error(t, err)
}

// TestReplayComparesEvents: a recording whose events differ from the
// replay's while the checksum agrees (a peer that logged something else
// than it did) is a desync too, found by the library's CompareTick.
func TestReplayComparesEvents(t *testing.T) {
	_, recs, _ := run(t, 5, 120)
	tick := -1
	for i := 60; i < len(recs); i++ {
		if len(recs[i].Events) > 0 {
			recs[i].Events[0].Qty++
			tick = i
			break
		}
	}
	require.Positive(t, tick)
	m, err := NewReplay(&sliceSource{recs: recs})
	require.NoError(t, err)
	m.RunAll()
	st := m.Replay()
	require.Equal(t, ReplayDesync, st.State)
	assert.EqualValues(t, tick, st.Tick)
	assert.Equal(t, st.Want, st.Got, "the checksums agree")
	require.NotNil(t, st.Mismatch)
	assert.Equal(t, "events", st.Mismatch.FoundBy)
	assert.Contains(t, st.String(), "the events differ")
	// The window's status line says the same (issue 22: it said "the
	// state differs" while the CLI rightly said the checksums agree).
	assert.Contains(t, st.Line(), "the events differ from the recording; the checksums agree")
	assert.NotContains(t, st.Line(), "state")
	st.Got++
	assert.Contains(t, st.Line(), "the state differs from the recording", "a checksum that differs is the state")
}

// TestJoinerLabelsTheHostsPlayerHost: in a joiner's window the content's
// player is the host's, so it is "Host", and the joiner's own wallet is
// "You" (issue 22: the joiner's window labelled the host's player "You").
func TestJoinerLabelsTheHostsPlayerHost(t *testing.T) {
	c, err := ecs.ParseContent(DefaultContent)
	require.NoError(t, err)
	var ids ecs.IDs
	m := Joined(func() *ecs.World {
		w := coreWorld()
		ids, err = c.Apply(w)
		require.NoError(t, err)
		w.Step()
		return w
	}, nil)
	m.AttachWorld()
	host := ids.MustID(PlayerKey)
	require.NotZero(t, host)
	var me components.ID
	for _, id := range m.Shoppers() {
		if id != host {
			me = id
			break
		}
	}
	require.NotZero(t, me)
	mine := m.Name(me)
	m.SetPlayer(me)
	assert.Equal(t, "Host", m.Name(host))
	assert.Equal(t, "You", m.Name(me))
	assert.NotEqual(t, "You", mine, "before SetPlayer the joiner has no player yet")

	// The host's own window is unchanged: its player is "You".
	h, err := New(nil, 1)
	require.NoError(t, err)
	assert.Equal(t, "You", h.Name(h.Player()))
}
