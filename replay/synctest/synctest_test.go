package synctest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay/synctest"
	"github.com/tickecon/tickecon/systems"
)

// payroll pays one coin to who every third tick it runs, counting its own
// runs in a field that snapshots do not save: a restored world starts
// counting from zero, so its runs differ.
type payroll struct {
	runs     int
	who, cur components.ID
}

func (p *payroll) Name() string { return "payroll" }

func (p *payroll) Update(w *ecs.World) {
	p.runs++
	if p.runs%3 != 0 {
		return
	}
	e, _ := w.Lookup(p.who)
	w.Maps.Wallet.Get(e).Credit(p.cur, 1)
	w.Emit(events.Event{Kind: events.Minted, Subject: p.who, Currency: p.cur, Amount: 1})
}

// sloppy credits who one coin every tick without an event or Touch.
type sloppy struct{ who, cur components.ID }

func (s sloppy) Name() string { return "sloppy" }

func (s sloppy) Update(w *ecs.World) {
	e, _ := w.Lookup(s.who)
	w.Maps.Wallet.Get(e).Credit(s.cur, 1)
}

// busy returns a busy core session whose worlds get extra systems.
func busy(t *testing.T, extra func(w *ecs.World, ids ecs.IDs)) (*session.Session, func() *ecs.World) {
	c := session.Content(4, 30)
	mk := func() *ecs.World {
		w := ecs.New()
		systems.Install(w)
		probe := ecs.New()
		ids, err := c.Apply(probe)
		require.NoError(t, err)
		if extra != nil {
			extra(w, ids)
		}
		return w
	}
	s, err := session.Attach(mk(), 4, c)
	require.NoError(t, err)
	return s, mk
}

// A correct session passes: every tick ran twice and agreed.
func TestDeterministicSessionPasses(t *testing.T) {
	s, mk := busy(t, nil)
	synctest.Run(t, s.World, mk, 120, func() { s.Inputs(40) })
	assert.Nil(t, s.World.SyncErr())
}

// State kept outside components and not saved by a StateSaver: the first
// tick whose runs differ is reported, naming the system's stage and the
// wallet field that differs.
func TestHiddenStateIsCaughtAndNamed(t *testing.T) {
	var victim, gold components.ID
	s, mk := busy(t, func(w *ecs.World, ids ecs.IDs) {
		victim, gold = ids.MustID("p7"), ids.MustID("gold")
		w.AddSystem(&payroll{who: victim, cur: gold})
	})
	s.World.SetSyncTest(mk)
	for s.World.SyncErr() == nil && s.World.NextTick() < 50 {
		s.Step(20)
	}
	e := s.World.SyncErr()
	require.NotNil(t, e)
	assert.Equal(t, uint64(2), e.Tick, "the forward run's 3rd run pays, the restored world's 1st does not")
	assert.Equal(t, "payroll", e.Stage)
	assert.Contains(t, e.Detail, "different states")
	rep := synctest.Report(s.World)
	assert.Contains(t, rep, "stage payroll")
	assert.Contains(t, rep, fmt.Sprintf("entity %d components.Wallet Balances[0].Amount", victim))
	t.Log(rep)
}

// A write without an event or Touch: both runs reach the same state, but
// the forward run's incremental checksum missed it; the report says so and
// names the entity and the stage that wrote it.
func TestUntouchedWriteIsCaughtInItsStage(t *testing.T) {
	var victim components.ID
	s, mk := busy(t, func(w *ecs.World, ids ecs.IDs) {
		victim = ids.MustID("p3")
		w.AddSystem(sloppy{who: victim, cur: ids.MustID("gold")})
	})
	s.World.SetSyncTest(mk)
	s.Step(20) // tick 0: content; p3 is created (touched) in the commands stage
	e := s.World.SyncErr()
	require.NotNil(t, e)
	assert.Equal(t, uint64(0), e.Tick)
	assert.Equal(t, "sloppy", e.Stage)
	assert.Contains(t, e.Detail, "missed a change")
	assert.Contains(t, e.Detail, fmt.Sprintf("[%d]", victim))
	// The checking stopped at the first failure; the world goes on.
	s.Step(20)
	assert.Equal(t, uint64(0), s.World.SyncErr().Tick)
}
