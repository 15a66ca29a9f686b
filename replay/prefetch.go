package replay

import (
	"bytes"
	"sync"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// prefetcher reads a log's records on its own goroutine, a few ahead of
// the caller, so that decoding tick N+1 overlaps simulating tick N. It
// only reads: records arrive in log order, each with the error the Reader
// gave at that point, and it stops at the first error (io.EOF included),
// so the caller sees exactly the sequence Next would give. The world is
// stepped by the caller alone; nothing here decides an order.
type prefetcher struct {
	items chan fetched
	free  chan *slot // tick slots the caller has handed back
	done  chan struct{}
	wg    sync.WaitGroup
}

// slot is a tick record the prefetcher decodes into and the copy of its
// raw events (the Reader reuses its buffer at its next read).
type slot struct {
	tick ecs.TickRecord
	raw  []byte
}

// fetched is one record as Next returned it, with the Reader's Offset
// after it, and the slot holding its tick (nil for a snapshot).
type fetched struct {
	rec  ticklog.Record
	slot *slot
	off  int64
	err  error
}

// prefetchDepth is how many records may wait decoded: a decoded tick
// costs a fraction of simulating one, so two keep the caller fed.
const prefetchDepth = 2

// prefetch starts reading r, which the caller must not use until stop.
// Raw snapshot JSON is copied; tick records and their raw events rotate
// between prefetchDepth+2 slots (one being read, prefetchDepth waiting,
// one the caller's), whose buffers grow only as far as a record's bytes.
func prefetch(r *ticklog.Reader) *prefetcher { return prefetchSlots(r, 0) }

// prefetchSlots is prefetch for a caller that keeps up to extra more
// ticks' slots before it hands them back.
func prefetchSlots(r *ticklog.Reader, extra int) *prefetcher {
	n := prefetchDepth + 2 + extra
	p := &prefetcher{items: make(chan fetched, prefetchDepth), free: make(chan *slot, n),
		done: make(chan struct{})}
	for range n {
		p.free <- new(slot)
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		var s *slot
		for {
			if s == nil {
				select {
				case s = <-p.free:
				case <-p.done:
					return
				}
			}
			rec, err := r.NextInto(&s.tick)
			var owner *slot
			if rec.Tick != nil {
				if rec.EventsBinary != nil {
					s.raw = append(s.raw[:0], rec.EventsBinary...)
					if s.raw == nil {
						s.raw = []byte{} // raw, with no bytes: still not decoded
					}
					rec.EventsBinary = s.raw
				}
				owner, s = s, nil // the caller's until it hands it back
			}
			if rec.SnapshotJSON != nil {
				rec.SnapshotJSON = bytes.Clone(rec.SnapshotJSON)
			}
			select {
			case p.items <- fetched{rec: rec, slot: owner, off: r.Offset(), err: err}:
			case <-p.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return p
}

// next returns the next record. After one with an error it must not be
// called again.
func (p *prefetcher) next() fetched { return <-p.items }

// release hands a tick's slot back for reuse once the caller is done
// with it (never blocks: at most all the slots are handed back).
func (p *prefetcher) release(s *slot) { p.free <- s }

// stop ends the reading goroutine and waits for it, so the Reader (and
// its file) is the caller's again.
func (p *prefetcher) stop() {
	close(p.done)
	p.wg.Wait()
}
