package lockstep

// Parted frames: a tick's frame larger than one message (the
// connection's max payload: nats-server's 1 MiB by default, about 75k
// intents) goes out as several messages, each fenced like a frame of
// one message, and is applied only once every part is read.

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"
)

// wireParted is the wire version of one part of a frame too large for
// one message. Its payload is a slice of the frame's whole encoding (a
// version 1 or 2 frame), so a reassembled frame decodes as one that
// fitted; frames that fit never use it and keep their bytes.
const wireParted byte = 3

// Limits of parting.
const (
	// headerRoom is left under the connection's max payload for a frame
	// message's NATS headers (Nats-Msg-Id, Nats-Expected-Last-Sequence:
	// nats-server counts headers in max_payload), beyond the msg id's
	// own length.
	headerRoom = 256
	// minPart is the smallest part payload: a server whose max payload is
	// smaller than this refuses the publish, which says so.
	minPart = 512
	// maxPartedFrame bounds a parted frame's claimed size (1 GiB): it
	// fits an int on 32-bit platforms. Reading never allocates by the
	// claim, only by the bytes read.
	maxPartedFrame = 1 << 30
	// maxPartHeader bounds a part header's length beyond the session:
	// type, version, the session's length and five uvarints.
	maxPartHeader = 2 + 5*binary.MaxVarintLen64 + binary.MaxVarintLen64
)

// partHead is a part's header: part i of n of the frame of tick, total
// bytes long, published by the host of term epoch (its lease revision
// when it took the lease; 0 without Failover).
type partHead struct {
	epoch, tick uint64
	i, n, total uint64
}

// appendPart appends part i of n of frame (the whole frame's encoding).
func appendPart(b []byte, session string, epoch, tick uint64, i, n int, total int, chunk []byte) []byte {
	b = append(b, msgFrame, wireParted)
	b = binary.AppendUvarint(b, uint64(len(session)))
	b = append(b, session...)
	b = binary.AppendUvarint(b, epoch)
	b = binary.AppendUvarint(b, tick)
	b = binary.AppendUvarint(b, uint64(i))
	b = binary.AppendUvarint(b, uint64(n))
	b = binary.AppendUvarint(b, uint64(total))
	return append(b, chunk...)
}

// splitFrame writes frame (a whole frame's encoding, longer than limit)
// as parts of at most limit bytes each into dst, which it returns with
// the end offset of each part in it. dst is grown once, so every part is
// a slice of one buffer that stays put.
func splitFrame(dst []byte, ends []int, session string, epoch, tick uint64, frame []byte, limit int) ([]byte, []int) {
	chunk := max(limit-len(session)-maxPartHeader, minPart)
	n := (len(frame) + chunk - 1) / chunk
	need := len(frame) + n*(len(session)+maxPartHeader)
	if cap(dst) < need {
		dst = make([]byte, 0, need)
	}
	dst, ends = dst[:0], ends[:0]
	for i := range n {
		c := frame[i*chunk : min((i+1)*chunk, len(frame))]
		dst = appendPart(dst, session, epoch, tick, i, n, len(frame), c)
		ends = append(ends, len(dst))
	}
	return dst, ends
}

// decodePart reads a part's header (p is a wireParted message) and
// returns its slice of the frame.
func decodePart(session string, p []byte) (partHead, []byte, error) {
	var h partHead
	if len(p) < 3 || p[0] != msgFrame || p[1] != wireParted {
		return h, nil, fmt.Errorf("%w: not a frame part", errMalformed)
	}
	n, k := binary.Uvarint(p[2:])
	if k <= 0 || n > uint64(len(p)-2-k) {
		return h, nil, fmt.Errorf("%w: bad session length", errMalformed)
	}
	if got := string(p[2+k : 2+k+int(n)]); got != session {
		return h, nil, &wrongSession{got: got, want: session}
	}
	p = p[2+k+int(n):]
	for _, v := range []*uint64{&h.epoch, &h.tick, &h.i, &h.n, &h.total} {
		x, k := binary.Uvarint(p)
		if k <= 0 {
			return h, nil, fmt.Errorf("%w: bad frame part header", errMalformed)
		}
		*v, p = x, p[k:]
	}
	switch {
	case h.n < 2 || h.i >= h.n:
		return h, nil, fmt.Errorf("%w: frame part %d of %d", errMalformed, h.i, h.n)
	case h.total > maxPartedFrame || h.total < h.n:
		return h, nil, fmt.Errorf("%w: a frame of %d bytes in %d parts", errMalformed, h.total, h.n)
	case len(p) == 0 || uint64(len(p)) > h.total:
		return h, nil, fmt.Errorf("%w: frame part of %d bytes (the frame: %d)", errMalformed, len(p), h.total)
	}
	return h, p, nil
}

// frameParts reassembles the frames of a stream read in order. A host's
// parts of one frame are consecutive in the stream — each is published
// with the expected last sequence of the one before, so nothing can come
// between them — and a frame is whole when parts 0 … n-1 of one header
// arrived in a row. Anything else between them means the host died (or
// was deposed) after some parts: that torn frame is dropped, never
// applied, and its successor's frame for the same tick (which follows in
// the stream) is the one that counts. Every reader applies this one rule
// to the same messages, so all see the same frames.
type frameParts struct {
	session string
	head    partHead
	buf     []byte // the parts so far; grown by what is read, never by a header's claim
	got     uint64 // parts in buf (0: none)
}

// tornFrame is a frame of which only the first parts were stored.
type tornFrame struct {
	head partHead
	got  uint64 // its parts read: messages never applied
}

func (t *tornFrame) Error() string {
	return fmt.Sprintf("torn frame: %d of the %d parts of tick %d (host term %d), then another message: never applied",
		t.got, t.head.n, t.head.tick, t.head.epoch)
}

// add takes the stream's next frame message. It returns the whole
// frame's encoding once data completes one — data itself when it is a
// frame of one message — and nil while a parted frame is incomplete.
// torn is the incomplete frame data ended (never applied), err why data
// itself is refused. The returned bytes are not reused by later calls.
func (a *frameParts) add(data []byte) (whole []byte, torn *tornFrame, err error) {
	if len(data) < 2 || data[0] != msgFrame || data[1] != wireParted {
		return data, a.drop(), nil
	}
	h, chunk, err := decodePart(a.session, data)
	if err != nil {
		return nil, a.drop(), err
	}
	if h.i == 0 {
		torn = a.drop()
		a.head = h
	} else if want := a.head; a.got == 0 || h.i != a.got || h.epoch != want.epoch || h.tick != want.tick || h.n != want.n || h.total != want.total {
		return nil, a.drop(), fmt.Errorf("%w: part %d of %d of tick %d (host term %d) does not follow its part %d", errMalformed, h.i, h.n, h.tick, h.epoch, h.i-1)
	}
	if uint64(len(a.buf))+uint64(len(chunk)) > h.total {
		return nil, a.drop(), fmt.Errorf("%w: parts of tick %d longer than the %d bytes of its frame", errMalformed, h.tick, h.total)
	}
	a.buf = append(a.buf, chunk...)
	a.got++
	if a.got < h.n {
		return nil, torn, nil
	}
	whole, a.buf, a.got = a.buf, nil, 0
	if uint64(len(whole)) != h.total {
		return nil, torn, fmt.Errorf("%w: parts of tick %d make %d bytes, its frame %d", errMalformed, h.tick, len(whole), h.total)
	}
	return whole, torn, nil
}

// drop forgets an incomplete frame, returning it (nil: none).
func (a *frameParts) drop() *tornFrame {
	if a.got == 0 {
		return nil
	}
	t := &tornFrame{head: a.head, got: a.got}
	a.buf, a.got = nil, 0
	return t
}

// reset forgets everything: the reader starts again elsewhere in the
// stream (always at a frame's first message).
func (a *frameParts) reset() { a.buf, a.got = nil, 0 }

// frameLimit is the largest frame message the host publishes: the
// connection's max payload (as the server it is connected to says) less
// room for the headers of a message with a msg id of idLen bytes.
func (h *Host) frameLimit(idLen int) int {
	if h.cfg.partLimit > 0 {
		return h.cfg.partLimit
	}
	mp := h.nc.MaxPayload()
	if mp <= 0 { // not told yet: nats-server's default
		mp = 1 << 20
	}
	return max(int(min(mp, maxPartedFrame))-headerRoom-idLen, minPart)
}

// testHookPartSent, if set (tests), is called after each part of a parted
// frame but its last is published: a test kills the host there. Atomic:
// a test sets it while another's replicas may still be stopping.
var testHookPartSent atomic.Pointer[func(h *Host, tick uint64, part, parts int)]
