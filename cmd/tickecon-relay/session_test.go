package main

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// hostSession runs a session of ticks ticks (commerce, default config) on
// box and closes its host.
func hostSession(t *testing.T, box *natsbox.Box, id string, ticks int) {
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	h, err := lockstep.NewHost(nc, lockstep.Config{Session: id, Content: session.Content(3, 8), NewWorld: func() *ecs.World {
		w := ecs.New()
		systems.InstallCommerce(w, systems.DefaultConfig)
		return w
	}})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range ticks {
		_, err := h.Step(ctx)
		require.NoError(t, err)
	}
	h.Close()
}

// -session relays a session's committed ticks from its frames (every
// tick the host vouched for: all but the last), and a second run finds
// nothing new; a -setup that is not the session's publishes nothing.
func TestRelayCommandSession(t *testing.T) {
	box := natsbox.ForTest(t)
	hostSession(t, box, "shop", 60)

	code, out, errs := tool("-url", box.URL(), "-session", "shop", "-setup", "commerce")
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, `session shop's committed ticks as world "shop"`)
	require.Contains(t, out, "ticks 0 to 58")

	code, out, errs = tool("-url", box.URL(), "-session", "shop", "-setup", `{"systems":"commerce","config":`+string(systems.CommerceSetup(systems.DefaultConfig).Config)+`}`, "-encoding", "binary")
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "published 0 events in 0 messages") // ticks without events store no message
	require.Contains(t, out, "to 58")

	code, out, errs = tool("-url", box.URL(), "-session", "shop", "-setup", "core", "-world", "other")
	require.Equal(t, exitFailed, code, out)
	require.Contains(t, errs, "the host ran")
	require.Contains(t, errs, "-setup must name the session's systems")
	require.Contains(t, out, "nothing published")
}

// A session that is not there: exit 3 at once (-follow would wait).
func TestRelayCommandNoSession(t *testing.T) {
	box := natsbox.ForTest(t)
	code, _, errs := tool("-url", box.URL(), "-session", "nosuch", "-setup", "core")
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, errs, "no such session nosuch")
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	n := 0
	for range js.StreamNames(context.Background()).Name() {
		n++
	}
	require.Zero(t, n, "no stream created for a session that is not there")
}

func TestRelayCommandSessionUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-session", "s", "-setup", "core"}, "-session needs -url"},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "s"}, "-session needs -setup"},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "s", "-setup", "core", "x.log"}, "no FILE argument"},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "s", "-setup", "core", "-port", "0"}, "not with -session"},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "s", "-setup", "nosuch"}, `systems "nosuch"`},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "s", "-setup", "{bad"}, "-setup:"},
		{[]string{"-url", "nats://127.0.0.1:1", "-session", "a.b", "-setup", "core"}, "session"},
		{[]string{"-setup", "core", "x.log"}, "-setup goes with -session"},
		{[]string{"-replicas", "0", "x.log"}, "-replicas 0"},
	} {
		code, _, errs := tool(c.args...)
		require.Equal(t, exitUsage, code, "%v: %s", c.args, errs)
		require.Contains(t, errs, c.want, "%v", c.args)
		require.Contains(t, errs, "usage:", "%v", c.args)
	}
}
