// Package varint holds the run-checked varint reads that the event codec
// (events) and the replay log's intent codec (ticklog) share: fields are
// read at a local position and checked once at the end of a run, because
// per-field checks cost a third of a replay's decoding.
package varint

// Uvarint decodes the uvarint at b[p:] and returns it with the position
// after it, or p = -1 if it is malformed (as binary.Uvarint: over 64
// bits) or b ends first; a call with p = -1 fails again, so a run of
// fields is checked once at its end. Small enough to be inlined.
func Uvarint(b []byte, p int) (uint64, int) {
	var v uint64
	for s := uint(0); uint(p) < uint(len(b)); s += 7 {
		c := b[p]
		p++
		if s == 63 && c > 1 {
			break // a tenth byte over 1: more than 64 bits
		}
		if c < 0x80 {
			return v | uint64(c)<<s, p
		}
		v |= uint64(c&0x7f) << s
	}
	return 0, -1
}

// Zigzag turns a uvarint into the signed value binary.Varint gives.
func Zigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }
