package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/internal/browsertest"
	"github.com/tickecon/tickecon/internal/session/recording"
	"github.com/tickecon/tickecon/internal/syncbuf"
	"github.com/tickecon/tickecon/replay"
)

var pageURL = regexp.MustCompile(`http://[0-9.:]+/`)

// startDash runs `tickecon-relay dash` with args until the test ends and
// returns its page's URL.
func startDash(t *testing.T, args ...string) (string, *syncbuf.Buffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"dash", "-addr", "127.0.0.1:0", "-every", "100ms"}, args...), &out, &errs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, exitOK, code, errs.String())
		case <-time.After(time.Minute):
			t.Error("dash did not stop on interrupt")
		}
	})
	deadline := time.Now().Add(time.Minute)
	for !pageURL.MatchString(out.String()) {
		select {
		case code := <-done:
			t.Fatalf("dash exited with %d: %s", code, errs.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), "no page URL: %s %s", out.String(), errs.String())
		time.Sleep(10 * time.Millisecond)
	}
	return pageURL.FindString(out.String()), &errs
}

// The stream-following dashboard in headless Chromium: while a relay
// publishes a session that is being recorded, the page's tick advances,
// and the money issued it shows is the recording world's Supply at that
// tick. A desync report published on the session's subject shows up.
//
// TICKECON_DASH_SHOT=path saves the screenshot there (docs/dash-stream.png).
func TestDashFollowsTheStreamInChromium(t *testing.T) {
	bin := browsertest.Chromium(t)
	box := natsbox.ForTest(t)
	path := filepath.Join(t.TempDir(), "live.log")
	rec := recording.Commerce(t, path, 10)

	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	rctx, stopRelay := context.WithCancel(context.Background())
	relayDone := make(chan error, 1)
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: "live", Log: path, Follow: true})
	require.NoError(t, err)
	go func() { relayDone <- r.Run(rctx) }()
	defer func() {
		stopRelay()
		<-relayDone
	}()
	// The stream exists once the relay has started.
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	require.Eventually(t, func() bool { _, err := js.Stream(rctx, bus.EventStream("live")); return err == nil },
		time.Minute, 10*time.Millisecond)

	url, _ := startDash(t, "-url", box.URL(), "-world", "live", "-session", "demo")
	ctx, pageErrors := browsertest.Open(t, bin)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(url)))
	st := browsertest.WaitTick(t, ctx, 9)
	assert.GreaterOrEqual(t, st.LastTick, uint64(9))

	// 30 more ticks recorded (and relayed) while the page is open.
	rec.Step(t, 30)
	st = browsertest.WaitTick(t, ctx, 39, "the page's tick advances while the relay publishes")
	assert.Equal(t, uint64(39), st.LastTick)
	browsertest.AssertSupply(t, ctx, rec.World.Supply(), []components.ID{1, 2}, "ticks 0–39 (40 ticks)", "events only")

	// A desync report, as a host publishes it, appears in the session panel.
	rep := lockstep.Report{Session: "demo", Peer: "p7", Tick: 31, Stage: "purchase", ExpectedChecksum: "00aa", ActualChecksum: "00bb",
		DetectedAt: 33, StateTick: 31, Action: "dropped (resyncs from a snapshot)",
		Diffs: []replay.FieldDiff{{ID: 12, Component: "Wallet", Field: "Balances[0].Amount", Expected: "100", Actual: "99"}}}
	data, err := json.Marshal(rep)
	require.NoError(t, err)
	require.NoError(t, nc.Publish(lockstep.SubjectReports("demo"), data))
	text, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const d = document.querySelector(".desync[data-peer=p7]"); return d && d.textContent; })()`,
		chromedp.WithPollingTimeout(time.Minute)))
	require.NoError(t, err, "the desync report shows")
	assert.Contains(t, text, "peer p7 at tick 31, stage purchase")
	assert.Contains(t, text, "entity 12 Wallet Balances[0].Amount: expected 100, actual 99")

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	_, err = png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	if out := os.Getenv("TICKECON_DASH_SHOT"); out != "" {
		require.NoError(t, os.WriteFile(out, shot, 0o644))
	}
	assert.Empty(t, *pageErrors)
}

// Bad input gets one line and the exit codes `verify` uses: a usage
// error 2, no such stream or no server 3.
func TestDashBadInput(t *testing.T) {
	box := natsbox.ForTest(t)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no world", []string{"dash", "-url", box.URL()}, exitUsage, "dash needs -world W"},
		{"bad world", []string{"dash", "-url", box.URL(), "-world", "a.b"}, exitUsage, "world"},
		{"a file", []string{"dash", "-world", "w", "x.log"}, exitUsage, "takes no file argument"},
		{"inactive", []string{"dash", "-world", "w", "-inactive", "10ms"}, exitUsage, "-inactive 10ms: want 1s or more"},
		{"no stream", []string{"dash", "-url", box.URL(), "-world", "nothere", "-addr", "127.0.0.1:0"}, exitBadFile,
			"no stream TICKECON_W_EV_nothere at " + box.URL() + `: is a relay publishing world "nothere"?`},
		{"no server", []string{"dash", "-url", "nats://127.0.0.1:1", "-world", "w", "-addr", "127.0.0.1:0"}, exitBadFile,
			"cannot reach a NATS server at nats://127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := tool(c.args...)
			assert.Equal(t, c.code, code, errs)
			assert.Empty(t, out)
			first, _, _ := strings.Cut(errs, "\n")
			assert.Contains(t, first, "tickecon-relay dash: ")
			assert.Contains(t, first, c.want)
		})
	}
}

// A server lost while the dashboard follows is said on stderr and retried;
// the dashboard goes on when it is back.
func TestDashLostServer(t *testing.T) {
	box := natsbox.ForTest(t)
	path := filepath.Join(t.TempDir(), "w.log")
	recordLog(t, path, 20, 5, false)
	code, _, errs := tool("-url", box.URL(), path)
	require.Equal(t, exitOK, code, errs)
	_, derrs := startDash(t, "-url", box.URL(), "-world", "w")
	box.Shutdown()
	require.Eventually(t, func() bool { return strings.Contains(derrs.String(), "lost the server at "+box.URL()) },
		time.Minute, 10*time.Millisecond, derrs.String())
	require.NoError(t, box.Restart())
	require.Eventually(t, func() bool { return strings.Contains(derrs.String(), "reconnected to "+box.URL()) },
		time.Minute, 10*time.Millisecond, derrs.String())
}

// dashChildEnv makes this test binary run `tickecon-relay` with the
// arguments after its "--", for a test that kills the process.
const dashChildEnv = "TICKECON_DASH_CHILD"

func TestDashChildProcess(t *testing.T) {
	if os.Getenv(dashChildEnv) == "" {
		t.Skip("run by TestDashKilledLeavesNoConsumer")
	}
	os.Exit(run(context.Background(), flag.Args(), os.Stdout, os.Stderr))
}

// A dash killed (no deferred cleanup runs) leaves its consumer to the
// server, which deletes it once nothing fetched for -inactive.
func TestDashKilledLeavesNoConsumer(t *testing.T) {
	box := natsbox.ForTest(t)
	path := filepath.Join(t.TempDir(), "w.log")
	recordLog(t, path, 20, 5, false)
	code, _, errs := tool("-url", box.URL(), path)
	require.Equal(t, exitOK, code, errs)

	cmd := exec.Command(os.Args[0], "-test.run=^TestDashChildProcess$", "--",
		"dash", "-url", box.URL(), "-world", "w", "-addr", "127.0.0.1:0", "-inactive", "1s")
	cmd.Env = append(os.Environ(), dashChildEnv+"=1")
	var out, derrs syncbuf.Buffer
	cmd.Stdout, cmd.Stderr = &out, &derrs
	require.NoError(t, cmd.Start())
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()

	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // bounds a hang only
	defer cancel()
	dashes := func() []string {
		var ns []string
		st, err := js.Stream(ctx, bus.EventStream("w"))
		require.NoError(t, err)
		l := st.ConsumerNames(ctx)
		for n := range l.Name() {
			if strings.HasPrefix(n, "dash-") {
				ns = append(ns, n)
			}
		}
		require.NoError(t, l.Err())
		return ns
	}
	for !pageURL.MatchString(out.String()) {
		require.NoError(t, ctx.Err(), "no page URL: %s %s", out.String(), derrs.String())
		time.Sleep(10 * time.Millisecond)
	}
	require.Len(t, dashes(), 1, "the dash's consumer")

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	killed = true
	for len(dashes()) > 0 { // about dashAckWait + 1 s: it was killed with messages unacknowledged
		require.NoError(t, ctx.Err(), "the killed dash's consumer is still on the server")
		time.Sleep(50 * time.Millisecond)
	}
}
