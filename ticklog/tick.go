package ticklog

import (
	"fmt"

	"github.com/tickecon/tickecon/ecs"
)

// AppendTick appends the binary form of r — the payload of a log's tick
// record, without the length, type and CRC around it — to b. Transports
// (lockstep input frames, checksum reports) use it so that what travels
// is exactly what a log stores.
func AppendTick(b []byte, r *ecs.TickRecord) []byte {
	e := enc{b: b}
	e.tick(r)
	return e.b
}

// DecodeTick decodes what AppendTick wrote. Malformed or trailing bytes
// are an error, a tick over DefaultLimits a *LimitError (checked before
// allocating); it never panics and allocates no more than p justifies.
func DecodeTick(p []byte) (ecs.TickRecord, error) {
	lim := DefaultLimits // network input too: per-tick limits before allocating
	d := dec{b: p, lim: &lim}
	var r ecs.TickRecord
	d.tick(&r)
	if d.err != nil {
		return ecs.TickRecord{}, fmt.Errorf("tick payload: %w", d.err)
	}
	return r, nil
}
