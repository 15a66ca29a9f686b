// Package recording is a test fixture: a busy commerce session being
// recorded to a log, for the tests of what follows a log or its stream
// live (report's dashboard, tickecon-relay dash). It is apart from package
// session because ticklog's own tests use session.
package recording

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Recording is a commerce world, its seeded inputs and the log it is
// recorded to.
type Recording struct {
	World *ecs.World
	Log   *ticklog.Writer
	s     *session.Session
}

// Commerce records a commerce session (seed 3, 50 players) to a new log
// at path, synced every tick so that a follower sees each tick once it is
// stepped, and steps its first ticks ticks. The log is closed when the
// test ends.
func Commerce(t testing.TB, path string, ticks int) *Recording {
	t.Helper()
	w := ecs.New()
	systems.InstallCommerce(w, systems.DefaultConfig)
	c := session.Content(3, 50)
	s, err := session.Attach(w, 3, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{SyncEvery: 1, Setup: systems.CommerceSetup(systems.DefaultConfig)})
	require.NoError(t, err)
	lw.Record(w)
	t.Cleanup(func() { lw.Close() })
	r := &Recording{World: w, Log: lw, s: s}
	r.Step(t, ticks)
	return r
}

// Step steps ticks more ticks of 20 intents each, all recorded.
func (r *Recording) Step(t testing.TB, ticks int) {
	t.Helper()
	for range ticks {
		r.s.Step(20)
	}
	require.NoError(t, r.Log.Err())
}
