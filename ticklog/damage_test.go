package ticklog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
)

// smallLog records a few ticks and a snapshot and returns the file, the
// ticks and the start offset of every record.
func smallLog(t *testing.T, dir string) ([]byte, []ecs.TickRecord, []int64) {
	t.Helper()
	path := filepath.Join(dir, "small.log")
	c := session.Content(3, 2)
	s, err := session.New(3, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{SnapshotEvery: 3})
	require.NoError(t, err)
	w.Record(s.World)
	var ticks []ecs.TickRecord
	for range 5 { // t0 t1 t2 snapshot t3 t4
		ticks = append(ticks, s.Step(3).Clone())
	}
	require.NoError(t, w.Close())
	_, recs, err := ReadAll(path)
	require.NoError(t, err)
	require.NotNil(t, recs[3].Snapshot, "t0 t1 t2 snapshot t3 t4")
	var offs []int64
	for _, r := range recs {
		offs = append(offs, r.Offset)
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data, ticks, offs
}

// sameTicks compares tick lists without printing them whole on failure.
func sameTicks(a, b []ecs.TickRecord) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func tickList(recs []Record) []ecs.TickRecord {
	var out []ecs.TickRecord
	for _, r := range recs {
		if r.Tick != nil {
			out = append(out, *r.Tick)
		}
	}
	return out
}

// noSync skips fsync: tests that reopen a file thousands of times need no
// durability.
type noSyncFile struct{ *os.File }

func (noSyncFile) Sync() error { return nil }

func noSync(f *os.File) File { return noSyncFile{f} }

// readAll reads a log held in memory: the records and the final error.
func readAll(data []byte) ([]Record, error) {
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// Every single-bit flip, and every byte set to 0x00 or 0xFF, at every
// offset of a small log: the reader never panics, reports a torn tail only
// for damage inside the last record, and OpenAppend either refuses and
// leaves the file byte for byte as it was, or keeps every intact tick.
// (OpenAppend runs on every torn case and on every 16th other one, without
// fsync: the reader it relies on is checked on every case.)
func TestEveryDamageIsCorruptionOrATailAndOpenAppendLosesNothing(t *testing.T) {
	dir := t.TempDir()
	data, ticks, offs := smallLog(t, dir)
	last := offs[len(offs)-1]
	path := filepath.Join(dir, "damaged.log")
	var torn, corrupt, refused, cut, cases int
	try := func(at int, b byte) {
		if data[at] == b {
			return
		}
		cases++
		bad := bytes.Clone(data)
		bad[at] = b
		recs, err := readAll(bad)
		var te *TornTailError
		switch {
		case err == nil:
			t.Fatalf("damage at byte %d (0x%02x) went unnoticed", at, b)
		case errors.As(err, &te):
			torn++
			require.GreaterOrEqual(t, int64(at), last, "byte %d: torn tail reported for damage before the last record", at)
			require.Equal(t, last, te.Offset, "byte %d", at)
		default:
			corrupt++
		}
		good := tickList(recs)
		require.True(t, sameTicks(ticks[:len(good)], good), "byte %d: records read before the damage are the recorded ones", at)
		if te == nil && cases%16 != 0 {
			return
		}
		require.NoError(t, os.WriteFile(path, bad, 0o644))
		w, rec, err := OpenAppend(path, Options{wrapFile: noSync})
		after, rerr := os.ReadFile(path)
		require.NoError(t, rerr)
		if err != nil {
			refused++
			require.Equal(t, bad, after, "byte %d: a refused OpenAppend leaves the file as it was", at)
			return
		}
		require.NoError(t, w.Close())
		cut++
		require.NotNil(t, te, "byte %d: OpenAppend only goes on after a torn tail", at)
		// Only the damaged last record (tick 4) may go.
		kept := tickList(rec.Records)
		require.True(t, sameTicks(ticks[:len(ticks)-1], kept), "byte %d: OpenAppend lost a tick (kept %d of %d)", at, len(kept), len(ticks))
		require.Equal(t, data[:last], after, "byte %d: only the damaged last record is cut", at)
	}
	for at := range data {
		snapBody := int64(at) >= offs[3]+recordHeader+16 && int64(at) < offs[4]-16
		if at >= fixedHeader && int64(at) < offs[0]-4 || snapBody {
			// Inside the header's JSON or the snapshot's, which only a CRC
			// guards: one flip per byte is enough (and keeps the test fast).
			try(at, data[at]^1<<(at%8))
			continue
		}
		for bit := range 8 {
			try(at, data[at]^1<<bit)
		}
		try(at, 0)
		try(at, 0xff)
	}
	t.Logf("%d bytes, %d records, %d damaged copies: %d torn, %d corrupt; OpenAppend refused %d, cut %d", len(data), len(offs), cases, torn, corrupt, refused, cut)
	assert.Positive(t, torn)
	assert.Positive(t, corrupt)
	assert.Positive(t, refused)
}

// The flip from issue 11: a bit in bytes 2–3 of a middle record's length
// (still under MaxRecord, running past the end of the file) is corruption,
// and OpenAppend refuses it instead of cutting the good records after it.
func TestDamagedLengthIsCorruptNotATornTail(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 200, Options{})
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, recs, err := ReadAll(path)
	require.NoError(t, err)
	bad := bytes.Clone(data)
	bad[recs[20].Offset+2] ^= 0x10
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, _, err = ReadAll(path)
	var ce *CorruptError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, recs[20].Offset, ce.Offset)
	assert.Contains(t, ce.Error(), "length")
	_, _, err = OpenAppend(path, Options{})
	require.ErrorAs(t, err, &ce)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, bad, after)
}

// A crash after the file grew but before its bytes were written leaves
// zeros: that is a torn tail, at a record boundary or inside a record.
func TestZeroFilledTailIsTorn(t *testing.T) {
	dir := t.TempDir()
	data, ticks, offs := smallLog(t, dir)
	path := filepath.Join(dir, "z.log")
	for _, from := range []int64{offs[len(offs)-1], offs[len(offs)-1] + 3, offs[len(offs)-1] + 11} {
		bad := append(bytes.Clone(data[:from]), make([]byte, 300)...)
		require.NoError(t, os.WriteFile(path, bad, 0o644))
		_, _, err := ReadAll(path)
		var te *TornTailError
		require.ErrorAs(t, err, &te, "zeros from %d", from)
		w, rec, err := OpenAppend(path, Options{})
		require.NoError(t, err)
		require.NoError(t, w.Close())
		assert.True(t, sameTicks(ticks[:len(ticks)-1], tickList(rec.Records)), "zeros from %d", from)
	}
	// Zeros followed by anything else are not a crash's tail.
	bad := append(bytes.Clone(data[:offs[2]]), make([]byte, 40)...)
	bad = append(bad, data[offs[2]:]...)
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, _, err := ReadAll(path)
	var ce *CorruptError
	require.ErrorAs(t, err, &ce)
}

func TestOldVersionAndWrongContentHashAreTypedErrors(t *testing.T) {
	dir := t.TempDir()
	data, _, _ := smallLog(t, dir)
	path := filepath.Join(dir, "v.log")
	old := bytes.Clone(data)
	binary.LittleEndian.PutUint16(old[8:], 1)
	require.NoError(t, os.WriteFile(path, old, 0o644))
	_, _, err := ReadAll(path)
	var ve *VersionError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, uint16(1), ve.Found)
	assert.Equal(t, uint16(Version), ve.Supported)
	assert.Contains(t, err.Error(), "version 1")
	_, _, err = OpenAppend(path, Options{})
	require.ErrorAs(t, err, &ve)

	// Content edited and the header CRC recomputed: the hash catches it.
	_, _, err = ReadAll(path)
	bad := bytes.Clone(data)
	ns := binary.LittleEndian.Uint32(bad[20:])
	nc := binary.LittleEndian.Uint32(bad[24:])
	start := fixedHeader + int(ns)
	i := bytes.Index(bad[start:start+int(nc)], []byte(`"p1"`))
	require.Positive(t, i)
	bad[start+i+2] = '9'
	end := fixedHeader + int(ns+nc)
	binary.LittleEndian.PutUint32(bad[end:], crc32.Checksum(bad[:end], castagnoli))
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, _, err = ReadAll(path)
	var he *ContentHashError
	require.ErrorAs(t, err, &he)
	_, _, err = OpenAppend(path, Options{})
	require.ErrorAs(t, err, &he, "a session is never resumed on other content")
}

// TestDirectoryIsNotCorrupt: opening a directory as a log says so (an
// EISDIR error), rather than calling it a corrupt log.
func TestDirectoryIsNotCorrupt(t *testing.T) {
	f, err := os.Open(t.TempDir())
	require.NoError(t, err)
	defer f.Close()
	_, err = NewReader(f)
	require.ErrorIs(t, err, syscall.EISDIR)
	var ce *CorruptError
	assert.False(t, errors.As(err, &ce), "a directory is not a damaged log: %v", err)
	assert.Equal(t, "is a directory, not a replay log", err.Error())
}
