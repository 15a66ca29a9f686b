package ticklog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
)

// The codec writes fields by hand for compactness; these lists must match
// the structs, so adding a field without encoding it fails here.
func TestCodecCoversEveryField(t *testing.T) {
	names := func(v any) []string {
		var out []string
		tp := reflect.TypeOf(v)
		for i := range tp.NumField() {
			out = append(out, tp.Field(i).Name)
		}
		return out
	}
	assert.Equal(t, []string{"Tick", "Kind", "Reason", "Of", "Subject", "Object", "Till", "Ref", "Item",
		"Currency", "Qty", "Amount", "Rest", "Size", "Request", "At", "Ticket", "Name"}, names(events.Event{}))
	assert.Equal(t, []string{"Buyer", "Listing", "Quantity", "RequestID", "Cart", "PayVia", "ShipTo",
		"Coupon", "Saga", "MaxTotal", "ListingVersion"}, names(components.PurchaseIntent{}))
	assert.Equal(t, []string{"Tick", "Commands", "Intents", "Events", "Checksum", "Stages"}, names(ecs.TickRecord{}))

	// And every field survives a round trip with extreme values.
	r := ecs.TickRecord{Tick: 1<<63 + 5, Checksum: 0xfedcba9876543210,
		Commands: []events.Event{{Kind: events.Minted, Reason: 200, Of: 7, Subject: 1, Object: 2, Item: 3,
			Currency: 4, Till: 5, Ref: 6, Qty: -1 << 63, Amount: 1<<63 - 1, Rest: -9, Size: 1 << 40,
			Request: 1<<64 - 1, At: 1<<64 - 2, Ticket: 1<<64 - 3, Name: "é\x00x"}},
		Intents: []components.PurchaseIntent{{Buyer: 1<<64 - 1, Listing: 2, Quantity: -7, RequestID: 9,
			Cart: 10, PayVia: 11, ShipTo: 12, Coupon: 13, Saga: true, MaxTotal: -1 << 63, ListingVersion: 1<<64 - 1},
			{Buyer: 1, Listing: 2, Quantity: 3, ListingVersion: 4}, {Buyer: 1, Listing: 2, Quantity: 3, MaxTotal: 5, Saga: true},
			{Buyer: 1, Listing: 2, Quantity: 3, Cart: 300, PayVia: 1 << 40, ShipTo: 5, Coupon: 127}, // past the one-byte ids' fast path
			{Buyer: 1, Listing: 2, Quantity: 3, Cart: 1, PayVia: 2, ShipTo: 3, Coupon: 128}},
		Events: []events.Event{{Tick: 1<<63 + 5, Kind: events.PurchaseCompleted, Amount: 750}},
		Stages: []uint64{1, 1, 2, 0xfedcba9876543210, 0xfedcba9876543210},
	}
	var e enc
	e.tick(&r)
	d := dec{b: e.b}
	var got ecs.TickRecord
	d.tick(&got)
	require.NoError(t, d.err)
	assert.Equal(t, r, got)
}

// Stages equal to their successor (idle systems) cost one bit each: an
// idle tick's four stages take two bytes; any pattern round-trips, and a
// stage bitmask naming stages past the count is refused.
func TestStagesEncodeCompactly(t *testing.T) {
	const sum = 0xabc
	idle := ecs.TickRecord{Tick: 9, Checksum: sum, Stages: []uint64{sum, sum, sum, sum}}
	var e enc
	e.tick(&idle)
	var none enc
	none.tick(&ecs.TickRecord{Tick: 9, Checksum: sum})
	assert.Equal(t, len(none.b)+1, len(e.b), "a count byte and a bitmask byte, against a zero count byte")
	for _, st := range [][]uint64{{1, 2, 3, 4}, {sum, 1, sum, sum}, {5, 5, 6, 6}, {7}} {
		r := ecs.TickRecord{Tick: 3, Checksum: sum, Stages: st}
		var e enc
		e.tick(&r)
		d := dec{b: e.b}
		var got ecs.TickRecord
		d.tick(&got)
		require.NoError(t, d.err)
		assert.Equal(t, st, got.Stages)
	}
	bad := []byte{3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0b111, 0, 0, 0}
	d := dec{b: bad}
	d.tick(&ecs.TickRecord{})
	assert.Error(t, d.err, "bitmask bit 2 set for a count of 2")
}

func record(t *testing.T, path string, ticks int, opts Options) []ecs.TickRecord {
	t.Helper()
	c := session.Content(1, 20)
	s, err := session.New(1, c)
	require.NoError(t, err)
	w, err := Create(path, c, opts)
	require.NoError(t, err)
	w.Record(s.World)
	var recs []ecs.TickRecord
	for range ticks {
		recs = append(recs, s.Step(30).Clone())
	}
	require.NoError(t, w.Err())
	require.NoError(t, w.Close())
	return recs
}

func TestWriteReadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	want := record(t, path, 120, Options{SyncEvery: 10, SnapshotEvery: 50})
	hdr, recs, err := ReadAll(path)
	require.NoError(t, err)
	c := session.Content(1, 20)
	assert.Equal(t, c.Hash(), hdr.ContentHash)
	parsed, err := ecs.ParseContent(hdr.Content)
	require.NoError(t, err)
	assert.Equal(t, c.Hash(), parsed.Hash(), "the header holds the content itself")
	var ticks []ecs.TickRecord
	var snaps []uint64
	for _, r := range recs {
		if r.Tick != nil {
			ticks = append(ticks, *r.Tick)
		} else {
			snaps = append(snaps, r.Snapshot.Tick)
		}
	}
	assert.Equal(t, want, ticks)
	assert.Equal(t, []uint64{50, 100}, snaps)
}

func TestTornTailIsReportedAndTruncatedOnReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	record(t, path, 40, Options{SyncEvery: 1})
	full, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, cut := range []int{1, 3, 4, 9, 20} {
		require.NoError(t, os.WriteFile(path, full[:len(full)-cut], 0o644))
		_, recs, err := ReadAll(path)
		var torn *TornTailError
		require.ErrorAs(t, err, &torn, "cut %d", cut)
		assert.Equal(t, uint64(38), torn.LastTick)
		assert.True(t, torn.HasTick)
		assert.Len(t, recs, 39)
		assert.Less(t, torn.Offset, int64(len(full)))

		w, rec, err := OpenAppend(path, Options{SyncEvery: 1})
		require.NoError(t, err)
		assert.Equal(t, uint64(38), rec.LastTick)
		assert.Equal(t, int64(len(full)-cut)-torn.Offset, rec.Truncated)
		require.NoError(t, w.Close())
		_, recs, err = ReadAll(path)
		require.NoError(t, err, "clean after reopen")
		assert.Len(t, recs, 39)
	}
}

func TestCorruptionInTheMiddleNamesTheOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	record(t, path, 40, Options{})
	full, err := os.ReadFile(path)
	require.NoError(t, err)
	_, recs, err := ReadAll(path)
	require.NoError(t, err)
	target := recs[10].Offset
	bad := bytes.Clone(full)
	bad[target+7] ^= 0x40 // inside record 10's payload
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, got, err := ReadAll(path)
	var ce *CorruptError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, target, ce.Offset)
	assert.Len(t, got, 10)
	_, _, err = OpenAppend(path, Options{})
	require.ErrorAs(t, err, &ce, "reopen refuses to truncate good data after damage")
	after, _ := os.ReadFile(path)
	assert.Equal(t, bad, after, "nothing was cut")

	bad = bytes.Clone(full)
	copy(bad, "NOTALOG!")
	require.NoError(t, os.WriteFile(path, bad, 0o644))
	_, _, err = ReadAll(path)
	require.ErrorAs(t, err, &ce)
	assert.Contains(t, ce.Error(), "magic")
}

func TestAppendRefusesGapsAndDurableTracksSyncs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	c := session.Content(2, 3)
	w, err := Create(path, c, Options{SyncEvery: 3})
	require.NoError(t, err)
	_, ok := w.Durable()
	assert.False(t, ok)
	for i := range uint64(4) {
		require.NoError(t, w.Append(&ecs.TickRecord{Tick: i}))
	}
	d, ok := w.Durable()
	assert.True(t, ok)
	assert.Equal(t, uint64(2), d, "synced after every third tick")
	assert.Error(t, w.Append(&ecs.TickRecord{Tick: 9}))
	require.NoError(t, w.Close())
	d, _ = w.Durable()
	assert.Equal(t, uint64(3), d)
}

func TestJSONLinesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 60, Options{SnapshotEvery: 25})
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))
	lines := bytes.Count(jl.Bytes(), []byte("\n"))
	assert.Equal(t, 1+60+2, lines, "header, ticks, snapshots")
	assert.Contains(t, jl.String(), `"kind":"PurchaseCompleted"`, "kinds are names for humans")
	back := filepath.Join(dir, "back.log")
	require.NoError(t, ImportJSONL(bytes.NewReader(jl.Bytes()), back))
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(back)
	assert.Equal(t, a, b, "export then import gives the same bytes")

	err := ImportJSONL(bytes.NewReader([]byte("{\"type\":\"header\"}\n{bad json\n")), filepath.Join(dir, "x.log"))
	assert.Error(t, err)
}

func FuzzReader(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.log")
	// A small seed (a few ticks and one snapshot): the fuzzer minimizes
	// every interesting input, and minimizing costs time per byte.
	c := session.Content(3, 2)
	s, _ := session.New(3, c)
	w, _ := Create(path, c, Options{SnapshotEvery: 2})
	w.Record(s.World)
	s.Step(3)
	w.Close()
	seed, _ := os.ReadFile(path)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(Magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		typed := func(err error) bool {
			var ce *CorruptError
			var torn *TornTailError
			var ve *VersionError
			var he *ContentHashError
			var le *LimitError
			return errors.As(err, &ce) || errors.As(err, &torn) || errors.As(err, &ve) || errors.As(err, &he) || errors.As(err, &le)
		}
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			require.True(t, typed(err), "untyped error %v", err)
			return
		}
		// Small limits, so the fuzzer also reaches the limit checks.
		small := Limits{Commands: 40, Intents: 40, Events: 80, Snapshot: 8 << 10}
		r.SetLimits(small)
		// A second reader reuses its tick record and returns snapshots raw:
		// it must read the same, its DecodeSnapshot failing where Next did.
		reused, err := NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		reused.SetLimits(small)
		reused.SetReuse(true)
		reused.SetRawSnapshots(true)
		for range 10000 {
			rec, err := r.Next()
			rrec, rerr := reused.Next()
			if rerr == nil && rrec.Tick == nil {
				require.Nil(t, rrec.Snapshot)
				s, derr := rrec.DecodeSnapshot()
				if derr != nil {
					require.Equal(t, err, derr, "a raw snapshot fails to decode as Next failed")
					return
				}
				require.NoError(t, err)
				require.Equal(t, rec.Snapshot, s)
				continue
			}
			require.Equal(t, err, rerr, "reuse reads the same errors")
			if err == io.EOF {
				return
			}
			if err != nil {
				require.True(t, typed(err), "untyped error %v", err)
				_, again := r.Next()
				require.Equal(t, err, again, "errors are sticky")
				return
			}
			if rec.Tick != nil {
				require.Equal(t, *rec.Tick, rrec.Tick.Clone())
			}
		}
	})
}

// A failed import leaves the target exactly as it was and no partial file
// behind (issue 11: a bad line 1,501 used to replace a good log with a
// partial one that verified).
func TestFailedImportLeavesTargetUntouched(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 60, Options{SnapshotEvery: 25})
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))
	lines := bytes.SplitAfter(jl.Bytes(), []byte("\n"))
	target := filepath.Join(dir, "target.log")
	record(t, target, 10, Options{})
	before, err := os.ReadFile(target)
	require.NoError(t, err)
	bad := bytes.Join([][]byte{bytes.Join(lines[:40], nil), []byte("{bad json\n"), bytes.Join(lines[40:], nil)}, nil)
	err = ImportJSONL(bytes.NewReader(bad), target)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 41")
	after, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the target is untouched")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"s.log", "target.log"}, names, "no partial file remains")

	// A missing target stays missing.
	err = ImportJSONL(bytes.NewReader(bad), filepath.Join(dir, "new.log"))
	require.Error(t, err)
	_, err = os.Stat(filepath.Join(dir, "new.log"))
	assert.True(t, os.IsNotExist(err))

	// And a good import replaces the target whole.
	require.NoError(t, ImportJSONL(bytes.NewReader(jl.Bytes()), target))
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(target)
	assert.Equal(t, a, b)
}

// failAfter is a file whose writes fail once limit bytes were written (a
// full disk).
type failAfter struct {
	*os.File
	limit, n int
}

var errDiskFull = errors.New("disk full")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n+len(p) > f.limit {
		return 0, errDiskFull
	}
	f.n += len(p)
	return f.File.Write(p)
}

// A write error is never silent: the call that meets it returns it, and so
// do every later call, Err and Close; recording stops at the last durable
// tick, and the log up to there stays readable.
func TestWriteErrorIsReturnedByEveryLaterCallAndClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	c := session.Content(1, 20)
	s, err := session.New(1, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{SyncEvery: 1, wrapFile: func(f *os.File) File { return &failAfter{File: f, limit: 40 << 10} }})
	require.NoError(t, err)
	w.Record(s.World)
	for range 200 {
		s.Step(30)
	}
	require.ErrorIs(t, w.Err(), errDiskFull, "recording stopped")
	d, ok := w.Durable()
	require.True(t, ok)
	assert.Less(t, d, uint64(199))
	next := s.Step(30)
	assert.ErrorIs(t, w.Append(next), errDiskFull)
	assert.ErrorIs(t, w.Sync(), errDiskFull)
	assert.ErrorIs(t, w.Close(), errDiskFull)
	assert.ErrorIs(t, w.Close(), errDiskFull, "closing twice says it again")
	_, recs, err := ReadAll(path)
	if err != nil {
		var torn *TornTailError
		require.ErrorAs(t, err, &torn)
	}
	require.NotEmpty(t, recs)
	assert.GreaterOrEqual(t, recs[len(recs)-1].Tick.Tick, d, "every durable tick is in the log")
}

// JSON Lines of a version before MinJSONLVersion (here version 3, whose
// event fields meant other things in some kinds) are refused with a
// *VersionError rather than imported with fields misread; so are newer
// versions than this build. The current version (minus its optional
// setup) imports.
func TestImportOfOtherVersionsJSONLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 5, Options{})
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))
	header, rest, _ := strings.Cut(jl.String(), "\n")
	// Edit the text, not a decoded map: the content must stay byte for
	// byte what its hash covers.
	cur := fmt.Sprintf(`"version":%d,`, Version)
	require.Contains(t, header, cur)
	bare := regexp.MustCompile(`"setup":\{[^}]*\},`).ReplaceAllString(header, "")
	require.NotContains(t, bare, "setup")
	back := filepath.Join(dir, "back.log")
	require.NoError(t, ImportJSONL(strings.NewReader(bare+"\n"+rest), back))
	hdr, recs, err := ReadAll(back)
	require.NoError(t, err)
	assert.Equal(t, uint16(Version), hdr.Version)
	assert.Equal(t, "core", hdr.Setup.Systems)
	assert.Len(t, recs, 5)

	for _, v := range []int{MinJSONLVersion - 1, Version + 1} {
		other := strings.Replace(header, cur, fmt.Sprintf(`"version":%d,`, v), 1)
		err = ImportJSONL(strings.NewReader(other+"\n"+rest), back)
		var ve *VersionError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, uint16(v), ve.Found)
	}
}

// A log of an older format (here: version 3, before event fields got one
// meaning each) is refused with a *VersionError that says what to do, and
// neither reading nor reopening it for append changes a byte.
func TestOldFormatVersionIsRefusedClearlyAndLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.log")
	record(t, path, 3, Options{})
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	raw[8], raw[9] = 3, 0 // the version field, little endian
	require.NoError(t, os.WriteFile(path, raw, 0o644))

	_, err = NewReader(bytes.NewReader(raw))
	var ve *VersionError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, VersionError{Found: 3, Supported: Version}, *ve)
	assert.Contains(t, err.Error(), "older tickecon")
	assert.Contains(t, err.Error(), "record the session again")
	var ce *CorruptError
	assert.False(t, errors.As(err, &ce), "an old version is not damage")

	_, _, err = OpenAppend(path, Options{})
	require.ErrorAs(t, err, &ve)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, raw, after, "reopening an old log must not change it")

	raw[8] = byte(Version + 1)
	_, err = NewReader(bytes.NewReader(raw))
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, err.Error(), "newer")
}

// Subscriber serves callers that subscribe themselves: ticks are appended,
// snapshots taken when snap returns one, skipped when it returns nil.
func TestSubscriberAppendsTicksAndOptionalSnapshots(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	c := session.Content(1, 5)
	s, err := session.New(1, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{SnapshotEvery: 2})
	require.NoError(t, err)
	s.World.Subscribe(ecs.EveryTick, w.Subscriber(func() (*ecs.Snapshot, error) {
		if s.World.NextTick() < 4 {
			return nil, nil // not ready yet: no snapshot
		}
		return s.World.TakeSnapshot()
	}))
	for range 6 {
		s.Step(5)
	}
	require.NoError(t, w.Close())
	_, recs, err := ReadAll(path)
	require.NoError(t, err)
	var kinds []string
	for _, r := range recs {
		if r.Snapshot != nil {
			kinds = append(kinds, fmt.Sprint("s", r.Snapshot.Tick))
		} else {
			kinds = append(kinds, fmt.Sprint("t", r.Tick.Tick))
		}
	}
	assert.Equal(t, []string{"t0", "t1", "t2", "t3", "s4", "t4", "t5", "s6"}, kinds)
}

// io.EOF is a clean end, not a sticky error: a reader of a log that is
// still being written reads on once the writer has appended more.
func TestReaderReadsOnAfterEOFWhenTheLogGrows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	c := session.Content(1, 5)
	s, err := session.New(1, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{SyncEvery: 1})
	require.NoError(t, err)
	w.Record(s.World)
	s.Step(3)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := NewReader(f)
	require.NoError(t, err)
	_, err = r.Next()
	require.NoError(t, err)
	_, err = r.Next()
	require.Equal(t, io.EOF, err)
	s.Step(3)
	rec, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, uint64(1), rec.Tick.Tick)
	require.NoError(t, w.Close())
}
