package events

import (
	"encoding/binary"
	"errors"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/internal/varint"
)

// The binary form of an event is tickecon's one event codec: the replay
// log (ticklog) and the event stream (cluster/bus) both carry events in
// it. Every field but Tick, in declaration order: Kind, Reason and Of as a
// byte each, ids and unsigned fields as uvarints, signed ones as zig-zag
// varints, Name as a uvarint length and its bytes. Tick is left out
// because every container already names the tick (a log record, a
// message's event id). A purchase event takes about 15 bytes. The layout is
// part of both formats: a change is a new ticklog version and a new bus
// wire version.

// MinBinaryLen is the fewest bytes one event takes in binary form (every
// field takes at least one). Decoders bound an event count by the bytes
// left divided by it before allocating.
const MinBinaryLen = 17

// ErrBinary is returned by DecodeBinary for bytes that end inside an event
// or hold a varint over 64 bits.
var ErrBinary = errors.New("events: truncated or malformed binary event")

// AppendBinary appends ev's binary form (every field but Tick) to b.
func AppendBinary(b []byte, ev *Event) []byte {
	b = append(b, byte(ev.Kind), byte(ev.Reason), byte(ev.Of))
	b = binary.AppendUvarint(b, uint64(ev.Subject))
	b = binary.AppendUvarint(b, uint64(ev.Object))
	b = binary.AppendUvarint(b, uint64(ev.Till))
	b = binary.AppendUvarint(b, uint64(ev.Ref))
	b = binary.AppendUvarint(b, uint64(ev.Item))
	b = binary.AppendUvarint(b, uint64(ev.Currency))
	b = binary.AppendVarint(b, ev.Qty)
	b = binary.AppendVarint(b, ev.Amount)
	b = binary.AppendVarint(b, ev.Rest)
	b = binary.AppendVarint(b, ev.Size)
	b = binary.AppendUvarint(b, ev.Request)
	b = binary.AppendUvarint(b, ev.At)
	b = binary.AppendUvarint(b, uint64(ev.Ticket))
	b = binary.AppendUvarint(b, uint64(len(ev.Name)))
	return append(b, ev.Name...)
}

// DecodeBinary decodes the event at the start of b into ev, overwriting
// every field but Tick (ev may hold an earlier event), and returns the
// bytes after it. It never panics; on ErrBinary ev is partly written.
// Fields are read at a local position and checked once at the end: the
// per-field checks cost a third of a replay's decoding.
func DecodeBinary(b []byte, ev *Event) (rest []byte, err error) {
	if len(b) < MinBinaryLen {
		return nil, ErrBinary
	}
	ev.Kind, ev.Reason, ev.Of = Kind(b[0]), Reason(b[1]), Kind(b[2])
	p := 3
	var v uint64
	v, p = varint.Uvarint(b, p)
	ev.Subject = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Object = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Till = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Ref = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Item = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Currency = components.ID(v)
	v, p = varint.Uvarint(b, p)
	ev.Qty = varint.Zigzag(v)
	v, p = varint.Uvarint(b, p)
	ev.Amount = varint.Zigzag(v)
	v, p = varint.Uvarint(b, p)
	ev.Rest = varint.Zigzag(v)
	v, p = varint.Uvarint(b, p)
	ev.Size = varint.Zigzag(v)
	ev.Request, p = varint.Uvarint(b, p)
	ev.At, p = varint.Uvarint(b, p)
	v, p = varint.Uvarint(b, p)
	ev.Ticket = Ticket(v)
	n, p := varint.Uvarint(b, p)
	if p < 0 || n > uint64(len(b)-p) {
		return nil, ErrBinary
	}
	switch {
	case n > 0:
		ev.Name = string(b[p : p+int(n)])
	case ev.Name != "":
		ev.Name = "" // only then: a string store costs a write barrier while the GC runs
	}
	return b[p+int(n):], nil
}
