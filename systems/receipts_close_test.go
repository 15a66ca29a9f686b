package systems_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// closeWorld is a commerce world with players buyers who can buy every
// tick, audited every tick.
func closeWorld(t *testing.T, players int) (*ecs.World, *systems.Commerce, []components.ID, components.ID) {
	w := ecs.New()
	c := systems.InstallCommerce(w, systems.DefaultConfig)
	w.SetChecksumAudit(1)
	gold := w.Command(events.DefineCurrency("Gold", 0)).ID
	item := w.Command(events.DefineItem("Pebble", 1<<40)).ID
	shop := w.Command(events.OpenShop("Shop")).ID
	listing := w.Command(events.PostListing(shop, item, gold, 1, 1<<50)).ID
	ps := make([]components.ID, players)
	for i := range ps {
		ps[i] = w.Command(events.OpenPlayer("", 1)).ID
		w.Command(events.Mint(ps[i], gold, 1<<40))
	}
	w.Step()
	return w, c, ps, listing
}

// buy has every player buy once and returns the receipts issued.
func buy(t *testing.T, w *ecs.World, ps []components.ID, listing components.ID, req uint64) []components.ID {
	for _, p := range ps {
		w.Submit(components.PurchaseIntent{Buyer: p, Listing: listing, Quantity: 1, RequestID: req})
	}
	var rs []components.ID
	for _, ev := range w.Step().Events {
		if ev.Kind == events.ReceiptIssued {
			rs = append(rs, ev.Subject)
		}
	}
	require.Len(t, rs, len(ps))
	return rs
}

// CloseReceipts closes exactly the open receipts of its range — not the
// players, the listing, a receipt closed before, nor receipts outside it —
// under one event, and leaves the world as closing each with Close does:
// the same checksum every tick (audited from scratch), the same receipts
// open afterwards.
func TestCloseReceiptsClosesTheOpenReceiptsOfItsRange(t *testing.T) {
	for _, closer := range []bool{false, true} {
		t.Run(fmt.Sprintf("closer=%v", closer), func(t *testing.T) { closeReceiptsOfARange(t, closer) })
	}
}

// closeReceiptsOfARange is the test above, with an OnClose function in
// both worlds if closer: it sees every receipt closed, either way.
func closeReceiptsOfARange(t *testing.T, closer bool) {
	const players = 300 // receipts of a tick span a page boundary of the id table
	each, ce, ps, listing := closeWorld(t, players)
	bulk, cb, _, _ := closeWorld(t, players)
	var seen [2][]components.ID
	if closer {
		each.OnClose(func(_ *ecs.World, id components.ID, _ arche.Entity) { seen[0] = append(seen[0], id) })
		bulk.OnClose(func(_ *ecs.World, id components.ID, _ arche.Entity) { seen[1] = append(seen[1], id) })
	}
	for req := uint64(1); req <= 4; req++ {
		ra := buy(t, each, ps, listing, req)
		rb := buy(t, bulk, ps, listing, req)
		require.Equal(t, ra, rb)
		// Closed before: the range passes over it.
		each.Command(events.Close(ra[7]))
		bulk.Command(events.Close(rb[7]))
		each.Step()
		bulk.Step()
		// Every receipt but the last two, by one range from id 1 (players,
		// the listing, the definitions, older receipts inside it).
		for _, id := range ra[:len(ra)-2] {
			if id != ra[7] {
				each.Command(events.Close(id))
			}
		}
		last := rb[len(rb)-3]
		bulk.Command(events.CloseReceipts(1, last))
		recA, recB := each.Step(), bulk.Step()
		require.Equal(t, recA.Checksum, recB.Checksum, "tick %d", recB.Tick)
		var got []events.Event
		for _, ev := range recB.Events {
			require.NotEqual(t, events.EntityClosed, ev.Kind)
			if ev.Kind == events.ReceiptsClosed {
				got = append(got, ev)
			}
		}
		require.Len(t, got, 1)
		v, ok := got[0].AsReceiptsClosed()
		require.True(t, ok)
		// Open before: this tick's receipts but the one closed before
		// (the earlier ticks' are all closed).
		assert.Equal(t, events.ReceiptsClosedEvent{First: 1, Last: last, Closed: players - 3}, v)
		for i, id := range rb {
			_, open := cb.Maps.Receipt(bulk, id)
			_, openA := ce.Maps.Receipt(each, id)
			if i < len(rb)-2 {
				assert.False(t, open, "receipt %d", id)
			} else {
				assert.True(t, open, "receipt %d", id)
			}
			assert.Equal(t, openA, open)
		}
		for _, p := range ps {
			_, st := bulk.Lookup(p)
			require.Equal(t, ecs.Alive, st)
		}
		// The two kept close with the next range in the test before; a
		// range over nothing open closes nothing and is no error.
		each.Command(events.Close(ra[len(ra)-2]))
		each.Command(events.Close(ra[len(ra)-1]))
		bulk.Command(events.CloseReceipts(ra[len(ra)-2], ra[len(ra)-1]))
		bulk.Command(events.CloseReceipts(ra[len(ra)-2], ra[len(ra)-1]))
		recA, recB = each.Step(), bulk.Step()
		require.Equal(t, recA.Checksum, recB.Checksum)
		var closed []int64
		for _, ev := range recB.Events {
			if v, ok := ev.AsReceiptsClosed(); ok {
				closed = append(closed, v.Closed)
			}
		}
		assert.Equal(t, []int64{2, 0}, closed)
	}
	for _, w := range []*ecs.World{each, bulk} {
		n, _ := w.ChecksumDrift()
		assert.Zero(t, n, "an audit found the running checksum wrong")
	}
	assert.Equal(t, each.FullChecksum(), bulk.FullChecksum())
	if closer {
		assert.Len(t, seen[1], 4*players)
		assert.ElementsMatch(t, seen[0], seen[1])
	}
}

// A CloseReceipts that names no range, a range beyond the ids given out,
// one too wide, or a Closed count of its own is refused, and changes
// nothing.
func TestCloseReceiptsRefusesBadRanges(t *testing.T) {
	w, c, ps, listing := closeWorld(t, 3)
	rs := buy(t, w, ps, listing, 1)
	next := w.NextID()
	withCount := events.CloseReceipts(rs[0], rs[2])
	withCount.Size = 3
	for _, tc := range []struct {
		name string
		cmd  events.Event
		want events.Reason
	}{
		{"from 0", events.CloseReceipts(0, rs[2]), events.ReasonBadCommand},
		{"backwards", events.CloseReceipts(rs[2], rs[0]), events.ReasonBadCommand},
		{"too wide", events.CloseReceipts(1, 1+events.MaxReceiptsClosed), events.ReasonBadCommand},
		{"a count given", withCount, events.ReasonBadCommand},
		{"beyond the ids given out", events.CloseReceipts(rs[0], next), events.ReasonIDOutOfRange},
		{"an unused field", func() events.Event { e := events.CloseReceipts(rs[0], rs[2]); e.Amount = 1; return e }(),
			events.ReasonBadCommand},
	} {
		before := w.Checksum()
		w.Command(tc.cmd)
		rec := w.Step()
		require.Len(t, rec.Events, 1, tc.name)
		ev := rec.Events[0]
		assert.Equal(t, events.CommandRejected, ev.Kind, tc.name)
		assert.Equal(t, events.ReceiptsClosed, ev.Of, tc.name)
		assert.Equal(t, tc.want, ev.Reason, tc.name)
		assert.Equal(t, before, rec.Checksum, tc.name)
	}
	for _, id := range rs {
		_, open := c.Maps.Receipt(w, id)
		assert.True(t, open, "receipt %d of %v", id, rs)
	}
	// Every id given out is a range (the refused ones burnt none).
	require.Equal(t, next, w.NextID())
	w.Command(events.CloseReceipts(1, next-1))
	v, ok := w.Step().Events[0].AsReceiptsClosed()
	require.True(t, ok)
	assert.Equal(t, int64(3), v.Closed)
}

// A log whose receipts are closed by ranges, with a snapshot while some
// are open, replays and verifies bit for bit.
func TestCloseReceiptsRecordsAndReplays(t *testing.T) {
	cfg := systems.DefaultConfig
	path := filepath.Join(t.TempDir(), "r.log")
	c, err := ecs.ParseContent([]byte(fixtureJSON))
	require.NoError(t, err)
	w := ecs.New()
	systems.InstallCommerce(w, cfg)
	lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: 3, Setup: systems.CommerceSetup(cfg)})
	require.NoError(t, err)
	lw.Record(w)
	ids, err := c.Apply(w)
	require.NoError(t, err)
	w.Step()
	alice, bob, pebbles := ids.MustID("alice"), ids.MustID("bob"), ids.MustID("pebbles")
	var open []components.ID
	for req := uint64(1); req <= 12; req++ {
		w.Submit(components.PurchaseIntent{Buyer: alice, Listing: pebbles, Quantity: 1, RequestID: req})
		w.Submit(components.PurchaseIntent{Buyer: bob, Listing: pebbles, Quantity: 1, RequestID: req})
		if len(open) > 0 && req%2 == 0 { // every other tick: all open so far
			w.Command(events.CloseReceipts(open[0], open[len(open)-1]))
			open = open[:0]
		}
		n := 0
		for _, ev := range w.Step().Events {
			switch ev.Kind {
			case events.ReceiptIssued:
				open = append(open, ev.Subject)
			case events.ReceiptsClosed:
				n++
			}
		}
		require.Equal(t, req > 1 && req%2 == 0, n == 1, "tick of request %d", req)
	}
	require.NoError(t, lw.Close())
	newWorld, err := systems.CommerceSetup(cfg).Worlds()
	require.NoError(t, err)
	res, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
}
