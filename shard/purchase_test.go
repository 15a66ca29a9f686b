package shard

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

func TestCrossShardPurchaseCompletesInTwoRounds(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step()) // tick 0: content
	a, b := c.Node(1), c.Node(2)
	gold, potion := a.IDs.MustID("gold"), a.IDs.MustID("potion")
	p, err := c.Buy("p1-0", "l2", 3, 1)
	require.NoError(t, err)
	require.NotZero(t, p.Hold)

	require.NoError(t, c.Step()) // A holds
	h, ok := a.Sys.Hold(a.W, p.Hold)
	require.True(t, ok)
	require.Equal(t, components.SagaPending, h.State)
	bal, _ := a.W.Balance(a.IDs.MustID("p1-0"), gold)
	require.Equal(t, int64(925), bal)
	require.NoError(t, c.Step()) // B sells
	till, _ := b.W.Balance(b.IDs.MustID("s2"), gold)
	require.Equal(t, int64(75), till)
	require.NoError(t, c.Step()) // A posts: two rounds after the hold
	h, _ = a.Sys.Hold(a.W, p.Hold)
	require.Equal(t, components.SagaCompleted, h.State)
	require.Zero(t, h.Held)
	n, _ := a.W.ItemCount(a.IDs.MustID("p1-0"), potion)
	require.Equal(t, int64(3), n)
	require.Equal(t, 0, c.Pending())
	paths := verifyAll(t, c)
	rep, err := Audit(paths)
	require.NoError(t, err)
	require.Empty(t, rep.Unanswered)
	require.Equal(t, 1, rep.Completed)
}

func TestRefusalVoidsTheHold(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 2, lb) // stock 2
	require.NoError(t, c.Step())
	a := c.Node(1)
	p, err := c.Buy("p1-0", "l2", 3, 1)
	require.NoError(t, err)
	run(t, c, lb, 10)
	h, _ := a.Sys.Hold(a.W, p.Hold)
	require.Equal(t, components.SagaCompensated, h.State)
	require.Equal(t, events.ReasonOutOfStock, h.Reason)
	bal, _ := a.W.Balance(a.IDs.MustID("p1-0"), a.IDs.MustID("gold"))
	require.Equal(t, int64(1000), bal)
	paths := verifyAll(t, c)
	rep, err := Audit(paths)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Refused)
}

// Two runs of the same shopping, one stepping the worlds in parallel, write
// byte-identical logs: the rounds, not the goroutines, decide what each
// shard receives when.
func TestLoopbackRunsAreIdenticalSequentialOrParallel(t *testing.T) {
	logs := func(parallel bool) [][]byte {
		lb := NewLoopback(3)
		c := newCluster(t, 3, 4, 100, lb)
		c.Parallel = parallel
		require.NoError(t, c.Step())
		rng := rand.New(rand.NewPCG(9, 9))
		shop(t, c, rng, 3, 4, 60, func() { require.NoError(t, c.Step()) })
		run(t, c, lb, 50)
		require.NoError(t, c.Close())
		var out [][]byte
		for _, nd := range c.Nodes() {
			b, err := os.ReadFile(nd.Path)
			require.NoError(t, err)
			out = append(out, b)
		}
		return out
	}
	a, b := logs(false), logs(true)
	for i := range a {
		require.True(t, bytes.Equal(a[i], b[i]), "shard %d's logs differ", i+1)
	}
}

// A trade across shards: p1-0 (shard 1) pays 90 gold for 2 potions of
// p2-0 (shard 2), all or nothing; a second asks for more than p2-0 has
// and nothing moves.
func TestCrossShardTradeIsAllOrNothing(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	a, b := c.Node(1), c.Node(2)
	gold, potion := a.IDs.MustID("gold"), a.IDs.MustID("potion")
	seller := b.IDs.MustID("p2-0")
	b.W.Command(events.Grant(seller, potion, 3))
	require.NoError(t, c.Step())
	buyer := a.IDs.MustID("p1-0")
	ok := a.W.Command(Buy(buyer, AddrOf(2, seller), potion, gold, 2, 90, 1))
	short := a.W.Command(Buy(buyer, AddrOf(2, seller), potion, gold, 5, 100, 2))
	run(t, c, lb, 10)
	h, _ := a.Sys.Hold(a.W, ok.ID)
	require.Equal(t, components.SagaCompleted, h.State)
	h, _ = a.Sys.Hold(a.W, short.ID)
	require.Equal(t, components.SagaCompensated, h.State)
	require.Equal(t, events.ReasonInsufficientHoldings, h.Reason)
	n, _ := a.W.ItemCount(buyer, potion)
	require.Equal(t, int64(2), n)
	bal, _ := a.W.Balance(buyer, gold)
	require.Equal(t, int64(910), bal)
	n, _ = b.W.ItemCount(seller, potion)
	require.Equal(t, int64(1), n)
	bal, _ = b.W.Balance(seller, gold)
	require.Equal(t, int64(1090), bal)
	rep, err := Audit(verifyAll(t, c))
	require.NoError(t, err)
	require.Equal(t, 1, rep.Completed)
	require.Equal(t, 1, rep.Refused)
}

// Messages leave only once the tick that made them is durable: with an
// fsync every 4 ticks, nothing crosses before the sync, and the purchase
// still completes, later.
func TestMessagesWaitForTheirTickToBeDurable(t *testing.T) {
	lb := NewLoopback(2)
	var cs []*ecs.Content
	for i := 1; i <= 2; i++ {
		cs = append(cs, shardContent(t, i, 1, 40))
	}
	c, err := NewCluster(testConfig, cs, lb)
	require.NoError(t, err)
	require.NoError(t, c.OpenLogs(t.TempDir(), ticklog.Options{SyncEvery: 4}))
	require.NoError(t, c.Step()) // tick 0
	p, err := c.Buy("p1-0", "l2", 1, 1)
	require.NoError(t, err)
	require.NoError(t, c.Step()) // tick 1: the hold, not yet durable
	require.Zero(t, lb.Len(2), "the request left before its tick was on disk")
	rounds := run(t, c, lb, 30)
	h, _ := c.Node(1).Sys.Hold(c.Node(1).W, p.Hold)
	require.True(t, h.Posted())
	require.Greater(t, rounds, 2)
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)
}

// A client retrying a cross-shard purchase with the same request id gets
// DuplicateRequest, and HoldFor finds the first hold; one purchase
// happens. After a restart from the log the memory is rebuilt.
func TestRetriedHoldIsADuplicate(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	first, err := c.Buy("p1-0", "l2", 1, 7)
	require.NoError(t, err)
	again, err := c.Buy("p1-0", "l2", 1, 7)
	require.NoError(t, err)
	rec := c.Node(1)
	require.NoError(t, c.Step())
	ev, ok := rec.rec.Outcome(again.Ticket)
	require.True(t, ok)
	require.Equal(t, events.CommandRejected, ev.Kind)
	require.Equal(t, events.ReasonDuplicateRequest, ev.Reason)
	id, ok := rec.Sys.HoldFor(rec.W, rec.IDs.MustID("p1-0"), 7)
	require.True(t, ok)
	require.Equal(t, first.Hold, id)
	run(t, c, lb, 10)
	for range 60 { // past a snapshot: the restart restores it and rebuilds the memory
		require.NoError(t, c.Step())
	}
	require.NoError(t, c.Kill(1))
	require.NoError(t, c.Restart(1))
	retry, err := c.Buy("p1-0", "l2", 1, 7)
	require.NoError(t, err)
	require.NoError(t, c.Step())
	ev, _ = c.Node(1).rec.Outcome(retry.Ticket)
	require.Equal(t, events.ReasonDuplicateRequest, ev.Reason)
	n, _ := c.Node(1).W.ItemCount(rec.IDs.MustID("p1-0"), rec.IDs.MustID("potion"))
	require.Equal(t, int64(1), n)
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)
}

// A hold naming a shard the economy does not have, or its own shard, is
// refused at once with the money untouched.
func TestHoldForANonexistentShardIsRefused(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	a := c.Node(1)
	buyer, gold, potion := a.IDs.MustID("p1-0"), a.IDs.MustID("gold"), a.IDs.MustID("potion")
	far := a.W.Command(Buy(buyer, AddrOf(3, 4), potion, gold, 1, 25, 1))
	home := a.W.Command(Buy(buyer, AddrOf(1, 4), potion, gold, 1, 25, 2))
	require.NoError(t, c.Step())
	for _, tk := range []ecs.Ticket{far, home} {
		ev, _ := a.rec.Outcome(tk)
		require.Equal(t, events.CommandRejected, ev.Kind)
		require.Equal(t, events.ReasonUnknownListing, ev.Reason)
	}
	bal, _ := a.W.Balance(buyer, gold)
	require.Equal(t, int64(1000), bal)
}

// Goods that arrive while the buyer's inventory is full wait in the hold
// and go in as soon as there is room.
func TestGoodsWaitForRoomAndThenGoIn(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	a := c.Node(1)
	buyer, potion := a.IDs.MustID("p1-0"), a.IDs.MustID("potion")
	p, err := c.Buy("p1-0", "l2", 5, 1)
	require.NoError(t, err)
	require.NoError(t, c.Step()) // the hold (room checked: 8 empty slots)
	var rock components.ID
	for i := range 8 { // the inventory fills meanwhile: 8 slots of other items
		rock = a.W.Command(events.DefineItem(fmt.Sprint("rock", i), 1)).ID
		a.W.Command(events.Grant(buyer, rock, 1))
	}
	run(t, c, lb, 10)
	h, _ := a.Sys.Hold(a.W, p.Hold)
	require.True(t, h.Posted())
	require.Equal(t, int64(5), h.Waiting)
	n, _ := a.W.ItemCount(buyer, potion)
	require.Zero(t, n)
	a.W.Command(events.BurnItems(buyer, rock, 1)) // a slot frees up
	require.NoError(t, c.Step())
	h, _ = a.Sys.Hold(a.W, p.Hold)
	require.Zero(t, h.Waiting)
	n, _ = a.W.ItemCount(buyer, potion)
	require.Equal(t, int64(5), n)
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)
}
