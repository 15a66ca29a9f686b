package shop

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events/replay"
	"github.com/tickecon/tickecon/events/replaylog"
	"github.com/tickecon/tickecon/systems"
)

// record plays ticks of a live session with bots into a log at path and
// returns each tick's checksum.
func record(t *testing.T, path string, ticks uint64) []uint64 {
	t.Helper()
	m, closeLog, err := Record(path, 5)
	require.NoError(t, err)
	sums := []uint64{m.Checksum()}
	for m.LastTick() < ticks {
		m.StepOnce()
		sums = append(sums, m.Checksum())
	}
	require.NoError(t, closeLog())
	require.Positive(t, m.Stats().Purchases, "the bots bought nothing: the recording would prove little")
	return sums
}

// playBack replays a log to its end and returns the model and checksums.
func playBack(t *testing.T, path string) (*Model, []uint64) {
	t.Helper()
	m, closeLog, err := OpenReplay(path)
	require.NoError(t, err)
	defer closeLog()
	require.Equal(t, Replay, m.Mode())
	sums := []uint64{m.Checksum()}
	for m.StepOnce() != nil {
		sums = append(sums, m.Checksum())
	}
	require.True(t, m.Done())
	return m, sums
}

func TestRecordThenReplayMatchesEveryTick(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	want := record(t, path, 700)
	m, got := playBack(t, path)
	require.NoError(t, m.Err())
	require.Empty(t, m.Desync())
	require.Equal(t, want, got)
	_, err := m.Buy()
	require.Error(t, err, "a replay takes no player input")

	// The demo's log is the library's format: the command-line verifier
	// (same systems) agrees, and the snapshot at tick 599 is usable.
	res, err := replay.Verify(replay.FileSource(path), func() *ecs.World {
		w := ecs.New()
		systems.Install(w)
		return w
	}, replay.Options{From: 650})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch)
	require.Nil(t, res.TornTail)
	require.Equal(t, uint64(600), res.StartTick, "starts after the snapshot taken after tick 599")
}

func TestReplayNamesTheTickOfATamperedChecksum(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 120)
	hdr, recs, err := replaylog.ReadAll(path)
	require.NoError(t, err)
	c, err := ecs.ParseContent(hdr.Content)
	require.NoError(t, err)
	bad := filepath.Join(dir, "bad.log")
	w, err := replaylog.Create(bad, c, replaylog.Options{})
	require.NoError(t, err)
	for _, r := range recs {
		if r.Tick == nil {
			continue
		}
		if r.Tick.Tick == 77 {
			r.Tick.Checksum ^= 1 // the other peer's state differed here
		}
		require.NoError(t, w.Append(r.Tick))
	}
	require.NoError(t, w.Close())

	m, _ := playBack(t, bad)
	require.Contains(t, m.Desync(), "tick 77:")
}

func TestReplayOfDamagedLogsStopsWithTypedErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	sums := record(t, path, 200)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)

	torn := filepath.Join(dir, "torn.log")
	require.NoError(t, os.WriteFile(torn, raw[:len(raw)-3], 0o644))
	m, got := playBack(t, torn)
	var tornErr *replaylog.TornTailError
	require.ErrorAs(t, m.Err(), &tornErr)
	require.Empty(t, m.Desync())
	require.Equal(t, sums[:len(got)], got, "every tick before the tear replays exactly")
	require.Equal(t, len(sums)-1, len(got), "only the torn last tick is lost")

	mid := filepath.Join(dir, "mid.log")
	flipped := append([]byte(nil), raw...)
	_, recs, err := replaylog.ReadAll(path)
	require.NoError(t, err)
	flipped[recs[len(recs)/2].Offset+6] ^= 0x40 // inside a record's payload, not its length prefix
	require.NoError(t, os.WriteFile(mid, flipped, 0o644))
	m, got = playBack(t, mid)
	var corrupt *replaylog.CorruptError
	require.ErrorAs(t, m.Err(), &corrupt)
	require.Less(t, len(got), len(sums))

	junk := filepath.Join(dir, "junk.log")
	require.NoError(t, os.WriteFile(junk, []byte("not a log at all, just text"), 0o644))
	_, _, err = OpenReplay(junk)
	require.ErrorAs(t, err, &corrupt)
	_, _, err = OpenReplay(filepath.Join(dir, "missing.log"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
