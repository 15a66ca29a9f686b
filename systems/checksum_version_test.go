package systems_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// A log's header records the commerce version its world used, and a log
// of every version verifies bit for bit: replay rebuilds the world from
// the header, with the receipt terms the log was recorded with. A log of
// version 0 (every log before version 2) has the header it always had.
func TestLogsOfEveryVersionVerify(t *testing.T) {
	sums := map[uint8]uint64{}
	for _, v := range []uint8{0, 1, 2, 3} {
		cfg := systems.DefaultConfig
		cfg.Version = v
		raw, err := json.Marshal(cfg)
		require.NoError(t, err)
		if v == 0 {
			assert.JSONEq(t, `{"IdempotencyWindow":60,"SettlementEvery":600,"SagaTimeout":300}`, string(raw))
			assert.Equal(t, `{"IdempotencyWindow":60,"SettlementEvery":600,"SagaTimeout":300}`,
				string(systems.CommerceSetup(cfg).Config), "the header of a version 0 log is unchanged")
		}
		path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.log", v))
		c, err := ecs.ParseContent([]byte(fixtureJSON))
		require.NoError(t, err)
		w := ecs.New()
		systems.InstallCommerce(w, cfg)
		lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: 4, Setup: systems.CommerceSetup(cfg)})
		require.NoError(t, err)
		lw.Record(w)
		ids, err := c.Apply(w)
		require.NoError(t, err)
		w.Step()
		alice, bob, pebbles := ids.MustID("alice"), ids.MustID("bob"), ids.MustID("pebbles")
		var open []components.ID
		for req := uint64(1); req <= 9; req++ {
			w.Submit(components.PurchaseIntent{Buyer: alice, Listing: pebbles, Quantity: 1, RequestID: req})
			w.Submit(components.PurchaseIntent{Buyer: bob, Listing: pebbles, Quantity: 1, RequestID: req})
			if req%3 == 0 && len(open) > 0 {
				w.Command(events.Close(open[0]))
				w.Command(events.CloseReceipts(open[0], open[len(open)-1]))
				open = open[:0]
			}
			for _, ev := range w.Step().Events {
				if ev.Kind == events.ReceiptIssued {
					open = append(open, ev.Subject)
				}
			}
		}
		sums[v] = w.Checksum()
		require.NoError(t, lw.Close())
		hdr, _, err := ticklog.ReadAll(path)
		require.NoError(t, err)
		newWorld, err := hdr.Setup.Worlds()
		require.NoError(t, err)
		res, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
		require.NoError(t, err)
		require.Nil(t, res.Mismatch, "version %d: %v", v, res.Mismatch)
	}
	assert.Equal(t, sums[0], sums[1], "versions 0 and 1 are the same terms")
	assert.NotEqual(t, sums[1], sums[2], "version 2 hashes receipts its own way")
	assert.Equal(t, sums[2], sums[3], "version 3 changes a rule (no cart in two currencies), not the terms")
}

// A log recorded by a newer build, with a checksum version this build does
// not know, is refused when its world is rebuilt, rather than verified
// with the wrong terms.
func TestANewerVersionIsRefused(t *testing.T) {
	cfg := systems.DefaultConfig
	cfg.Version = systems.CurrentVersion + 1
	_, err := systems.CommerceSetup(cfg).Worlds()
	require.ErrorContains(t, err, "commerce version")
}
