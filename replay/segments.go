package replay

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// Verification in segments. A log's snapshots cut it into stretches that
// can be replayed side by side: segment i+1 starts from a world restored
// from the snapshot that ends segment i. The result is the serial one:
//
//   - segment i stops at its last snapshot only if everything agreed up
//     to it and the snapshot's JSON is byte for byte the replayed state's
//     (then the restored world is that state, as Options.From relies on);
//     otherwise it goes on past it exactly as a serial replay would, to
//     the end, and later segments are cancelled and ignored;
//   - the segments' results are taken in log order, each only once every
//     segment before it has ended cleanly, so the first mismatch or error
//     reported is the one a serial replay meets first;
//   - a segment's reader picks up at its snapshot as if it had read all
//     the log before it (ticklog.Reader.Seek), so damage reads as the same
//     error at the same offset.
//
// Each segment has its own world and reader: memory is bounded by the
// number running at once (maxSegments), not by the log's length.

// segment is one stretch of a log: from the snapshot record at start (or
// from the log's first record, start < 0) to the snapshot record at stop,
// which it compares (or to the end of the log, stop < 0).
type segment struct {
	start, stop int64
	// Filled by work:
	res   Result
	clean bool  // stopped at stop with everything agreeing
	err   error // as Verify would return it
	prog  []tickOffset
	done  chan struct{}
}

type tickOffset struct {
	tick uint64
	off  int64
}

// segmentsOff turns segments off (tests compare both ways; set only
// while no Verify runs).
var segmentsOff bool

// minSegmentBytes is the least a segment reads (tests lower it): below
// that, restoring a snapshot costs more than replaying the stretch saves.
var minSegmentBytes int64 = 1 << 20

// segmentPerSnapshot: a snapshot's JSON decodes several times slower per
// byte than ticks replay, so a segment from a snapshot reads at least this
// many times the snapshot record's bytes.
var segmentPerSnapshot int64 = 8

// maxSegments bounds the segments replaying at once: one per processor,
// and one more, so that a processor is never idle while the segment ahead
// of the merge finishes (each holds a world and a record buffer).
func maxSegments() int { return runtime.GOMAXPROCS(0) + 1 }

// plan returns the segments of the log read by c (nil: replay it serially,
// because c is not a file, the log has no snapshot worth starting from, or
// only one processor is available). first is the offset of the first
// record.
func plan(c io.Closer, first int64) []*segment {
	f, ok := c.(*os.File)
	if !ok || segmentsOff || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	size := st.Size()
	snaps := ticklog.SnapshotOffsets(f, first, size)
	var segs []*segment
	prev, from, need := int64(-1), first, minSegmentBytes
	for _, off := range snaps {
		// A segment from the snapshot at off reads at least
		// segmentPerSnapshot times that snapshot's bytes.
		var l [4]byte
		if _, err := f.ReadAt(l[:], off); err != nil {
			break
		}
		least := max(minSegmentBytes, segmentPerSnapshot*int64(binary.LittleEndian.Uint32(l[:])))
		if off-from < need || size-off < least {
			continue
		}
		segs = append(segs, &segment{start: prev, stop: off})
		prev, from, need = off, off, least
	}
	if segs == nil {
		return nil
	}
	return append(segs, &segment{start: prev, stop: -1})
}

// verifySegments replays segs side by side and merges their results in
// log order into res.
func verifySegments(src Source, newWorld func() *ecs.World, opts *Options, res *Result, segs []*segment) (*Result, error) {
	var cancel atomic.Bool
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxSegments())
	for _, s := range segs {
		s.done = make(chan struct{})
	}
	wg.Add(1)
	go func() { // starts the segments in log order as slots free up
		defer wg.Done()
		for _, s := range segs {
			slots <- struct{}{}
			if cancel.Load() {
				close(s.done)
				<-slots
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				defer close(s.done)
				s.work(src, newWorld, opts, &cancel)
			}()
		}
	}()
	defer wg.Wait() // every segment's file is closed before Verify returns
	for _, s := range segs {
		<-s.done
		res.Ticks += s.res.Ticks
		res.Events += s.res.Events
		res.Snapshots += s.res.Snapshots
		for _, p := range s.prog {
			opts.Progress(p.tick, p.off)
		}
		if s.err != nil || !s.clean {
			cancel.Store(true)
			res.Mismatch, res.TornTail = s.res.Mismatch, s.res.TornTail
			return res, s.err
		}
	}
	return res, errors.New("replay: internal error: the last segment ended at a snapshot") // unreachable: the last has no stop
}

// work replays one segment.
func (s *segment) work(src Source, newWorld func() *ecs.World, opts *Options, cancel *atomic.Bool) {
	r, c, err := src()
	if err != nil {
		s.err = err
		return
	}
	defer c.Close()
	r.SetRawSnapshots(true)
	w := newWorld()
	if s.start >= 0 {
		if s.err = restoreAt(r, w, s.start); s.err != nil {
			return
		}
	}
	v := &run{w: w, names: w.StageNames(), opts: opts, res: &s.res, cancel: cancel}
	if opts.Progress != nil {
		v.progress = func(tick uint64, off int64) { s.prog = append(s.prog, tickOffset{tick, off}) }
	}
	s.clean, s.err = v.loop(r, s.stop)
	if s.err == nil && !s.clean {
		v.finish()
	}
}

// restoreAt restores w from the snapshot record at off and leaves r at
// the record after it, as if r had read the log up to there (the tick
// before the snapshot's the last read).
func restoreAt(r *ticklog.Reader, w *ecs.World, off int64) error {
	if err := r.Seek(off, 0, false); err != nil {
		return err
	}
	rec, err := r.Next()
	if err != nil {
		return err
	}
	snap, err := rec.DecodeSnapshot()
	if err != nil {
		return err
	}
	if snap == nil || snap.Tick == 0 {
		return fmt.Errorf("replay: no snapshot after a tick at byte %d", off)
	}
	if err := w.Restore(snap); err != nil {
		return err
	}
	return r.Seek(r.Offset(), snap.Tick-1, true)
}
