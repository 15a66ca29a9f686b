package ticklog

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/varint"
)

// errShort is returned by the decoder when a payload ends early or holds
// an impossible value; callers wrap it with the record's offset.
var errShort = errors.New("truncated or malformed payload")

// enc appends the compact binary form of records: varints for ids and
// amounts, so a typical purchase event takes about 15 bytes.
type enc struct{ b []byte }

func (e *enc) u(v uint64)         { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) i(v int64)          { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) id(v components.ID) { e.u(uint64(v)) }
func (e *enc) str(s string) {
	e.u(uint64(len(s)))
	e.b = append(e.b, s...)
}

// event encodes every field of events.Event except Tick, which is the
// record's (or zero, for commands), in events' binary form: the one event
// codec the log and the bus share. TestCodecCoversEveryField guards it
// against new fields.
func (e *enc) event(ev *events.Event) { e.b = events.AppendBinary(e.b, ev) }

func (e *enc) intent(in *components.PurchaseIntent) {
	e.id(in.Buyer)
	e.id(in.Listing)
	e.i(in.Quantity)
	e.u(in.RequestID)
	e.id(in.Cart)
	e.id(in.PayVia)
	e.id(in.ShipTo)
	e.id(in.Coupon)
	// A flags byte: bit 0 Saga, bit 1 preconditions follow. An intent
	// without preconditions is encoded as in version 4.
	var flags byte
	if in.Saga {
		flags |= flagSaga
	}
	if in.MaxTotal != 0 || in.ListingVersion != 0 {
		flags |= flagExpect
	}
	e.b = append(e.b, flags)
	if flags&flagExpect != 0 {
		e.i(in.MaxTotal)
		e.u(in.ListingVersion)
	}
}

// Flags of an intent's flags byte.
const (
	flagSaga   = 1 << 0
	flagExpect = 1 << 1 // MaxTotal and ListingVersion follow (version 5)
)

func (e *enc) tick(r *ecs.TickRecord) {
	e.u(r.Tick)
	e.b = binary.LittleEndian.AppendUint64(e.b, r.Checksum)
	e.stages(r.Stages, r.Checksum)
	e.u(uint64(len(r.Commands)))
	for i := range r.Commands {
		e.event(&r.Commands[i])
	}
	e.u(uint64(len(r.Intents)))
	for i := range r.Intents {
		e.intent(&r.Intents[i])
	}
	e.u(uint64(len(r.Events)))
	for i := range r.Events {
		e.event(&r.Events[i])
	}
}

// maxStages bounds the stage count of a record (commands + systems), so
// that the stage bitmask fits a uvarint.
const maxStages = 64

// stages encodes the per-stage checksums compactly: a stage that did not
// change the state has the same checksum as the next stage (the last
// stage's "next" is the tick's checksum), so after the count a bitmask
// marks the stages equal to their successor and only the others are
// written. An idle tick's stages take two bytes.
func (e *enc) stages(st []uint64, final uint64) {
	n := min(len(st), maxStages)
	e.u(uint64(n))
	if n == 0 {
		return
	}
	var same uint64
	for i := range n {
		if st[i] == next(st[:n], i, final) {
			same |= 1 << i
		}
	}
	e.u(same)
	for i := range n {
		if same&(1<<i) == 0 {
			e.b = binary.LittleEndian.AppendUint64(e.b, st[i])
		}
	}
}

// next is the value stage i is compared with: stage i+1, or the tick's
// checksum for the last stage.
func next(st []uint64, i int, final uint64) uint64 {
	if i+1 < len(st) {
		return st[i+1]
	}
	return final
}

// dec reads what enc wrote. It never panics and never allocates more than
// the payload can justify: every count is checked against the bytes left.
type dec struct {
	b   []byte
	err error
	lim *Limits // nil: only the bytes left bound the counts
	// rawEvents: tick stops after the events' count (checked), leaving b
	// at the first event and the count in nEvents (Reader.SetRawEvents).
	rawEvents bool
	nEvents   int
}

// u reads a uvarint. Most fields (ids below 128, zero amounts, kinds)
// take one byte: that case is inlined at every call; longer ones go to
// uSlow.
func (d *dec) u() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 {
		v := uint64(d.b[0])
		d.b = d.b[1:]
		return v
	}
	return d.uSlow()
}

func (d *dec) uSlow() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// i reads a varint (zig-zag), one byte inlined as in u.
func (d *dec) i() int64 {
	if len(d.b) > 0 && d.b[0] < 0x80 {
		v := int64(d.b[0] >> 1)
		if d.b[0]&1 != 0 {
			v = ^v
		}
		d.b = d.b[1:]
		return v
	}
	return d.iSlow()
}

func (d *dec) iSlow() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) id() components.ID { return components.ID(d.u()) }

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errShort
	}
	d.b = nil
}

func (d *dec) str() string {
	n := d.u()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// count reads a length whose items take at least min bytes each and of
// which at most limit are allowed (a *LimitError past it), before anything
// is allocated for them.
func (d *dec) count(min int, what string, limit int) int {
	n := d.u()
	if d.err != nil {
		return 0
	}
	if d.lim != nil && n > uint64(limit) {
		d.err = &LimitError{What: what, Count: n, Limit: uint64(limit)}
		d.b = nil
		return 0
	}
	if n > uint64(len(d.b)/min) || n > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(n)
}

// event decodes one event into ev, overwriting every field (ev may hold
// a previous tick's event); its Tick is the record's.
func (d *dec) event(ev *events.Event, tick uint64) {
	rest, err := events.DecodeBinary(d.b, ev)
	ev.Tick = tick
	if err != nil {
		d.fail()
		return
	}
	d.b = rest
}

// intent decodes one intent into in, overwriting every field (as event).
func (d *dec) intent(in *components.PurchaseIntent) {
	b := d.b
	var v uint64
	p := 0
	v, p = varint.Uvarint(b, p)
	in.Buyer = components.ID(v)
	v, p = varint.Uvarint(b, p)
	in.Listing = components.ID(v)
	v, p = varint.Uvarint(b, p)
	in.Quantity = varint.Zigzag(v)
	in.RequestID, p = varint.Uvarint(b, p)
	if p >= 0 && len(b)-p >= 4 && b[p]|b[p+1]|b[p+2]|b[p+3] < 0x80 {
		// Cart, PayVia, ShipTo and Coupon in one byte each, as a plain
		// purchase has them (0: none): read at once, a fifth of decoding
		// a busy tick's intents.
		in.Cart, in.PayVia, in.ShipTo, in.Coupon = components.ID(b[p]), components.ID(b[p+1]), components.ID(b[p+2]), components.ID(b[p+3])
		p += 4
	} else {
		v, p = varint.Uvarint(b, p)
		in.Cart = components.ID(v)
		v, p = varint.Uvarint(b, p)
		in.PayVia = components.ID(v)
		v, p = varint.Uvarint(b, p)
		in.ShipTo = components.ID(v)
		v, p = varint.Uvarint(b, p)
		in.Coupon = components.ID(v)
	}
	if uint(p) >= uint(len(b)) || b[p]&^(flagSaga|flagExpect) != 0 {
		d.fail() // short, or a flag no version defines
		return
	}
	flags := b[p]
	p++
	in.Saga = flags&flagSaga != 0
	in.MaxTotal, in.ListingVersion = 0, 0
	if flags&flagExpect != 0 {
		v, p = varint.Uvarint(b, p)
		in.MaxTotal = varint.Zigzag(v)
		in.ListingVersion, p = varint.Uvarint(b, p)
	}
	if p < 0 {
		d.fail() // a precondition cut short
		return
	}
	d.b = b[p:]
}

const minEventBytes, minIntentBytes = events.MinBinaryLen, 9 // every field takes ≥ 1 byte

// stages decodes the per-stage checksums into st's storage (reused if
// it is big enough) and returns them.
func (d *dec) stages(st []uint64, final uint64) []uint64 {
	n := d.u()
	if n == 0 || d.err != nil {
		return st[:0]
	}
	if n > maxStages {
		d.fail()
		return st[:0]
	}
	same := d.u()
	if same>>n != 0 {
		d.fail() // bits past the count: not what enc wrote
		return st[:0]
	}
	st = grow(st, int(n))
	for i := range st {
		if same&(1<<i) != 0 {
			continue
		}
		if len(d.b) < 8 {
			d.fail()
			return st[:0]
		}
		st[i] = binary.LittleEndian.Uint64(d.b)
		d.b = d.b[8:]
	}
	// Backwards: a stage equal to its successor needs the successor first.
	for i := len(st) - 1; i >= 0; i-- {
		if same&(1<<i) != 0 {
			st[i] = next(st, i, final)
		}
	}
	return st
}

// grow returns s resized to n items, reusing its storage when it is big
// enough. A new array is exactly n long: callers have checked n against
// the bytes left, so memory stays bounded by the bytes read.
func grow[T any](s []T, n int) []T {
	if n <= cap(s) {
		return s[:n]
	}
	return make([]T, n)
}

// tick decodes a tick record into r. It reuses r's slices when they are
// big enough (a zero r gets fresh ones, nil for empty lists), and
// overwrites every item, so r may hold the previous tick. On error r holds
// a partial record and d.err is set.
func (d *dec) tick(r *ecs.TickRecord) {
	r.Tick = d.u()
	if len(d.b) < 8 {
		d.fail()
		return
	}
	r.Checksum = binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	r.Stages = d.stages(r.Stages, r.Checksum)
	var lim Limits
	if d.lim != nil {
		lim = *d.lim
	}
	n := d.count(minEventBytes, "commands", lim.Commands)
	r.Commands = grow(r.Commands, n)
	for i := range r.Commands {
		d.event(&r.Commands[i], 0)
	}
	n = d.count(minIntentBytes, "intents", lim.Intents)
	r.Intents = grow(r.Intents, n)
	for i := range r.Intents {
		d.intent(&r.Intents[i])
	}
	n = d.count(minEventBytes, "events", lim.Events)
	if d.rawEvents {
		r.Events = r.Events[:0]
		d.nEvents = n
		return
	}
	d.events(r, n)
}

// events decodes the n events that end a tick record into r.Events (n
// checked against the bytes left by count).
func (d *dec) events(r *ecs.TickRecord, n int) {
	r.Events = grow(r.Events, n)
	for i := range r.Events {
		d.event(&r.Events[i], r.Tick)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail() // trailing bytes: not what enc wrote
	}
}
