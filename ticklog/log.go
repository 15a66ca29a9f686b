package ticklog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/crc64"
	"io"
	"os"
	"syscall"

	"github.com/tickecon/tickecon/ecs"
)

// Version is the format version written and read by this package.
// Version 2 added per-stage checksums to tick records; version 3 protects
// each record's length with its own check value and records the Setup;
// version 4 gives every event field one meaning in every kind
// (events.Event gained Ref, Rest, Size, At and Ticket) and records command
// tickets; version 5 adds an intent's preconditions (MaxTotal,
// ListingVersion) behind a flag, so a version 4 log is a version 5 log
// without them and is read as it is (MinVersion). Older logs are refused
// with a *VersionError and left as they are; OpenAppend appends only to
// logs of this version, so no file mixes them.
const Version = 5

// MinVersion is the oldest format version a Reader reads.
const MinVersion = 4

// Magic starts every log file.
const Magic = "TICKECON"

// MaxRecord bounds one record's length, so a corrupt length prefix cannot
// make a reader allocate without limit.
const MaxRecord = 256 << 20

// MaxContent bounds the content JSON in the header.
const MaxContent = 64 << 20

// MaxSetup bounds the setup JSON in the header.
const MaxSetup = 1 << 20

// Record types.
const (
	typeTick     = 1
	typeSnapshot = 2
)

// fixedHeader is the header up to the setup JSON: magic, version, flags,
// content hash, setup length, content length.
const fixedHeader = 8 + 2 + 2 + 8 + 4 + 4

// recordHeader is a record's length and the check value over it.
const recordHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Header is what a log says about itself.
type Header struct {
	Version     uint16
	ContentHash uint64    // ecs.Content.Hash of Content
	Content     []byte    // the content JSON the session started from
	Setup       ecs.Setup // the systems the session ran with
}

// ParseContent decodes the header's content and checks that it hashes to
// ContentHash (a *ContentHashError if not).
func (h *Header) ParseContent() (*ecs.Content, error) {
	c, err := ecs.ParseContent(h.Content)
	if err != nil {
		return nil, err
	}
	if got := c.Hash(); got != h.ContentHash {
		return nil, &ContentHashError{Recorded: h.ContentHash, Actual: got}
	}
	return c, nil
}

// CorruptError is damage in the middle of a log (or in its header).
type CorruptError struct {
	Offset int64 // byte offset of the damaged record or field
	Msg    string
}

// Error implements error.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("replay log corrupt at byte %d: %s", e.Offset, e.Msg)
}

// VersionError is a log written in a format version this build does not
// read (older logs: re-record them, or export them with the tickecon tool
// of their version and import the JSON Lines here).
type VersionError struct {
	Found, Supported uint16
}

// Error implements error.
func (e *VersionError) Error() string {
	switch {
	case e.Found < MinVersion:
		return fmt.Sprintf("replay log format version %d was written by an older tickecon; this build reads only versions %d to %d "+
			"(event fields changed meaning in version 4): replay it with the build that recorded it, or record the session again",
			e.Found, MinVersion, e.Supported)
	case e.Found < e.Supported:
		return fmt.Sprintf("replay log format version %d is read but not appended to (this build writes version %d): "+
			"export it to JSON Lines and import it to convert it", e.Found, e.Supported)
	case e.Found > e.Supported:
		return fmt.Sprintf("replay log format version %d is newer than this build reads (%d): use a newer tickecon", e.Found, e.Supported)
	}
	return fmt.Sprintf("replay log format version %d; this build reads only version %d", e.Found, e.Supported)
}

// ContentHashError is a header whose content does not hash to the hash it
// records: the log would be replayed against other content than recorded.
type ContentHashError struct {
	Recorded, Actual uint64
}

// Error implements error.
func (e *ContentHashError) Error() string {
	return fmt.Sprintf("replay log content hash %016x does not match its content (%016x)", e.Recorded, e.Actual)
}

// TornTailError says the log ends in an incomplete record, as a crash
// mid-append leaves it. Everything before Offset is good, and nothing
// complete follows it: the record there runs past the end of the file, or
// fails its check and only zero bytes (space a crash allocated but never
// wrote) follow it.
type TornTailError struct {
	Offset   int64  // where the torn record starts: the good length
	LastTick uint64 // last complete tick record (valid if HasTick)
	HasTick  bool
}

// Error implements error.
func (e *TornTailError) Error() string {
	if !e.HasTick {
		return fmt.Sprintf("replay log has a torn tail at byte %d, before any complete tick", e.Offset)
	}
	return fmt.Sprintf("replay log has a torn tail at byte %d; last good tick %d", e.Offset, e.LastTick)
}

// Record is one entry of a log: a tick or a snapshot.
type Record struct {
	Offset   int64
	Tick     *ecs.TickRecord // set for tick records
	Snapshot *ecs.Snapshot   // set for snapshot records (unless the Reader returns them raw)
	// SnapshotJSON is a snapshot record's JSON, undecoded, when the Reader
	// returns snapshots raw (Reader.SetRawSnapshots; Snapshot is nil then).
	// It is valid until the Reader's next Next.
	SnapshotJSON []byte
	// EventsBinary is a tick record's events, undecoded, when the Reader
	// returns them raw (Reader.SetRawEvents; Tick.Events is empty then):
	// EventCount events in the binary form of events.AppendBinary, back to
	// back, and nothing after them when the record is sound. It is valid
	// until the Reader's next Next; DecodeEvents decodes it.
	EventsBinary []byte
	EventCount   int
}

// DecodeEvents decodes a raw tick record's events (EventsBinary) into
// Tick.Events, reusing its storage, each with the record's tick, and
// returns the *CorruptError that Next returns for them when it decodes
// them itself. It does nothing for a record with its events decoded.
func (rec Record) DecodeEvents() error {
	t := rec.Tick
	if t == nil || rec.EventsBinary == nil {
		return nil
	}
	d := dec{b: rec.EventsBinary}
	if rec.EventCount < 0 || rec.EventCount > len(d.b)/minEventBytes {
		d.fail() // more events than bytes for them: allocate nothing
	} else {
		d.events(t, rec.EventCount)
	}
	if d.err != nil {
		return &CorruptError{rec.Offset, fmt.Sprintf("tick record: %v", d.err)}
	}
	return nil
}

// DecodeSnapshot returns the record's snapshot: Snapshot if it is
// decoded, else the decoded SnapshotJSON, with the *CorruptError that Next
// returns for a bad one when it decodes snapshots itself. It is nil
// (without error) for a tick record.
func (rec Record) DecodeSnapshot() (*ecs.Snapshot, error) {
	if rec.Snapshot != nil || rec.SnapshotJSON == nil {
		return rec.Snapshot, nil
	}
	return decodeSnapshot(rec.Offset, rec.SnapshotJSON)
}

func decodeSnapshot(off int64, raw []byte) (*ecs.Snapshot, error) {
	var s ecs.Snapshot
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, &CorruptError{off, fmt.Sprintf("snapshot record: %v", err)}
	}
	return &s, nil
}

func contentHash(content []byte) uint64 {
	return crc64.Checksum(content, crc64.MakeTable(crc64.ECMA))
}

func encodeHeader(content []byte, hash uint64, setup ecs.Setup) ([]byte, error) {
	if setup.Systems == "" {
		setup.Systems = "core"
	}
	sj, err := json.Marshal(setup)
	if err != nil {
		return nil, err
	}
	if len(sj) > MaxSetup || len(content) > MaxContent {
		return nil, fmt.Errorf("replay log: header too large (setup %d bytes, content %d)", len(sj), len(content))
	}
	b := []byte(Magic)
	b = binary.LittleEndian.AppendUint16(b, Version)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint64(b, hash)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sj)))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(content)))
	b = append(b, sj...)
	b = append(b, content...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// lengthCheck is the check value stored after a record's length: a
// damaged length is then corruption, never mistaken for a torn tail.
func lengthCheck(length []byte) uint32 { return crc32.Checksum(length, castagnoli) }

// Reader streams the records of a log without loading it whole.
type Reader struct {
	r        *bufio.Reader
	off      int64
	hdr      Header
	lastTick uint64
	hasTick  bool
	buf      bytes.Buffer // the header
	rec      []byte       // the current record, reused
	file     *os.File     // the file read, if it is one: its size sizes big records
	err      error        // sticky: after an error, Next returns it again
	limits   Limits
	hdrBuf   [recordHeader]byte
	reuse    bool           // SetReuse: ticks decode into tick
	rawSnaps bool           // SetRawSnapshots
	rawEvs   bool           // SetRawEvents
	tick     ecs.TickRecord // the reused tick record
}

// NewReader reads and checks the header of a log: magic, version
// (*VersionError), CRC (*CorruptError) and content hash
// (*ContentHashError).
func NewReader(r io.Reader) (*Reader, error) {
	size := 1 << 16
	if n, ok := r.(interface{ Len() int }); ok && n.Len() < size {
		size = n.Len() // in memory (bytes.Reader): no bigger buffer than the data
	}
	rd := &Reader{r: bufio.NewReaderSize(r, size), limits: DefaultLimits}
	rd.file, _ = r.(*os.File)
	if rd.file != nil {
		// A directory is not a damaged log: say what it is (its callers
		// prefix the path), and errors.Is(err, syscall.EISDIR) holds.
		if st, err := rd.file.Stat(); err == nil && st.IsDir() {
			return nil, fmt.Errorf("%w, not a replay log", syscall.EISDIR)
		}
	}
	fixed := make([]byte, fixedHeader)
	if n, err := io.ReadFull(rd.r, fixed); err != nil {
		if n >= 10 && string(fixed[:8]) == Magic {
			if v := binary.LittleEndian.Uint16(fixed[8:]); v < MinVersion || v > Version {
				return nil, &VersionError{Found: v, Supported: Version}
			}
		}
		return nil, &CorruptError{0, "file too short for a header: " + err.Error()}
	}
	if string(fixed[:8]) != Magic {
		return nil, &CorruptError{0, "not a tickecon replay log (bad magic)"}
	}
	rd.hdr.Version = binary.LittleEndian.Uint16(fixed[8:])
	if rd.hdr.Version < MinVersion || rd.hdr.Version > Version {
		return nil, &VersionError{Found: rd.hdr.Version, Supported: Version}
	}
	rd.hdr.ContentHash = binary.LittleEndian.Uint64(fixed[12:])
	ns := binary.LittleEndian.Uint32(fixed[20:])
	nc := binary.LittleEndian.Uint32(fixed[24:])
	if ns > MaxSetup {
		return nil, &CorruptError{20, fmt.Sprintf("setup length %d exceeds %d", ns, MaxSetup)}
	}
	if nc > MaxContent {
		return nil, &CorruptError{24, fmt.Sprintf("content length %d exceeds %d", nc, MaxContent)}
	}
	// CopyN grows the buffer as bytes arrive: a lying length costs no more
	// memory than the file has.
	if _, err := io.CopyN(&rd.buf, rd.r, int64(ns)+int64(nc)+4); err != nil {
		return nil, &CorruptError{fixedHeader, "header ends early: " + err.Error()}
	}
	body := rd.buf.Bytes()
	n := ns + nc
	want := binary.LittleEndian.Uint32(body[n:])
	got := crc32.Update(crc32.Checksum(fixed, castagnoli), castagnoli, body[:n])
	if got != want {
		return nil, &CorruptError{0, "header CRC mismatch"}
	}
	if err := json.Unmarshal(body[:ns], &rd.hdr.Setup); err != nil {
		return nil, &CorruptError{fixedHeader, "setup: " + err.Error()}
	}
	if rd.hdr.Setup.Systems == "" {
		rd.hdr.Setup.Systems = "core"
	}
	rd.hdr.Content = bytes.Clone(body[ns:n])
	if h := contentHash(rd.hdr.Content); h != rd.hdr.ContentHash {
		return nil, &ContentHashError{Recorded: rd.hdr.ContentHash, Actual: h}
	}
	rd.off = fixedHeader + int64(n) + 4
	return rd, nil
}

// Header returns the log's header.
func (r *Reader) Header() Header { return r.hdr }

// Offset returns the byte offset just past the last record read.
func (r *Reader) Offset() int64 { return r.off }

// LastTick returns the last tick read, if any.
func (r *Reader) LastTick() (uint64, bool) { return r.lastTick, r.hasTick }

func (r *Reader) torn() error {
	return r.stop(&TornTailError{Offset: r.off, LastTick: r.lastTick, HasTick: r.hasTick})
}

func (r *Reader) corrupt(format string, args ...any) error {
	return r.stop(&CorruptError{r.off, fmt.Sprintf(format, args...)})
}

func (r *Reader) stop(err error) error {
	r.err = err
	return err
}

// SetReuse turns tick reuse on or off (off by default). With reuse on,
// Next decodes every tick into one TickRecord owned by the Reader: the
// Record.Tick it returns — the record and its Commands, Intents, Events
// and Stages — is valid only until the next call of Next, which
// overwrites it. A caller that keeps a tick longer clones it
// (ecs.TickRecord.Clone). Decoded snapshots are never reused. In
// exchange, reading a log allocates nothing per tick once the buffers have
// grown to its busiest tick (they grow only as far as a record's bytes
// justify, as without reuse), which saves the allocation and the garbage
// collection of every tick's events: most of a busy tick's decoding time
// (BenchmarkDecodeTick).
func (r *Reader) SetReuse(on bool) { r.reuse = on }

// SetRawSnapshots makes Next return snapshot records undecoded (off by
// default): Record.SnapshotJSON holds the JSON, valid until the next call
// of Next, and Record.Snapshot is nil. Decoding a big snapshot's JSON
// costs more than taking and encoding one, so a verifier that compares
// the JSON with its own state's decodes only what differs. Next then does
// not check the JSON: Record.DecodeSnapshot reports a bad one, as the
// *CorruptError Next would have returned.
func (r *Reader) SetRawSnapshots(on bool) { r.rawSnaps = on }

// SetRawEvents makes Next leave tick records' events undecoded (off by
// default): Record.EventsBinary holds their bytes, valid until the next
// call of Next, Record.EventCount their count, and Record.Tick.Events is
// empty. Decoding a busy tick's events costs more than encoding the
// replayed ones, so a verifier compares its own events' binary form with
// the recorded bytes and decodes (Record.DecodeEvents) only what differs.
// Next still checks the count against the Limits and the bytes left, but
// not the events themselves: Record.DecodeEvents reports bad ones, as the
// *CorruptError Next would have returned.
func (r *Reader) SetRawEvents(on bool) { r.rawEvs = on }

// Next returns the next record; io.EOF at a clean end, *TornTailError at
// an incomplete last record, *CorruptError for damage anywhere else,
// *LimitError for a record over the Reader's limits. After an error (other
// than io.EOF, after which Next reads on if the log has grown), Next
// returns the same error again.
func (r *Reader) Next() (Record, error) {
	if r.reuse {
		return r.next(&r.tick)
	}
	return r.next(nil)
}

// NextInto is Next decoding a tick record into t, whose slices it reuses
// when they are big enough (as SetReuse does with the Reader's own
// record): the returned Record.Tick is t. A caller that reads ahead of its
// work (on another goroutine) rotates a few records this way; t belongs
// to the caller again once NextInto returns.
func (r *Reader) NextInto(t *ecs.TickRecord) (Record, error) { return r.next(t) }

// next is Next, decoding a tick into t (a new record if t is nil).
func (r *Reader) next(t *ecs.TickRecord) (Record, error) {
	if r.err != nil {
		return Record{}, r.err
	}
	hdr := r.hdrBuf[:] // a field: a local array would escape to the heap through io.ReadFull
	_, err := io.ReadFull(r.r, hdr)
	if err == io.EOF {
		// A clean end, not sticky: a log still being written may grow, and
		// a later Next reads on.
		return Record{}, io.EOF
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, r.torn() // the file ends inside a record header
		}
		return Record{}, r.stop(err)
	}
	length := binary.LittleEndian.Uint32(hdr[:4])
	if lengthCheck(hdr[:4]) != binary.LittleEndian.Uint32(hdr[4:]) {
		// Only zeros after the header: space a crash allocated but never
		// wrote (possibly from inside this header). No record is all zeros,
		// so nothing complete follows.
		if r.restIsZero() {
			return Record{}, r.torn()
		}
		return Record{}, r.corrupt("record length damaged (length %d fails its check)", length)
	}
	if length < 1 || length > MaxRecord {
		return Record{}, r.corrupt("record length %d out of range", length)
	}
	// The length is checked, so a record running past the end of the file
	// is the last one, cut short by a crash.
	body, err := r.readRecord(int(length) + 4)
	if err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, r.torn()
		}
		return Record{}, r.stop(err)
	}
	payload, crc := body[:length], binary.LittleEndian.Uint32(body[length:])
	if crc32.Checksum(payload, castagnoli) != crc {
		if r.restIsZero() {
			return Record{}, r.torn() // the last record, half-written
		}
		return Record{}, r.corrupt("record CRC mismatch")
	}
	rec := Record{Offset: r.off}
	switch payload[0] {
	case typeTick:
		d := dec{b: payload[1:], lim: &r.limits, rawEvents: r.rawEvs}
		if t == nil {
			t = new(ecs.TickRecord)
		}
		d.tick(t)
		if r.rawEvs && d.err == nil {
			rec.EventsBinary, rec.EventCount = d.b, d.nEvents
			if rec.EventsBinary == nil {
				rec.EventsBinary = payload[:0:0] // non-nil: raw, with nothing after the count
			}
		}
		if d.err != nil {
			var le *LimitError
			if errors.As(d.err, &le) {
				le.Offset = r.off
				return Record{}, r.stop(le)
			}
			return Record{}, r.corrupt("tick record: %v", d.err)
		}
		if r.hasTick && t.Tick != r.lastTick+1 {
			return Record{}, r.corrupt("tick %d follows tick %d", t.Tick, r.lastTick)
		}
		r.lastTick, r.hasTick = t.Tick, true
		rec.Tick = t
	case typeSnapshot:
		if n := int64(len(payload) - 1); n > r.limits.Snapshot {
			return Record{}, r.stop(&LimitError{Offset: r.off, What: "snapshot bytes", Count: uint64(n), Limit: uint64(r.limits.Snapshot)})
		}
		if r.rawSnaps {
			rec.SnapshotJSON = payload[1:]
			break
		}
		s, err := decodeSnapshot(r.off, payload[1:])
		if err != nil {
			return Record{}, r.stop(err)
		}
		rec.Snapshot = s
	default:
		return Record{}, r.corrupt("unknown record type %d", payload[0])
	}
	r.off += recordHeader + int64(length) + 4
	return rec, nil
}

// readRecord reads n bytes. The buffer grows only as bytes arrive, so a
// length that runs past the end of a short file costs no more than the
// file holds; growth doubles but stops at n, so reading a record allocates
// at most about twice its size.
func (r *Reader) readRecord(n int) ([]byte, error) {
	buf := r.rec[:0]
	if n > cap(buf) && n > 1<<20 {
		// A big record in a file: allocate what the file still holds (at
		// most n) at once instead of doubling up to it.
		if left := r.fileLeft(); left > int64(cap(buf)) {
			buf = make([]byte, 0, min(int64(n), left))
		}
	}
	for len(buf) < n {
		if len(buf) == cap(buf) {
			if _, err := r.r.Peek(1); err != nil { // grow only for bytes that exist
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return nil, err
			}
			nb := make([]byte, len(buf), min(n, max(2*cap(buf), 64<<10)))
			copy(nb, buf)
			buf = nb
		}
		m, err := r.r.Read(buf[len(buf):min(cap(buf), n)])
		buf = buf[:len(buf)+m]
		if err != nil && len(buf) < n {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	r.rec = buf
	return buf, nil
}

// fileLeft returns how many bytes of the file are still unread (0 if the
// Reader does not read a file, or cannot tell).
func (r *Reader) fileLeft() int64 {
	if r.file == nil {
		return 0
	}
	st, err := r.file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	pos, err := r.file.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0
	}
	return st.Size() - pos + int64(r.r.Buffered())
}

// restIsZero reports whether only zero bytes are left (or none), consuming
// them. Only a crash leaves such a tail: no record is all zeros.
func (r *Reader) restIsZero() bool {
	for {
		b, err := r.r.ReadByte()
		if err != nil {
			return err == io.EOF
		}
		if b != 0 {
			return false
		}
	}
}

// ReadAll reads every record of a log file. A torn tail is not an error
// here: the good records are returned with the *TornTailError.
func ReadAll(path string) (Header, []Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, nil, err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return Header{}, nil, err
	}
	var out []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r.Header(), out, nil
		}
		if err != nil {
			return r.Header(), out, err
		}
		out = append(out, rec)
	}
}
