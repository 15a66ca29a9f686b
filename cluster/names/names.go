// Package names derives every NATS subject, stream and bucket name the
// cluster packages use, from one root and one name check, so that a name
// of one layout can never be a name of another.
//
// There are two layouts, each under its own second token and its own
// stream-name prefix:
//
//	bus world W (cluster/bus)
//	  tickecon.world.W.<Kind>           events               stream TICKECON_W_EV_W
//	  tickecon.world.W.task.<type>      side-effect tasks    stream TICKECON_W_TASK_W
//	  tickecon.world.W.inbox.<source>   outside input        stream TICKECON_W_IN_W
//	  tickecon.world.W.dead.<what>      dead letters         stream TICKECON_W_DEAD_W
//
//	lockstep session S (cluster/lockstep)
//	  tickecon.session.S.frames         host → peers         stream TICKECON_S_FRAMES_S
//	  tickecon.session.S.in.<peer>      peer → host input
//	  tickecon.session.S.sum.<peer>     peer → host checksums
//	  tickecon.session.S.hello.<peer>   peer → host join/leave
//	  tickecon.session.S.ctl.<peer>     host → peer control (request/reply)
//	  tickecon.session.S.desync         host → anyone: desync reports
//	  snapshots: object store bucket TICKECON_S_SNAP_S (stream OBJ_TICKECON_S_SNAP_S)
//	  peers' states after a desync: bucket TICKECON_S_STATE_S
//
// Why they cannot collide: the second subject token ("world", "session")
// is fixed per layout, so no subject of one layout matches a wildcard of
// the other whatever W and S are; and the stream and bucket prefixes
// (TICKECON_W_EV_, TICKECON_W_TASK_, TICKECON_W_IN_, TICKECON_W_DEAD_,
// TICKECON_S_FRAMES_, TICKECON_S_SNAP_, TICKECON_S_STATE_, TICKECON_S_LEASE_) are prefix-free — none is a prefix
// of another — so a prefix followed by a name determines both. A name is a
// single subject token and a valid stream-name part (Check), so it cannot
// add tokens ('.'), wildcards ('*', '>') or spaces.
package names

import (
	"errors"
	"fmt"
)

// Root is the first token of every subject.
const Root = "tickecon"

// MaxLen bounds a name: it is part of every subject and stream name.
const MaxLen = 64

// ErrBadName is what every *NameError matches with errors.Is.
var ErrBadName = errors.New("bad name")

// NameError says which name was refused and why.
type NameError struct {
	What string // "world", "session", "peer", …
	Name string
	Why  string
}

func (e *NameError) Error() string {
	return fmt.Sprintf("%s name %q: %s", e.What, e.Name, e.Why)
}

// Is makes errors.Is(err, ErrBadName) true.
func (e *NameError) Is(target error) bool { return target == ErrBadName }

// Check reports whether name can name a world, session or peer (what
// says which, for the error): 1 to MaxLen characters of A-Z a-z 0-9 _ -.
// It returns a *NameError.
func Check(what, name string) error {
	if name == "" || len(name) > MaxLen {
		return &NameError{What: what, Name: name, Why: fmt.Sprintf("must have 1 to %d characters", MaxLen)}
	}
	for _, c := range []byte(name) {
		if !Valid(c) {
			return &NameError{What: what, Name: name, Why: "may only hold A-Z a-z 0-9 _ -"}
		}
	}
	return nil
}

// Valid reports whether c may appear in a name.
func Valid(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// World is the subject and stream layout of one bus world. Its methods
// assume the name passed Check.
type World string

func (w World) root() string { return Root + ".world." + string(w) + "." }

// EventSubject is the subject events of kind are published on, e.g.
// tickecon.world.shop1.PurchaseCompleted.
func (w World) EventSubject(kind string) string { return w.root() + kind }

// EventSubjects is the wildcard matching every event subject of w.
func (w World) EventSubjects() string { return w.root() + "*" }

// TaskSubject is the subject tasks of type typ are queued on.
func (w World) TaskSubject(typ string) string { return w.root() + "task." + typ }

// InboxSubject is the subject outsiders publish to, per source.
func (w World) InboxSubject(source string) string { return w.root() + "inbox." + source }

// DeadSubject is the dead-letter subject for what.
func (w World) DeadSubject(what string) string { return w.root() + "dead." + what }

// EventStream is the name of w's event stream.
func (w World) EventStream() string { return "TICKECON_W_EV_" + string(w) }

// TaskStream is the name of w's work-queue stream.
func (w World) TaskStream() string { return "TICKECON_W_TASK_" + string(w) }

// InboxStream is the name of w's inbox stream.
func (w World) InboxStream() string { return "TICKECON_W_IN_" + string(w) }

// DeadStream is the name of w's dead-letter stream.
func (w World) DeadStream() string { return "TICKECON_W_DEAD_" + string(w) }

// Session is the subject and stream layout of one lockstep session. Its
// methods assume the session and peer names passed Check.
type Session string

// Prefix is the subject prefix of every subject of s (with the final dot).
func (s Session) Prefix() string { return Root + ".session." + string(s) + "." }

// Frames is the subject the host publishes frames on (into FrameStream).
func (s Session) Frames() string { return s.Prefix() + "frames" }

// Input is the subject peer sends its inputs to the host on.
func (s Session) Input(peer string) string { return s.Prefix() + "in." + peer }

// Sum is the subject peer publishes its checksums on.
func (s Session) Sum(peer string) string { return s.Prefix() + "sum." + peer }

// Hello is the subject peer says hello and bye on.
func (s Session) Hello(peer string) string { return s.Prefix() + "hello." + peer }

// Ctl is the subject the host sends peer its control requests on.
func (s Session) Ctl(peer string) string { return s.Prefix() + "ctl." + peer }

// Desync is the subject the host publishes desync reports on.
func (s Session) Desync() string { return s.Prefix() + "desync" }

// FrameStream is the name of s's frame stream.
func (s Session) FrameStream() string { return "TICKECON_S_FRAMES_" + string(s) }

// SnapshotBucket is the name of s's snapshot object store (the host
// writes, peers read).
func (s Session) SnapshotBucket() string { return "TICKECON_S_SNAP_" + string(s) }

// StateBucket is the name of s's object store where peers put their state
// when the host asks for it after a desync: apart from the snapshots, so
// that a peer allowed to write here cannot replace the host's snapshot.
func (s Session) StateBucket() string { return "TICKECON_S_STATE_" + string(s) }

// LeaseBucket is the name of s's key-value bucket holding the host lease
// (cluster/lockstep failover): which replica hosts, renewed by revision.
func (s Session) LeaseBucket() string { return "TICKECON_S_LEASE_" + string(s) }
