package systems

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// stateMagic starts a marshalled PurchaseSystem state (version 1).
var stateMagic = [4]byte{'T', 'I', 'W', '1'}

const entryBytes = 8 + 8 + 1 + 1 + 8 + 8

// MarshalBinary implements encoding.BinaryMarshaler: the state the
// PurchaseSystem keeps outside components — the idempotency window — so
// that a snapshot can be restored mid-session with the same checksum and
// the same answers to retries. Entries are written oldest tick first, each
// tick's in processing order: the encoding is deterministic.
func (s *PurchaseSystem) MarshalBinary() ([]byte, error) {
	win := &s.seen
	out := make([]byte, 0, 4+24+win.live*entryBytes)
	out = append(out, stateMagic[:]...)
	out = binary.LittleEndian.AppendUint64(out, win.size)
	out = binary.LittleEndian.AppendUint64(out, win.now)
	out = binary.LittleEndian.AppendUint64(out, uint64(win.live))
	for i := uint64(1); i <= win.size; i++ { // oldest remembered tick first
		for _, e := range win.buckets[(win.now+i)%win.size] {
			k, o := e.key, e.out
			out = binary.LittleEndian.AppendUint64(out, uint64(k.buyer))
			out = binary.LittleEndian.AppendUint64(out, k.req)
			out = append(out, byte(o.kind), byte(o.reason))
			out = binary.LittleEndian.AppendUint64(out, uint64(o.receipt))
			out = binary.LittleEndian.AppendUint64(out, o.tick)
		}
	}
	return out, nil
}

// ErrBadState is returned by UnmarshalBinary for bytes that are not a
// state this PurchaseSystem can hold; the system is left unchanged.
var ErrBadState = errors.New("systems: bad purchase system state")

// UnmarshalBinary implements encoding.BinaryUnmarshaler. The window size
// in data must equal the system's (it is configuration, not state). On any
// error nothing changes.
func (s *PurchaseSystem) UnmarshalBinary(data []byte) error {
	if len(data) < 28 || [4]byte(data[:4]) != stateMagic {
		return fmt.Errorf("%w: no header", ErrBadState)
	}
	size := binary.LittleEndian.Uint64(data[4:])
	now := binary.LittleEndian.Uint64(data[12:])
	n := binary.LittleEndian.Uint64(data[20:])
	body := data[28:]
	if size != s.seen.size {
		return fmt.Errorf("%w: window of %d ticks, system has %d", ErrBadState, size, s.seen.size)
	}
	if n > uint64(len(body))/entryBytes || uint64(len(body)) != n*entryBytes {
		return fmt.Errorf("%w: %d entries in %d bytes", ErrBadState, n, len(body))
	}
	win := window{seed: s.seen.seed}
	win.resize(size)
	win.setNow(now)
	for i := uint64(0); i < n; i++ {
		e := body[i*entryBytes:]
		k := reqKey{components.ID(binary.LittleEndian.Uint64(e)), binary.LittleEndian.Uint64(e[8:])}
		o := outcome{kind: events.Kind(e[16]), reason: events.Reason(e[17]),
			receipt: components.ID(binary.LittleEndian.Uint64(e[18:])), tick: binary.LittleEndian.Uint64(e[26:])}
		if o.tick > now || now-o.tick >= size || !o.kind.Valid() || !o.reason.Valid() {
			return fmt.Errorf("%w: entry %d out of the window or invalid", ErrBadState, i)
		}
		if _, dup := win.lookup(k.buyer, k.req); dup {
			return fmt.Errorf("%w: entry %d repeated", ErrBadState, i)
		}
		win.setNow(o.tick) // add stamps the entry with win.now and files it in that tick's bucket
		win.add(k.buyer, k.req, o)
	}
	win.setNow(now)
	s.seen = win
	return nil
}

// SaveState implements ecs.StateSaver (world snapshots) with the
// MarshalBinary encoding.
func (s *PurchaseSystem) SaveState() ([]byte, error) { return s.MarshalBinary() }

// LoadState implements ecs.StateSaver with UnmarshalBinary: a bad state is
// an ErrBadState and changes nothing.
func (s *PurchaseSystem) LoadState(data []byte) error { return s.UnmarshalBinary(data) }
