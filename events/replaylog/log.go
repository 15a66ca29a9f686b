// Package replaylog is tickecon's durable replay log: a versioned binary
// file holding the session's content, then one CRC-protected record per
// tick (its inputs, its events and the state checksum) and, every N ticks,
// a snapshot of the whole state.
//
// Layout (little endian):
//
//	header:  "TICKECON" | version u16 | flags u16 | content hash u64 |
//	         content length u32 | content JSON | CRC-32C of the above u32
//	record:  length u32 | type u8 | payload | CRC-32C(type, payload) u32
//
// A tick payload is uvarint tick | checksum u64 | stages | commands |
// intents | events, each a uvarint count then varint-packed fields; stages
// are the per-stage checksums: a uvarint count, a uvarint bitmask of the
// stages equal to the next one (the last: to the tick's checksum), then a
// u64 for each other stage. A snapshot
// payload is the JSON of an ecs.Snapshot.
//
// A crash mid-append leaves a torn tail: the Reader reports it with the
// last good tick and offset, and OpenAppend truncates it and goes on.
// Damage anywhere else is a *CorruptError naming the offset.
package replaylog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/tickecon/tickecon/ecs"
)

// Version is the format version written by this package. Version 2 added
// the per-stage checksums to tick records.
const Version = 2

// Magic starts every log file.
const Magic = "TICKECON"

// MaxRecord bounds one record's length, so a corrupt length prefix cannot
// make a reader allocate without limit.
const MaxRecord = 256 << 20

// MaxContent bounds the content JSON in the header.
const MaxContent = 64 << 20

// Record types.
const (
	typeTick     = 1
	typeSnapshot = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Header is what a log says about itself.
type Header struct {
	Version     uint16
	ContentHash uint64 // ecs.Content.Hash of Content
	Content     []byte // the content JSON the session started from
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

// TornTailError says the log ends in an incomplete record, as a crash
// mid-append leaves it. Everything before Offset is good.
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
	Snapshot *ecs.Snapshot   // set for snapshot records
}

func encodeHeader(content []byte, hash uint64) []byte {
	b := []byte(Magic)
	b = binary.LittleEndian.AppendUint16(b, Version)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint64(b, hash)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(content)))
	b = append(b, content...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// Reader streams the records of a log without loading it whole.
type Reader struct {
	r        *bufio.Reader
	off      int64
	hdr      Header
	lastTick uint64
	hasTick  bool
	buf      bytes.Buffer
}

// NewReader reads and checks the header of a log.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{r: bufio.NewReaderSize(r, 1<<16)}
	fixed := make([]byte, 24)
	if _, err := io.ReadFull(rd.r, fixed); err != nil {
		return nil, &CorruptError{0, "file too short for a header: " + err.Error()}
	}
	if string(fixed[:8]) != Magic {
		return nil, &CorruptError{0, "not a tickecon replay log (bad magic)"}
	}
	rd.hdr.Version = binary.LittleEndian.Uint16(fixed[8:])
	if rd.hdr.Version != Version {
		return nil, &CorruptError{8, fmt.Sprintf("format version %d, this build reads %d", rd.hdr.Version, Version)}
	}
	rd.hdr.ContentHash = binary.LittleEndian.Uint64(fixed[12:])
	n := binary.LittleEndian.Uint32(fixed[20:])
	if n > MaxContent {
		return nil, &CorruptError{20, fmt.Sprintf("content length %d exceeds %d", n, MaxContent)}
	}
	if _, err := io.CopyN(&rd.buf, rd.r, int64(n)+4); err != nil {
		return nil, &CorruptError{24, "header ends early: " + err.Error()}
	}
	body := rd.buf.Bytes()
	want := binary.LittleEndian.Uint32(body[n:])
	got := crc32.Update(crc32.Checksum(fixed, castagnoli), castagnoli, body[:n])
	if got != want {
		return nil, &CorruptError{0, "header CRC mismatch"}
	}
	rd.hdr.Content = bytes.Clone(body[:n])
	rd.off = 24 + int64(n) + 4
	return rd, nil
}

// Header returns the log's header.
func (r *Reader) Header() Header { return r.hdr }

// Offset returns the byte offset just past the last record read.
func (r *Reader) Offset() int64 { return r.off }

// LastTick returns the last tick read, if any.
func (r *Reader) LastTick() (uint64, bool) { return r.lastTick, r.hasTick }

func (r *Reader) torn() error {
	return &TornTailError{Offset: r.off, LastTick: r.lastTick, HasTick: r.hasTick}
}

// Next returns the next record; io.EOF at a clean end, *TornTailError at
// an incomplete last record, *CorruptError for damage before the end.
func (r *Reader) Next() (Record, error) {
	var lenb [4]byte
	n, err := io.ReadFull(r.r, lenb[:])
	if err == io.EOF {
		return Record{}, io.EOF
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, r.torn()
		}
		return Record{}, err
	}
	_ = n
	length := binary.LittleEndian.Uint32(lenb[:])
	if length < 1 || length > MaxRecord {
		if r.restIsEmpty() {
			return Record{}, r.torn()
		}
		return Record{}, &CorruptError{r.off, fmt.Sprintf("record length %d out of range", length)}
	}
	r.buf.Reset()
	// CopyN grows the buffer as bytes arrive: a lying length on a short
	// file costs no more memory than the file has.
	if _, err := io.CopyN(&r.buf, r.r, int64(length)+4); err != nil {
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			return Record{}, r.torn()
		}
		return Record{}, err
	}
	body := r.buf.Bytes()
	payload, crc := body[:length], binary.LittleEndian.Uint32(body[length:])
	if crc32.Checksum(payload, castagnoli) != crc {
		if r.atEOF() {
			return Record{}, r.torn() // last record half-written over old bytes
		}
		return Record{}, &CorruptError{r.off, "record CRC mismatch"}
	}
	rec := Record{Offset: r.off}
	switch payload[0] {
	case typeTick:
		d := dec{b: payload[1:]}
		t := d.tick()
		if d.err != nil {
			return Record{}, &CorruptError{r.off, "tick record: " + d.err.Error()}
		}
		if r.hasTick && t.Tick != r.lastTick+1 {
			return Record{}, &CorruptError{r.off, fmt.Sprintf("tick %d follows tick %d", t.Tick, r.lastTick)}
		}
		r.lastTick, r.hasTick = t.Tick, true
		rec.Tick = &t
	case typeSnapshot:
		var s ecs.Snapshot
		if err := json.Unmarshal(payload[1:], &s); err != nil {
			return Record{}, &CorruptError{r.off, "snapshot record: " + err.Error()}
		}
		rec.Snapshot = &s
	default:
		return Record{}, &CorruptError{r.off, fmt.Sprintf("unknown record type %d", payload[0])}
	}
	r.off += 4 + int64(length) + 4
	return rec, nil
}

func (r *Reader) atEOF() bool {
	_, err := r.r.Peek(1)
	return err != nil
}

// restIsEmpty reports whether only zero bytes are left (a file extended by
// a crash but never written), consuming them.
func (r *Reader) restIsEmpty() bool {
	for {
		b, err := r.r.ReadByte()
		if err != nil {
			return true
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
