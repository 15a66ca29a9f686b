package multi

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/browsertest"
	"github.com/tickecon/tickecon/internal/syncbuf"
)

type peerRow struct {
	ID     string `json:"id"`
	State  string `json:"state"`
	Agreed int    `json:"agreed"`
}

// -host -dash in headless Chromium: the host's live page lists the
// session's peers as they join and agree, and shows the desync report of
// the peer that skims a coin at tick 60, while the economy's tick goes on.
//
// TICKECON_PEERS_SHOT=path saves the screenshot there (docs/dash-peers.png).
func TestHostDashShowsPeersAndDesyncsInChromium(t *testing.T) {
	bin := browsertest.Chromium(t)
	box := natsbox.ForTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var hostOut syncbuf.Buffer
	hostErr := make(chan error, 1)
	go func() {
		hostErr <- host(ctx, Options{NATS: box.URL(), TPS: 50, Seed: 1, ReportDir: t.TempDir(), Dash: "127.0.0.1:0"}, &hostOut)
	}()
	page := regexp.MustCompile(`live economy page: (http://[0-9.:]+/)`)
	require.Eventually(t, func() bool {
		return page.MatchString(hostOut.String()) && strings.Contains(hostOut.String(), "hosting session")
	},
		time.Minute, 10*time.Millisecond)
	url := page.FindStringSubmatch(hostOut.String())[1]
	joined := make(chan error, 2)
	for _, o := range []Options{{Join: box.URL(), Peer: "ann", TPS: 50}, {Join: box.URL(), Peer: "bob", TPS: 50, Skim: 60}} {
		go func() { joined <- join(ctx, o, &syncbuf.Buffer{}) }()
	}

	bctx, pageErrors := browsertest.Open(t, bin)
	require.NoError(t, chromedp.Do(bctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(url)))
	_, err := chromedp.Run(bctx, chromedp.Poll[bool](`!!(window.tickeconReport && window.tickeconReport.ready)`,
		chromedp.WithPollingTimeout(2*time.Minute)))
	require.NoError(t, err, "the page draws")
	// Both peers listed and agreeing, and bob's desync at tick 60 shown.
	text, err := chromedp.Run(bctx, chromedp.Poll[string](`(() => {
		const rows = Array.from(document.querySelectorAll("#peers tr.peer"));
		const d = document.querySelector(".desync[data-peer=bob]");
		const ok = rows.length === 2 && rows.every(r => +r.dataset.agreed > 70) && d;
		return ok && d.textContent;
	})()`, chromedp.WithPollingTimeout(2*time.Minute)))
	require.NoError(t, err, "the peers panel lists ann and bob past tick 70, and bob's desync")
	assert.Contains(t, text, "peer bob at tick 60, stage purchase")
	assert.Regexp(t, `entity \d+ components.Wallet Balances\[0\]\.Amount`, text)
	rows, err := chromedp.Run(bctx, chromedp.Evaluate[[]peerRow](`Array.from(document.querySelectorAll("#peers tr.peer")).map(r =>
		({id: r.dataset.peer, state: r.cells[1].textContent, agreed: +r.dataset.agreed}))`))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "ann", rows[0].ID)
	assert.Equal(t, "bob", rows[1].ID)
	// The economy goes on: the page's tick passes where the peers were.
	tick, err := chromedp.Run(bctx, chromedp.Poll[int](`window.tickeconReport.lastTick > 80 && window.tickeconReport.lastTick`,
		chromedp.WithPollingTimeout(2*time.Minute)))
	require.NoError(t, err)
	assert.Greater(t, tick, 80)

	if out := os.Getenv("TICKECON_PEERS_SHOT"); out != "" {
		shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(out, shot, 0o644))
	}
	assert.Empty(t, *pageErrors)
	cancel()
	assert.ErrorIs(t, <-hostErr, context.Canceled)
	for range 2 {
		assert.ErrorIs(t, <-joined, context.Canceled)
	}
}
