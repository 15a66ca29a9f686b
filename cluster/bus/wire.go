package bus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/tickecon/tickecon/events"
)

// WireVersion is the first byte of every binary event message payload
// (a CloudEvents payload starts with '[' or '{').
const WireVersion = 2

// EventID names one event of a session: its tick and its position among
// that tick's events. It is stable across republishes and replays, so a
// consumer can deduplicate by it.
type EventID struct {
	Tick  uint64
	Index uint32
}

// String renders the id as tick/index.
func (id EventID) String() string { return fmt.Sprintf("%d/%d", id.Tick, id.Index) }

// Less orders ids as the session produced them.
func (id EventID) Less(o EventID) bool {
	return id.Tick < o.Tick || id.Tick == o.Tick && id.Index < o.Index
}

// Batch is one event message: the events of one kind in a run of
// consecutive ticks (Tick to Last), in the order the ticks emitted them.
type Batch struct {
	Tick   uint64 // first tick the message covers
	Last   uint64 // last tick it covers (≥ Tick)
	Kind   events.Kind
	Events []events.Event
	IDs    []EventID // IDs[i] names Events[i]: its tick and position in it
	// Part and Parts say which of its tick range's messages this is (from
	// the HeaderPart header; 0 and 0 when decoded from a bare payload).
	Part, Parts int
}

// ID returns the id of the batch's i-th event.
func (b *Batch) ID(i int) EventID { return b.IDs[i] }

// ErrPayload is wrapped by every payload decoding error.
var ErrPayload = errors.New("bus: bad event payload")

// The binary payload (Encoding Binary; the default is CloudEvents JSON,
// cloudevents.go) carries events in events' binary form, the one event codec
// the replay log uses too (events.AppendBinary). Each event's Tick is its
// id's, so it is not repeated.
//
//	version u8 | uvarint first tick | uvarint last-first | kind u8 |
//	uvarint n | n × (uvarint tick-first | uvarint index | event)
//
// Version 1 encoded events by reflection with a hash of the Go struct's
// layout; version 2 has a fixed, documented layout that any language can
// read (the layout is in events/binary.go).

// AppendBatch appends the payload of one message to dst: evs, all of
// kind, from ticks first to last; ids[i] names evs[i], and evs[i].Tick
// must be ids[i].Tick.
func AppendBatch(dst []byte, first, last uint64, kind events.Kind, evs []events.Event, ids []EventID) ([]byte, error) {
	if len(ids) != len(evs) || last < first {
		return dst, fmt.Errorf("bus: %d events, %d ids, ticks %d..%d", len(evs), len(ids), first, last)
	}
	dst = append(dst, WireVersion)
	dst = binary.AppendUvarint(dst, first)
	dst = binary.AppendUvarint(dst, last-first)
	dst = append(dst, byte(kind))
	dst = binary.AppendUvarint(dst, uint64(len(evs)))
	for i := range evs {
		if ids[i].Tick < first || ids[i].Tick > last || evs[i].Tick != ids[i].Tick {
			return dst, fmt.Errorf("bus: event %v (tick %d) outside ticks %d..%d or not at its id's tick", ids[i], evs[i].Tick, first, last)
		}
		dst = binary.AppendUvarint(dst, ids[i].Tick-first)
		dst = binary.AppendUvarint(dst, uint64(ids[i].Index))
		dst = events.AppendBinary(dst, &evs[i])
	}
	return dst, nil
}

// DecodeBatch decodes a payload written by AppendBatch into b, reusing
// b's slices. It never panics and allocates no more than the payload's
// length justifies; errors wrap ErrPayload.
func DecodeBatch(p []byte, b *Batch) error {
	d := wdec{b: p}
	if ver := d.byte(); ver != WireVersion {
		return fmt.Errorf("%w: version %d, this build reads %d", ErrPayload, ver, WireVersion)
	}
	b.Tick = d.u()
	span := d.u()
	b.Last = b.Tick + span
	if b.Last < b.Tick {
		d.fail()
	}
	b.Kind = events.Kind(d.byte())
	n := d.u()
	if d.err != nil || n > uint64(len(d.b)/events.MinBinaryLen) {
		return fmt.Errorf("%w: truncated, bad tick range or bad event count", ErrPayload)
	}
	b.Events = b.Events[:0]
	b.IDs = b.IDs[:0]
	for range n {
		dt, ix := d.u(), d.u()
		if dt > span || ix > math.MaxUint32 {
			d.fail()
		}
		b.IDs = append(b.IDs, EventID{Tick: b.Tick + dt, Index: uint32(ix)})
		b.Events = append(b.Events, events.Event{Tick: b.IDs[len(b.IDs)-1].Tick})
		if d.err == nil {
			d.b, d.err = events.DecodeBinary(d.b, &b.Events[len(b.Events)-1])
		}
		if d.err != nil {
			return fmt.Errorf("%w: event %d: %v", ErrPayload, len(b.Events)-1, d.err)
		}
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrPayload, len(d.b))
	}
	return nil
}

// errShort marks a header field that is truncated or out of range.
var errShort = errors.New("truncated or out-of-range field")

// wdec reads a payload's header and event ids; events go to
// events.DecodeBinary.
type wdec struct {
	b   []byte
	err error
}

func (d *wdec) fail() {
	if d.err == nil {
		d.err = errShort
	}
	d.b = nil
}

func (d *wdec) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *wdec) u() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}
