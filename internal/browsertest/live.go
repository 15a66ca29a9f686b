package browsertest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// LiveState is the part of the report page's window.tickeconReport the
// live tests read: whether it drew, the last tick it shows and how many
// updates it took.
type LiveState struct {
	Ready    bool   `json:"ready"`
	LastTick uint64 `json:"lastTick"`
	Updates  int    `json:"updates"`
}

// WaitTick polls the open report page until it is drawn and shows tick
// at least tick. The 2-minute bound only turns a stuck page into a
// failure; the condition decides the result.
func WaitTick(t *testing.T, ctx context.Context, tick uint64, msgAndArgs ...any) LiveState {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Poll[LiveState](
		`window.tickeconReport && window.tickeconReport.ready && window.tickeconReport.lastTick >= `+
			strconv.FormatUint(tick, 10)+` && window.tickeconReport`,
		chromedp.WithPollingTimeout(2*time.Minute)))
	require.NoError(t, err, msgAndArgs...)
	return st
}

// AssertSupply checks that the page shows, for each currency, the amount
// in issue that sup holds (the recording world's at the page's tick), and
// that its meta line contains each of meta.
func AssertSupply(t *testing.T, ctx context.Context, sup *ecs.Supply, currencies []components.ID, meta ...string) {
	t.Helper()
	for _, cur := range currencies {
		id := strconv.FormatUint(uint64(cur), 10)
		minor, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("supply-`+id+`").dataset.minor`))
		require.NoError(t, err)
		assert.Equal(t, sup.MoneyOf(cur).String(), minor, "currency %d", cur)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("meta").textContent`))
	require.NoError(t, err)
	for _, m := range meta {
		assert.Contains(t, text, m)
	}
}
