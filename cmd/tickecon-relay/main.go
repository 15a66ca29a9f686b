// Command tickecon-relay publishes a replay log's committed ticks to NATS
// JetStream (cluster/bus's Relay): into the server at -url, or into an
// embedded one whose data lives in FILE.jetstream. Messages are
// CloudEvents 1.0 JSON (docs/schema/) unless -encoding binary.
//
//	tickecon-relay [-url URL] [-data DIR] [-port N] [-world W] [-follow] [-progress D] [-ticks-per-message N] [-encoding cloudevents|binary] [-max-events N] [-replicas N] FILE
//	tickecon-relay -url URL -session S [-setup SETUP] [-world W] [-follow] [-progress D] [-replicas N] [...]
//	tickecon-relay dash -world W [-url URL] [-session S] [-addr ADDR]
//
// With -session it relays a replicated world (cluster/lockstep) from its
// committed frame stream instead of a log file: it re-runs the frames on
// a world of the -setup's systems and publishes each tick the host
// vouched for, from any machine, across failovers; every start resumes
// from the event stream. A session whose host recorded its setup
// (lockstep.Config.Setup) needs no -setup (the relay reads it) and refuses
// another -setup before anything is published; one without needs -setup,
// checked by the host's checksums, tick by tick.
//
// Every -progress (default 10s; 0: never) it prints a line of what it
// published so far, and on its end — the last tick, or SIGINT/SIGTERM —
// a summary: events, messages, the ticks this run added and the last
// tick in the stream.
//
// dash serves the live economy report (package report's page) of a
// world's event stream, as it is published: events only, since the stream
// carries no inputs to replay. With -session it also shows the desync
// reports of a lockstep session as its host publishes them.
//
// It is a command of its own, apart from cmd/tickecon, so that a game
// running `go run github.com/tickecon/tickecon/cmd/tickecon` does not pull
// nats-server and nats.go into its go.mod.
//
// Exit codes: 0 every tick published (with -follow: interrupted); 1
// interrupted before the end (not following) or a broker error the relay
// cannot retry, or (-session) a -setup the host's checksums contradict;
// 2 usage; 3 unreadable or corrupt log (the ticks before the
// damage are published), a server that cannot be reached, a busy port,
// or (-session, not following) no such session;
// 4 torn tail (every complete tick is published); 5 the world's stream
// holds another recording than the log: nothing published; 6 (-session)
// -setup is not the setup the session recorded: nothing published.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/cliflag"
	"github.com/tickecon/tickecon/ticklog"
)

// Exit codes (the first five as cmd/tickecon's).
const (
	exitOK        = 0
	exitFailed    = 1
	exitUsage     = 2
	exitBadFile   = 3
	exitTorn      = 4
	exitOtherRecs = 5
	// exitOtherSetup: -setup is not the session's recorded setup.
	exitOtherSetup = 6
)

const usageLine = "usage: tickecon-relay [flags] FILE\n       tickecon-relay -url URL -session S [-setup SETUP] [flags]"

const summary = "publish a log's events to NATS JetStream (embedded server if no -url)"

func main() { os.Exit(runMain(os.Args[1:])) }

// runMain is run with SIGINT and SIGTERM (what a service manager and
// `timeout` send) ending it: a relay stops and prints its summary.
func runMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, os.Stdout, os.Stderr)
}

// run parses the flags (before or after FILE) and relays.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "dash" { // a log named dash: ./dash
		return runDash(ctx, args[1:], stdout, stderr)
	}
	fset := flag.NewFlagSet("tickecon-relay", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	var f relayFlags
	fset.StringVar(&f.url, "url", "", "NATS server URL (e.g. nats://127.0.0.1:4222); empty: start an embedded server")
	fset.StringVar(&f.data, "data", "", "embedded server's JetStream folder (default FILE.jetstream)")
	fset.IntVar(&f.port, "port", 4222, "embedded server's port on 127.0.0.1 (0: any free port); a busy port is an error")
	fset.StringVar(&f.world, "world", "", "world name on the bus (default: the file name, or the -session; A-Z a-z 0-9 _ -)")
	fset.BoolVar(&f.follow, "follow", false, "keep publishing ticks as the log grows, until interrupted")
	fset.IntVar(&f.ticks, "ticks-per-message", 16, "consecutive ticks one message may cover (per kind); any value resumes exactly")
	fset.StringVar(&f.encoding, "encoding", "cloudevents", "message payload: cloudevents (CloudEvents 1.0 JSON, any language reads it) or binary (compact, Go only); may change between runs")
	fset.IntVar(&f.maxEvents, "max-events", 4096, "events one message may hold; 1: each message is one structured-mode CloudEvent")
	fset.StringVar(&f.session, "session", "", "instead of FILE: relay this replicated world's committed frames from the cluster at -url ; any machine, across failovers")
	fset.StringVar(&f.setup, "setup", "", "with -session: the world's systems: core, commerce (default config) or an ecs.Setup as JSON, e.g. '{\"systems\":\"commerce\",\"config\":{...}}'; default: the setup the session's host recorded")
	fset.DurationVar(&f.progress, "progress", 10*time.Second, "print what was published so far this often (0: never); the summary comes at the end or on SIGINT/SIGTERM")
	fset.IntVar(&f.replicas, "replicas", 1, "copies of the world's streams the cluster keeps (3 on a 3-node cluster survives a lost node)")
	help := func(w io.Writer) {
		fmt.Fprintf(w, "%s\n\n%s\n\nflags:\n", usageLine, summary)
		fset.SetOutput(w)
		fset.PrintDefaults()
		fset.SetOutput(io.Discard)
		fmt.Fprintln(w, "\nexit codes: 0 ok (with -follow: also interrupted), 1 interrupted (not following) or failed, 2 usage, 3 bad file, unreachable server, busy port or no such session, 4 torn tail, 5 the stream holds another recording, 6 -setup is not the session's")
		fmt.Fprintf(w, "\n%s\n  %s (tickecon-relay dash -h)\n", dashUsage, dashSummary)
	}
	files, err := cliflag.ParseInterleaved(fset, args)
	if errors.Is(err, flag.ErrHelp) {
		help(stdout)
		return exitOK
	}
	set := map[string]bool{}
	fset.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case err != nil:
	case f.session != "":
		err = sessionUsage(f, files, set)
	case set["setup"]:
		err = errors.New("-setup goes with -session")
	case len(files) != 1:
		err = fmt.Errorf("want 1 file argument (FILE), got %d", len(files))
	}
	if err == nil && f.progress < 0 {
		err = fmt.Errorf("-progress %v: want 0 (never) or more", f.progress)
	}
	if err == nil && f.replicas < 1 {
		err = fmt.Errorf("-replicas %d: want 1 or more", f.replicas)
	}
	if _, e := bus.ParseEncoding(f.encoding); err == nil && e != nil {
		err = e
	}
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n\n", err)
		help(stderr)
		return exitUsage
	}
	if f.session != "" {
		return relaySession(ctx, f, stdout, stderr)
	}
	return relay(ctx, files[0], f, stdout, stderr)
}

// connectTimeout bounds the first connection to the server.
const connectTimeout = 3 * time.Second

type relayFlags struct {
	url, data, world string
	encoding         string
	port, ticks      int
	maxEvents        int
	follow           bool
	session, setup   string
	replicas         int
	progress         time.Duration
}

// named prefixes err with the file's name unless its text names it already.
func named(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

func badFile(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
	return exitBadFile
}

func relay(ctx context.Context, path string, f relayFlags, stdout, stderr io.Writer) int {
	if f.world == "" {
		f.world = bus.WorldName(path)
	}
	if err := bus.CheckWorld(f.world); err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	// Open the log first: a bad file is reported before any server starts.
	fh, err := os.Open(path)
	if err != nil {
		return badFile(stderr, named(path, err))
	}
	_, err = ticklog.NewReader(fh)
	fh.Close()
	if err != nil {
		return badFile(stderr, named(path, err))
	}
	url := f.url
	stored := false // the stream holds messages (set once the relay ran)
	if url == "" {
		if f.data == "" {
			f.data = path + ".jetstream"
		}
		_, serr := os.Stat(f.data)
		created := errors.Is(serr, fs.ErrNotExist)
		box, err := natsbox.Start(natsbox.Options{StoreDir: f.data, Port: f.port})
		if err != nil {
			// natsbox removes a store dir it created for a server that
			// never started; a busy port is named at once.
			fmt.Fprintf(stderr, "tickecon-relay: embedded server: %v\n", err)
			if errors.Is(err, natsbox.ErrPortBusy) {
				fmt.Fprintf(stderr, "tickecon-relay: -port 0 picks a free port; -url nats://127.0.0.1:%d uses the server already there\n", f.port)
			}
			return exitBadFile
		}
		defer func() {
			box.Shutdown()
			// A data folder this run created and stored nothing in (a log
			// damaged at its first tick) is not left behind.
			if created && !stored {
				if os.RemoveAll(f.data) == nil {
					fmt.Fprintf(stdout, "nothing stored: removed %s again\n", f.data)
				}
			}
		}()
		url = box.URL()
		fmt.Fprintf(stdout, "embedded NATS JetStream server at %s, data in %s\n", url, f.data)
	}
	nc, err := dial(url, stderr)
	if err != nil {
		return exitBadFile
	}
	defer nc.Close()
	enc, err := bus.ParseEncoding(f.encoding)
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: f.world, Log: path, Follow: f.follow, TicksPerMessage: f.ticks,
		MaxEvents: f.maxEvents, Encoding: enc, OnRetry: retryNotice(stderr), Streams: bus.StreamsConfig{Replicas: f.replicas}})
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "relaying %s as world %q to stream %s (subjects %s)\n", path, f.world, bus.EventStream(f.world), bus.EventSubjects(f.world))
	start := time.Now()
	err = runWithProgress(ctx, r, f.progress, stdout)
	st := r.Stats()
	stored = st.Messages > 0 || st.From > 0
	if errors.Is(err, bus.ErrOtherRecording) {
		// Refused before publishing anything: no summary of a run that
		// did not happen.
		fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
		fmt.Fprintf(stderr, "tickecon-relay: -world NAME relays %s under another name\n", path)
		return exitOtherRecs
	}
	fmt.Fprintln(stdout, stopped(ctx)+relaySummary(st, time.Since(start)))
	switch {
	case err == nil, errors.Is(err, context.Canceled) && f.follow:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "tickecon-relay: interrupted; run again to go on from what the stream holds")
		return exitFailed
	}
	var torn *ticklog.TornTailError
	var bad *ticklog.CorruptError
	switch {
	case errors.As(err, &torn):
		fmt.Fprintf(stderr, "tickecon-relay: warning: %s: %v; every complete tick before it is in the stream (a copy without the tail: tickecon export %s > x.jsonl, then tickecon import x.jsonl NEW.log)\n", path, torn, path)
		return exitTorn
	case errors.As(err, &bad):
		if st.HasTick {
			err = fmt.Errorf("%w (ticks up to %d, before the damage, are in the stream)", err, st.LastTick)
		}
		return badFile(stderr, named(path, err))
	}
	fmt.Fprintf(stderr, "tickecon-relay: %v\n", err)
	return exitFailed
}

// dial connects to url. The first connection must succeed within
// connectTimeout: a wrong URL is reported at once instead of looking like
// a stuck relay. Once connected, a lost server is retried forever, with a
// notice.
func dial(url string, stderr io.Writer) (*nats.Conn, error) {
	nc, err := nats.Connect(url, nats.Timeout(connectTimeout), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.Name("tickecon relay"),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				fmt.Fprintf(stderr, "tickecon-relay: lost the server at %s (%v); retrying…\n", url, err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			fmt.Fprintf(stderr, "tickecon-relay: reconnected to %s\n", url)
		}))
	if err != nil {
		fmt.Fprintf(stderr, "tickecon-relay: cannot reach a NATS server at %s: %v\n", url, err)
	}
	return nc, err
}

// retryNotice prints the broker errors a relay retries on stderr: a new
// error at once, the same one again at most every retryQuiet.
func retryNotice(stderr io.Writer) func(error) {
	var last string
	var at time.Time
	return func(err error) {
		if msg := err.Error(); msg != last || time.Since(at) >= retryQuiet {
			fmt.Fprintf(stderr, "tickecon-relay: %v; retrying…\n", err)
			last, at = msg, time.Now()
		}
	}
}

// retryQuiet is how often the same retried error is shown again.
const retryQuiet = 5 * time.Second

// relaySummary is the closing line: what this run added to the stream,
// and what the stream held before.
func relaySummary(st bus.RelayStats, el time.Duration) string {
	var held string
	if st.From > 0 {
		held = fmt.Sprintf("the stream already held ticks 0 to %d", st.From-1)
	}
	if st.Messages == 0 && (!st.HasTick || st.From > 0 && st.LastTick < st.From) {
		if held == "" {
			return "nothing published: the log holds no complete tick"
		}
		return "nothing new to publish: " + held
	}
	s := fmt.Sprintf("published %d events in %d messages", st.Events, st.Messages)
	if st.HasTick {
		s += fmt.Sprintf(", ticks %d to %d", st.From, st.LastTick)
	}
	s += fmt.Sprintf(", in %s (%.0f events/s)", el.Round(time.Millisecond), float64(st.Events)/max(el.Seconds(), 1e-9))
	if held != "" {
		s += "; " + held
	}
	if st.Duplicates > 0 {
		// Messages a relay stopped mid-way had sent; the broker dropped
		// the copies.
		s += fmt.Sprintf("; %d messages resent were dropped as duplicates", st.Duplicates)
	}
	return s
}

// runWithProgress runs r, printing a progressLine every interval (0:
// never) until Run returns; the last one is written before it returns,
// so the summary after it is the last line.
func runWithProgress(ctx context.Context, r *bus.Relay, every time.Duration, stdout io.Writer) error {
	if every <= 0 {
		return r.Run(ctx)
	}
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintln(stdout, progressLine(r.Stats()))
			}
		}
	}()
	err := r.Run(ctx)
	close(done)
	<-ended
	return err
}

// progressLine is what a relay published so far: events, messages and
// the ticks this run relayed, through the last one stored.
func progressLine(st bus.RelayStats) string {
	s := fmt.Sprintf("progress: published %d events in %d messages", st.Events, st.Messages)
	switch {
	case st.HasTick && st.LastTick+1 > st.From:
		s += fmt.Sprintf(", ticks %d to %d", st.From, st.LastTick)
	case st.HasTick:
		s += fmt.Sprintf("; nothing new after tick %d", st.LastTick)
	default:
		s += "; no tick yet"
	}
	return s
}

// stopped prefixes the summary of a run a signal ended.
func stopped(ctx context.Context) string {
	if ctx.Err() != nil {
		return "stopped: "
	}
	return ""
}
