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
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/ticklog"
)

func init() {
	register(command{name: "relay", args: []string{"FILE"}, summary: "publish a log's events to NATS JetStream (embedded server if no -url)",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			url := fs.String("url", "", "NATS server URL (e.g. nats://127.0.0.1:4222); empty: start an embedded server")
			data := fs.String("data", "", "embedded server's JetStream folder (default FILE.jetstream)")
			port := fs.Int("port", 4222, "embedded server's port on 127.0.0.1 (0: any free port)")
			world := fs.String("world", "", "world name on the bus (default: the file name, A-Z a-z 0-9 _ -)")
			follow := fs.Bool("follow", false, "keep publishing ticks as the log grows, until interrupted")
			ticks := fs.Int("ticks-per-message", 16, "consecutive ticks one message may cover (per kind)")
			return func(files []string, stdout, stderr io.Writer) int {
				ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
				defer stop()
				return relay(ctx, files[0], relayFlags{url: *url, data: *data, port: *port, world: *world,
					follow: *follow, ticks: *ticks}, stdout, stderr)
			}
		}})
}

// connectTimeout bounds the first connection to the server.
const connectTimeout = 3 * time.Second

type relayFlags struct {
	url, data, world string
	port, ticks      int
	follow           bool
}

func relay(ctx context.Context, path string, f relayFlags, stdout, stderr io.Writer) int {
	if f.world == "" {
		f.world = bus.WorldName(path)
	}
	if err := bus.CheckWorld(f.world); err != nil {
		fmt.Fprintf(stderr, "tickecon relay: %v\n", err)
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
			fmt.Fprintf(stderr, "tickecon relay: embedded server: %v\n", err)
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
	// The first connection must succeed within connectTimeout: a wrong URL
	// is reported at once instead of looking like a stuck relay. Once
	// connected, a lost server is retried forever, with a notice.
	nc, err := nats.Connect(url, nats.Timeout(connectTimeout), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.Name("tickecon relay"),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				fmt.Fprintf(stderr, "tickecon relay: lost the server at %s (%v); retrying…\n", url, err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) {
			fmt.Fprintf(stderr, "tickecon relay: reconnected to %s\n", url)
		}))
	if err != nil {
		fmt.Fprintf(stderr, "tickecon relay: cannot reach a NATS server at %s: %v\n", url, err)
		return exitBadFile
	}
	defer nc.Close()
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: f.world, Log: path, Follow: f.follow, TicksPerMessage: f.ticks,
		OnRetry: retryNotice(stderr)})
	if err != nil {
		fmt.Fprintf(stderr, "tickecon relay: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "relaying %s as world %q to stream %s (subjects %s)\n", path, f.world, bus.EventStream(f.world), bus.EventSubjects(f.world))
	start := time.Now()
	err = r.Run(ctx)
	st := r.Stats()
	stored = st.Messages > 0 || st.From > 0
	fmt.Fprintln(stdout, relaySummary(st, time.Since(start)))
	switch {
	case err == nil, errors.Is(err, context.Canceled) && f.follow:
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "tickecon relay: interrupted; run again to go on from what the stream holds")
		return exitMismatch
	}
	var torn *ticklog.TornTailError
	var bad *ticklog.CorruptError
	if errors.As(err, &torn) || errors.As(err, &bad) {
		// The same reports (and exit codes 4, 3) as verify and export.
		good := "every complete tick before it is in the stream"
		if bad != nil && st.HasTick {
			err = fmt.Errorf("%w (ticks up to %d, before the damage, are in the stream)", err, st.LastTick)
		}
		return readErr(stderr, path, named(path, err), good)
	}
	fmt.Fprintf(stderr, "tickecon relay: %v\n", err)
	return exitMismatch
}

// retryNotice prints the broker errors a relay retries on stderr: a new
// error at once, the same one again at most every retryQuiet.
func retryNotice(stderr io.Writer) func(error) {
	var last string
	var at time.Time
	return func(err error) {
		if msg := err.Error(); msg != last || time.Since(at) >= retryQuiet {
			fmt.Fprintf(stderr, "tickecon relay: %v; retrying…\n", err)
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
