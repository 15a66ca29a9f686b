package report

import (
	"bytes"
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/browsertest"
	"github.com/tickecon/tickecon/internal/session/recording"
	"github.com/tickecon/tickecon/replay"
)

// pageState is what the page publishes as window.tickeconReport.
type pageState struct {
	Charts     int                `json:"charts"`
	Drawn      int                `json:"drawn"`
	Ready      bool               `json:"ready"`
	LastSupply map[string]float64 `json:"lastSupply"`
}

type canvas struct {
	ID     string `json:"id"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// The report of a recorded commerce session opens from a file in headless
// Chromium (no server, no network), every chart draws on a canvas, and
// the money supply the page shows at the last tick — the exact table cell
// and the chart's last point — is the recording world's Supply.
//
// TICKECON_REPORT_SHOT=path saves the screenshot there (docs/report.png);
// TICKECON_REPORT_LOG=path opens that log's report instead and logs the
// time to open it (a figure, not a limit).
func TestReportInChromium(t *testing.T) {
	bin := browsertest.Chromium(t)
	dir := t.TempDir()
	var w *ecs.World
	path := os.Getenv("TICKECON_REPORT_LOG")
	if path == "" {
		path, w = recordSession(t, true, 400, 200, 60)
	}
	start := time.Now()
	r, err := Build(replay.FileSource(path), Options{})
	require.NoError(t, err)
	require.True(t, r.OK())
	html := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	require.NoError(t, r.WriteHTML(&buf, filepath.Base(path)))
	require.NoError(t, os.WriteFile(html, buf.Bytes(), 0o644))
	t.Logf("report of %s: %d ticks, %d KB, built in %s", path, r.Ticks, buf.Len()/1024, time.Since(start).Round(time.Millisecond))

	ctx, pageErrors := browser(t, bin)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)))
	// Start the browser before timing the page.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	opened := time.Now()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+html)))
	var st pageState
	// The poll may start in about:blank's execution context, destroyed as
	// the file loads ("Cannot find context with specified id", once in
	// CI): that is the DevTools protocol racing the navigation, not the
	// page, so the poll starts again in the new context.
	for range 3 {
		st, err = chromedp.Run(ctx, chromedp.Poll[pageState](`window.tickeconReport && window.tickeconReport.ready && window.tickeconReport`,
			chromedp.WithPollingTimeout(2*time.Minute)))
		if err == nil || !strings.Contains(err.Error(), "Cannot find context with specified id") {
			break
		}
	}
	require.NoError(t, err, "every chart draws")
	t.Logf("the page opened and drew %d charts in %s", st.Drawn, time.Since(opened).Round(time.Millisecond))
	assert.Empty(t, *pageErrors)
	assert.Equal(t, len(r.Charts), st.Charts)
	assert.Equal(t, st.Charts, st.Drawn)

	// A canvas of non-zero size in every chart.
	canvases, err := chromedp.Run(ctx, chromedp.Evaluate[[]canvas](`Array.from(document.querySelectorAll(".chart")).map(d => {
		const c = d.querySelector("canvas");
		return {id: d.id, width: c ? c.width : 0, height: c ? c.height : 0};
	})`))
	require.NoError(t, err)
	require.Len(t, canvases, len(r.Charts))
	for _, c := range canvases {
		assert.Positive(t, c.Width, c.ID)
		assert.Positive(t, c.Height, c.ID)
	}

	// The supply shown at the last tick is the log's.
	for _, c := range r.Check {
		id := strconv.FormatUint(uint64(c.Currency.ID), 10)
		cell, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
			const s = document.getElementById("supply-`+id+`"), w = document.getElementById("world-`+id+`");
			return {minor: s.dataset.minor, text: s.textContent, world: w.dataset.minor};
		})()`))
		require.NoError(t, err)
		want := c.World
		if w != nil {
			want = w.Supply().MoneyOf(c.Currency.ID)
		}
		assert.Equal(t, want.String(), cell["minor"], c.Currency.Name)
		assert.Equal(t, want.String(), cell["world"], c.Currency.Name)
		assert.Equal(t, c.Currency.Format(want), cell["text"], c.Currency.Name)
		assert.InDelta(t, totalFloat(want), st.LastSupply[id]*pow10(c.Currency.Decimals), 0.5, "the chart's last point")
	}

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	_, err = png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	out := os.Getenv("TICKECON_REPORT_SHOT")
	if out == "" {
		out = filepath.Join(dir, "report.png")
	}
	require.NoError(t, os.WriteFile(out, shot, 0o644))
	t.Logf("screenshot: %s (%d KB)", out, len(shot)/1024)
}

// browser starts headless Chromium (browsertest.Open).
func browser(t *testing.T, bin string) (context.Context, *[]string) { return browsertest.Open(t, bin) }

// The live dashboard follows a log while it is recorded: the page's tick
// advances with the recording, and the supply it shows is the recording
// world's at that tick. Closing the dashboard tells the page.
func TestDashFollowsARecordingInChromium(t *testing.T) {
	bin := browsertest.Chromium(t)
	path := filepath.Join(t.TempDir(), "live.log")
	rec := recording.Commerce(t, path, 10)
	d, err := Follow(path, Options{}, 100*time.Millisecond)
	require.NoError(t, err)
	defer d.Close()
	srv := httptest.NewServer(d)
	defer srv.Close()
	// The follower reads ticks 0–9 before the page is opened (the page is
	// a waiting page until the first tick).
	waitTicks(t, d, 10)

	ctx, pageErrors := browser(t, bin)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(srv.URL)))
	st := browsertest.WaitTick(t, ctx, 9)
	assert.GreaterOrEqual(t, st.LastTick, uint64(9))

	// Record 30 more ticks while the page is open.
	rec.Step(t, 30)
	st = browsertest.WaitTick(t, ctx, 39, "the page's tick advances with the recording")
	assert.Equal(t, uint64(39), st.LastTick)
	assert.Positive(t, st.Updates)
	browsertest.AssertSupply(t, ctx, rec.World.Supply(), []components.ID{1, 2}, "ticks 0–39 (40 ticks)")

	// Closing the dashboard ends the stream; the page says so.
	require.NoError(t, d.Close())
	assert.ErrorIs(t, d.Err(), ErrStopped)
	status, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => { const e = document.getElementById("live-status"); return !e.hidden && e.textContent; })()`,
		chromedp.WithPollingTimeout(time.Minute)))
	require.NoError(t, err)
	assert.Contains(t, status, "closed")
	assert.Empty(t, *pageErrors)
}

// waitTicks waits until the dashboard has stepped n ticks (bounded: a
// stuck follower fails the test rather than hanging it).
func waitTicks(t *testing.T, d *Dash, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		d.mu.Lock()
		got := d.live.Ticks()
		d.mu.Unlock()
		if got >= n {
			return
		}
		require.NoError(t, d.Err())
		require.True(t, time.Now().Before(deadline), "the follower read %d of %d ticks", got, n)
		time.Sleep(20 * time.Millisecond)
	}
}
