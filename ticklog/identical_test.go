package ticklog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// Two recordings of one seeded session are byte-identical, snapshots
// included, although each world draws its own random hash seed: the seed
// places hash-table entries only and is never written.
func TestTwoRecordingsOfOneSessionAreByteIdentical(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	record(t, a, 120, Options{SnapshotEvery: 40})
	record(t, b, 120, Options{SnapshotEvery: 40})
	ab, err := os.ReadFile(a)
	require.NoError(t, err)
	bb, err := os.ReadFile(b)
	require.NoError(t, err)
	require.Equal(t, len(ab), len(bb))
	require.True(t, string(ab) == string(bb), "the two logs differ")
}

// A log written before snapshots left the hash seed out (its snapshots
// carry "hash_seed") still reads: the field is ignored, and a world
// restored from such a snapshot keeps its own seed and runs on to the
// recorded checksums.
func TestSnapshotsWithAHashSeedStillRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.log")
	c := session.Content(1, 10)
	s, err := session.New(1, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{})
	require.NoError(t, err)
	var want []uint64
	for i := range 20 {
		if i == 10 {
			snap, err := s.World.TakeSnapshot()
			require.NoError(t, err)
			raw, err := json.Marshal(snap)
			require.NoError(t, err)
			raw = append(raw[:len(raw)-1], `,"hash_seed":9876543210}`...) // as written before
			require.NoError(t, w.frame(typeSnapshot, raw))
		}
		r := s.Step(10)
		require.NoError(t, w.Append(r))
		if i >= 10 {
			want = append(want, r.Checksum)
		}
	}
	require.NoError(t, w.Close())

	_, recs, err := ReadAll(path)
	require.NoError(t, err)
	var snap *ecs.Snapshot
	for _, r := range recs {
		if r.Snapshot != nil {
			snap = r.Snapshot
		}
	}
	require.NotNil(t, snap)
	re := ecs.New()
	systems.Install(re)
	seed := core.Of(re).HashSeed
	require.NoError(t, re.Restore(snap))
	assert.Equal(t, seed, core.Of(re).HashSeed)
	var got []uint64
	for _, r := range recs {
		if r.Tick != nil && r.Tick.Tick >= snap.Tick {
			for _, cmd := range r.Tick.Commands {
				re.Command(cmd)
			}
			for _, in := range r.Tick.Intents {
				re.Submit(in)
			}
			got = append(got, re.Step().Checksum)
		}
	}
	assert.Equal(t, want, got)
}
