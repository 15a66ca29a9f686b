package ticklog

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/internal/session"
)

// craftedLog writes a header and one tick record (valid CRCs) whose event
// list claims claim events and holds n minimal ones (minEventBytes each).
func craftedLog(t *testing.T, path string, claim, n int) {
	t.Helper()
	w, err := Create(path, session.Content(1, 2), Options{wrapFile: noSync})
	require.NoError(t, err)
	var e enc
	e.u(0)
	e.b = binary.LittleEndian.AppendUint64(e.b, 0)
	e.u(0) // stages
	e.u(0) // commands
	e.u(0) // intents
	e.u(uint64(claim))
	e.b = append(e.b, bytes.Repeat(make([]byte, minEventBytes), n)...)
	require.NoError(t, w.frame(typeTick, e.b))
	require.NoError(t, w.Close())
}

// allocated returns the bytes allocated while fn runs.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// A tick of millions of tiny events (valid CRC) is refused with a
// *LimitError before its events are allocated: reading it costs about
// the record's own bytes, not the ~10x its decoded events would.
func TestMillionsOfTinyEventsHitTheLimitBeforeAllocating(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "flood.log")
	n := DefaultLimits.Events + 1
	craftedLog(t, path, n, n)
	st, err := os.Stat(path)
	require.NoError(t, err)
	var rerr error
	alloc := allocated(func() { _, _, rerr = ReadAll(path) })
	var le *LimitError
	require.ErrorAs(t, rerr, &le)
	assert.Equal(t, "events", le.What)
	assert.Equal(t, uint64(n), le.Count)
	t.Logf("file %d bytes, reading it allocated %d bytes", st.Size(), alloc)
	assert.Less(t, alloc, uint64(3*st.Size()/2), "memory stays within a small multiple of the bytes read")

	// The same record cut short (a checked length running far past the
	// end of the file): a torn tail, costing no more than the file holds.
	require.NoError(t, os.Truncate(path, 1<<20))
	alloc = allocated(func() { _, _, rerr = ReadAll(path) })
	var torn *TornTailError
	require.ErrorAs(t, rerr, &torn)
	t.Logf("cut to 1 MiB: reading it allocated %d bytes", alloc)
	assert.Less(t, alloc, uint64(2<<20))

	// Under the limit, decoding is bounded by the bytes read: a count
	// larger than the bytes can hold is refused without allocating.
	craftedLog(t, path, DefaultLimits.Events, 1000)
	alloc = allocated(func() { _, _, rerr = ReadAll(path) })
	var ce *CorruptError
	require.ErrorAs(t, rerr, &ce)
	assert.Less(t, alloc, uint64(1<<20))

	// And events within the limits decode in memory proportional to the
	// bytes read (an Event is ~8x its minimal encoding).
	craftedLog(t, path, 100000, 100000)
	st, _ = os.Stat(path)
	var recs []Record
	alloc = allocated(func() { _, recs, rerr = ReadAll(path) })
	require.NoError(t, rerr)
	require.Len(t, recs[0].Tick.Events, 100000)
	t.Logf("100000 events: file %d bytes, allocated %d", st.Size(), alloc)
	assert.Less(t, alloc, uint64(16*st.Size()))
}

func TestReaderLimitsAreSettable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	craftedLog(t, path, 500, 500)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := NewReader(f)
	require.NoError(t, err)
	r.SetLimits(Limits{Commands: 10, Intents: 10, Events: 499, Snapshot: 1 << 20})
	_, err = r.Next()
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Contains(t, le.Error(), "500 events, over the limit of 499")
}

// The writer refuses a tick over the limits, so it never writes a log the
// reader refuses; the log stays good.
func TestWriterRefusesTicksOverTheLimits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	recs := record(t, path, 3, Options{})
	w, _, err := OpenAppend(path, Options{})
	require.NoError(t, err)
	big := recs[0]
	big.Tick = 3
	big.Intents = make([]components.PurchaseIntent, DefaultLimits.Intents+1)
	err = w.Append(&big)
	var le *LimitError
	require.ErrorAs(t, err, &le)
	require.NoError(t, w.Close())
	_, got, err := ReadAll(path)
	require.NoError(t, err)
	assert.Len(t, got, 3)
}

// A JSON Lines tick of millions of "{}" events is refused by import with a
// *LimitError before they are decoded.
func TestImportOfFloodedLineHitsTheLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 2, Options{})
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))
	header, _, _ := strings.Cut(jl.String(), "\n")
	n := DefaultLimits.Events + 1
	flood := header + "\n" + `{"type":"tick","tick":0,"checksum":"0000000000000000","events":[` +
		strings.Repeat("{},", n-1) + "{}]}\n"
	var err error
	alloc := allocated(func() { err = ImportJSONL(strings.NewReader(flood), filepath.Join(dir, "x.log")) })
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "events", le.What)
	t.Logf("%d-byte line: import allocated %d bytes", len(flood), alloc)
	assert.Less(t, alloc, uint64(5*len(flood)))
}

func TestSnapshotOverTheLimitIsALimitError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	record(t, path, 12, Options{SnapshotEvery: 5})
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := NewReader(f)
	require.NoError(t, err)
	r.SetLimits(Limits{Commands: 1 << 10, Intents: 1 << 10, Events: 1 << 10, Snapshot: 100})
	var le *LimitError
	for range 10 {
		if _, err = r.Next(); err != nil {
			break
		}
	}
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "snapshot bytes", le.What)
	assert.Equal(t, uint64(100), le.Limit)
}

// DecodeTick (frames from the network) applies the same limits.
func TestDecodeTickAppliesTheLimits(t *testing.T) {
	var e enc
	e.u(0)
	e.b = binary.LittleEndian.AppendUint64(e.b, 0)
	e.u(0)
	e.u(0)
	e.u(uint64(DefaultLimits.Intents + 1))
	e.b = append(e.b, make([]byte, 9*(DefaultLimits.Intents+1))...)
	_, err := DecodeTick(e.b)
	var le *LimitError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "intents", le.What)
}
