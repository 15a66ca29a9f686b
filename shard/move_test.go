package shard

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// A player moves from shard 1 to shard 3 while one of its purchases is in
// flight and messages are repeated and reordered: it arrives with exactly
// what it had, plus what it bought; the old player is closed empty.
func TestPlayerMovesWithoutLossOrDoubling(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			f := newFaulty(seed)
			f.dup, f.shuffle, f.maxWait = true, true, 4
			c := newCluster(t, 3, 1, 40, f)
			c.RetryEvery = 5
			a := c.Node(1)
			gold, potion := a.IDs.MustID("gold"), a.IDs.MustID("potion")
			old := a.IDs.MustID("p1-0")
			a.W.Command(events.Grant(old, potion, 5))
			require.NoError(t, c.Step())
			_, err := c.Buy("p1-0", "l2", 2, 1) // 50 gold, in flight during the move
			require.NoError(t, err)
			require.NoError(t, c.Step())
			v := c.Dir.Version()
			m, err := c.Move("p1-0", 3)
			require.NoError(t, err)
			require.Equal(t, v+1, c.Dir.Version())
			e, _ := c.Dir.Lookup("p1-0")
			require.Equal(t, m.To, e.Addr)
			for range 200 {
				require.NoError(t, c.Step())
				if m.Done && c.Pending() == 0 && f.queued() == 0 {
					break
				}
			}
			require.True(t, m.Done)
			_, st := a.W.Lookup(old)
			require.Equal(t, ecs.Gone, st)
			dst := c.Node(3)
			ne, _ := dst.W.Lookup(m.To.ID())
			require.Equal(t, "P", dst.W.Maps.Name.Get(ne).Text, "the player keeps its name")
			bal, err := dst.W.Balance(m.To.ID(), gold)
			require.NoError(t, err)
			require.Equal(t, int64(950), bal)
			n, err := dst.W.ItemCount(m.To.ID(), potion)
			require.NoError(t, err)
			require.Equal(t, int64(7), n)
			paths := verifyAll(t, c)
			rep, err := Audit(paths)
			require.NoError(t, err)
			require.Empty(t, rep.InFlight)
			require.Zero(t, rep.Refused, "nothing was spent during the move")
		})
	}
}

// The old player keeps buying at home while it moves: the lines it spent
// are refused or smaller and go again with what is left; the move still
// ends with the old player closed empty and the economy balanced.
func TestPlayerMovesWhileSpending(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	a := c.Node(1)
	old, l1 := a.IDs.MustID("p1-0"), a.IDs.MustID("l1")
	m, err := c.Move("p1-0", 2)
	require.NoError(t, err)
	for r := range 100 {
		if r < 6 {
			a.W.Submit(components.PurchaseIntent{Buyer: old, Listing: l1, Quantity: 1, RequestID: uint64(r + 1)})
		}
		require.NoError(t, c.Step())
		if m.Done && c.Pending() == 0 && lb.Len(1)+lb.Len(2) == 0 {
			break
		}
	}
	require.True(t, m.Done)
	_, st := a.W.Lookup(old)
	require.Equal(t, ecs.Gone, st)
	b := c.Node(2)
	gold, _ := b.W.Balance(m.To.ID(), a.IDs.MustID("gold"))
	n, _ := b.W.ItemCount(m.To.ID(), a.IDs.MustID("potion"))
	require.Equal(t, int64(1000), gold+25*n, "what it had, in gold or in potions bought at 25")
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)
}

// Goods posted while the buyer's inventory was full wait in the hold; the
// player moves meanwhile: they go along (goods given from the hold), wait
// on the new shard while its inventory is full too, and go in as room
// appears there. Nothing is stranded on the old shard and the audit
// balances.
func TestMoveCarriesGoodsWaitingInAHold(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	a, b := c.Node(1), c.Node(2)
	old, potion := a.IDs.MustID("p1-0"), a.IDs.MustID("potion")
	a.W.Command(events.Grant(old, potion, 77)) // 8 slots of 10: room for 3
	require.NoError(t, c.Step())
	p, err := c.Buy("p1-0", "l2", 3, 1) // fits when held…
	require.NoError(t, err)
	a.W.Command(events.Grant(old, potion, 3)) // …but the room is gone when it posts
	run(t, c, lb, 20)
	h, ok := a.Sys.Hold(a.W, p.Hold)
	require.True(t, ok)
	require.True(t, h.Posted())
	require.Equal(t, int64(3), h.Waiting, "the goods wait in the hold on shard 1")

	m, err := c.Move("p1-0", 2)
	require.NoError(t, err)
	for range 100 {
		require.NoError(t, c.Step())
		if m.Done && c.Pending() == 0 && queued(c, lb) == 0 {
			break
		}
	}
	require.True(t, m.Done)
	require.NoError(t, m.Err)
	_, st := a.W.Lookup(old)
	require.Equal(t, ecs.Gone, st)
	h, _ = a.Sys.Hold(a.W, p.Hold)
	require.Zero(t, h.Waiting, "nothing stranded on the old shard")
	n, err := b.W.ItemCount(m.To.ID(), potion)
	require.NoError(t, err)
	require.Equal(t, int64(80), n, "the new inventory is full too")
	var waiting []components.ID
	waiting = b.Sys.waitingFor(b.W, m.To.ID(), waiting)
	require.Len(t, waiting, 1)
	wh, _ := b.Sys.Hold(b.W, waiting[0])
	require.Equal(t, int64(3), wh.Waiting, "so the 3 wait on shard 2")

	b.W.Command(events.BurnItems(m.To.ID(), potion, 5)) // room appears
	require.NoError(t, c.Step())
	require.NoError(t, c.Step())
	n, _ = b.W.ItemCount(m.To.ID(), potion)
	require.Equal(t, int64(78), n)
	rep, err := Audit(verifyAll(t, c))
	require.NoError(t, err)
	require.Empty(t, rep.InFlight)
	for _, it := range rep.Items {
		if it.What == potion {
			require.Zero(t, it.InFlight.Sign())
		}
	}
}

// Goods waiting in a hold leave it only for the player its buyer was
// handed over to: a request from anyone else is refused (NotYours).
func TestWaitingGoodsOnlyFollowTheirBuyer(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 2, 40, lb)
	require.NoError(t, c.Step())
	a, b := c.Node(1), c.Node(2)
	old, potion := a.IDs.MustID("p1-0"), a.IDs.MustID("potion")
	a.W.Command(events.Grant(old, potion, 77))
	require.NoError(t, c.Step())
	p, err := c.Buy("p1-0", "l2", 3, 1)
	require.NoError(t, err)
	a.W.Command(events.Grant(old, potion, 3))
	run(t, c, lb, 20)
	thief := b.W.Command(Buy(b.IDs.MustID("p2-0"), AddrOf(1, p.Hold), potion, a.IDs.MustID("gold"), 3, 0, 0))
	run(t, c, lb, 20)
	th, ok := b.Sys.Hold(b.W, thief.ID)
	require.True(t, ok)
	require.True(t, th.Voided())
	require.Equal(t, events.ReasonNotYours, th.Reason)
	h, _ := a.Sys.Hold(a.W, p.Hold)
	require.Equal(t, int64(3), h.Waiting)
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)
}
