package replaylog

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
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
// record's (or zero, for commands). TestCodecCoversEveryField guards this
// list against new fields.
func (e *enc) event(ev *events.Event) {
	e.b = append(e.b, byte(ev.Kind), byte(ev.Reason), byte(ev.Of))
	e.id(ev.Subject)
	e.id(ev.Object)
	e.id(ev.Till)
	e.id(ev.Ref)
	e.id(ev.Item)
	e.id(ev.Currency)
	e.i(ev.Qty)
	e.i(ev.Amount)
	e.i(ev.Rest)
	e.i(ev.Size)
	e.u(ev.Request)
	e.u(ev.At)
	e.u(uint64(ev.Ticket))
	e.str(ev.Name)
}

func (e *enc) intent(in *components.PurchaseIntent) {
	e.id(in.Buyer)
	e.id(in.Listing)
	e.i(in.Quantity)
	e.u(in.RequestID)
	e.id(in.Cart)
	e.id(in.PayVia)
	e.id(in.ShipTo)
	e.id(in.Coupon)
	if in.Saga {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

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
}

func (d *dec) u() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) i() int64 {
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

func (d *dec) event(tick uint64) events.Event {
	ev := events.Event{Tick: tick, Kind: events.Kind(d.byte()), Reason: events.Reason(d.byte()), Of: events.Kind(d.byte())}
	ev.Subject, ev.Object, ev.Till, ev.Ref, ev.Item, ev.Currency = d.id(), d.id(), d.id(), d.id(), d.id(), d.id()
	ev.Qty, ev.Amount, ev.Rest, ev.Size = d.i(), d.i(), d.i(), d.i()
	ev.Request, ev.At, ev.Ticket = d.u(), d.u(), events.Ticket(d.u())
	ev.Name = d.str()
	return ev
}

func (d *dec) intent() components.PurchaseIntent {
	in := components.PurchaseIntent{Buyer: d.id(), Listing: d.id(), Quantity: d.i(), RequestID: d.u()}
	in.Cart, in.PayVia, in.ShipTo, in.Coupon = d.id(), d.id(), d.id(), d.id()
	switch d.byte() {
	case 0:
	case 1:
		in.Saga = true
	default:
		d.fail()
	}
	return in
}

const minEventBytes, minIntentBytes = 17, 9 // every field takes ≥ 1 byte

func (d *dec) stages(final uint64) []uint64 {
	n := d.u()
	if n == 0 || d.err != nil {
		return nil
	}
	if n > maxStages {
		d.fail()
		return nil
	}
	same := d.u()
	if same>>n != 0 {
		d.fail() // bits past the count: not what enc wrote
		return nil
	}
	st := make([]uint64, n)
	for i := range st {
		if same&(1<<i) != 0 {
			continue
		}
		if len(d.b) < 8 {
			d.fail()
			return nil
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

func (d *dec) tick() ecs.TickRecord {
	var r ecs.TickRecord
	r.Tick = d.u()
	if len(d.b) < 8 {
		d.fail()
		return r
	}
	r.Checksum = binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	r.Stages = d.stages(r.Checksum)
	var lim Limits
	if d.lim != nil {
		lim = *d.lim
	}
	if n := d.count(minEventBytes, "commands", lim.Commands); n > 0 {
		r.Commands = make([]events.Event, n)
		for i := range r.Commands {
			r.Commands[i] = d.event(0)
		}
	}
	if n := d.count(minIntentBytes, "intents", lim.Intents); n > 0 {
		r.Intents = make([]components.PurchaseIntent, n)
		for i := range r.Intents {
			r.Intents[i] = d.intent()
		}
	}
	if n := d.count(minEventBytes, "events", lim.Events); n > 0 {
		r.Events = make([]events.Event, n)
		for i := range r.Events {
			r.Events[i] = d.event(r.Tick)
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail() // trailing bytes: not what enc wrote
	}
	return r
}
