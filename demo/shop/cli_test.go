package shop

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
)

// cliVerify is what `tickecon verify` computes for a log.
func cliVerify(t *testing.T, path string) *replay.Result {
	t.Helper()
	res, err := replay.Verify(replay.FileSource(path), func() *ecs.World {
		w := ecs.New()
		systems.Install(w)
		return w
	}, replay.Options{})
	require.NoError(t, err)
	return res
}

// TestHeadlessReplayPlaysTheWholeLog: -replay without -ticks plays every
// recorded tick (not the live default of 600) and counts ticks as the
// command-line verifier does.
func TestHeadlessReplayPlaysTheWholeLog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	var out, errOut bytes.Buffer
	require.Equal(t, ExitOK, Headless(Options{Ticks: 1500, Seed: 3, Record: path}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "ticks       1501 (0 to 1500)\n")

	out.Reset()
	require.Equal(t, ExitOK, Headless(Options{Replay: path}, &out, &errOut), errOut.String())
	assert.Contains(t, out.String(), "ticks       1501 (0 to 1500)\n")
	assert.Contains(t, out.String(), "replay      verified: all 1501 ticks (0 to 1500)")
	res := cliVerify(t, path)
	assert.Equal(t, 1501, res.Ticks, "the CLI counts the same ticks")

	out.Reset()
	errOut.Reset()
	require.Equal(t, ExitOK, Headless(Options{Replay: path, Ticks: 100}, &out, &errOut))
	assert.Contains(t, errOut.String(), "replay stopped after 101 ticks, before the end of the log")
	assert.Contains(t, out.String(), "ticks       101 (0 to 100)\n", "-ticks still stops a replay early")
	assert.Contains(t, out.String(), "replay      replaying: 101 ticks matched")

	out.Reset()
	errOut.Reset()
	require.Equal(t, ExitOK, Headless(Options{Replay: path, Ticks: 1500}, &out, &errOut))
	assert.Empty(t, errOut.String(), "-ticks at the log's last tick replays all of it")
	assert.Contains(t, out.String(), "replay      verified: all 1501 ticks (0 to 1500)")
}

// TestHeadlessExitCodes: the exit code says how a replay ended, with the
// codes of `tickecon verify`.
func TestHeadlessExitCodes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	var out, errOut bytes.Buffer
	require.Equal(t, ExitOK, Headless(Options{Ticks: 300, Seed: 2, Record: path}, &out, &errOut))
	raw, err := os.ReadFile(path)
	require.NoError(t, err)

	torn := filepath.Join(dir, "torn.log")
	require.NoError(t, os.WriteFile(torn, raw[:len(raw)-5], 0o644))
	errOut.Reset()
	assert.Equal(t, ExitTorn, Headless(Options{Replay: torn}, &out, &errOut))
	assert.Contains(t, errOut.String(), "demo: replay log has a torn tail at byte")
	assert.NotContains(t, errOut.String(), "replay replay")

	mid := filepath.Join(dir, "mid.log")
	flipped := append([]byte(nil), raw...)
	flipped[len(raw)/2] ^= 0x10
	require.NoError(t, os.WriteFile(mid, flipped, 0o644))
	errOut.Reset()
	assert.Equal(t, ExitCorrupt, Headless(Options{Replay: mid}, &out, &errOut))
	assert.Contains(t, errOut.String(), "corrupt at byte")

	errOut.Reset()
	assert.Equal(t, ExitCorrupt, Headless(Options{Replay: filepath.Join(dir, "missing.log")}, &out, &errOut))
	assert.Contains(t, errOut.String(), "missing.log")
	assert.Equal(t, ExitUsage, Headless(Options{Replay: path, Record: path}, &out, &errOut))
}
