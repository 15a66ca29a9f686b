package bus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// errCaughtUp says the tail has read every complete record the file holds
// for now (it ends cleanly or in a record still being written).
var errCaughtUp = ErrCaughtUp

// logTail reads tick records from a replay log that may still be growing.
// A torn tail is normal here (the writer is mid-append): the tail stops
// before it and, on the next call, reopens at the last good offset. Damage
// before the end is returned as the ticklog error.
type logTail struct {
	f      *os.File
	hdr    ticklog.Header
	raw    []byte // the header's bytes, replayed in front of each reopened section
	r      *ticklog.Reader
	base   int64 // file offset of the first record the current reader sees
	good   int64 // file offset just past the last record returned
	broken bool  // the reader hit EOF or a torn tail: reopen before reading on
	// torn is the torn tail the last errCaughtUp stopped at (nil: a clean
	// end), with file offsets.
	torn *ticklog.TornTailError
}

func openTail(path string) (*logTail, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := ticklog.NewReader(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	n := r.Offset()
	raw := make([]byte, n)
	if _, err := f.ReadAt(raw, 0); err != nil {
		f.Close()
		return nil, err
	}
	t := &logTail{f: f, hdr: r.Header(), raw: raw, base: n, good: n}
	t.r, err = t.reader(n)
	if err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

// reader returns a ticklog.Reader positioned at file offset off (a
// record boundary): the header bytes followed by the file from off.
func (t *logTail) reader(off int64) (*ticklog.Reader, error) {
	sec := io.NewSectionReader(t.f, off, math.MaxInt64-off)
	r, err := ticklog.NewReader(io.MultiReader(bytes.NewReader(t.raw), sec))
	if err != nil {
		return nil, fmt.Errorf("bus: reopening log at byte %d: %w", off, err)
	}
	t.base = off
	return r, nil
}

// seek repositions the tail at file offset off, a record boundary
// previously reported by next.
func (t *logTail) seek(off int64) error {
	r, err := t.reader(off)
	if err != nil {
		return err
	}
	t.r, t.good, t.broken = r, off, false
	return nil
}

// next returns the next tick record and the file offsets where it starts
// and ends, skipping snapshots; errCaughtUp when no complete record
// follows yet.
func (t *logTail) next() (*ecs.TickRecord, int64, int64, error) {
	if t.broken {
		if err := t.seek(t.good); err != nil {
			return nil, 0, 0, err
		}
	}
	for {
		start := t.good
		rec, err := t.r.Next()
		var torn *ticklog.TornTailError
		if err == io.EOF || errors.As(err, &torn) {
			t.broken, t.torn = true, nil
			if torn != nil {
				c := *torn
				c.Offset = t.fileOffset(c.Offset)
				t.torn = &c
			}
			return nil, 0, 0, errCaughtUp
		}
		var bad *ticklog.CorruptError
		if errors.As(err, &bad) {
			// Offsets in the file, not in the header+section stream.
			return nil, 0, 0, &ticklog.CorruptError{Offset: t.fileOffset(bad.Offset), Msg: bad.Msg}
		}
		if err != nil {
			return nil, 0, 0, err
		}
		t.good = t.base + (t.r.Offset() - int64(len(t.raw)))
		if rec.Tick != nil {
			return rec.Tick, start, t.good, nil
		}
	}
}

// fileOffset turns an offset in the current reader's stream (the header
// bytes, then the file from base) into a file offset.
func (t *logTail) fileOffset(off int64) int64 {
	if off < int64(len(t.raw)) {
		return off
	}
	return t.base + off - int64(len(t.raw))
}

// sync makes every byte of the file durable (fsync works on a read-only
// descriptor too): what the tail read from another process's buffers is
// then on stable storage before it is published.
func (t *logTail) sync() error { return t.f.Sync() }

func (t *logTail) close() error { return t.f.Close() }
