package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/internal/syncbuf"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

func tool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// recordLog records a busy seeded session of ticks ticks to a new log at
// path, as `tickecon record` does.
func recordLog(t testing.TB, path string, ticks, players int, commerce bool) {
	recordWith(t, path, ticks, players, 50, 1, commerce)
}

func recordWith(t testing.TB, path string, ticks, players, intents int, seed uint64, commerce bool) {
	t.Helper()
	w := ecs.New()
	opts := ticklog.Options{SnapshotEvery: 1000, SyncEvery: 100, Setup: systems.CoreSetup()}
	if commerce {
		systems.InstallCommerce(w, systems.DefaultConfig)
		opts.Setup = systems.CommerceSetup(systems.DefaultConfig)
	} else {
		systems.Install(w)
	}
	c := session.Content(seed, players)
	s, err := session.Attach(w, seed, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, opts)
	require.NoError(t, err)
	lw.Record(w)
	for range ticks {
		s.Step(intents)
	}
	require.NoError(t, lw.Close())
}

// The relay command with no URL runs an embedded server in a data folder:
// a second run finds everything there and publishes nothing.
func TestRelayCommandEmbedded(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "shop day.log")
	recordLog(t, log, 200, 20, true)
	data := filepath.Join(dir, "js")

	code, out, errs := tool("-port", "0", "-data", data, log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, `as world "shop-day"`)
	require.Contains(t, out, "ticks 0 to 199")
	require.NotContains(t, out, "published 0 events")

	code, out, errs = tool("-port", "0", "-data", data, log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "nothing new to publish: the stream already held ticks 0 to 199")
	require.NotContains(t, out, "already there")
}

func TestRelayCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.log")
	require.NoError(t, os.WriteFile(bad, []byte("not a log at all"), 0o644))
	code, _, errs := tool("-port", "0", "-data", filepath.Join(dir, "js"), bad)
	require.Equal(t, exitBadFile, code)
	require.Contains(t, errs, "corrupt")
	require.Contains(t, errs, "tickecon-relay: "+bad+": ")
	code, _, errs = tool("-port", "0", "-data", filepath.Join(dir, "js"), dir)
	require.Equal(t, exitBadFile, code)
	require.Contains(t, errs, "tickecon-relay: "+dir+": ", "a directory is named")
	_, err := os.Stat(filepath.Join(dir, "js"))
	require.True(t, os.IsNotExist(err), "no server started for a bad file")

	code, _, errs = tool("-world", "a.b", bad)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errs, "may only hold")

	code, _, errs = tool("-encoding", "xml", bad)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errs, `encoding "xml" (cloudevents or binary)`)
}

// A server that cannot be reached is reported at once (exit 3), naming
// the URL, instead of a relay that hangs silently.
func TestRelayCommandUnreachable(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "s.log")
	recordLog(t, log, 20, 5, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port, closed: nothing listens there
	require.NoError(t, err)
	url := "nats://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	// Nothing listens: the first connection fails (within connectTimeout,
	// the client's own bound) instead of retrying forever.
	code, _, errs := tool("-url", url, log)
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, errs, "cannot reach a NATS server at "+url)
}

// tickOffset is the file offset of tick's record in the log at path.
func tickOffset(t *testing.T, path string, tick uint64) int64 {
	t.Helper()
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	for _, r := range recs {
		if r.Tick != nil && r.Tick.Tick == tick {
			return r.Offset
		}
	}
	t.Fatalf("no tick %d in %s", tick, path)
	return 0
}

// flipByte damages the log at path at byte off.
func flipByte(t *testing.T, path string, off int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	b[off] ^= 0xFF
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// A torn tail is relayed up to the last complete tick, then reported like
// verify does: a warning on stderr and exit 4.
func TestRelayCommandTornTail(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "torn.log")
	recordLog(t, log, 100, 10, true)
	cut := tickOffset(t, log, 80) + 7
	require.NoError(t, os.Truncate(log, cut))
	res, err := replay.Verify(replay.FileSource(log), nil, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.TornTail)
	verr := res.TornTail.Error()

	code, out, errs := tool("-port", "0", "-data", filepath.Join(dir, "js"), log)
	require.Equal(t, exitTorn, code, errs)
	require.Contains(t, out, "ticks 0 to 79")
	require.Contains(t, errs, "warning: "+log+": ")
	require.Contains(t, errs, fmt.Sprintf("torn tail at byte %d; last good tick 79", cut-7))
	require.Contains(t, verr, fmt.Sprintf("torn tail at byte %d; last good tick 79", cut-7), "verify reports the same tail")
	require.Contains(t, errs, "tickecon export "+log+" > x.jsonl, then tickecon import", "a cure the user can run")
}

// A log damaged mid-file: the good ticks before the damage are published,
// then the damage is reported with the file name and offset (exit 3).
// Damage at the first tick stores nothing and leaves no data folder.
func TestRelayCommandDamaged(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "dmg.log")
	recordLog(t, log, 100, 10, true)
	at := tickOffset(t, log, 60)
	flipByte(t, log, (at+tickOffset(t, log, 61))/2)
	data := filepath.Join(dir, "js")

	code, out, errs := tool("-port", "0", "-data", data, log)
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, out, "ticks 0 to 59")
	require.Contains(t, errs, fmt.Sprintf("tickecon-relay: %s: replay log corrupt at byte %d", log, at))
	require.Contains(t, errs, "ticks up to 59")
	require.DirExists(t, data)

	first := filepath.Join(dir, "first.log")
	recordLog(t, first, 10, 10, true)
	flipByte(t, first, tickOffset(t, first, 0)+20)
	data2 := filepath.Join(dir, "js2")
	code, out, errs = tool("-port", "0", "-data", data2, first)
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, out, "nothing published")
	require.Contains(t, errs, first+": replay log corrupt at byte")
	require.NoDirExists(t, data2)
}

// A following relay whose server goes away says so on stderr while it
// retries, and goes on once the server is back.
func TestRelayCommandFollowRetryNotice(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "f.log")
	recordLog(t, log, 50, 10, true)
	box := natsbox.ForTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- relay(ctx, log, relayFlags{url: box.URL(), follow: true, ticks: 16, encoding: "cloudevents"}, &out, &errs)
	}()
	// Wait until the stream holds the log's last tick (49).
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		s, err := js.Stream(ctx, bus.EventStream("f"))
		if err != nil {
			return false
		}
		info, err := s.Info(ctx)
		if err != nil || info.State.LastSeq == 0 {
			return false
		}
		m, err := s.GetMsg(ctx, info.State.LastSeq)
		return err == nil && strings.HasSuffix(m.Header.Get(bus.HeaderTick), "-49")
	}, 20*time.Second, 20*time.Millisecond)
	nc.Close()
	box.Shutdown()
	require.Eventually(t, func() bool { return strings.Contains(errs.String(), "lost the server at "+box.URL()) },
		10*time.Second, 10*time.Millisecond, errs.String())
	require.Contains(t, errs.String(), "retrying")
	require.NoError(t, box.Restart())
	require.Eventually(t, func() bool { return strings.Contains(errs.String(), "reconnected to "+box.URL()) },
		10*time.Second, 10*time.Millisecond, errs.String())
	cancel()
	select {
	case code := <-done:
		require.Equal(t, exitOK, code, errs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("relay did not stop on interrupt")
	}
	require.Contains(t, out.String(), "ticks 0 to 49")
	require.Contains(t, out.String(), fmt.Sprintf("published %d events", logEventCount(t, log)), "the last line counts every event stored")
}

// A busy port is reported at once, naming it and the ways out (exit 3),
// and leaves no data folder behind.
func TestRelayCommandBusyPort(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "s.log")
	recordLog(t, log, 20, 5, false)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	data := filepath.Join(dir, "js")

	code, out, errs := tool("-port", fmt.Sprint(port), "-data", data, log)
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, errs, fmt.Sprintf("port %d on 127.0.0.1 is in use", port))
	require.Contains(t, errs, "-port 0 picks a free port")
	require.Empty(t, out)
	require.NoDirExists(t, data)
}

// logEventCount is how many events the log at path holds.
func logEventCount(t testing.TB, path string) int {
	t.Helper()
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	n := 0
	for _, r := range recs {
		if r.Tick != nil {
			n += len(r.Tick.Events)
		}
	}
	return n
}

// The steps of the report: relay a 500-tick log, re-record the same file
// with other inputs (same content), relay again. The stream is refused
// (exit 5) with what differs, no summary line, and nothing is added.
func TestRelayCommandRefusesAnotherRecording(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "s.log")
	data := filepath.Join(dir, "js")
	recordWith(t, log, 500, 20, 50, 1, true)
	code, out, errs := tool("-port", "0", "-data", data, log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, fmt.Sprintf("published %d events", logEventCount(t, log)))

	require.NoError(t, os.Remove(log))
	recordWith(t, log, 1000, 20, 51, 1, true)
	code, out, errs = tool("-port", "0", "-data", data, log)
	require.Equal(t, exitOtherRecs, code, errs)
	require.Contains(t, errs, "tickecon-relay: bus: stream TICKECON_W_EV_s holds another recording than "+log)
	require.Contains(t, errs, "tick 499 has checksum")
	require.Contains(t, errs, "-world NAME relays "+log+" under another name")
	require.NotContains(t, out, "published")
	require.NotContains(t, out, "the log holds no complete tick")

	// Under another world name it goes through.
	code, out, errs = tool("-port", "0", "-data", data, "-world", "s2", log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, fmt.Sprintf("published %d events", logEventCount(t, log)))
}
