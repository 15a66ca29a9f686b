package ecs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// skimmer is a buggy system: at tick at it takes one unit of currency from
// who without an event; touch says whether it at least Touches the wallet.
type skimmer struct {
	name     string
	at       uint64
	who, cur components.ID
	touch    bool
}

func (s *skimmer) Name() string { return s.name }

func (s *skimmer) Update(w *ecs.World) {
	if s.at == 0 || w.NextTick() != s.at {
		return
	}
	e, _ := w.Lookup(s.who)
	w.Maps.Wallet.Get(e).Balances[0].Amount--
	if s.touch {
		w.Touch(s.who)
	}
}

// minter mints one coin to who every tick, with its event.
type minter struct{ who, cur components.ID }

func (m minter) Name() string { return "minter" }

func (m minter) Update(w *ecs.World) {
	e, _ := w.Lookup(m.who)
	w.Maps.Wallet.Get(e).Credit(m.cur, 1)
	w.Emit(events.Mint(m.who, m.cur, 1))
}

// stagedPair builds two worlds with the same three systems, where the
// second's skimmer misbehaves at tick 5.
func stagedPair(t *testing.T, touch bool, audit uint64) (good, bad *ecs.World) {
	mk := func(at uint64) *ecs.World {
		w, ids := loadShop(t)
		w.AddSystem(minter{who: ids.MustID("alice"), cur: ids.MustID("gold")})
		w.AddSystem(&skimmer{name: "skimmer", at: at, who: ids.MustID("bob"), cur: ids.MustID("gold"), touch: touch})
		w.AddSystem(minter{who: ids.MustID("bob"), cur: ids.MustID("gold")})
		w.SetChecksumAudit(audit)
		return w
	}
	return mk(0), mk(5)
}

// Every tick records the checksum after the commands and after each
// system; the last equals the tick's checksum, and a stage that changes
// nothing repeats the previous value.
func TestStagesRecordTheChecksumAfterEachSystem(t *testing.T) {
	w, _ := stagedPair(t, true, 0)
	assert.Equal(t, []string{"commands", "minter", "skimmer", "minter"}, w.StageNames())
	w.Step()
	r := w.Step()
	require.Len(t, r.Stages, 4)
	assert.Equal(t, r.Checksum, r.Stages[3])
	assert.NotEqual(t, r.Stages[0], r.Stages[1], "the first minter changed alice")
	assert.Equal(t, r.Stages[1], r.Stages[2], "the skimmer did nothing")
	assert.NotEqual(t, r.Stages[2], r.Stages[3])
	assert.Equal(t, w.FullChecksum(), r.Checksum)

	w.SetStageChecksums(false)
	r = w.Step()
	assert.Empty(t, r.Stages)
	assert.Equal(t, w.FullChecksum(), r.Checksum, "the checksum does not depend on stages")
}

// Two worlds that part inside a tick: the first stage whose checksums
// differ is the buggy system's, even though later systems change the
// same state again. A write without Touch is attributed the same way when
// the tick is audited.
func TestFirstDifferingStageNamesTheSystem(t *testing.T) {
	for _, tc := range []struct {
		name  string
		touch bool
		audit uint64
	}{{"touched", true, 0}, {"untouched, audited", false, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			good, bad := stagedPair(t, tc.touch, tc.audit)
			for tick := range 8 {
				a, b := good.Step().Clone(), bad.Step()
				i, differ := ecs.FirstStageDiff(a.Stages, b.Stages)
				if tick < 5 {
					require.False(t, differ, "tick %d", tick)
					require.Equal(t, a.Checksum, b.Checksum)
					continue
				}
				require.True(t, differ, "tick %d", tick)
				require.NotEqual(t, a.Checksum, b.Checksum)
				if tick == 5 {
					assert.Equal(t, "skimmer", bad.StageNames()[i])
				}
			}
			drift, at := bad.ChecksumDrift()
			if tc.audit > 0 {
				assert.Equal(t, uint64(1), drift)
				assert.Equal(t, uint64(5), at)
			} else {
				assert.Zero(t, drift)
			}
		})
	}
}

// Without an audit, an untouched write is invisible to the incremental
// checksum until something touches the entity again: here the minter after
// the skimmer, so the stages blame the wrong system — which is why a
// desync hunt audits.
func TestUntouchedWriteNeedsAnAudit(t *testing.T) {
	good, bad := stagedPair(t, false, 0)
	for range 5 {
		good.Step()
		bad.Step()
	}
	a, b := good.Step().Clone(), bad.Step()
	require.Equal(t, uint64(5), b.Tick)
	i, differ := ecs.FirstStageDiff(a.Stages, b.Stages)
	require.True(t, differ)
	assert.Equal(t, 3, i, "surfaces when the second minter rehashes bob")
}

func TestFirstStageDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b   []uint64
		i      int
		differ bool
	}{
		{nil, []uint64{1}, 0, false},
		{[]uint64{1, 2}, []uint64{1, 2}, 0, false},
		{[]uint64{1, 2}, []uint64{1, 3}, 1, true},
		{[]uint64{1, 2}, []uint64{1, 2, 3}, 2, true},
		{[]uint64{0, 2}, []uint64{1, 2}, 0, true},
	} {
		i, differ := ecs.FirstStageDiff(tc.a, tc.b)
		assert.Equal(t, tc.differ, differ, "%v %v", tc.a, tc.b)
		assert.Equal(t, tc.i, i, "%v %v", tc.a, tc.b)
	}
}

// counting wraps a system and counts its runs.
type counting struct {
	ecs.System
	runs *int
}

func (c counting) Update(w *ecs.World) { *c.runs++; c.System.Update(w) }

// WrapSystem swaps a system for a wrapper in the same place of the order;
// an unknown name changes nothing.
func TestWrapSystemKeepsTheOrder(t *testing.T) {
	w, _ := stagedPair(t, true, 0)
	runs := 0
	require.True(t, w.WrapSystem("skimmer", func(s ecs.System) ecs.System { return counting{s, &runs} }))
	require.False(t, w.WrapSystem("nope", func(s ecs.System) ecs.System { return s }))
	assert.Equal(t, []string{"commands", "minter", "skimmer", "minter"}, w.StageNames())
	w.Step()
	w.Step()
	assert.Equal(t, 2, runs)
}
