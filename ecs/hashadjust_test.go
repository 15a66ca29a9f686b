package ecs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// adjuster is a system that moves money into a wallet behind the log's
// back and reports it with core.State.SubjectAdjusted, adjusting the holder's hash by
// the balance's terms (wrong by bias).
type adjuster struct {
	holder, gold components.ID
	bias         uint64
}

func (a *adjuster) Name() string { return "adjuster" }

func (a *adjuster) Update(w *ecs.World) {
	e, _ := w.Lookup(a.holder)
	bal := w.Maps.Wallet.Get(e).Amount(a.gold)
	old := *bal
	*bal += 5
	c := core.Of(w)
	c.AdjustHash(a.holder, core.BalanceTerm(a.holder, a.gold, *bal)-core.BalanceTerm(a.holder, a.gold, old)+a.bias)
	w.Emit(events.Event{Kind: events.Minted, Subject: a.holder, Currency: a.gold, Amount: 5})
	c.SubjectAdjusted()
}

// A system that adjusts an entity's hash by exactly the terms it changed
// keeps the running checksum equal to a full recomputation without the
// entity being rehashed; a wrong delta is drift that an audit reports.
func TestAdjustHashKeepsTheChecksumExact(t *testing.T) {
	for _, bias := range []uint64{0, 1} {
		w := ecs.New()
		gold := w.Command(events.DefineCurrency("Gold", 0)).ID
		bob := w.Command(events.OpenPlayer("Bob", 2)).ID
		w.Command(events.Mint(bob, gold, 0)) // the balance starts at zero: no term
		w.Step()
		w.AddSystem(&adjuster{holder: bob, gold: gold, bias: bias})
		for range 3 {
			rec := w.Step()
			if bias == 0 {
				require.Equal(t, w.FullChecksum(), rec.Checksum)
			} else {
				assert.NotEqual(t, w.FullChecksum(), rec.Checksum)
			}
		}
		got, err := w.Balance(bob, gold)
		require.NoError(t, err)
		assert.Equal(t, int64(15), got)
		w.SetChecksumAudit(1)
		w.Step()
		n, _ := w.ChecksumDrift()
		assert.Equal(t, bias != 0, n > 0, "bias %d: drift found %d times", bias, n)
	}
}

// Adjusting an id that is not live (closed, or never created) changes
// nothing: its hash is 0 and stays 0.
func TestAdjustHashIgnoresIDsThatAreNotLive(t *testing.T) {
	w := ecs.New()
	bob := w.Command(events.OpenPlayer("Bob", 2)).ID
	w.Step()
	w.Command(events.Close(bob))
	w.Step()
	before := w.Checksum()
	core.Of(w).AdjustHash(bob, 12345)
	core.Of(w).AdjustHash(bob+1000, 777)
	assert.Equal(t, before, w.Checksum())
	assert.Equal(t, w.FullChecksum(), w.Checksum())
}
