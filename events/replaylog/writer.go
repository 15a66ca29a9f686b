package replaylog

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"

	"github.com/tickecon/tickecon/ecs"
)

// Options say when a Writer makes records durable and takes snapshots.
type Options struct {
	// SyncEvery: 1 fsyncs after every tick, N after every N ticks, 0 never
	// (the OS decides; Close still syncs). Durable reports what is synced.
	SyncEvery int
	// SnapshotEvery: with Record, a snapshot after every N-th tick (0: none),
	// so replay can start near a tick of interest.
	SnapshotEvery uint64
}

// Writer appends records to a log file.
type Writer struct {
	f         *os.File
	bw        *bufio.Writer
	opts      Options
	enc       enc
	lastTick  uint64
	hasTick   bool
	durable   uint64
	hasDur    bool
	sinceSync int
	err       error
}

// Create starts a new log at path (truncating any file there) for a
// session of the given content.
func Create(path string, content *ecs.Content, opts Options) (*Writer, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, bw: bufio.NewWriterSize(f, 1<<16), opts: opts}
	if _, err := w.bw.Write(encodeHeader(raw, content.Hash())); err != nil {
		f.Close()
		return nil, err
	}
	if err := w.syncNow(); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// Recovered says what OpenAppend found.
type Recovered struct {
	Header    Header
	LastTick  uint64 // last complete tick (valid if HasTick)
	HasTick   bool
	Truncated int64 // bytes of torn tail removed (0: the log was clean)
	Snapshot  *ecs.Snapshot
	Records   []Record // every good record, in order (ticks and snapshots)
}

// OpenAppend opens an existing log to go on recording: it reads every
// record, cuts off a torn tail (a crash mid-append), and positions the
// writer after the last good record. Damage before the tail is an error:
// nothing is truncated then.
func OpenAppend(path string, opts Options) (*Writer, *Recovered, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	rec := &Recovered{Header: r.Header()}
	for {
		x, err := r.Next()
		if err == io.EOF {
			break
		}
		var torn *TornTailError
		if errors.As(err, &torn) {
			st, serr := f.Stat()
			if serr != nil {
				f.Close()
				return nil, nil, serr
			}
			rec.Truncated = st.Size() - torn.Offset
			if err := f.Truncate(torn.Offset); err != nil {
				f.Close()
				return nil, nil, err
			}
			break
		}
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		rec.Records = append(rec.Records, x)
		if x.Snapshot != nil {
			rec.Snapshot = x.Snapshot
		}
	}
	rec.LastTick, rec.HasTick = r.LastTick()
	if _, err := f.Seek(r.Offset(), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	w := &Writer{f: f, bw: bufio.NewWriterSize(f, 1<<16), opts: opts,
		lastTick: rec.LastTick, hasTick: rec.HasTick}
	if err := w.syncNow(); err != nil { // the truncation itself is durable
		f.Close()
		return nil, nil, err
	}
	return w, rec, nil
}

func (w *Writer) frame(typ byte, payload []byte) error {
	var hdr [5]byte
	binary.LittleEndian.PutUint32(hdr[:], uint32(len(payload)+1))
	hdr[4] = typ
	crc := crc32.Update(crc32.Checksum(hdr[4:], castagnoli), castagnoli, payload)
	if len(payload)+1 > MaxRecord {
		return fmt.Errorf("replay log: record of %d bytes exceeds %d", len(payload)+1, MaxRecord)
	}
	w.bw.Write(hdr[:])
	w.bw.Write(payload)
	var c [4]byte
	binary.LittleEndian.PutUint32(c[:], crc)
	_, err := w.bw.Write(c[:])
	return err
}

// Append writes one tick record. Ticks must follow each other.
func (w *Writer) Append(r *ecs.TickRecord) error {
	if w.err != nil {
		return w.err
	}
	if w.hasTick && r.Tick != w.lastTick+1 {
		return fmt.Errorf("replay log: tick %d appended after tick %d", r.Tick, w.lastTick)
	}
	w.enc.b = w.enc.b[:0]
	w.enc.tick(r)
	if err := w.frame(typeTick, w.enc.b); err != nil {
		return w.fail(err)
	}
	w.lastTick, w.hasTick = r.Tick, true
	w.sinceSync++
	if w.opts.SyncEvery > 0 && w.sinceSync >= w.opts.SyncEvery {
		return w.Sync()
	}
	return nil
}

// AppendSnapshot writes a snapshot record (taken after the last tick).
func (w *Writer) AppendSnapshot(s *ecs.Snapshot) error {
	if w.err != nil {
		return w.err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return w.fail(err)
	}
	return w.fail(w.frame(typeSnapshot, raw))
}

func (w *Writer) fail(err error) error {
	if err != nil && w.err == nil {
		w.err = err
	}
	return err
}

// Sync flushes and fsyncs: every tick appended so far becomes durable.
func (w *Writer) Sync() error {
	if w.err != nil {
		return w.err
	}
	return w.fail(w.syncNow())
}

func (w *Writer) syncNow() error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	w.sinceSync = 0
	w.durable, w.hasDur = w.lastTick, w.hasTick
	return nil
}

// Durable returns the last tick known to be on stable storage.
func (w *Writer) Durable() (uint64, bool) { return w.durable, w.hasDur }

// Err returns the first error the writer met (also from Record).
func (w *Writer) Err() error { return w.err }

// Close syncs and closes the file.
func (w *Writer) Close() error {
	err := w.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Record subscribes the writer to world: every committed tick is appended,
// and a snapshot follows every SnapshotEvery-th tick. Errors stop the
// recording and are reported by Err.
func (w *Writer) Record(world *ecs.World) {
	world.Subscribe(func(r *ecs.TickRecord) {
		if w.err != nil {
			return
		}
		if w.Append(r) != nil {
			return
		}
		if n := w.opts.SnapshotEvery; n > 0 && (r.Tick+1)%n == 0 {
			s, err := world.TakeSnapshot()
			if err != nil {
				w.fail(err)
				return
			}
			w.AppendSnapshot(s)
		}
	})
}
