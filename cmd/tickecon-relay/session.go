package main

// -session: relay a replicated world's committed frames (cluster/lockstep's
// FrameSource) instead of a log file.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// sessionUsage checks the flags of a -session relay.
func sessionUsage(f relayFlags, files []string, set map[string]bool) error {
	switch {
	case len(files) > 0:
		return fmt.Errorf("-session relays a session's frames: no FILE argument (got %q)", files[0])
	case f.url == "":
		return errors.New("-session needs -url: the session's frames are on a running server (an embedded one is empty)")
	case set["data"] || set["port"]:
		return errors.New("-data and -port start an embedded server: not with -session (give -url)")
	}
	if err := names.Check("session", f.session); err != nil {
		return err
	}
	if f.setup == "" { // the session's recorded one, read once connected
		return nil
	}
	_, _, err := parseSetup(f.setup)
	return err
}

// parseSetup reads -setup: a registered name (commerce: its default
// configuration, as `tickecon record -commerce`) or an ecs.Setup as JSON.
// The package systems' setups come back as their constructors build them
// (systems.CommerceSetup), so that a configuration written by hand with
// fields left out or in another order has the fingerprint of the host's.
func parseSetup(v string) (ecs.Setup, func() *ecs.World, error) {
	var s ecs.Setup
	switch {
	case strings.HasPrefix(strings.TrimSpace(v), "{"):
		d := json.NewDecoder(strings.NewReader(v))
		d.DisallowUnknownFields()
		if err := d.Decode(&s); err != nil {
			return s, nil, fmt.Errorf("-setup: %v", err)
		}
	case v == systems.SetupCommerce:
		s = systems.CommerceSetup(systems.DefaultConfig)
	default:
		s = ecs.Setup{Systems: v}
	}
	nw, err := s.Worlds()
	if err != nil {
		return s, nil, fmt.Errorf("-setup: %w", err)
	}
	switch s.Systems {
	case "", systems.SetupCore:
		s = systems.CoreSetup()
	case systems.SetupCommerce:
		var cfg systems.Config
		if json.Unmarshal(s.Config, &cfg) == nil { // Worlds read it already
			s = systems.CommerceSetup(cfg)
		}
	}
	return s, nw, nil
}

// sessionSetup is the setup session's host recorded, for a relay not
// given -setup; exitOK, or the exit code after saying why there is none.
func sessionSetup(ctx context.Context, nc *nats.Conn, session string, stderr io.Writer) (ecs.Setup, int) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	s, ok, err := lockstep.RecordedSetup(ctx, nc, session)
	switch {
	case errors.Is(err, lockstep.ErrNoSession):
		fmt.Fprintf(stderr, "tickecon-relay: no such session %s (to wait for it with -follow, give its -setup)\n", session)
		return s, exitBadFile
	case err != nil:
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return s, exitBadFile
	case !ok:
		fmt.Fprintf(stderr, "tickecon-relay: session %s records no setup (its host was not given lockstep.Config.Setup, or predates it): give -setup (core, commerce, or an ecs.Setup as JSON)\n", session)
		return s, exitUsage
	}
	return s, exitOK
}

// relaySession relays session f.session's committed ticks.
func relaySession(ctx context.Context, f relayFlags, stdout, stderr io.Writer) int {
	if f.world == "" {
		f.world = f.session
	}
	if err := bus.CheckWorld(f.world); err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	nc, err := dial(f.url, stderr)
	if err != nil {
		return exitBadFile
	}
	defer nc.Close()
	var setup ecs.Setup
	var newWorld func() *ecs.World
	if f.setup == "" {
		var code int
		if setup, code = sessionSetup(ctx, nc, f.session, stderr); code != exitOK {
			return code
		}
		// Exactly the session's, not rebuilt by its constructor: a setup
		// the host wrote by hand would get another fingerprint.
		if newWorld, err = setup.Worlds(); err != nil {
			err = fmt.Errorf("session %s's recorded setup: %w", f.session, err)
		}
	} else {
		setup, newWorld, err = parseSetup(f.setup)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	enc, _ := bus.ParseEncoding(f.encoding) // checked already
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: f.session, NewWorld: newWorld, Setup: &setup})
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	defer src.Close()
	// Checked before the relay creates the world's event streams: a
	// mistyped session name left four empty streams behind, and a wrong
	// -setup published the ticks before its configuration first mattered.
	recorded, err := src.CheckSetup(ctx)
	var mismatch *lockstep.SetupMismatchError
	switch {
	case errors.Is(err, lockstep.ErrNoSession) && f.follow: // waited for; the relay checks the setup once it is there
	case errors.Is(err, lockstep.ErrNoSession):
		fmt.Fprintf(stderr, "tickecon-relay: no such session %s (-follow waits for it)\n", f.session)
		return exitBadFile
	case errors.As(err, &mismatch):
		return otherSetup(stderr, mismatch)
	case err != nil:
		fmt.Fprintf(stderr, "tickecon-relay: session %s: %v\n", f.session, err)
		return exitBadFile
	case !recorded:
		fmt.Fprintf(stderr, "tickecon-relay: session %s records no setup (its host was not given lockstep.Config.Setup, or predates it): -setup is checked by the host's checksums only, tick by tick, and the relay stops at the first tick they differ in\n", f.session)
	}
	// A following relay waits for a session that does not exist yet (its
	// host may start later); one that does not follow has nothing to do.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	notice := retryNotice(stderr)
	onRetry := func(err error) {
		if !f.follow && errors.Is(err, lockstep.ErrNoSession) {
			cancel(err)
			return
		}
		notice(err)
	}
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: f.world, Source: src, Follow: f.follow, TicksPerMessage: f.ticks,
		MaxEvents: f.maxEvents, Encoding: enc, OnRetry: onRetry, Streams: bus.StreamsConfig{Replicas: f.replicas}})
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "relaying session %s's committed ticks as world %q to stream %s (subjects %s)\n", f.session, f.world, bus.EventStream(f.world), bus.EventSubjects(f.world))
	start := time.Now()
	err = runWithProgress(ctx, r, f.progress, stdout)
	st := r.Stats()
	if cause := context.Cause(ctx); errors.Is(cause, lockstep.ErrNoSession) {
		fmt.Fprintf(stderr, "tickecon-relay: %v (-follow waits for it)\n", cause)
		return exitBadFile
	}
	if errors.Is(err, bus.ErrOtherRecording) {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		fmt.Fprintf(stderr, "tickecon-relay: -world NAME relays session %s under another name\n", f.session)
		return exitOtherRecs
	}
	if errors.As(err, &mismatch) { // the session appeared while following
		return otherSetup(stderr, mismatch)
	}
	fmt.Fprintln(stdout, stopped(ctx)+strings.Replace(relaySummary(st, time.Since(start)), "the log holds", "the session holds", 1))
	var d *lockstep.DisagreeError
	switch {
	case err == nil, errors.Is(err, context.Canceled) && f.follow:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "tickecon-relay: interrupted; run again to go on from what the stream holds")
		return exitFailed
	case errors.As(err, &d):
		fmt.Fprintf(stderr, "tickecon-relay: %v; -setup must name the session's systems and configuration\n", err)
		return exitFailed
	}
	fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
	return exitFailed
}

// otherSetup reports a -setup that is not the session's recorded one.
func otherSetup(stderr io.Writer, err *lockstep.SetupMismatchError) int {
	fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
	if err.Setup != "" {
		fmt.Fprintf(stderr, "tickecon-relay: -setup '%s' is the session's\n", err.Setup)
	}
	return exitOtherSetup
}
