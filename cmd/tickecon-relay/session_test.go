package main

import (
	"context"
	"strings"
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
// box and closes its host; its host records no setup, as hosts did
// before lockstep.Config.Setup.
func hostSession(t *testing.T, box *natsbox.Box, id string, ticks int) {
	hostSessionOf(t, box, id, ticks, nil)
}

// hostSessionOf is hostSession with a host given setup (nil: none, and the
// default commerce configuration).
func hostSessionOf(t *testing.T, box *natsbox.Box, id string, ticks int, setup *ecs.Setup) {
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	cfg := lockstep.Config{Session: id, Content: session.Content(3, 8), Setup: setup} // NewWorld: Setup's
	if setup == nil {
		cfg.NewWorld = func() *ecs.World {
			w := ecs.New()
			systems.InstallCommerce(w, systems.DefaultConfig)
			return w
		}
	}
	h, err := lockstep.NewHost(nc, cfg)
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
	require.Contains(t, errs, "session shop records no setup", "the fallback is named")
	require.Contains(t, out, "nothing published")
}

// A session whose host recorded its setup refuses another -setup before
// anything is published — one with the same systems and another
// configuration, which the checksums would let through until the
// configuration first matters — naming the session's (exit 6); its own,
// written by hand in another key order, relays.
func TestRelayCommandSessionRefusesAnotherSetup(t *testing.T) {
	box := natsbox.ForTest(t)
	cfg := systems.Config{IdempotencyWindow: 30, SettlementEvery: 25, SagaTimeout: 8}
	setup := systems.CommerceSetup(cfg)
	hostSessionOf(t, box, "shop", 60, &setup)

	for _, follow := range []bool{false, true} {
		args := []string{"-url", box.URL(), "-session", "shop", "-setup", "commerce"}
		if follow {
			args = append(args, "-follow")
		}
		code, out, errs := tool(args...)
		require.Equal(t, exitOtherSetup, code, "%v: %s %s", args, out, errs)
		require.Contains(t, errs, "session shop runs setup")
		require.Contains(t, errs, `-setup '{"systems":"commerce","config":{"IdempotencyWindow":30,"SettlementEvery":25,"SagaTimeout":8}}' is the session's`)
		require.Contains(t, errs, "nothing relayed")
	}
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	var streams []string
	for n := range js.StreamNames(context.Background()).Name() {
		streams = append(streams, n)
	}
	require.NotContains(t, strings.Join(streams, " "), "TICKECON_W_", "no event stream created")

	code, out, errs := tool("-url", box.URL(), "-session", "shop", "-setup", `{"systems":"commerce","config":{"SagaTimeout":8,"SettlementEvery":25,"IdempotencyWindow":30}}`)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "ticks 0 to 58")
	require.NotContains(t, errs, "records no setup")

	// Without -setup the relay runs the session's recorded one.
	code, out, errs = tool("-url", box.URL(), "-session", "shop", "-world", "other")
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "ticks 0 to 58")
}

// Without -setup the relay runs the recorded setup exactly as the host
// wrote it: one written by hand, with fields left out, is not rebuilt by
// its constructor (which would give it another fingerprint and refuse the
// session's own setup).
func TestRelayCommandRunsTheRecordedSetupAsWritten(t *testing.T) {
	box := natsbox.ForTest(t)
	setup := ecs.Setup{Systems: systems.SetupCommerce, Config: []byte(`{"IdempotencyWindow":30}`)}
	hostSessionOf(t, box, "hand", 20, &setup)
	code, out, errs := tool("-url", box.URL(), "-session", "hand")
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "ticks 0 to 18")
}

// Without -setup, a session that recorded none is refused with what to
// give (exit 2), and so is one that is not there (exit 3): nothing is
// created.
func TestRelayCommandSessionWithoutSetup(t *testing.T) {
	box := natsbox.ForTest(t)
	hostSession(t, box, "old", 5)
	code, _, errs := tool("-url", box.URL(), "-session", "old")
	require.Equal(t, exitUsage, code, errs)
	require.Contains(t, errs, "session old records no setup")
	require.Contains(t, errs, "give -setup")

	code, _, errs = tool("-url", box.URL(), "-session", "nosuch", "-follow")
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, errs, "no such session nosuch (to wait for it with -follow, give its -setup)")

	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	for n := range js.StreamNames(context.Background()).Name() {
		require.NotContains(t, n, "TICKECON_W_", "no event stream created")
	}
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
