package lockstep

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// Message types: the first byte of every message of a session.
const (
	msgFrame byte = 'F' // host → stream: one tick's inputs
	msgInput byte = 'I' // peer → host: intents and commands to stamp
	msgSum   byte = 'S' // peer → host: checksums of one tick
)

// wireVersion is the second byte of every message. A frame that carries
// keyed commands' keys (Host.CommandOnce) is version wireKeyed, every
// other message version 1 — the bytes of sessions without keyed commands
// are what they were before keys existed.
const (
	wireVersion byte = 1
	wireKeyed   byte = 2
)

// checkName validates a session or peer id (names.Check): it becomes part
// of NATS subjects and stream names.
func checkName(what, s string) error {
	if err := names.Check(what, s); err != nil {
		return fmt.Errorf("lockstep: %w", err)
	}
	return nil
}

// Subjects of a session (all under tickecon.session.<session>., see
// package cluster/names and the package doc).
func subjFrames(s string) string      { return names.Session(s).Frames() }
func subjInput(s, peer string) string { return names.Session(s).Input(peer) }
func subjSum(s, peer string) string   { return names.Session(s).Sum(peer) }
func subjCtl(s, peer string) string   { return names.Session(s).Ctl(peer) }
func subjHello(s, peer string) string { return names.Session(s).Hello(peer) }

// SubjectReports is where a session's host publishes its desync reports
// (JSON, see Report): subscribe to it from any tool.
func SubjectReports(session string) string { return names.Session(session).Desync() }

func streamName(s string) string      { return names.Session(s).FrameStream() }
func bucketName(s string) string      { return names.Session(s).SnapshotBucket() }
func stateBucketName(s string) string { return names.Session(s).StateBucket() }
func leaseBucketName(s string) string { return names.Session(s).LeaseBucket() }

// encode frames a message: type, version, session, then a tick payload in
// the replay log's own encoding (ticklog.AppendTick).
func encode(typ byte, session string, r *ecs.TickRecord) []byte {
	return encodeInto(make([]byte, 0, 64+len(r.Commands)*24+len(r.Intents)*16), typ, session, r)
}

// encodeInto is encode appending to b.
func encodeInto(b []byte, typ byte, session string, r *ecs.TickRecord) []byte {
	b = append(b, typ, wireVersion)
	b = binary.AppendUvarint(b, uint64(len(session)))
	b = append(b, session...)
	return ticklog.AppendTick(b, r)
}

// encodeFrame is encodeInto of a frame whose tick applied keyed commands
// with keys (cmdKeyLen bytes each, in the order they were queued): wire
// version wireKeyed, the keys — a uvarint count and the bytes — between
// the session and the tick payload. Without keys it is a version 1 frame.
func encodeFrame(b []byte, session string, r *ecs.TickRecord, keys []byte) []byte {
	if len(keys) == 0 {
		return encodeInto(b, msgFrame, session, r)
	}
	b = append(b, msgFrame, wireKeyed)
	b = binary.AppendUvarint(b, uint64(len(session)))
	b = append(b, session...)
	b = binary.AppendUvarint(b, uint64(len(keys)/cmdKeyLen))
	b = append(b, keys...)
	return ticklog.AppendTick(b, r)
}

// frameIn is a decoded frame: the tick's inputs and its keyed commands'
// keys.
type frameIn struct {
	ecs.TickRecord
	keys []byte // cmdKeyLen bytes per keyed command; aliases the message
}

// errMalformed wraps every decoding failure.
var errMalformed = errors.New("malformed message")

// decode reads what encode wrote, checking the type and the session.
func decode(typ byte, session string, p []byte) (ecs.TickRecord, error) {
	f, err := decodeWire(typ, session, p)
	return f.TickRecord, err
}

// decodeFrame reads a frame of either wire version.
func decodeFrame(session string, p []byte) (frameIn, error) {
	return decodeWire(msgFrame, session, p)
}

func decodeWire(typ byte, session string, p []byte) (frameIn, error) {
	if len(p) < 3 {
		return frameIn{}, fmt.Errorf("%w: %d bytes", errMalformed, len(p))
	}
	if p[0] != typ {
		return frameIn{}, fmt.Errorf("%w: type %q, want %q", errMalformed, p[0], typ)
	}
	if v := p[1]; v != wireVersion && (v != wireKeyed || typ != msgFrame) {
		return frameIn{}, fmt.Errorf("%w: wire version %d of message type %q, this build speaks %d (and %d for frames)", errMalformed, v, typ, wireVersion, wireKeyed)
	}
	n, k := binary.Uvarint(p[2:])
	if k <= 0 || n > uint64(len(p)-2-k) {
		return frameIn{}, fmt.Errorf("%w: bad session length", errMalformed)
	}
	got := string(p[2+k : 2+k+int(n)])
	if got != session {
		return frameIn{}, &wrongSession{got: got, want: session}
	}
	version := p[1]
	p = p[2+k+int(n):]
	var f frameIn
	if version == wireKeyed {
		c, k := binary.Uvarint(p)
		if k <= 0 || c == 0 || c > uint64(len(p)-k)/cmdKeyLen {
			return frameIn{}, fmt.Errorf("%w: bad count of command keys", errMalformed)
		}
		f.keys = p[k : k+int(c)*cmdKeyLen]
		p = p[k+int(c)*cmdKeyLen:]
	}
	r, err := ticklog.DecodeTick(p)
	if err != nil {
		return frameIn{}, fmt.Errorf("%w: %v", errMalformed, err)
	}
	f.TickRecord = r
	return f, nil
}

type wrongSession struct{ got, want string }

func (e *wrongSession) Error() string {
	return fmt.Sprintf("message for session %q, this is session %q", e.got, e.want)
}
