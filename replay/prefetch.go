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
	free  chan *ecs.TickRecord // tick records the caller has handed back
	done  chan struct{}
	wg    sync.WaitGroup
}

// fetched is one record as Next returned it, with the Reader's Offset
// after it.
type fetched struct {
	rec ticklog.Record
	off int64
	err error
}

// prefetchDepth is how many records may wait decoded: a decoded tick
// costs a fraction of simulating one, so two keep the caller fed.
const prefetchDepth = 2

// prefetch starts reading r, which the caller must not use until stop.
// Raw snapshot JSON is copied (the Reader reuses its buffer at its next
// read); tick records rotate between prefetchDepth+2 records.
func prefetch(r *ticklog.Reader) *prefetcher {
	p := &prefetcher{items: make(chan fetched, prefetchDepth), free: make(chan *ecs.TickRecord, prefetchDepth+2),
		done: make(chan struct{})}
	for range prefetchDepth + 2 {
		p.free <- new(ecs.TickRecord)
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		var t *ecs.TickRecord
		for {
			if t == nil {
				select {
				case t = <-p.free:
				case <-p.done:
					return
				}
			}
			rec, err := r.NextInto(t)
			if rec.Tick != nil {
				t = nil // the caller's until it hands it back
			}
			if rec.SnapshotJSON != nil {
				rec.SnapshotJSON = bytes.Clone(rec.SnapshotJSON)
			}
			select {
			case p.items <- fetched{rec: rec, off: r.Offset(), err: err}:
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

// release hands a tick record back for reuse once the caller is done
// with it (never blocks: at most all the records are handed back).
func (p *prefetcher) release(t *ecs.TickRecord) { p.free <- t }

// stop ends the reading goroutine and waits for it, so the Reader (and
// its file) is the caller's again.
func (p *prefetcher) stop() {
	close(p.done)
	p.wg.Wait()
}
