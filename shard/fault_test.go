package shard

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// faulty is a transport that repeats, delays and reorders messages, and
// loses what is sent while a shard is cut off. Seeded: a run is repeatable.
type faulty struct {
	rng     *rand.Rand
	round   uint64
	dup     bool
	maxWait uint64 // delay up to this many Receive calls per shard
	shuffle bool
	cut     map[uint16]bool // messages from these shards are lost
	waiting map[uint16][]delayed
}

type delayed struct {
	due uint64
	m   Message
}

func newFaulty(seed uint64) *faulty {
	return &faulty{rng: rand.New(rand.NewPCG(seed, 7)), cut: map[uint16]bool{}, waiting: map[uint16][]delayed{}}
}

func (f *faulty) Send(m Message) error {
	if f.cut[m.From] {
		return nil
	}
	n := 1
	if f.dup {
		n = 2
	}
	for range n {
		var wait uint64
		if f.maxWait > 0 {
			wait = f.rng.Uint64N(f.maxWait + 1)
		}
		f.waiting[m.To] = append(f.waiting[m.To], delayed{due: f.round + wait, m: m})
	}
	return nil
}

func (f *faulty) Receive(to uint16, buf []Message) []Message {
	if to == 1 {
		f.round++ // shard 1 receives first in every round
	}
	keep := f.waiting[to][:0]
	start := len(buf)
	for _, d := range f.waiting[to] {
		if d.due <= f.round {
			buf = append(buf, d.m)
		} else {
			keep = append(keep, d)
		}
	}
	f.waiting[to] = keep
	if f.shuffle {
		got := buf[start:]
		f.rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	}
	return buf
}

func (f *faulty) Drop(to uint16) { f.waiting[to] = nil }

func (f *faulty) queued() int {
	n := 0
	for _, q := range f.waiting {
		n += len(q)
	}
	return n
}

// settle steps until no hold is pending and nothing waits in f.
func settle(t *testing.T, c *Cluster, f *faulty, max int) {
	for range max {
		require.NoError(t, c.Step())
		if c.Pending() == 0 && f.queued() == 0 {
			return
		}
	}
	require.FailNow(t, "cluster did not settle", "%d holds pending, %d messages queued", c.Pending(), f.queued())
}

// checkAll: every log verifies alone, the audit balances with nothing in
// flight, and every hold placed ended exactly once (the audit refuses a
// hold ended twice or a message answered twice).
func checkAll(t *testing.T, c *Cluster, holds int) *Report {
	paths := verifyAll(t, c)
	rep, err := Audit(paths)
	require.NoError(t, err)
	require.Empty(t, rep.InFlight)
	require.Empty(t, rep.Unanswered)
	placed := 0
	for _, s := range rep.Shards {
		placed += s.Holds
	}
	require.LessOrEqual(t, placed, holds) // some hold commands were refused (funds, room)
	require.Positive(t, placed)
	require.Equal(t, placed, rep.Completed+rep.Refused)
	return rep
}

// shop buys at random for rounds: players of every shard buy 1–3 units
// from a random shard's listing (cross-shard with probability about
// (n-1)/n). It returns how many cross-shard purchases it started.
func shop(t *testing.T, c *Cluster, rng *rand.Rand, n, players, rounds int, step func()) int {
	holds := 0
	for r := range rounds {
		for i := 1; i <= n; i++ {
			if c.Node(uint16(i)).W == nil || c.Node(uint16(i)).Paused {
				continue
			}
			for p := range players {
				if rng.IntN(3) != 0 {
					continue
				}
				to := rng.IntN(n) + 1
				if c.Node(uint16(to)).W == nil {
					continue
				}
				pu, err := c.Buy(fmt.Sprintf("p%d-%d", i, p), fmt.Sprintf("l%d", to), int64(rng.IntN(3)+1), uint64(r*1000+p+1))
				require.NoError(t, err)
				if pu.Hold != 0 {
					holds++
				}
			}
		}
		step()
	}
	return holds
}

func TestDuplicatedDelayedReorderedMessagesApplyOnce(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFaulty(seed)
			f.dup, f.shuffle, f.maxWait = true, true, 30 // past the 20-tick hold timeout: cancels race requests
			c := newCluster(t, 3, 4, 200, f)
			require.NoError(t, c.Step())
			rng := rand.New(rand.NewPCG(seed, 1))
			holds := shop(t, c, rng, 3, 4, 80, func() { require.NoError(t, c.Step()) })
			settle(t, c, f, 400)
			rep := checkAll(t, c, holds)
			require.Positive(t, rep.Completed)
			require.Positive(t, rep.Refused) // some out of stock or raced by a cancel
			t.Logf("%d purchases queued: %d completed, %d refused", holds, rep.Completed, rep.Refused)
		})
	}
}

// TestKillTheSellerAtEachProtocolPoint kills shard 2 (the seller) at each
// point of a purchase and restarts it from its log; the buyer's shard
// resends what is unanswered.
func TestKillTheSellerAtEachProtocolPoint(t *testing.T) {
	points := []string{"before the request arrives", "after selling, before the answer leaves",
		"after the answer reached the buyer", "while the cancel is in flight"}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			f := newFaulty(1)
			c := newCluster(t, 2, 1, 40, f)
			c.RetryEvery = 5
			for range 60 { // past the first snapshot: restarts restore it
				require.NoError(t, c.Step())
			}
			p, err := c.Buy("p1-0", "l2", 2, 1)
			require.NoError(t, err)
			f.cut[1] = point == "while the cancel is in flight" // the request is lost
			require.NoError(t, c.Step())                        // shard 1 holds; the request is queued for shard 2
			switch point {
			case "before the request arrives":
				require.NoError(t, c.Kill(2)) // its queued request is lost with it
			case "after selling, before the answer leaves":
				f.cut[2] = true
				require.NoError(t, c.Step()) // shard 2 sells and logs it; the answer is lost
				f.cut[2] = false
				require.NoError(t, c.Kill(2))
			case "after the answer reached the buyer":
				require.NoError(t, c.Step())
				require.NoError(t, c.Step())
				h, _ := c.Node(1).Sys.Hold(c.Node(1).W, p.Hold)
				require.NotEqual(t, 0, int(h.State))
				require.NoError(t, c.Kill(2))
			case "while the cancel is in flight":
				for range 22 {
					require.NoError(t, c.Step())
				}
				f.cut[1] = false
				h, _ := c.Node(1).Sys.Hold(c.Node(1).W, p.Hold)
				require.True(t, h.Cancel)
				require.NoError(t, c.Kill(2))
			}
			for range 7 { // down for a while: the buyer's resends are lost
				require.NoError(t, c.Step())
			}
			require.NoError(t, c.Restart(2))
			settle(t, c, f, 100)
			checkAll(t, c, 1)
		})
	}
}

func TestKillTheBuyerWhileItHolds(t *testing.T) {
	f := newFaulty(2)
	c := newCluster(t, 2, 1, 40, f)
	c.RetryEvery = 5
	require.NoError(t, c.Step())
	_, err := c.Buy("p1-0", "l2", 2, 1)
	require.NoError(t, err)
	require.NoError(t, c.Step())
	require.NoError(t, c.Kill(1))
	for range 3 {
		require.NoError(t, c.Step()) // shard 2 sells; the answer is lost with shard 1's inbox
	}
	require.NoError(t, c.Restart(1))
	settle(t, c, f, 100)
	rep := checkAll(t, c, 1)
	require.Equal(t, 1, rep.Completed)
}

// TestAShard500TicksBehind: shard 2 stops for 500 rounds while shard 1's
// players buy from it; their holds time out and ask to cancel; when shard
// 2 catches up each purchase ends once, sold or refused.
func TestAShard500TicksBehind(t *testing.T) {
	for _, shuffle := range []bool{false, true} {
		t.Run(fmt.Sprint("shuffle=", shuffle), func(t *testing.T) {
			f := newFaulty(3)
			f.shuffle = shuffle
			c := newCluster(t, 2, 3, 1000, f) // stock for all: a refusal can only be a cancel
			require.NoError(t, c.Step())
			c.Node(2).Paused = true
			rng := rand.New(rand.NewPCG(4, 4))
			holds := 0
			for r := range 500 {
				for p := range 3 {
					if rng.IntN(8) == 0 {
						_, err := c.Buy(fmt.Sprintf("p1-%d", p), "l2", int64(rng.IntN(3)+1), uint64(r*10+p+1))
						require.NoError(t, err)
						holds++
					}
				}
				require.NoError(t, c.Step())
			}
			require.Equal(t, uint64(501), c.Node(1).W.NextTick()-c.Node(2).W.NextTick()+1)
			c.Node(2).Paused = false
			settle(t, c, f, 100)
			rep := checkAll(t, c, holds)
			t.Logf("%d purchases queued: %d completed, %d refused", holds, rep.Completed, rep.Refused)
			if !shuffle {
				// In order, every request reaches shard 2 before its cancel.
				require.Zero(t, rep.Refused)
			}
		})
	}
}

// Every cross-shard kind is emitted in the faulty runs, and every event in
// every shard's log sets only the fields of its kind's table.
func TestEveryCrossShardKindIsEmittedByItsFieldTable(t *testing.T) {
	f := newFaulty(5)
	f.dup, f.shuffle, f.maxWait = true, true, 30
	c := newCluster(t, 2, 4, 30, f)
	require.NoError(t, c.Step())
	shop(t, c, rand.New(rand.NewPCG(5, 5)), 2, 4, 60, func() { require.NoError(t, c.Step()) })
	settle(t, c, f, 400)
	require.NoError(t, c.Close())
	seen := map[events.Kind]int{}
	for _, nd := range c.Nodes() {
		_, recs, err := ticklog.ReadAll(nd.Path)
		require.NoError(t, err)
		for _, r := range recs {
			if r.Tick == nil {
				continue
			}
			for _, ev := range r.Tick.Events {
				seen[ev.Kind]++
				if ev.Kind != events.CommandRejected {
					require.True(t, ev.Conforms(), "%v sets a field outside its table: %#v", ev.Kind, ev)
				}
			}
		}
	}
	for k := events.XHoldPlaced; k <= events.XHoldVoided; k++ { // the cross-shard kinds (later ones are not)
		require.Positive(t, seen[k], "no %v event", k)
	}
}

// Shards killed at random rounds of a busy session, with repeated and
// reordered messages, each restarted from its log a few rounds later:
// every purchase still ends exactly once.
func TestRandomKillsDuringABusySession(t *testing.T) {
	for _, seed := range []uint64{11, 12} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFaulty(seed)
			f.dup, f.shuffle, f.maxWait = true, true, 3
			c := newCluster(t, 3, 3, 100, f)
			c.RetryEvery = 5
			require.NoError(t, c.Step())
			rng := rand.New(rand.NewPCG(seed, 3))
			down, back, kills := uint16(0), 0, 0
			holds := shop(t, c, rng, 3, 3, 150, func() {
				require.NoError(t, c.Step())
				switch {
				case down != 0 && c.Round() >= uint64(back):
					require.NoError(t, c.Restart(down))
					down = 0
				case down == 0 && rng.IntN(12) == 0:
					down = uint16(rng.IntN(3) + 1)
					back = int(c.Round()) + 1 + rng.IntN(8)
					require.NoError(t, c.Kill(down))
					kills++
				}
			})
			if down != 0 {
				require.NoError(t, c.Restart(down))
			}
			settle(t, c, f, 400)
			rep := checkAll(t, c, holds)
			require.Positive(t, kills)
			t.Logf("%d kills; %d completed, %d refused", kills, rep.Completed, rep.Refused)
		})
	}
}
