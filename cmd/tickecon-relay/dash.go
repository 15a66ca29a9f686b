package main

// tickecon-relay dash: the live economy report of a world's event stream.
// It lives here, not in cmd/tickecon, because it reads JetStream: NATS
// stays out of cmd/tickecon's dependencies.

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/cliflag"
	"github.com/tickecon/tickecon/report"
	"github.com/tickecon/tickecon/report/lockstepdash"
)

const dashUsage = "usage: tickecon-relay dash -world W [-url URL] [-session S] [-addr ADDR]"

// dashAckWait is the dash consumer's AckWait. A message the dash fetched
// and had not acknowledged when killed keeps its consumer on the server
// for AckWait past InactiveThreshold; the dash handles a message in well
// under this, and one redelivered anyway is skipped by its position.
const dashAckWait = 2 * time.Second

const dashSummary = "serve the live economy report of a world's JetStream event stream (what a relay publishes)"

type dashFlags struct {
	url, world, session, addr string
	points                    int
	every, inactive           time.Duration
}

// runDash parses dash's flags and serves the page until ctx ends.
func runDash(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("tickecon-relay dash", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	var f dashFlags
	fset.StringVar(&f.url, "url", "nats://127.0.0.1:4222", "NATS server URL")
	fset.StringVar(&f.world, "world", "", "the world whose event stream to follow (required)")
	fset.StringVar(&f.session, "session", "", "also show the desync reports of this lockstep session as they are published")
	fset.StringVar(&f.addr, "addr", "127.0.0.1:8082", "address to serve the page on")
	fset.IntVar(&f.points, "points", 2000, "at most this many points per chart series")
	fset.DurationVar(&f.every, "every", time.Second, "how often open pages update")
	fset.DurationVar(&f.inactive, "inactive", time.Minute, "the server deletes this dash's consumer once it has fetched nothing for this long (a dash killed before it could delete it; at least 1s)")
	help := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\n%s\n\nflags:\n", dashUsage, dashSummary)
		fset.SetOutput(w)
		fset.PrintDefaults()
		fset.SetOutput(io.Discard)
		fmt.Fprintln(w, "\nexit codes: 0 interrupted, 1 the stream holds what this build cannot read, 2 usage, 3 no such stream, unreachable server or busy address")
	}
	rest, err := cliflag.ParseInterleaved(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		help(stdout)
		return exitOK
	}
	switch {
	case err != nil:
	case len(rest) != 0:
		err = fmt.Errorf("dash takes no file argument (got %q): it follows -world's stream", rest[0])
	case f.world == "":
		err = errors.New("dash needs -world W")
	case f.inactive < time.Second:
		// The consumer fetches every second: a shorter threshold could
		// delete it under a running dash.
		err = fmt.Errorf("-inactive %v: want 1s or more", f.inactive)
	default:
		if err = bus.CheckWorld(f.world); err == nil && f.session != "" {
			err = names.Check("session", f.session)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay dash: %v\n\n", err)
		help(stderr)
		return exitUsage
	}
	return dash(ctx, f, stdout, stderr)
}

func dash(ctx context.Context, f dashFlags, stdout, stderr io.Writer) int {
	fail := func(code int, format string, args ...any) int {
		fmt.Fprintf(stderr, "tickecon-relay dash: "+format+"\n", args...)
		return code
	}
	// Once connected, a lost server is retried forever, with a notice:
	// the page keeps what it has and goes on when the server is back.
	nc, err := nats.Connect(f.url, nats.Timeout(connectTimeout), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.Name("tickecon dash"),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				fmt.Fprintf(stderr, "tickecon-relay dash: lost the server at %s (%v); retrying…\n", f.url, err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			fmt.Fprintf(stderr, "tickecon-relay dash: reconnected to %s\n", f.url)
		}))
	if err != nil {
		return fail(exitBadFile, "cannot reach a NATS server at %s: %v", f.url, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fail(exitBadFile, "%v", err)
	}
	stream := bus.EventStream(f.world)
	sctx, cancel := context.WithTimeout(ctx, connectTimeout)
	_, err = js.Stream(sctx, stream)
	cancel()
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		return fail(exitBadFile, "no stream %s at %s: is a relay publishing world %q? (tickecon-relay -world %s FILE)", stream, f.url, f.world, f.world)
	case errors.Is(err, jetstream.ErrJetStreamNotEnabled):
		return fail(exitBadFile, "the server at %s has no JetStream", f.url)
	case err != nil:
		return fail(exitBadFile, "stream %s at %s: %v", stream, f.url, err)
	}
	// A consumer of its own, deleted on the way out: every dash sees the
	// whole stream from its start. A dash killed (no way out) leaves it
	// to the server, which deletes it once nothing fetched for -inactive.
	var rnd [6]byte
	rand.Read(rnd[:])
	durable := "dash-" + hex.EncodeToString(rnd[:])
	cons, err := bus.NewConsumer(ctx, nc, bus.ConsumerConfig{World: f.world, Durable: durable, InactiveThreshold: f.inactive,
		AckWait: dashAckWait})
	if err != nil {
		return fail(exitBadFile, "%v", err)
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		js.DeleteConsumer(dctx, stream, durable)
		cancel()
	}()

	d := report.NewFeed("world "+f.world+" ("+stream+")", report.Options{MaxPoints: f.points}, f.every)
	defer d.Close()
	if f.session != "" {
		w, err := lockstepdash.NewWatch(nc, f.session)
		if err != nil {
			return fail(exitBadFile, "%v", err)
		}
		defer w.Close()
		d.SetSession(w.Session)
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fail(exitBadFile, "%v", err)
	}
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	fmt.Fprintf(stdout, "following stream %s at %s: http://%s/ (Ctrl-C stops)\n", stream, f.url, ln.Addr())

	rctx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	runErr := make(chan error, 1)
	feed := &runFeed{d: d}
	go func() { runErr <- cons.Run(rctx, feed.handle) }()
	select {
	case <-ctx.Done():
		return exitOK
	case err := <-runErr:
		if err == nil {
			return exitOK
		}
		d.End(err)
		fmt.Fprintf(stderr, "tickecon-relay dash: %v (the page shows the ticks before it)\n", err)
		<-ctx.Done()
		return exitFailed
	case <-d.Done():
		// A tick out of order: the stream is not one session's.
		stopRun()
		fmt.Fprintf(stderr, "tickecon-relay dash: %v (the page shows the ticks before it)\n", cmp.Or(d.Err(), error(report.ErrStopped)))
		<-ctx.Done()
		return exitFailed
	}
}

// runFeed turns the stream's messages into ticks for the dashboard. A
// run of ticks is published as one message per kind (split when large),
// parts 0 to Parts-1 of the run in order: the run's events are gathered
// until its last part, then put back in the order the ticks emitted them
// (by event id) and fed tick by tick.
type runFeed struct {
	d           *report.Dash
	first, last uint64
	open        bool
	evs         []events.Event
	ids         []bus.EventID
	order       []int
	tick        []events.Event
}

func (r *runFeed) handle(_ context.Context, b *bus.Batch) error {
	if r.open && (b.Tick != r.first || b.Last != r.last) {
		r.evs, r.ids, r.open = r.evs[:0], r.ids[:0], false // a run the stream never finished: its parts are gone
	}
	r.first, r.last, r.open = b.Tick, b.Last, true
	r.evs = append(r.evs, b.Events...) // the batch is valid only during the call
	r.ids = append(r.ids, b.IDs...)
	if b.Parts > 0 && b.Part < b.Parts-1 {
		return nil
	}
	r.open = false
	// A refused tick is not retried: the dashboard has stopped (Done)
	// and its page says why.
	_ = r.flush()
	r.evs, r.ids = r.evs[:0], r.ids[:0]
	return nil
}

func (r *runFeed) flush() error {
	r.order = r.order[:0]
	for i := range r.ids {
		r.order = append(r.order, i)
	}
	slices.SortFunc(r.order, func(a, b int) int {
		return cmp.Or(cmp.Compare(r.ids[a].Tick, r.ids[b].Tick), cmp.Compare(r.ids[a].Index, r.ids[b].Index))
	})
	fed := false
	var at uint64
	for i := 0; i < len(r.order); {
		t := r.ids[r.order[i]].Tick
		r.tick = r.tick[:0]
		for ; i < len(r.order) && r.ids[r.order[i]].Tick == t; i++ {
			r.tick = append(r.tick, r.evs[r.order[i]])
		}
		if err := r.d.Feed(t, r.tick); err != nil {
			return err
		}
		fed, at = true, t
	}
	if !fed || at < r.last {
		return r.d.Feed(r.last, nil) // the run's last ticks had no events
	}
	return nil
}
