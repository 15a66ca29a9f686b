package lockstep_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/syncbuf"
	"github.com/tickecon/tickecon/systems"
)

// skimming is a PurchaseSystem with a planted bug: at tick at it takes
// one minor unit of gold from victim without an event (or Touch).
type skimming struct {
	*systems.PurchaseSystem
	at          uint64
	victim, cur components.ID
}

func (s *skimming) Update(w *ecs.World) {
	s.PurchaseSystem.Update(w)
	if w.NextTick() == s.at {
		e, _ := w.Lookup(s.victim)
		wal := w.Maps.Wallet.Get(e)
		for i := range wal.Balances {
			if wal.Balances[i].Currency == s.cur {
				wal.Balances[i].Amount--
			}
		}
	}
}

func skimmingWorld(at uint64, victim, cur components.ID) func() *ecs.World {
	return func() *ecs.World {
		w := newWorld()
		w.WrapSystem("purchase", func(s ecs.System) ecs.System {
			return &skimming{PurchaseSystem: s.(*systems.PurchaseSystem), at: at, victim: victim, cur: cur}
		})
		return w
	}
}

// One peer's PurchaseSystem skims a coin without an event at tick T. The
// host's report arrives within 2 ticks of T — on the console, in a report
// file and on the NATS report subject — and names T, the purchase stage,
// the victim's stable id, components.Wallet and the balance field, with
// expected and actual values. Under the drop policy the peer resyncs from
// the host's snapshot and agrees again from then on; the others never
// stopped agreeing.
func TestPlantedBugIsReportedWithinTwoTicks(t *testing.T) {
	const T = 300
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	var console syncbuf.Buffer
	c := newCluster(t, lockstep.Config{ReportDir: dir, Console: &console}, 24)
	victim, gold := c.players[5], c.ids.MustID("gold")
	got := make(chan lockstep.Report, 4)
	sub, err := connect(t, c.box).Subscribe(lockstep.SubjectReports("s1"), func(m *nats.Msg) {
		var r lockstep.Report
		if json.Unmarshal(m.Data, &r) == nil {
			got <- r
		}
	})
	require.NoError(t, err)
	defer sub.Unsubscribe()
	// Any tool reads the report: plain JSON, decoded here without the Go type.
	plain := make(chan map[string]any, 4)
	psub, err := connect(t, c.box).Subscribe(lockstep.SubjectReports("s1"), func(m *nats.Msg) {
		var v map[string]any
		if json.Unmarshal(m.Data, &v) == nil {
			plain <- v
		}
	})
	require.NoError(t, err)
	defer psub.Unsubscribe()
	for i := range 3 {
		c.own(peerID(i), i, 3)
	}
	c.join(peerID(0), peerOpts{intents: 10, seed: 1})
	bad := c.join(peerID(1), peerOpts{intents: 10, seed: 2, audit: 1, newWorld: skimmingWorld(T, victim, gold)})
	c.join(peerID(2), peerOpts{intents: 10, seed: 3})
	require.NoError(t, c.host.WaitPeers(ctx, 3))

	var reportedAt uint64
	c.run(ctx, 600, func(tick uint64) {
		if reportedAt == 0 && len(c.host.Reports()) > 0 {
			reportedAt = tick
		}
	})
	require.Len(t, c.host.Reports(), 1, "one report: the peer was dropped, not reported again")
	rep := c.host.Reports()[0]
	assert.Equal(t, "peer1", rep.Peer)
	assert.Equal(t, uint64(T), rep.Tick)
	assert.Equal(t, "purchase", rep.Stage)
	assert.LessOrEqual(t, rep.DetectedAt, uint64(T+2), "detected within 2 ticks")
	assert.LessOrEqual(t, reportedAt, uint64(T+2), "and reported before the host ran tick T+3")
	require.NotEmpty(t, rep.Diffs, rep.DiffError)
	d := rep.Diffs[0]
	assert.Equal(t, victim, d.ID)
	assert.Equal(t, "components.Wallet", d.Component)
	assert.Regexp(t, `^Balances\[\d\]\.Amount$`, d.Field)
	exp, act := jsonInt(t, d.Expected), jsonInt(t, d.Actual)
	assert.Equal(t, exp-1, act, "the peer has one unit less")
	assert.Contains(t, rep.Action, "dropped")

	t.Log("\n" + console.String())
	// The same report on the console, in the file and on the subject.
	assert.Contains(t, console.String(), "DESYNC session s1, peer peer1, at tick 300, stage purchase")
	require.NotEmpty(t, rep.File)
	assert.Equal(t, dir, filepath.Dir(rep.File))
	raw, err := os.ReadFile(rep.File)
	require.NoError(t, err)
	assert.Contains(t, string(raw), d.String())
	select {
	case r := <-got:
		assert.Equal(t, rep.Tick, r.Tick)
		assert.Equal(t, rep.Diffs, r.Diffs)
	case <-time.After(5 * time.Second):
		t.Fatal("no report on the NATS subject")
	}
	select {
	case v := <-plain:
		assert.Equal(t, "s1", v["session"])
		assert.Equal(t, "peer1", v["peer"])
		assert.Equal(t, float64(T), v["tick"])
		assert.Equal(t, "purchase", v["stage"])
		assert.Equal(t, rep.ExpectedChecksum, v["expected"])
		diff := v["diffs"].([]any)[0].(map[string]any)
		assert.Equal(t, "components.Wallet", diff["component"])
		assert.Equal(t, d.Expected, diff["expected"])
		assert.Equal(t, float64(victim), diff["id"])
	case <-time.After(5 * time.Second):
		t.Fatal("no plain JSON report on the NATS subject")
	}

	// Dropped, the bad peer resynced from the host's snapshot after T and
	// agrees from there on (its bug fires at T only).
	c.settle(ctx, []string{peerID(0), peerID(1), peerID(2)}, 599)
	assert.Equal(t, 1, bad.Resyncs())
	st := c.host.Stats()
	assert.Equal(t, uint64(1), st.Mismatches)
	good, badSums := c.peerSums(peerID(0)), c.peerSums(peerID(1))
	for tick := T + 3; tick < 600; tick++ {
		require.Equal(t, good[tick], badSums[tick], "tick %d after the resync", tick)
	}
	assert.NotEqual(t, good[T], badSums[T])
	for _, p := range []string{peerID(0), peerID(2)} {
		assert.Equal(t, good, c.peerSums(p)[:len(good)])
	}
}

// Under the halt policy the session stops at the first desync: Step
// returns ErrHalted, and the report says so.
func TestHaltPolicyStopsTheSession(t *testing.T) {
	const T = 40
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := newCluster(t, lockstep.Config{Policy: lockstep.Halt}, 8)
	c.own(peerID(0), 0, 1)
	c.join(peerID(0), peerOpts{intents: 5, seed: 1, audit: 1, newWorld: skimmingWorld(T, c.players[2], c.ids.MustID("gold"))})
	require.NoError(t, c.host.WaitPeers(ctx, 1))
	var err error
	for range 100 {
		c.adminInputs()
		if _, err = c.host.Step(ctx); err != nil {
			break
		}
	}
	require.ErrorIs(t, err, lockstep.ErrHalted)
	assert.LessOrEqual(t, c.host.World().NextTick(), uint64(T+2))
	require.Len(t, c.host.Reports(), 1)
	assert.Equal(t, "halted", c.host.Reports()[0].Action)
	assert.Equal(t, uint64(T), c.host.Reports()[0].Tick)
}

func jsonInt(t *testing.T, s string) int64 {
	var v int64
	require.NoError(t, json.Unmarshal([]byte(s), &v), s)
	return v
}
