package replay_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

func coreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// recordSession records ticks of the seeded busy session; extra systems
// (the perturbations of a "bad peer") are added after the core ones.
func recordSession(t testing.TB, path string, ticks, intents int, snapEvery uint64, setup func(w *ecs.World)) {
	t.Helper()
	c := session.Content(9, 50)
	w := coreWorld()
	if setup != nil {
		setup(w)
	}
	s, err := session.Attach(w, 9, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: snapEvery})
	require.NoError(t, err)
	lw.Record(w)
	for range ticks {
		s.Step(intents)
	}
	require.NoError(t, lw.Close())
}

func TestTenThousandTicksReplayBitForBit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.log")
	recordSession(t, path, 10000, 40, 1000, nil)
	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
	assert.Equal(t, 10000, res.Ticks)
	assert.Equal(t, 10, res.Snapshots)
	assert.Greater(t, res.Events, 10000*40, "every intent and command produced an event")

	// Starting near a tick of interest restores the snapshot before it.
	res, err = replay.Verify(replay.FileSource(path), coreWorld, replay.Options{From: 7500})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch)
	assert.Equal(t, uint64(7000), res.StartTick)
	assert.Equal(t, 3000, res.Ticks)
}

// skim is a bad peer's bug: at one tick it takes one minor unit out of a
// wallet without any event.
type skim struct {
	at  uint64
	who components.ID
	cur components.ID
}

func (s skim) Name() string { return "skim" }
func (s skim) Update(w *ecs.World) {
	if w.NextTick() == s.at {
		e, _ := w.Lookup(s.who)
		w.Maps.Wallet.Get(e).Debit(s.cur, 1)
	}
}

func TestDesyncedBalanceIsPinnedToTickEntityAndField(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.log"), filepath.Join(dir, "bad.log")
	recordSession(t, good, 300, 40, 10, nil)
	// Player p3 is entity 2 currencies + 8 items + 3 shops×5 + 3 + 1 = id 29.
	c := session.Content(9, 50)
	probe := coreWorld()
	ids, err := c.Apply(probe)
	require.NoError(t, err)
	victim, gold := ids.MustID("p3"), ids.MustID("gold")
	// The skim changes state without an event, so the incremental checksum
	// would only see it when p3 is next touched; the peer hunting the
	// desync runs with a from-scratch audit every tick, which pins it.
	recordSession(t, bad, 300, 40, 10, func(w *ecs.World) {
		w.SetChecksumAudit(1)
		w.AddSystem(skim{at: 123, who: victim, cur: gold})
	})

	res, err := replay.Verify(replay.FileSource(bad), coreWorld, replay.Options{})
	require.NoError(t, err)
	m := res.Mismatch
	require.NotNil(t, m)
	assert.Equal(t, uint64(123), m.Tick)
	assert.Nil(t, m.Inputs, "no event shows the skim")
	assert.Equal(t, "stage 2", m.Stage, "the recording's third stage (the skim system) is one the verifier lacks")
	assert.Equal(t, uint64(130), m.StateTick)
	require.NotEmpty(t, m.State)
	found := false
	for _, d := range m.State {
		if d.ID == victim && d.Component == "components.Wallet" && d.Field == "Balances[0].Amount" {
			found = true
		}
	}
	assert.True(t, found, "state diff: %v", m.State)
	t.Log(m)

	d, err := replay.DiffLogs(replay.FileSource(good), replay.FileSource(bad), 0)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.Equal(t, uint64(123), d.Tick)
	assert.Equal(t, "checksum", d.What)
	require.NotEmpty(t, d.State)
	assert.Equal(t, victim, d.State[0].ID)
	assert.Equal(t, "components.Wallet", d.State[0].Component)
	assert.Equal(t, "Balances[0].Amount", d.State[0].Field)
	t.Log(d)

	d, err = replay.DiffLogs(replay.FileSource(good), replay.FileSource(good), 0)
	require.NoError(t, err)
	assert.Nil(t, d, "a log agrees with itself")

	// Without audits the skim still surfaces, at the first later tick that
	// touches p3, and the state diff still names the field.
	late := filepath.Join(dir, "late.log")
	recordSession(t, late, 300, 40, 10, func(w *ecs.World) { w.AddSystem(skim{at: 123, who: victim, cur: gold}) })
	res, err = replay.Verify(replay.FileSource(late), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.Mismatch)
	assert.Greater(t, res.Mismatch.Tick, uint64(123))
	require.NotEmpty(t, res.Mismatch.State)
	assert.Equal(t, victim, res.Mismatch.State[0].ID)
	assert.Equal(t, "Balances[0].Amount", res.Mismatch.State[0].Field)
}

// Two systems whose order matters: an allowance minted to every player,
// then a tax burned from everyone above a threshold.
type allowance struct{ players []components.ID }

func (a *allowance) Name() string { return "allowance" }
func (a *allowance) Update(w *ecs.World) {
	for _, p := range a.players {
		e, st := w.Lookup(p)
		if st != ecs.Alive {
			continue
		}
		gold := w.Currencies()[0]
		w.Maps.Wallet.Get(e).Credit(gold, 7)
		w.Emit(events.Event{Kind: events.Minted, Subject: p, Currency: gold, Amount: 7})
	}
}

type tax struct{ players []components.ID }

func (t *tax) Name() string { return "tax" }
func (t *tax) Update(w *ecs.World) {
	for _, p := range t.players {
		e, st := w.Lookup(p)
		if st != ecs.Alive {
			continue
		}
		gold := w.Currencies()[0]
		wal := w.Maps.Wallet.Get(e)
		if b := wal.Balance(gold); b%10 == 3 {
			wal.Debit(gold, 1)
			w.Emit(events.Event{Kind: events.Burned, Subject: p, Currency: gold, Amount: 1})
		}
	}
}

// swapper runs a then b, except from tick at on, when it runs b then a:
// the bad peer's "two systems swapped".
type swapper struct {
	a, b ecs.System
	at   uint64
}

func (s *swapper) Name() string { return "economy" }
func (s *swapper) Update(w *ecs.World) {
	if w.NextTick() >= s.at {
		s.b.Update(w)
		s.a.Update(w)
		return
	}
	s.a.Update(w)
	s.b.Update(w)
}

func TestSwappedSystemsArePinnedToTheTickAndEvent(t *testing.T) {
	dir := t.TempDir()
	c := session.Content(9, 50)
	probe := coreWorld()
	ids, err := c.Apply(probe)
	require.NoError(t, err)
	var players []components.ID
	for i := range 50 {
		players = append(players, ids.MustID(playerKey(i)))
	}
	order := func(at uint64) func(*ecs.World) *ecs.World {
		return func(w *ecs.World) *ecs.World {
			w.AddSystem(&swapper{a: &allowance{players}, b: &tax{players}, at: at})
			return w
		}
	}
	good, bad := filepath.Join(dir, "good.log"), filepath.Join(dir, "bad.log")
	recordSession(t, good, 200, 20, 25, func(w *ecs.World) { order(1 << 62)(w) })
	recordSession(t, bad, 200, 20, 25, func(w *ecs.World) { order(77)(w) })

	res, err := replay.Verify(replay.FileSource(bad), func() *ecs.World { return order(1 << 62)(coreWorld()) }, replay.Options{})
	require.NoError(t, err)
	m := res.Mismatch
	require.NotNil(t, m)
	assert.Equal(t, uint64(77), m.Tick)
	require.NotNil(t, m.Inputs)
	assert.Equal(t, "events", m.Inputs.List)
	t.Log(m)

	d, err := replay.DiffLogs(replay.FileSource(good), replay.FileSource(bad), 0)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.Equal(t, uint64(77), d.Tick)
	assert.Equal(t, "events", d.What)
	assert.Equal(t, uint64(100), d.StateTick)
	require.NotEmpty(t, d.State)
	for _, f := range d.State {
		assert.Equal(t, "components.Wallet", f.Component, "%v", f)
	}
}

func playerKey(i int) string { return "p" + itoa(i) }

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
