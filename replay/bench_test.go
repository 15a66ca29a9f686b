package replay_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// BenchmarkVerify measures replay verification throughput over a recorded
// busy session (2,000 ticks × 100 intents, no snapshots), and the log's
// size per purchase event.
func BenchmarkVerify(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.log")
	recordSession(b, path, 2000, 100, 0, nil)
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(b, err)
	purchases := 0
	for _, r := range recs {
		for _, ev := range r.Tick.Events {
			if ev.Kind == events.PurchaseCompleted || ev.Kind == events.PurchaseRejected {
				purchases++
			}
		}
	}
	st, err := os.Stat(path)
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	var res *replay.Result
	for b.Loop() {
		res, err = replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
		require.NoError(b, err)
		require.Nil(b, res.Mismatch)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(res.Ticks)/sec, "ticks/s")
	b.ReportMetric(float64(res.Events)/sec, "events/s")
	b.ReportMetric(float64(st.Size())/float64(purchases), "logbytes/purchase")
}
