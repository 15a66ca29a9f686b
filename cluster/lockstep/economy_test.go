package lockstep_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// relayOnce runs a relay of session s1 into world, not following, with a
// source of setup, and returns its error and stats.
func relayOnce(t *testing.T, c *cluster, world string, setup ecs.Setup) (bus.RelayStats, error) {
	t.Helper()
	nc := connect(t, c.box)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", Setup: &setup})
	require.NoError(t, err)
	defer src.Close()
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: world, Source: src})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = r.Run(ctx)
	return r.Stats(), err
}

// A host given its Setup records it: a relay whose setup has the same
// systems and another configuration — which agrees with the session's
// checksums until the first settlement day — is refused before it
// publishes anything, and one with the session's setup (written with
// other spacing and key order) relays.
func TestFrameSourceRefusesAnotherSetupBeforePublishing(t *testing.T) {
	setup := systems.CommerceSetup(commerceCfg)
	c := newCluster(t, lockstep.Config{Setup: &setup}, 8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c.run(ctx, 40, nil)

	nc := connect(t, c.box)
	wrong := systems.CommerceSetup(systems.DefaultConfig)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", Setup: &wrong})
	require.NoError(t, err)
	defer src.Close()
	recorded, err := src.CheckSetup(ctx)
	assert.True(t, recorded)
	var m *lockstep.SetupMismatchError
	require.ErrorAs(t, err, &m)
	assert.Equal(t, setup.Fingerprint(), m.Economy)
	assert.Equal(t, wrong.Fingerprint(), m.OurEconomy)
	assert.Contains(t, err.Error(), `"SettlementEvery":25`, "the session's setup is named")

	st, err := relayOnce(t, c, "wrong", wrong)
	require.ErrorAs(t, err, &m)
	require.ErrorIs(t, err, bus.ErrPermanent)
	assert.False(t, st.HasTick, "nothing published")
	assert.Zero(t, st.Messages)

	// The same setup as hand-written JSON: other key order and spacing.
	var same ecs.Setup
	require.NoError(t, json.Unmarshal([]byte(`{"systems":"commerce","config":{ "SagaTimeout":8, "SettlementEvery":25, "IdempotencyWindow":30 }}`), &same))
	require.Equal(t, setup.Fingerprint(), same.Fingerprint())
	st, err = relayOnce(t, c, "right", same)
	require.NoError(t, err)
	require.True(t, st.HasTick)
	assert.Equal(t, uint64(38), st.LastTick, "every vouched tick (the last waits for its successor)")
}

// A session whose host recorded no setup (made before hosts recorded it,
// or without Config.Setup) still relays; a wrong world is then caught by
// the checksums only, at the first tick it differs in (here a coin minted
// after tick 10), having published the ticks before it: those the host
// vouched for, which are the session's own events.
func TestFrameSourceWithoutRecordedSetupFallsBackToChecksums(t *testing.T) {
	c, nc, path, res := finishedSession(t, 40)
	setup := systems.CommerceSetup(commerceCfg)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", Setup: &setup})
	require.NoError(t, err)
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	recorded, err := src.CheckSetup(ctx)
	require.NoError(t, err)
	assert.False(t, recorded, "nothing to compare with")
	st, err := relayOnce(t, c, "old", setup)
	require.NoError(t, err)
	assert.Equal(t, res.Ticks-1, st.LastTick)

	src, err = lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", Setup: &setup, NewWorld: func() *ecs.World {
		w := newWorld()
		w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
			if r.Tick == 10 {
				w.Command(events.Mint(c.players[0], c.ids.MustID("gold"), 1))
			}
			return nil
		})
		return w
	}})
	require.NoError(t, err)
	defer src.Close()
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: "bad", Source: src})
	require.NoError(t, err)
	err = r.Run(ctx)
	var d *lockstep.DisagreeError
	require.ErrorAs(t, err, &d)
	assert.Equal(t, uint64(11), d.Tick)
	st = r.Stats()
	require.True(t, st.HasTick)
	assert.Equal(t, uint64(10), st.LastTick, "only ticks the host vouched for")
	got, dups, _ := streamEvents(t, nc, "bad")
	assert.Zero(t, dups)
	want := logEventsByID(t, path)
	for id := range want {
		if id.Tick > 10 {
			delete(want, id)
		}
	}
	assert.Equal(t, want, got, "what was published is the session's history")
}

// The fingerprint names the systems and their configuration, not how the
// JSON is written; "" is "core".
func TestSetupFingerprint(t *testing.T) {
	core := systems.CoreSetup().Fingerprint()
	assert.Len(t, core, 16)
	assert.Equal(t, core, ecs.Setup{}.Fingerprint())
	assert.Equal(t, core, ecs.Setup{Systems: "core", Config: json.RawMessage("null")}.Fingerprint())
	a := systems.CommerceSetup(systems.DefaultConfig).Fingerprint()
	assert.NotEqual(t, core, a)
	assert.NotEqual(t, a, systems.CommerceSetup(commerceCfg).Fingerprint())
	big := ecs.Setup{Systems: "x", Config: json.RawMessage(`{"a":9007199254740993}`)}
	assert.NotEqual(t, big.Fingerprint(), ecs.Setup{Systems: "x", Config: json.RawMessage(`{"a":9007199254740992}`)}.Fingerprint(), "integers are not rounded")
}
