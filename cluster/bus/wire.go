package bus

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"reflect"
	"strings"

	"github.com/tickecon/tickecon/events"
)

// WireVersion is the first byte of every event message payload.
const WireVersion = 1

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

// The payload encodes events.Event generically, field by field in
// declaration order (unsigned as uvarint, signed as zigzag varint, bool
// as a byte, string as length + bytes; nested structs flattened), so a
// field added to events.Event is carried without touching this file. A
// hash of the field list travels in every payload: a consumer built with
// another layout gets an error instead of misread fields.
//
//	version u8 | schema u32 | uvarint first tick | uvarint last-first |
//	kind u8 | uvarint n | n × (uvarint tick-first | uvarint index | fields…)
type leaf struct {
	index []int
	kind  reflect.Kind
}

var (
	leaves    []leaf
	schema    uint32
	schemaErr error
	// minEventBytes is the least bytes an encoded event takes (one per
	// leaf plus its tick and index): decoding bounds counts by it.
	minEventBytes int
)

func init() {
	var names []string
	var walk func(t reflect.Type, prefix []int, path string)
	walk = func(t reflect.Type, prefix []int, path string) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int(nil), prefix...), i)
			p := path + f.Name
			switch k := f.Type.Kind(); k {
			case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.String:
				leaves = append(leaves, leaf{index: idx, kind: k})
				names = append(names, p+":"+k.String())
			case reflect.Struct:
				walk(f.Type, idx, p+".")
			default:
				schemaErr = fmt.Errorf("bus: events.Event field %s has type %s, which the wire format does not carry", p, f.Type)
			}
		}
	}
	walk(reflect.TypeFor[events.Event](), nil, "")
	h := fnv.New32a()
	h.Write([]byte(strings.Join(names, ";")))
	schema = h.Sum32()
	minEventBytes = len(leaves) + 2
}

// Schema returns the hash of the events.Event layout this build encodes.
func Schema() uint32 { return schema }

// AppendBatch appends the payload of one message to dst: evs, all of
// kind, from ticks first to last; ids[i] names evs[i].
func AppendBatch(dst []byte, first, last uint64, kind events.Kind, evs []events.Event, ids []EventID) ([]byte, error) {
	if schemaErr != nil {
		return dst, schemaErr
	}
	if len(ids) != len(evs) || last < first {
		return dst, fmt.Errorf("bus: %d events, %d ids, ticks %d..%d", len(evs), len(ids), first, last)
	}
	dst = append(dst, WireVersion)
	dst = binary.LittleEndian.AppendUint32(dst, schema)
	dst = binary.AppendUvarint(dst, first)
	dst = binary.AppendUvarint(dst, last-first)
	dst = append(dst, byte(kind))
	dst = binary.AppendUvarint(dst, uint64(len(evs)))
	for i := range evs {
		if ids[i].Tick < first || ids[i].Tick > last {
			return dst, fmt.Errorf("bus: event %v outside ticks %d..%d", ids[i], first, last)
		}
		dst = binary.AppendUvarint(dst, ids[i].Tick-first)
		dst = binary.AppendUvarint(dst, uint64(ids[i].Index))
		dst = appendEvent(dst, &evs[i])
	}
	return dst, nil
}

func appendEvent(dst []byte, ev *events.Event) []byte {
	v := reflect.ValueOf(ev).Elem()
	for i := range leaves {
		l := &leaves[i]
		f := field(v, l.index)
		switch l.kind {
		case reflect.Bool:
			if f.Bool() {
				dst = append(dst, 1)
			} else {
				dst = append(dst, 0)
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			dst = binary.AppendVarint(dst, f.Int())
		case reflect.String:
			s := f.String()
			dst = binary.AppendUvarint(dst, uint64(len(s)))
			dst = append(dst, s...)
		default:
			dst = binary.AppendUvarint(dst, f.Uint())
		}
	}
	return dst
}

func field(v reflect.Value, index []int) reflect.Value {
	if len(index) == 1 {
		return v.Field(index[0])
	}
	for _, i := range index {
		v = v.Field(i)
	}
	return v
}

// DecodeBatch decodes a payload written by AppendBatch into b, reusing
// b's slices. It never panics and allocates no more than the payload's
// length justifies; errors wrap ErrPayload.
func DecodeBatch(p []byte, b *Batch) error {
	if schemaErr != nil {
		return schemaErr
	}
	d := wdec{b: p}
	if ver := d.byte(); ver != WireVersion {
		return fmt.Errorf("%w: version %d, this build reads %d", ErrPayload, ver, WireVersion)
	}
	if len(d.b) < 4 {
		return fmt.Errorf("%w: truncated header", ErrPayload)
	}
	if s := binary.LittleEndian.Uint32(d.b); s != schema {
		return fmt.Errorf("%w: written with another events.Event layout (schema %08x, this build %08x)", ErrPayload, s, schema)
	}
	d.b = d.b[4:]
	b.Tick = d.u()
	span := d.u()
	b.Last = b.Tick + span
	if b.Last < b.Tick {
		d.fail()
	}
	b.Kind = events.Kind(d.byte())
	n := d.u()
	if d.err != nil || n > uint64(len(d.b)/minEventBytes) {
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
		b.Events = append(b.Events, events.Event{})
		d.event(&b.Events[len(b.Events)-1])
		if d.err != nil {
			return fmt.Errorf("%w: event %d: %v", ErrPayload, len(b.Events)-1, d.err)
		}
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrPayload, len(d.b))
	}
	return nil
}

var errShort = errors.New("truncated or out-of-range field")

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

func (d *wdec) i() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *wdec) event(ev *events.Event) {
	v := reflect.ValueOf(ev).Elem()
	for i := range leaves {
		l := &leaves[i]
		f := field(v, l.index)
		switch l.kind {
		case reflect.Bool:
			switch d.byte() {
			case 0:
			case 1:
				f.SetBool(true)
			default:
				d.fail()
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			x := d.i()
			if f.OverflowInt(x) {
				d.fail()
			}
			f.SetInt(x)
		case reflect.String:
			n := d.u()
			if n > uint64(len(d.b)) {
				d.fail()
				return
			}
			f.SetString(string(d.b[:n]))
			d.b = d.b[n:]
		default:
			x := d.u()
			if f.OverflowUint(x) {
				d.fail()
			}
			f.SetUint(x)
		}
		if d.err != nil {
			return
		}
	}
}
