package ticklog

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
	// Setup is written in the header by Create: the systems the session
	// runs with (zero: the core systems; systems.CoreSetup,
	// systems.CommerceSetup). Verifiers rebuild the world from it, so it
	// must match the recording world: systems.CoreSetup() for
	// systems.Install, systems.CommerceSetup(cfg) for
	// systems.InstallCommerce(w, cfg); otherwise the log does not verify.
	Setup ecs.Setup
	// wrapFile, if set, wraps the log file before anything is written to
	// it: tests inject faults or simulate power loss this way (set through
	// WithWrapFile in export_test.go; not part of the API).
	wrapFile func(*os.File) File
}

// File is what a Writer writes to: an *os.File, or any other File given
// to NewWriter.
type File interface {
	io.Writer
	Sync() error
	Close() error
}

// Writer appends records to a log file. Its first error is kept: every
// later call (Append, AppendSnapshot, Sync, Close) returns it, so a failed
// write is never silent.
type Writer struct {
	f         File
	bw        *bufio.Writer
	opts      Options
	enc       enc
	lastTick  uint64
	hasTick   bool
	durable   uint64
	hasDur    bool
	sinceSync int
	err       error
	closed    bool
	// A record's frame around its payload: fields, since arrays on the
	// stack would escape through bufio.Writer.Write (two allocations a
	// tick).
	hdr [recordHeader + 1]byte
	crc [4]byte
}

func newWriter(f *os.File, opts Options) *Writer {
	var ff File = f
	if opts.wrapFile != nil {
		ff = opts.wrapFile(f)
	}
	return &Writer{f: ff, bw: bufio.NewWriterSize(ff, 1<<16), opts: opts}
}

// Create starts a new log at path for a session of the given content,
// replacing any file there (CreateNew refuses one). The header is written
// to a temporary file in the same folder, synced and renamed over path, so
// path never holds a log without a complete header. A folder at path is
// an *ExistsError.
func Create(path string, content *ecs.Content, opts Options) (*Writer, error) {
	return create(path, content, opts, true)
}

func create(path string, content *ecs.Content, opts Options, replace bool) (*Writer, error) {
	if err := checkTarget(path, replace); err != nil {
		return nil, err // before a temporary file exists to clean up
	}
	f, err := createTemp(path, ".tmp*")
	if err != nil {
		return nil, err
	}
	var ff File = f
	if opts.wrapFile != nil {
		ff = opts.wrapFile(f)
	}
	w, err := NewWriter(ff, content, opts)
	if err == nil {
		err = place(f.Name(), path, replace)
	}
	if err != nil {
		ff.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return w, nil
}

// NewWriter starts a new log on f, any File (a buffer to download from a
// browser, a network stream, a file opened by the caller): it writes the
// header and syncs. Create is NewWriter on a fresh temporary file renamed
// into place; use it for files on disk.
func NewWriter(f File, content *ecs.Content, opts Options) (*Writer, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	hdr, err := encodeHeader(raw, content.Hash(), opts.Setup)
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, bw: bufio.NewWriterSize(f, 1<<16), opts: opts}
	if _, err := w.bw.Write(hdr); err != nil {
		return nil, err
	}
	if err := w.syncNow(); err != nil {
		return nil, err
	}
	return w, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
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
// record, cuts off a torn tail (a crash mid-append, where provably nothing
// complete follows), and positions the writer after the last good record.
// Any other damage (a *CorruptError, *LimitError, *VersionError, ...) is
// returned and the file is left exactly as it was, and so is a log of an
// older version that this build reads but does not append to (a
// *VersionError: records of two versions in one file would be misread by
// the older build). The header's Setup is kept; opts.Setup is ignored.
func OpenAppend(path string, opts Options) (*Writer, *Recovered, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	r, err := NewReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if v := r.Header().Version; v != Version {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, &VersionError{Found: v, Supported: Version})
	}
	rec := &Recovered{Header: r.Header()}
	var torn *TornTailError
	for {
		x, err := r.Next()
		if err == io.EOF {
			break
		}
		if errors.As(err, &torn) {
			break
		}
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		rec.Records = append(rec.Records, x)
		if x.Snapshot != nil {
			rec.Snapshot = x.Snapshot
		}
	}
	if torn != nil {
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		rec.Truncated = st.Size() - torn.Offset
		if err := f.Truncate(torn.Offset); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	rec.LastTick, rec.HasTick = r.LastTick()
	if _, err := f.Seek(r.Offset(), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	opts.Setup = rec.Header.Setup
	w := newWriter(f, opts)
	w.lastTick, w.hasTick = rec.LastTick, rec.HasTick
	if err := w.syncNow(); err != nil { // the truncation itself is durable
		w.f.Close()
		return nil, nil, err
	}
	return w, rec, nil
}

func (w *Writer) frame(typ byte, payload []byte) error {
	if len(payload)+1 > MaxRecord {
		return fmt.Errorf("replay log: record of %d bytes exceeds %d", len(payload)+1, MaxRecord)
	}
	hdr := w.hdr[:]
	binary.LittleEndian.PutUint32(hdr, uint32(len(payload)+1))
	binary.LittleEndian.PutUint32(hdr[4:], lengthCheck(hdr[:4]))
	hdr[recordHeader] = typ
	crc := crc32.Update(crc32.Checksum(hdr[recordHeader:], castagnoli), castagnoli, payload)
	w.bw.Write(hdr)
	w.bw.Write(payload)
	binary.LittleEndian.PutUint32(w.crc[:], crc)
	_, err := w.bw.Write(w.crc[:]) // bufio keeps the first error: this returns it
	return err
}

// Append writes one tick record. Ticks must follow each other. A tick out
// of order or over DefaultLimits is refused with nothing written; a write
// error is kept and returned by every later call.
func (w *Writer) Append(r *ecs.TickRecord) error {
	if w.err != nil {
		return w.err
	}
	if w.hasTick && r.Tick != w.lastTick+1 {
		return fmt.Errorf("replay log: tick %d appended after tick %d", r.Tick, w.lastTick)
	}
	if !w.hasTick && r.Tick != 0 {
		// A log replays from its content at tick 0: one that starts later
		// could never verify.
		return &TickGapError{Next: 0, Got: r.Tick}
	}
	if le := DefaultLimits.checkTick(len(r.Commands), len(r.Intents), len(r.Events)); le != nil {
		return le // nothing of the record was written: the log stays good
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
	if int64(len(raw)) > DefaultLimits.Snapshot {
		return &LimitError{Offset: -1, What: "snapshot bytes", Count: uint64(len(raw)), Limit: uint64(DefaultLimits.Snapshot)}
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

// Close syncs and closes the file. It returns the writer's first error,
// if any (a recording that stopped early says so here); closing twice
// returns that error again, or nil.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	err := w.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return w.fail(err)
}

// Record subscribes the writer to world: every committed tick is appended,
// and a snapshot follows every SnapshotEvery-th tick. Call it before the
// world's first Step (or, after OpenAppend, on the resumed world): a world
// whose next tick is not the log's next is a *TickGapError at once, as the
// log could never verify. The first error stops the recording; Err, every
// later call and Close return it, and so does the world's Err (as a
// *ecs.SubscriberError).
func (w *Writer) Record(world *ecs.World) {
	next := uint64(0)
	if w.hasTick {
		next = w.lastTick + 1
	}
	if got := world.NextTick(); got != next && w.err == nil {
		w.fail(&TickGapError{Next: next, Got: got})
		return
	}
	world.Subscribe(ecs.EveryTick, w.Subscriber(world.TakeSnapshot))
}

// TickGapError is a tick that cannot follow the log's last: a world
// attached to a new log after its first Step, or to a resumed log at
// another tick.
type TickGapError struct {
	Next uint64 // the tick the log needs next
	Got  uint64 // the tick offered
}

// Error implements error.
func (e *TickGapError) Error() string {
	if e.Next == 0 {
		return fmt.Sprintf("replay log: a log starts at tick 0, and the world is at tick %d (call Record before the world's first Step)", e.Got)
	}
	return fmt.Sprintf("replay log: the log goes on at tick %d, and the world is at tick %d", e.Next, e.Got)
}

// Subscriber is Record for callers that subscribe themselves (e.g. before
// their world exists): the returned function appends each tick it is given
// and, after every SnapshotEvery-th tick, the snapshot snap returns (snap
// may be nil, or return nil, for none). Errors behave as with Record:
// the function returns the writer's first error, which cancels an
// ecs.World subscription. Subscribe it with ecs.EveryTick.
func (w *Writer) Subscriber(snap func() (*ecs.Snapshot, error)) ecs.Subscriber {
	return func(r *ecs.TickRecord) error {
		if w.err != nil {
			return w.err
		}
		if err := w.Append(r); err != nil {
			return w.fail(err) // a tick missing from the log ends the recording
		}
		if n := w.opts.SnapshotEvery; n > 0 && (r.Tick+1)%n == 0 && snap != nil {
			s, err := snap()
			if err != nil {
				return w.fail(err)
			}
			if s != nil {
				return w.fail(w.AppendSnapshot(s))
			}
		}
		return nil
	}
}
