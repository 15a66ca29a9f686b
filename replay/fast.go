package replay

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/ticklog"
)

// verifyFast verifies a log from its start on three goroutines: one reads
// and decodes the inputs (the prefetcher, leaving the recorded events in
// their binary form), one steps the world and checks each tick's checksum,
// commands, intents and snapshots, and one compares each replayed tick's
// events with the recorded bytes (sameEvents) while the world steps on.
// The events change hands without a copy: after each tick the world gets
// an emptied buffer and its tick's events go to the comparer.
//
// It answers (ok) only when everything agrees to the log's end or to a
// torn tail: then the Result is the one Verify in order gives (the same
// counts of ticks, events and snapshots). On anything else — a difference,
// damage, a log that does not start at tick 0 — it gives up (ok false) and
// the caller verifies in order, which finds and explains the first
// difference exactly as before, at the cost of reading up to it twice. No
// order here depends on scheduling: which goroutine finishes first only
// decides how soon a failed comparison is noticed, never the answer.
//
// read, if not nil, is Options.Read.
func verifyFast(src Source, newWorld func() *ecs.World, read func(offset int64)) (*Result, bool) {
	r, c, err := src()
	if err != nil {
		return nil, false
	}
	defer c.Close()
	r.SetRawSnapshots(true)
	r.SetRawEvents(true)
	res := &Result{Header: r.Header()}
	if newWorld == nil {
		if newWorld, err = res.Header.Setup.Worlds(); err != nil {
			return nil, false
		}
	}
	w := newWorld()
	if w.NextTick() != 0 {
		return nil, false
	}
	recorded := core.Of(w).Events()
	pf := prefetchSlots(r, compareDepth+1)
	defer pf.stop()
	cm := startComparer(pf)
	defer cm.stop()
	var last uint64
	var hasLast bool
	for !cm.failed.Load() {
		f := pf.next()
		if f.err == io.EOF {
			break
		}
		if f.err != nil {
			// Declared here: taking its address for errors.As moves it
			// to the heap, which would cost an allocation per record.
			var torn *ticklog.TornTailError
			if errors.As(f.err, &torn) {
				res.TornTail = torn
				break
			}
			return nil, false
		}
		if t := f.rec.Tick; t != nil {
			last, hasLast = t.Tick, true
			if t.Tick != w.NextTick() {
				return nil, false
			}
			got, err := StepRecorded(w, t)
			if err != nil || got.Checksum != t.Checksum || len(got.Events) != f.rec.EventCount ||
				firstDiff("commands", t.Commands, got.Commands) != nil || firstDiff("intents", t.Intents, got.Intents) != nil {
				return nil, false
			}
			evs := *recorded
			*recorded = <-cm.spares // the world records its next tick in another buffer
			res.Ticks++
			res.Events += len(evs)
			cm.work <- compareItem{slot: f.slot, raw: f.rec.EventsBinary, tick: t.Tick, evs: evs}
			if read != nil {
				read(f.off)
			}
			continue
		}
		// A snapshot right after the tick just replayed, equal to the
		// replayed state (as Verify in order checks it).
		if !hasLast || last+1 != w.NextTick() {
			return nil, false
		}
		act, err := w.TakeSnapshot()
		if err != nil || !sameSnapshotJSON(f.rec.SnapshotJSON, act) {
			return nil, false
		}
		res.Snapshots++
	}
	if !cm.wait() {
		return nil, false
	}
	return res, true
}

// compareDepth is how many replayed ticks may wait for the comparer: a
// few, so that neither the world nor the comparer waits for the other's
// slower ticks.
const compareDepth = 3

// compareItem is one replayed tick for the comparer: the recorded events'
// bytes (in the slot, which the comparer hands back to the prefetcher)
// and the replayed events (whose buffer it hands back to the world).
type compareItem struct {
	slot *slot
	raw  []byte
	tick uint64
	evs  []events.Event
}

// comparer compares replayed events with recorded ones on its own
// goroutine. failed turns true at the first difference and stays true.
type comparer struct {
	work   chan compareItem
	spares chan []events.Event // emptied event buffers for the world
	failed atomic.Bool
	once   sync.Once
	done   chan struct{}
}

// startComparer starts comparing; the ticks' slots go back to pf.
func startComparer(pf *prefetcher) *comparer {
	cm := &comparer{work: make(chan compareItem, compareDepth), spares: make(chan []events.Event, compareDepth+1),
		done: make(chan struct{})}
	// One buffer per place a tick's events can be: queued, being
	// compared, or waiting to be the world's next; each grows to the
	// busiest tick's events and is reused after that.
	for range compareDepth + 1 {
		cm.spares <- nil
	}
	go func() {
		defer close(cm.done)
		for it := range cm.work {
			if !cm.failed.Load() && !sameEvents(it.raw, it.tick, it.evs) {
				cm.failed.Store(true)
			}
			pf.release(it.slot)
			cm.spares <- it.evs[:0]
		}
	}()
	return cm
}

// wait compares what is queued and reports whether every tick agreed.
func (cm *comparer) wait() bool {
	cm.stop()
	return !cm.failed.Load()
}

// stop ends the comparer once it has handed back what is queued (it
// never blocks: the prefetcher's free list and spares hold every slot
// and buffer).
func (cm *comparer) stop() {
	cm.once.Do(func() { close(cm.work) })
	<-cm.done
}

// sameEvents reports whether the replayed events evs, of tick, are the
// recorded ones whose binary form is raw: each has the tick, and their
// binary forms are exactly raw, back to back. The binary form holds every
// field of an event but Tick (TestCodecCoversEveryField) and decodes back
// to the same event, so equal bytes are equal events as CompareTick finds
// them. false proves nothing (a log may encode a field in more bytes than
// needed): Verify then compares in order.
func sameEvents(raw []byte, tick uint64, evs []events.Event) bool {
	if raw == nil {
		return false
	}
	var buf [256]byte // zeroed once, not per event
	for i := range evs {
		ev := &evs[i]
		if ev.Tick != tick {
			return false
		}
		var ok bool
		if raw, ok = matchEvent(raw, ev, &buf); !ok {
			return false
		}
	}
	return len(raw) == 0
}

// matchEvent reports whether b starts with events.AppendBinary's form of
// ev, and returns the bytes after it. It writes that form into buf and
// compares the bytes at once, which costs less than decoding b or
// comparing field by field: buf's 256 bytes hold the longest form (3 + 14
// uvarints of at most 10 bytes, without the name), so a uint8 position
// needs no bounds checks.
func matchEvent(b []byte, ev *events.Event, buf *[256]byte) ([]byte, bool) {
	buf[0], buf[1], buf[2] = byte(ev.Kind), byte(ev.Reason), byte(ev.Of)
	p := putU(buf, 3, uint64(ev.Subject))
	p = putU(buf, p, uint64(ev.Object))
	p = putU(buf, p, uint64(ev.Till))
	p = putU(buf, p, uint64(ev.Ref))
	p = putU(buf, p, uint64(ev.Item))
	p = putU(buf, p, uint64(ev.Currency))
	p = putU(buf, p, zigzag(ev.Qty))
	p = putU(buf, p, zigzag(ev.Amount))
	p = putU(buf, p, zigzag(ev.Rest))
	p = putU(buf, p, zigzag(ev.Size))
	p = putU(buf, p, ev.Request)
	p = putU(buf, p, ev.At)
	p = putU(buf, p, uint64(ev.Ticket))
	p = putU(buf, p, uint64(len(ev.Name)))
	n := int(p)
	if len(b) < n+len(ev.Name) || string(b[:n]) != string(buf[:n]) || len(ev.Name) > 0 && string(b[n:n+len(ev.Name)]) != ev.Name {
		return nil, false
	}
	return b[n+len(ev.Name):], true
}

// putU writes v's uvarint form (as binary.AppendUvarint) at buf[p:] and
// returns the position after it.
func putU(buf *[256]byte, p uint8, v uint64) uint8 {
	for v >= 0x80 {
		buf[p] = byte(v) | 0x80
		v >>= 7
		p++
	}
	buf[p] = byte(v)
	return p + 1
}

// zigzag is the uvarint that binary.AppendVarint writes for x.
func zigzag(x int64) uint64 { return uint64(x<<1) ^ uint64(x>>63) }
