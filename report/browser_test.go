package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
)

// chromium finds a Chromium to drive. Locally the test skips without one;
// in CI (CI=true) it must run, so a missing browser fails it (as the
// demo's browser test).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no chromium: .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("no chromium on this machine (apt-get install chromium); CI runs this test")
	return ""
}

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
	bin := chromium(t)
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

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 3*time.Minute) // bounds a hung browser only
	defer cancel()
	var pageErrors []string
	require.NoError(t, chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpruntime.EventConsoleAPICalled:
			for _, a := range ev.Args {
				t.Logf("console.%s: %s", ev.Type, a.Value)
			}
		case *cdpruntime.EventExceptionThrown:
			pageErrors = append(pageErrors, ev.ExceptionDetails.Text)
		}
	}))
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900)))
	// Start the browser before timing the page.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("about:blank")))
	opened := time.Now()
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate("file://"+html)))
	st, err := chromedp.Run(ctx, chromedp.Poll[pageState](`window.tickeconReport && window.tickeconReport.ready && window.tickeconReport`,
		chromedp.WithPollingTimeout(2*time.Minute)))
	require.NoError(t, err, "every chart draws")
	t.Logf("the page opened and drew %d charts in %s", st.Drawn, time.Since(opened).Round(time.Millisecond))
	assert.Empty(t, pageErrors)
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
