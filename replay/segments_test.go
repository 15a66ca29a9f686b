package replay_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// verifyBoth verifies path serially and in segments cut at every snapshot,
// and requires the same result, error and progress from both.
func verifyBoth(t *testing.T, path string, opts replay.Options) (*replay.Result, error) {
	t.Helper()
	type outcome struct {
		res  *replay.Result
		err  string
		prog []string
	}
	run := func(segmented bool) outcome {
		defer replay.Segmented(segmented, 0, 0)()
		var o outcome
		opts.Progress = func(tick uint64, off int64) { o.prog = append(o.prog, fmt.Sprint(tick, "@", off)) }
		res, err := replay.Verify(replay.FileSource(path), coreWorld, opts)
		o.res = res
		if err != nil {
			o.err = fmt.Sprintf("%T %v", err, err)
		}
		return o
	}
	serial, seg := run(false), run(true)
	require.Equal(t, serial.err, seg.err, "error")
	require.Equal(t, serial.res, seg.res, "result")
	require.Equal(t, serial.prog, seg.prog, "progress")
	res, _ := replay.Verify(replay.FileSource(path), coreWorld, opts)
	var err error
	if serial.err != "" {
		err = fmt.Errorf("%s", serial.err)
	}
	return res, err
}

// Replaying the stretches between snapshots side by side gives exactly
// the serial result for good logs, desyncs found by checksum, by events
// and by snapshot, the diff horizon, and damage anywhere (flipped bytes,
// torn and zeroed tails).
func TestSegmentsGiveTheSerialResult(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.log")
	recordSession(t, good, 300, 20, 25, nil)
	res, err := verifyBoth(t, good, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch)
	require.Equal(t, 300, res.Ticks)
	require.Equal(t, 12, res.Snapshots)

	c := session.Content(9, 50)
	probe := coreWorld()
	ids, err := c.Apply(probe)
	require.NoError(t, err)
	victim, gold := ids.MustID("p3"), ids.MustID("gold")
	for _, at := range []uint64{3, 24, 25, 26, 123, 149, 150, 299} {
		for _, audit := range []bool{true, false} {
			bad := filepath.Join(dir, fmt.Sprintf("skim%d-%v.log", at, audit))
			recordSession(t, bad, 300, 20, 25, func(w *ecs.World) {
				if audit {
					w.SetChecksumAudit(1)
				}
				w.AddSystem(skim{at: at, who: victim, cur: gold})
			})
			res, err := verifyBoth(t, bad, replay.Options{})
			require.NoError(t, err)
			require.NotNil(t, res.Mismatch, "skim at %d", at)
			_, err = verifyBoth(t, bad, replay.Options{DiffHorizon: 3})
			require.NoError(t, err)
		}
	}

	data, err := os.ReadFile(good)
	require.NoError(t, err)
	damaged := filepath.Join(dir, "damaged.log")
	try := func(b []byte) {
		require.NoError(t, os.WriteFile(damaged, b, 0o644))
		verifyBoth(t, damaged, replay.Options{})
	}
	r, err := ticklog.NewReader(mustOpen(t, good))
	require.NoError(t, err)
	first := int(r.Offset())
	for i := range 97 {
		off := first + i*(len(data)-first)/97
		b := append([]byte(nil), data...)
		b[off] ^= 0x10
		try(b)
		try(data[:off]) // torn
		z := append([]byte(nil), data[:off]...)
		try(append(z, make([]byte, 64)...)) // a crash's zeroed tail
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
