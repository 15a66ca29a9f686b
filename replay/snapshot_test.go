package replay_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// recordWithSnapshots records 30 ticks with a snapshot every 10, each
// passed through edit before it is written.
func recordWithSnapshots(t *testing.T, path string, edit func(*ecs.Snapshot)) {
	t.Helper()
	c := session.Content(9, 10)
	w := coreWorld()
	s, err := session.Attach(w, 9, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: 10})
	require.NoError(t, err)
	w.Subscribe(ecs.EveryTick, lw.Subscriber(func() (*ecs.Snapshot, error) {
		snap, err := w.TakeSnapshot()
		if err == nil {
			edit(snap)
		}
		return snap, err
	}))
	for range 30 {
		s.Step(8)
	}
	require.NoError(t, lw.Close())
}

// A recorded snapshot that differs from the replayed state while every
// checksum agrees (here: a wallet edited in the snapshot only) is still
// found and diffed: the JSON comparison decodes and diffs what differs.
func TestVerifyDiffsASnapshotThatDiffersFromTheState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "edited.log")
	recordWithSnapshots(t, path, func(s *ecs.Snapshot) {
		if s.Tick != 20 {
			return
		}
		for i := range s.Entities {
			for j := range s.Entities[i].Components {
				c := &s.Entities[i].Components[j]
				if strings.HasSuffix(c.Type, ".Wallet") && s.Entities[i].ID == s.Entities[len(s.Entities)-1].ID {
					c.Value = bytes.Replace(c.Value, []byte(`"Amount":`), []byte(`"Amount":9`), 1)
				}
			}
		}
	})
	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.NoError(t, err)
	m := res.Mismatch
	require.NotNil(t, m)
	assert.Equal(t, "snapshot", m.FoundBy)
	assert.Equal(t, uint64(19), m.Tick)
	assert.Equal(t, uint64(20), m.StateTick)
	require.NotEmpty(t, m.State)
	assert.Contains(t, m.State[0].String(), "Amount")
	assert.Equal(t, 2, res.Snapshots, "the one at tick 10 (it matched) and this one")
}

// A snapshot record whose JSON is damaged (with a valid CRC, so only the
// JSON decoder sees it) fails verification with the *CorruptError that
// reading the log reports, at the record's offset.
func TestVerifyReportsADamagedSnapshotAsReadingDoes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "damaged.log")
	recordWithSnapshots(t, path, func(*ecs.Snapshot) {})
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	// Find the second snapshot record and break its JSON, fixing the CRC.
	r, err := ticklog.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	var off int64 = -1
	for n := 0; ; {
		rec, err := r.Next()
		require.NoError(t, err)
		if rec.Snapshot != nil {
			if n++; n == 2 {
				off = rec.Offset
				break
			}
		}
	}
	length := int64(binary.LittleEndian.Uint32(data[off:]))
	body := data[off+8 : off+8+length] // type, then the JSON
	body[1] = '['                      // '{' → '[': not a snapshot
	binary.LittleEndian.PutUint32(data[off+8+length:], crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
	require.NoError(t, os.WriteFile(path, data, 0o600))

	_, _, readErr := ticklog.ReadAll(path)
	var ce *ticklog.CorruptError
	require.ErrorAs(t, readErr, &ce)
	require.Equal(t, off, ce.Offset)
	require.Contains(t, ce.Msg, "snapshot record")

	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.Error(t, err)
	assert.Equal(t, readErr, err)
	assert.Nil(t, res.Mismatch)
	assert.Equal(t, 1, res.Snapshots)
	assert.Equal(t, 20, res.Ticks)
	assert.False(t, errors.Is(err, io.EOF))
}
