package shop

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
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
	st := m.Replay()
	require.Equal(t, ReplayVerified, st.State, "%v", st)
	require.Equal(t, want, got)
	assert.EqualValues(t, 701, st.Ticks, "ticks 0 to 700")
	assert.Equal(t, "REPLAY VERIFIED", st.Headline())
	assert.Equal(t, ExitOK, st.ExitCode())
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
	hdr, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	c, err := ecs.ParseContent(hdr.Content)
	require.NoError(t, err)
	bad := filepath.Join(dir, "bad.log")
	w, err := ticklog.Create(bad, c, ticklog.Options{})
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
	st := m.Replay()
	require.Equal(t, ReplayDesync, st.State)
	assert.EqualValues(t, 77, st.Tick)
	assert.EqualValues(t, 77, st.Ticks, "ticks 0 to 76 matched")
	assert.EqualValues(t, 77, m.LastTick(), "the replay stops at the desync")
	assert.Equal(t, "DESYNC AT TICK 77", st.Headline())
	assert.Equal(t, ExitDesync, st.ExitCode())
	assert.Contains(t, st.String(), "desync at tick 77:")
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
	st := m.Replay()
	var tornErr *ticklog.TornTailError
	require.ErrorAs(t, st.Err, &tornErr)
	require.Equal(t, ReplayTorn, st.State)
	require.Equal(t, sums[:len(got)], got, "every tick before the tear replays exactly")
	require.Equal(t, len(sums)-1, len(got), "only the torn last tick is lost")
	assert.EqualValues(t, len(got), st.Ticks)
	assert.Equal(t, tornErr.Offset, st.Offset)
	assert.Less(t, st.Offset, int64(len(raw)-3))
	assert.Equal(t, fmt.Sprintf("TORN TAIL AT BYTE %d", st.Offset), st.Headline())
	assert.Equal(t, ExitTorn, st.ExitCode())

	mid := filepath.Join(dir, "mid.log")
	flipped := append([]byte(nil), raw...)
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	flipped[recs[len(recs)/2].Offset+6] ^= 0x40 // inside a record's payload, not its length prefix
	require.NoError(t, os.WriteFile(mid, flipped, 0o644))
	m, got = playBack(t, mid)
	st = m.Replay()
	var corrupt *ticklog.CorruptError
	require.ErrorAs(t, st.Err, &corrupt)
	require.Equal(t, ReplayDamaged, st.State)
	require.Less(t, len(got), len(sums))
	require.Equal(t, sums[:len(got)], got, "the ticks before the damage replay exactly")
	assert.Equal(t, corrupt.Offset, st.Offset)
	assert.Equal(t, fmt.Sprintf("LOG DAMAGED AT BYTE %d", corrupt.Offset), st.Headline())
	assert.Equal(t, ExitCorrupt, st.ExitCode())

	junk := filepath.Join(dir, "junk.log")
	require.NoError(t, os.WriteFile(junk, []byte("not a log at all, just text"), 0o644))
	_, _, err = OpenReplay(junk)
	require.ErrorAs(t, err, &corrupt)
	_, _, err = OpenReplay(filepath.Join(dir, "missing.log"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

// TestReplayBytes: a log uploaded to the browser replays from memory with
// the same verdict as from the file.
func TestReplayBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	record(t, path, 150)
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := ReplayBytes(raw)
	require.NoError(t, err)
	m.RunAll()
	assert.Equal(t, ReplayVerified, m.Replay().State)
	assert.EqualValues(t, 151, m.Replay().Ticks)

	m, err = ReplayBytes(raw[:len(raw)-4])
	require.NoError(t, err)
	m.RunAll()
	assert.Equal(t, ReplayTorn, m.Replay().State)

	_, err = ReplayBytes([]byte("not a log"))
	var corrupt *ticklog.CorruptError
	require.ErrorAs(t, err, &corrupt)
}

// TestRecordMemory: the browser's in-memory recording is a complete log
// at any moment, and replays verified.
func TestRecordMemory(t *testing.T) {
	m, log, err := RecordMemory(6)
	require.NoError(t, err)
	m.Run(37) // not a multiple of the sync interval
	m.SetQty(1)
	m.Select(2)
	_, err = m.Buy()
	require.NoError(t, err)
	m.StepOnce()
	require.EqualValues(t, 1, m.Stats().PlayerPurchases)
	raw, err := log()
	require.NoError(t, err)
	r, err := ReplayBytes(raw)
	require.NoError(t, err)
	r.RunAll()
	st := r.Replay()
	require.Equal(t, ReplayVerified, st.State, "%v", st)
	assert.EqualValues(t, 39, st.Ticks, "ticks 0 to 38, the last one included")
	assert.Equal(t, m.Checksum(), r.Checksum())
	assert.EqualValues(t, 1, r.Stats().PlayerPurchases)
}
