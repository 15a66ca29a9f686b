package publish

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// headless runs the headless demo as `go run ./demo/headless args...`
// does: the shared flags, the -publish hook, shop.Headless.
func headless(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	fs := flag.NewFlagSet("headless", flag.ContinueOnError)
	var o shop.Options
	o.Register(fs)
	require.NoError(t, fs.Parse(args))
	var out, errb bytes.Buffer
	Hook(&o, &out)
	code = shop.Headless(o, &out, &errb)
	return code, out.String(), errb.String()
}

// logEvents reads every tick's events from the replay log at path.
func logEvents(t *testing.T, path string) map[bus.EventID]events.Event {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := ticklog.NewReader(f)
	require.NoError(t, err)
	all := map[bus.EventID]events.Event{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if rec.Tick == nil {
			continue
		}
		for i, e := range rec.Tick.Events {
			all[bus.EventID{Tick: rec.Tick.Tick, Index: uint32(i)}] = e
		}
	}
	return all
}

// streamEvents reads the world's whole event stream with a durable
// consumer, counting how often each event id arrives.
func streamEvents(t *testing.T, url, world string, want int) (map[bus.EventID]events.Event, map[bus.EventID]int) {
	t.Helper()
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := bus.NewConsumer(ctx, nc, bus.ConsumerConfig{World: world, Durable: "check"})
	require.NoError(t, err)
	got, seen := map[bus.EventID]events.Event{}, map[bus.EventID]int{}
	n := 0
	require.NoError(t, c.Run(ctx, func(_ context.Context, b *bus.Batch) error {
		for i, e := range b.Events {
			got[b.ID(i)] = e
			seen[b.ID(i)]++
			n++
		}
		if n >= want {
			cancel()
		}
		return nil
	}))
	require.Equal(t, want, n, "events read from the stream before the timeout")
	return got, seen
}

// checkStream asserts the stream holds exactly the log's events, each once.
func checkStream(t *testing.T, url, path, stdout string) {
	t.Helper()
	want := logEvents(t, path)
	require.Greater(t, len(want), 100, "a busy session")
	assert.Contains(t, stdout, fmt.Sprintf("published %d events", len(want)))
	got, seen := streamEvents(t, url, bus.WorldName(path), len(want))
	for id, k := range seen {
		assert.Equal(t, 1, k, "event %s delivered %d times", id, k)
	}
	require.Len(t, got, len(want))
	for id, e := range want {
		assert.Equal(t, e, got[id], "event %s", id)
	}
}

// A bare -publish: an embedded server keeps the stream in FILE.jetstream;
// after the demo exits, a server started on that folder holds every event
// of the log exactly once. A second run to the same file is refused before
// the log is touched (its first ticks would look published already).
func TestHeadlessPublishEmbedded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.log")
	code, out, errs := headless(t, "-record", path, "-publish", "-ticks", "300", "-seed", "4")
	require.Equal(t, shop.ExitOK, code, errs)
	assert.Contains(t, out, "data in "+path+".jetstream")

	before, err := os.ReadFile(path)
	require.NoError(t, err)
	code, _, errs = headless(t, "-record", path, "-publish", "-ticks", "50")
	assert.Equal(t, shop.ExitCorrupt, code)
	assert.Contains(t, errs, "file exists; left as it is (-force replaces it)")
	// With -force the log may go, but the stream of the old session is
	// still refused, before the log is touched.
	code, _, errs = headless(t, "-record", path, "-publish", "-ticks", "50", "-force")
	assert.Equal(t, shop.ExitCorrupt, code)
	assert.Contains(t, errs, "already holds a session")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the refused run left the log alone")

	box, err := natsbox.Start(natsbox.Options{StoreDir: path + ".jetstream"})
	require.NoError(t, err)
	defer box.Shutdown()
	checkStream(t, box.URL(), path, out)
}

// -publish=URL publishes into a running server.
func TestHeadlessPublishURL(t *testing.T) {
	box := natsbox.ForTest(t)
	path := filepath.Join(t.TempDir(), "shop.log")
	code, out, errs := headless(t, "-record", path, "-publish="+box.URL(), "-ticks", "300")
	require.Equal(t, shop.ExitOK, code, errs)
	checkStream(t, box.URL(), path, out)
}

// -publish publishes a recording: without -record it is a usage error,
// and a server that cannot be reached is reported before the log exists.
func TestPublishBadUsage(t *testing.T) {
	code, _, errs := headless(t, "-publish", "-ticks", "10")
	assert.Equal(t, shop.ExitUsage, code)
	assert.Contains(t, errs, "-publish needs -record")

	path := filepath.Join(t.TempDir(), "shop.log")
	code, _, errs = headless(t, "-record", path, "-publish=nats://127.0.0.1:1", "-ticks", "10")
	assert.Equal(t, shop.ExitCorrupt, code)
	assert.Contains(t, errs, "cannot reach a NATS server")
	assert.NoFileExists(t, path)
}
