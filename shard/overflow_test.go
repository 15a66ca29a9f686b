package shard

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// MaxInt64 prices and balances across shards: price × quantity that
// overflows is refused by Buy (*ClusterError) before anything is queued;
// a price raised to MaxInt64 after the hold is refused by the seller
// (PriceOverflow), a till that cannot take the money (TillOverflow), and a
// player that cannot take a transfer (Overflow); each hold is voided with
// the money back (kept in the hold when the buyer's balance cannot take
// it), every log verifies and the audit balances.
func TestMaxInt64PricesAcrossShards(t *testing.T) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	a, b := c.Node(1), c.Node(2)
	gold := a.IDs.MustID("gold")
	buyer, l2, till, seller := a.IDs.MustID("p1-0"), b.IDs.MustID("l2"), b.IDs.MustID("s2"), b.IDs.MustID("p2-0")
	balance := func() int64 { v, _ := a.W.Balance(buyer, gold); return v }
	reprice := func(price int64) {
		b.W.Command(events.Reprice(l2, price))
		require.NoError(t, c.Step())
	}

	reprice(math.MaxInt64)
	_, err := c.Buy("p1-0", "l2", 2, 1)
	var ce *ClusterError
	require.ErrorAs(t, err, &ce)
	require.Contains(t, ce.Error(), "price × quantity overflows")
	p, err := c.Buy("p1-0", "l2", 1, 1) // MaxInt64 held: more than the buyer has
	require.NoError(t, err)
	require.NoError(t, c.Step())
	require.Equal(t, events.ReasonInsufficientFunds, rejected(t, a.rec.Events, p.Ticket))
	require.Equal(t, int64(1000), balance())

	// Held at 25 × 2; the seller's price is MaxInt64 when the request comes.
	reprice(25)
	p, err = c.Buy("p1-0", "l2", 2, 2)
	require.NoError(t, err)
	b.W.Command(events.Reprice(l2, math.MaxInt64))
	run(t, c, lb, 10)
	voided(t, a, p, events.ReasonPriceOverflow)
	require.Equal(t, int64(1000), balance())

	// The seller's till one short of MaxInt64 cannot take 50.
	reprice(25)
	b.W.Command(events.Mint(till, gold, math.MaxInt64-1))
	require.NoError(t, c.Step())
	p, err = c.Buy("p1-0", "l2", 2, 3)
	require.NoError(t, err)
	run(t, c, lb, 10)
	voided(t, a, p, events.ReasonTillOverflow)
	require.Equal(t, int64(1000), balance())

	// A transfer of money to a player holding MaxInt64.
	b.W.Command(events.Mint(seller, gold, math.MaxInt64-1000))
	require.NoError(t, c.Step())
	tk := a.W.Command(Buy(buyer, AddrOf(2, seller), 0, gold, 0, 10, 4))
	run(t, c, lb, 10)
	voided(t, a, Purchase{Hold: tk.ID}, events.ReasonOverflow)
	require.Equal(t, int64(1000), balance())

	// Refused (the till still full) while the buyer, minted to MaxInt64
	// meanwhile, cannot take its 50 back: they stay in the hold, counted.
	p, err = c.Buy("p1-0", "l2", 2, 5)
	require.NoError(t, err)
	require.NoError(t, c.Step()) // the hold: 950 left
	a.W.Command(events.Mint(buyer, gold, math.MaxInt64-950))
	run(t, c, lb, 10)
	voided(t, a, p, events.ReasonTillOverflow)
	require.Equal(t, int64(math.MaxInt64), balance())
	h, _ := a.Sys.Hold(a.W, p.Hold)
	require.Equal(t, int64(50), h.Held)

	rep, err := Audit(verifyAll(t, c))
	require.NoError(t, err)
	require.Equal(t, 4, rep.Refused)
	require.Zero(t, rep.Completed)
}

// rejected returns the reason of the CommandRejected of ticket tk in evs.
func rejected(t *testing.T, evs []events.Event, tk ecs.Ticket) events.Reason {
	t.Helper()
	for _, ev := range evs {
		if ev.Kind == events.CommandRejected && ev.Ticket == tk.Seq {
			return ev.Reason
		}
	}
	require.FailNow(t, "no rejected hold")
	return 0
}

func voided(t *testing.T, nd *Node, p Purchase, why events.Reason) {
	t.Helper()
	h, ok := nd.Sys.Hold(nd.W, p.Hold)
	require.True(t, ok)
	require.True(t, h.Voided(), "hold %+v", h)
	require.Equal(t, why, h.Reason)
}
