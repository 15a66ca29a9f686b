package main

import (
	"bytes"
	"cmp"
	"context"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/demo/screen"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/internal/browsertest"
)

// state is what the page publishes as window.tickecon after every tick.
type state struct {
	Tick            float64 `json:"tick"`
	PlayerPurchases float64 `json:"playerPurchases"`
	Money           float64 `json:"money"`
	Units           float64 `json:"units"`
	Status          string  `json:"status"`
	Selected        int     `json:"selected"`
	Replay          string  `json:"replay"`
	ReplayTicks     float64 `json:"replayTicks"`
}

// keyDown and keyUp are the events of typing r, split where a person
// holds the key.
func keyDown(r rune) chromedp.Action[chromedp.Void] { return keyEvents(r, false) }
func keyUp(r rune) chromedp.Action[chromedp.Void]   { return keyEvents(r, true) }

func keyEvents(r rune, up bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, k := range kb.Encode(r) {
			if (k.Type == kb.KeyUp) != up {
				continue
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
				return err
			}
		}
		return nil
	})
}

// mouseDown and mouseUp press and release the left button at (x, y).
func mouseDown(x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
}

func mouseUp(x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))
}

// TestBrowser serves the wasm build to a real headless Chromium: the page
// loads, the game ticks, a purchase made by a click and a key press shows
// up in the wallet, a screenshot shows the shop, the session's log
// (recorded in memory, downloadable) verifies, and an uploaded replay log
// is verified in the page.
func TestBrowser(t *testing.T) {
	bin := browsertest.Chromium(t)
	if testing.Short() {
		t.Skip("builds the demo for wasm and drives a browser")
	}
	// TICKECON_WEB_TPS measures another tick rate (the page's ?tps=).
	tps := cmp.Or(os.Getenv("TICKECON_WEB_TPS"), "20")
	dir := t.TempDir()
	start := time.Now()
	wasm, err := BuildWasm(dir)
	require.NoError(t, err)
	t.Logf("wasm build: %s", time.Since(start).Round(time.Second))
	h, err := NewHandler(wasm)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	defer srv.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(screen.W, screen.H),
		// WebGL without a GPU: ANGLE on SwiftShader, software rendering.
		chromedp.Flag("use-angle", "swiftshader"),
		chromedp.Flag("enable-unsafe-swiftshader", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// A hidden headless tab must not be throttled.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	// Each wait below is on a condition, bounded only by this deadline for
	// the whole drive: a loaded 2-core machine is slower, not wrong (at load
	// 23 headless chromium ran under 1 tick/s; idle, the drive takes ~1 min).
	drive := 10 * time.Minute
	ctx, cancel = context.WithTimeout(ctx, drive)
	deadline := time.Now().Add(drive - 10*time.Second) // leave time to report
	defer cancel()

	// The page's console (a Go panic in the wasm lands there) goes to the
	// test log.
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			for _, a := range ev.Args {
				t.Logf("console.%s: %s", ev.Type, a.Value)
			}
		case *cdpruntime.EventExceptionThrown:
			t.Logf("page exception: %s", ev.ExceptionDetails.Text)
		}
	}))
	read := func() state {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[state](`window.tickecon || {tick: -1}`))
		require.NoError(t, err)
		return s
	}
	// poll reads the state until ok or d passes.
	poll := func(d time.Duration, ok func(state) bool) (state, bool) {
		end := time.Now().Add(d)
		for {
			s := read()
			if ok(s) || time.Now().After(end) {
				return s, ok(s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor := func(what string, ok func(state) bool) state {
		t.Helper()
		s, done := poll(time.Until(deadline), ok)
		require.True(t, done, "timed out waiting for %s; last state %+v", what, s)
		return s
	}
	// act does what a person does: presses, holds until the game has run
	// two more ticks — ebiten polls input once per tick, so one whole tick
	// saw it held, however slow the machine — and releases; then it waits
	// for the page to show the effect. Done once: a "just pressed" key or
	// button acts once, and repeating the action could act twice.
	act := func(what string, down, up chromedp.Action[chromedp.Void], ok func(state) bool) state {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, down))
		from := read().Tick
		waitFor(what+" held for two ticks", func(s state) bool { return s.Tick >= from+2 })
		require.NoError(t, chromedp.Do(ctx, up))
		return waitFor("the effect of "+what, ok)
	}

	require.NoError(t, chromedp.Do(ctx,
		chromedp.EmulateViewport(screen.W, screen.H),
		chromedp.Navigate(srv.URL+"/?seed=1&tps="+tps)))
	s0 := waitFor("the first tick", func(s state) bool { return s.Tick >= 1 })
	t0 := time.Now()
	// The game ticks: 40 more ticks ran (a condition; how fast is only
	// logged — a loaded machine is slower, not wrong).
	s1 := waitFor("40 more ticks", func(s state) bool { return s.Tick >= s0.Tick+40 })
	rate := (s1.Tick - s0.Tick) / time.Since(t0).Seconds()
	t.Logf("headless chromium (software GL) runs %.1f ticks/s at -tps %s", rate, tps)
	title, err := chromedp.Run(ctx, chromedp.Title())
	require.NoError(t, err)
	assert.Contains(t, title, "tick ")

	// Click row 3 (Arrows: cheap, plenty of stock), then press Enter. A
	// person holds a key or button for a few frames; ebiten polls input
	// once per tick, so the test holds them too.
	row := screen.RowRect(2)
	x, y := float64(row.X+row.W/2), float64(row.Y+row.H/2)
	act("a click on row 3", mouseDown(x, y), mouseUp(x, y), func(s state) bool { return s.Selected == 2 })
	before := read()
	after := act("Enter", keyDown('\r'), keyUp('\r'), func(s state) bool { return s.PlayerPurchases > before.PlayerPurchases })
	assert.Less(t, after.Money, before.Money, "the wallet paid: %+v", after)
	assert.Greater(t, after.Units, before.Units, "the item arrived: %+v", after)
	assert.Contains(t, after.Status, "Bought 1× Arrows")

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(screen.W, screen.H), img.Bounds().Size())
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	assert.Greater(t, len(colours), 50, "the screenshot shows the shop, not a blank page")
	if p := os.Getenv("TICKECON_WEB_SHOT"); p != "" {
		require.NoError(t, os.WriteFile(p, shot, 0o644))
	}

	// The page records its session in memory; the bytes the "Download
	// the log" button saves are a complete log that verifies, purchase
	// included.
	logBytes, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`Array.from(tickeconLog())`))
	require.NoError(t, err)
	raw := make([]byte, len(logBytes))
	for i, b := range logBytes {
		raw[i] = byte(b)
	}
	downloaded := filepath.Join(dir, "downloaded.log")
	require.NoError(t, os.WriteFile(downloaded, raw, 0o644))
	rm, closeLog, err := shop.OpenReplay(downloaded)
	require.NoError(t, err)
	rm.RunAll()
	require.NoError(t, closeLog())
	assert.Equal(t, shop.ReplayVerified, rm.Replay().State, "%v", rm.Replay())
	assert.GreaterOrEqual(t, rm.Replay().Ticks, uint64(after.Tick), "the log holds every tick up to the purchase")
	assert.EqualValues(t, 1, rm.Stats().PlayerPurchases, "the purchase is in the log")

	// A log recorded on the desktop replays in the page, every tick
	// verified: the "Replay a log…" button's file input.
	log := filepath.Join(dir, "s.log")
	var out, errOut bytes.Buffer
	require.Equal(t, shop.ExitOK, shop.Headless(shop.Options{Record: log, Ticks: 40, Seed: 9}, &out, &errOut), errOut.String())
	require.NoError(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#replay-file"), []string{log})))
	end := waitFor("the uploaded replay to finish", func(s state) bool { return s.Replay != "LIVE" && s.Replay != "REPLAYING" })
	assert.Equal(t, "REPLAY VERIFIED", end.Replay)
	assert.EqualValues(t, 41, end.ReplayTicks, "ticks 0 to 40")
}
