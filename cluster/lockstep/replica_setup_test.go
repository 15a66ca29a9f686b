package lockstep_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// A replica whose setup is not the one the session recorded stops
// standing by with a *SetupMismatchError and never hosts: had it won the
// lease, it would have written another economy's ticks into the history
// (the checksums agree until the configurations first differ).
func TestReplicaOfAnotherSetupNeverHosts(t *testing.T) {
	box := natsbox.ForTest(t)
	setup := systems.CommerceSetup(commerceCfg)
	cfg := lockstep.Config{Session: "set", Setup: &setup, Content: session.Content(7, 2),
		Failover: &lockstep.Failover{ID: "machine-a", LeaseTTL: 200 * time.Millisecond}}
	host, err := lockstep.NewHost(connect(t, box), cfg)
	require.NoError(t, err)
	defer host.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 3 {
		_, err := host.Step(ctx)
		require.NoError(t, err)
	}
	require.NoError(t, host.WaitCommitted(ctx, 2))

	wrong := systems.CommerceSetup(systems.DefaultConfig)
	rc := cfg
	rc.Setup = &wrong
	rc.Failover = &lockstep.Failover{ID: "machine-b", LeaseTTL: 200 * time.Millisecond}
	r, err := lockstep.NewReplica(connect(t, box), lockstep.ReplicaConfig{Host: rc})
	require.NoError(t, err)
	err = r.Run(ctx) // returns at once; ctx's minute only bounds a hang
	var m *lockstep.SetupMismatchError
	require.ErrorAs(t, err, &m)
	assert.ErrorIs(t, err, bus.ErrPermanent)
	assert.Equal(t, setup.Fingerprint(), m.Economy)
	assert.Equal(t, wrong.Fingerprint(), m.OurEconomy)
	assert.Zero(t, r.Stats().Takeovers)
	assert.False(t, r.IsHost())
	assert.NoError(t, ctx.Err(), "refused before the minute, not timed out")
}
