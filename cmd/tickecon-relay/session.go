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

	"github.com/nats-io/nats.go/jetstream"

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
	case f.setup == "":
		return errors.New("-session needs -setup: the world's systems (core, commerce, or an ecs.Setup as JSON)")
	}
	if err := names.Check("session", f.session); err != nil {
		return err
	}
	_, err := parseSetup(f.setup)
	return err
}

// parseSetup reads -setup: a registered name (commerce: its default
// configuration, as `tickecon record -commerce`) or an ecs.Setup as JSON.
func parseSetup(v string) (func() *ecs.World, error) {
	var s ecs.Setup
	switch {
	case strings.HasPrefix(strings.TrimSpace(v), "{"):
		d := json.NewDecoder(strings.NewReader(v))
		d.DisallowUnknownFields()
		if err := d.Decode(&s); err != nil {
			return nil, fmt.Errorf("-setup: %v", err)
		}
	case v == systems.SetupCommerce:
		s = systems.CommerceSetup(systems.DefaultConfig)
	default:
		s = ecs.Setup{Systems: v}
	}
	nw, err := s.Worlds()
	if err != nil {
		return nil, fmt.Errorf("-setup: %w", err)
	}
	return nw, nil
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
	newWorld, err := parseSetup(f.setup)
	if err != nil { // checked already
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	nc, err := dial(f.url, stderr)
	if err != nil {
		return exitBadFile
	}
	defer nc.Close()
	enc, _ := bus.ParseEncoding(f.encoding) // checked already
	if !f.follow {
		// Checked before the relay creates the world's event streams: a
		// mistyped session name left four empty streams behind.
		js, err := jetstream.New(nc)
		if err == nil {
			sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
			_, err = js.Stream(sctx, names.Session(f.session).FrameStream())
			scancel()
		}
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			fmt.Fprintf(stderr, "tickecon-relay: no such session %s (-follow waits for it)\n", f.session)
			return exitBadFile
		case err != nil:
			fmt.Fprintf(stderr, "tickecon-relay: session %s: %v\n", f.session, err)
			return exitBadFile
		}
	}
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: f.session, NewWorld: newWorld})
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	defer src.Close()
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
	err = r.Run(ctx)
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
	fmt.Fprintln(stdout, strings.Replace(relaySummary(st, time.Since(start)), "the log holds", "the session holds", 1))
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
