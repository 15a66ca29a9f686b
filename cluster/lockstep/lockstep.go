// Package lockstep runs one tickecon economy on several machines in
// lockstep over NATS, and checks every tick that they agree.
//
// A Host owns input ordering. Peers send it their intents and commands; it
// stamps each with the tick it applies in (the host's next tick plus a
// fixed input Delay) and publishes one input frame per tick to a JetStream
// stream. Every peer — and the host's own world — steps its world from the
// frames, in order, and publishes its checksum for the tick, with the
// checksum after every stage (commands, then each system). The host
// compares them every tick; at the first mismatch it asks the odd peer for
// its state, diffs it against its own (replay.DiffSnapshots) and
// emits a Report naming the tick, the stage, the entity, the component and
// the field. Policy decides what happens then: drop the peer, which
// resyncs from a snapshot, or halt the session.
//
// The host also stores a snapshot in a JetStream object store every
// SnapshotEvery ticks: a peer that joins late or reconnects starts from
// the latest one and catches up from the stream. The stream is the
// session's input history; ExportLog turns it into a replay log that
// `tickecon verify` and `tickecon diff` read.
//
// Messages are the replay log's own tick encoding behind a type byte and
// the session id; anything that does not decode, names another session,
// repeats or skips a tick, or acts for another player's wallet is refused
// with a reason (Refusal) and never applied.
//
// # Subjects
//
// A session S (names.Session: 1-64 of A-Z a-z 0-9 _ -) lives under
// tickecon.session.S, apart from any bus world (tickecon.world.W); peer
// ids P follow the same rule. Every subject a peer publishes on names it:
//
//	subject                           publisher  what
//	tickecon.session.S.frames         host       one frame per tick (JetStream stream TICKECON_S_FRAMES_S)
//	tickecon.session.S.in.P           peer P     its intents and commands (request: reply "ok <tick>" or "refused: <why>")
//	tickecon.session.S.sum.P          peer P     its checksums of one tick
//	tickecon.session.S.hello.P        peer P     "hello P <next tick>" on (re)joining, "bye P" on leaving
//	tickecon.session.S.ctl.P          host       to P: "state <tick>" (request; P replies "ok <object>"), "resync"
//	tickecon.session.S.desync         host       desync reports (JSON Report)
//
// The host stores snapshots in the object store TICKECON_S_SNAP_S (object
// "latest", metadata tick and from_seq: the stream sequence of the frame
// of that tick); a peer asked for its state puts it in TICKECON_S_STATE_S.
//
// # Wire format
//
// Frames, inputs and sums are one byte of message type ('F' frame, 'I'
// input, 'S' sum), one byte of wire version (1), the session id as a
// uvarint length and its bytes, then a tick payload as ticklog.AppendTick
// writes it — the payload of a replay log's tick record: uvarint tick,
// little-endian uint64 checksum, the stage checksums (uvarint count, a
// uvarint mask of the stages equal to the next one, the others as
// little-endian uint64), then uvarint-counted commands, intents and events
// in the log's encoding. A frame of tick t carries tick t's commands (as
// applied, creation ids assigned) and intents (in processing order), and
// the host's checksum and stage checksums of tick t-1 (zero in frame 0);
// an input carries only commands and intents (tick 0); a sum carries the
// tick and its checksums. A frame whose tick applied keyed commands
// (Host.CommandOnce) is wire version 2: between the session and the tick
// payload, a uvarint count and that many 16-byte keys (SHA-256 of each
// command's key, truncated), in the order they were queued; every other
// message is version 1, so a session without keyed commands sends the
// bytes it always sent. Hellos and control messages are ASCII text.
//
// # Replicated worlds and failover
//
// One mechanism serves a lockstep session and a server-authoritative
// world (a session whose host has no peers, its inputs coming from the
// game or a bus inbox): the frame stream is the world's replicated log.
// With Config.Replicas 3 on a 3-node cluster (natsbox.StartCluster) the
// stream, the snapshot store and the lease bucket are R3: a frame is
// stored — the tick is committed — once a quorum of nodes has it, which
// the host learns from the frame's PubAck. natsbox's default file store
// policy is SyncAlways (fsync before acknowledging): a committed tick
// then survives even a power cut of every node, at a cost docs/failover.md
// measures; nats-server's own default fsyncs every 2 minutes.
//
// With Config.Failover the host is one replica of several (Replica runs
// one): it holds the session's lease — a key in a replicated key-value
// bucket, renewed by compare-and-set on its revision — and
//
//   - publishes each frame with the expected last stream sequence, so a
//     deposed host (its lease lapsed while it was cut off or stalled)
//     cannot add a tick after its successor's: the stream refuses the
//     frame and the host gets a *FencedError;
//   - answers an input only once the frame carrying it is committed
//     (Peer.Commit waits for that, and retries across a failover);
//   - applies an intent once per (Buyer, RequestID), its idempotency key,
//     however often it is retried, and a keyed command (Host.CommandOnce:
//     a bus inbox message, by its Nats-Msg-Id) once per key: a standby
//     learns the keys from the frames it follows, so the next host knows
//     them too.
//
// A standby is a peer (checked every tick like any) holding the whole
// world. When the lease has not moved for LeaseTTL, each standby tries to
// take it by revision: exactly one wins, waits until its world has run
// the stream's last frame, and hosts from the next tick — storing a
// snapshot for late joiners at once. Peers follow it without a restart:
// the frames simply keep coming from the same stream; a peer watching
// the lease says hello to the new host (EventHostChanged). A deposed host
// throws its world away (it may be a tick ahead of the history) and
// stands by again. Peers are told what happens to them as PeerEvents
// (dropped, resynced, halted, host gone, host changed, gave up).
//
// A FrameSource is the world's relay source (bus.RelayConfig.Source):
// it re-runs the committed frames on a world of its own, as a standby
// does, and hands out each tick once the next frame vouches for it, so a
// relay on any machine publishes the world's events exactly once across
// failovers, relay restarts and lost nodes (it resumes from the event
// stream, never from memory).
//
// # Permissions
//
// The transport is trusted as far as NATS permissions make it: only the
// host may publish frames and write snapshots, and each peer only its own
// in, sum and hello subjects. PeerPermissions lists exactly what a peer
// needs; docs/lockstep.md has the server configuration. NewHost deletes an
// earlier session's stream and buckets only if a host of that session
// made them (metadata), never another's.
//
// This package imports NATS; the library packages (ecs, components,
// systems, events) never do.
package lockstep

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Policy is what the host does with a peer whose checksum differs.
type Policy int

const (
	// Drop removes the peer from the session and tells it to resync: it
	// restores the host's snapshot and catches up from the stream
	// (Factorio's behaviour). The session goes on.
	Drop Policy = iota
	// Halt stops the session: Host.Step returns ErrHalted from then on.
	Halt
)

func (p Policy) String() string {
	if p == Halt {
		return "halt"
	}
	return "drop"
}

// ErrHalted is returned by Host.Step after a desync under the Halt policy.
var ErrHalted = errors.New("lockstep: session halted after a desync")

// ErrNoNewWorld: Config.NewWorld or PeerConfig.NewWorld is missing.
var ErrNoNewWorld = errors.New("lockstep: NewWorld is required")

// ErrNoSession: Join or ExportLog found no session of that id on the
// server (no host created its stream or buckets).
var ErrNoSession = errors.New("lockstep: no such session")

// ErrNothingToExport: ExportLog found one frame only, a tick the host has
// not vouched for yet (its checksum travels with the next frame).
var ErrNothingToExport = errors.New("lockstep: the stream holds one frame: no tick the host has vouched for yet")

// ErrBadSnapshot: the session's latest snapshot could not be read as the
// pointer to it says (a peer cannot start from it).
var ErrBadSnapshot = errors.New("lockstep: bad snapshot")

// ErrRefused is what every *RefusedError matches with errors.Is.
var ErrRefused = errors.New("lockstep: refused")

// RefusedError is Peer.Submit's error when the host refused the input:
// nothing of it was applied. Reason is the host's.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return "lockstep: refused: " + e.Reason }

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// ErrFramesNotAcked: the server did not acknowledge the published frames
// within 10 s, so a snapshot could not be stored with its stream sequence.
var ErrFramesNotAcked = errors.New("lockstep: frames not acknowledged")

// ErrNoFrameSeq: a snapshot's preceding frame is not among the frames the
// host remembers (it was published too long before the snapshot).
var ErrNoFrameSeq = errors.New("lockstep: no stream sequence for the frame before the snapshot")

// ErrNotOurs is what every *NotOursError matches with errors.Is.
var ErrNotOurs = errors.New("lockstep: not created by a host of this session")

// NotOursError: NewHost found a stream or bucket under its session's name
// that a host of that session did not create (no mark in its metadata),
// and left it alone rather than delete someone else's data.
type NotOursError struct {
	Kind    string // "stream" or "bucket"
	Name    string
	Session string
}

func (e *NotOursError) Error() string {
	return fmt.Sprintf("lockstep: %s %s exists and was not created by a host of session %s: not deleting it (remove it by hand or pick another session name)", e.Kind, e.Name, e.Session)
}

// Is makes errors.Is(err, ErrNotOurs) true.
func (e *NotOursError) Is(target error) bool { return target == ErrNotOurs }

// Refusal is a message refused with a reason; it was not applied.
type Refusal struct {
	From   string // peer id ("" when unknown)
	Tick   uint64 // the receiver's tick when it refused
	Reason string
}

func (r Refusal) String() string {
	if r.From == "" {
		return fmt.Sprintf("tick %d: refused: %s", r.Tick, r.Reason)
	}
	return fmt.Sprintf("tick %d: refused from %s: %s", r.Tick, r.From, r.Reason)
}

// refusals keeps the last refusals (bounded) and a total count.
type refusals struct {
	mu    sync.Mutex
	list  []Refusal
	total int
}

const maxRefusals = 1000

func (r *refusals) add(x Refusal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total++
	if len(r.list) == maxRefusals {
		copy(r.list, r.list[1:])
		r.list = r.list[:maxRefusals-1]
	}
	r.list = append(r.list, x)
}

func (r *refusals) get() []Refusal {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Refusal(nil), r.list...)
}

// Authorizer decides whether a peer may submit a command: owns reports
// whether a stable id is one of the peer's players. It returns "" to
// accept, or the reason for refusing.
type Authorizer func(peer string, owns func(components.ID) bool, c *events.Event) string

// DefaultAuthorizer lets a peer open carts, packages and trades, offer and
// accept in trades and issue coupons — each only for a party it owns —
// and refuses every other command (minting, granting, closing, provider
// and carrier outcomes are the host's). Intents are checked separately:
// their buyer must be the peer's; the PurchaseSystem itself refuses
// someone else's account, cart, coupon or package (NotYours).
func DefaultAuthorizer(peer string, owns func(components.ID) bool, c *events.Event) string {
	var party components.ID
	switch c.Kind {
	case events.CartOpened, events.PackageOpened, events.TradeOpened, events.TradeOffered, events.TradeAccepted,
		events.CouponIssued:
		party = c.Object // the acting party: owner, recipient, trader, the coupon's issuer (events.Event)
	default:
		return fmt.Sprintf("command %v is not allowed from a peer", c.Kind)
	}
	if !owns(party) {
		return fmt.Sprintf("command %v acts for player %d, not one of %s's", c.Kind, party, peer)
	}
	return ""
}

// Config configures a Host.
type Config struct {
	Session string // session id: letters, digits, '_' or '-'
	// NewWorld builds an empty world with the session's systems; host and
	// peers must build the same.
	NewWorld func() *ecs.World
	// World, if set, is the host's world, stepped by the caller's game loop
	// (Host.Prepare before each Step of it) instead of Host.Step; it must
	// have been made by NewWorld. At a tick past 0 the host stores a
	// snapshot of it at once, for the peers to start from.
	World *ecs.World
	// Content is queued on the host's world for tick 0 (frame 0 carries it
	// to the peers) unless World is set, and written into exported logs.
	Content *ecs.Content
	// Delay is the input delay: an input arriving while the host's next
	// tick is t applies in tick t+Delay (default 2).
	Delay uint64
	// MaxLead bounds how many ticks the host may run ahead of the slowest
	// live peer's last reported tick (default 2): a desync is then detected
	// at most MaxLead ticks after it happened.
	MaxLead uint64
	// SnapshotEvery stores a snapshot every N ticks for late joiners
	// (default 500).
	SnapshotEvery uint64
	// PeerTimeout: a peer silent for longer no longer holds the session
	// back (default 3s); it is waited for again once it catches up.
	PeerTimeout time.Duration
	// Policy on desync (default Drop).
	Policy Policy
	// ReportDir receives one file per desync report ("" : none).
	ReportDir string
	// Console receives desync reports and peer changes as text (nil: none).
	Console interface{ Write([]byte) (int, error) }
	// Authorize checks peers' commands (default DefaultAuthorizer).
	Authorize Authorizer
	// Ring is how many past ticks' checksums the host keeps to compare
	// late reports with (default 8192; at least SnapshotEvery + MaxLead).
	Ring int
	// Replicas is how many copies of the frame stream and the snapshot
	// and lease buckets the cluster keeps (default 1). 3 on a 3-node
	// cluster (natsbox.StartCluster) survives the loss of any one node:
	// a frame is stored once a quorum has it.
	Replicas int
	// Failover, if set, makes the host one replica of a replicated world
	// (see Replica and the package doc): it holds the session's lease,
	// answers an input only once the frame carrying it is committed, and
	// applies an intent once per (Buyer, RequestID) however often it is
	// sent.
	Failover *Failover
	// OnCommit, if set, is called on the host's goroutine with the last
	// tick whose frame the stream has stored (a quorum of it, with
	// Replicas > 1): for a bus Horizon (Horizon.Set), so an inbox
	// acknowledges only what is committed.
	OnCommit func(tick uint64)

	preLease *hostLease // a Replica creating the session holds the lease already
	// createOnly: a Replica creating the session never deletes a stream or
	// bucket it finds. Its "no stream" came from an earlier lookup, and a
	// lookup during a leader election can say not-found for a stream that
	// exists: resetting then would delete the committed history.
	createOnly bool
}

// Failover configures a replicated world's host (Config.Failover).
type Failover struct {
	// ID names this replica: the lease holder's name, and its peer id
	// while it stands by (letters, digits, '_' or '-').
	ID string
	// LeaseTTL: a host that has not renewed its lease for this long is
	// replaced (default 500ms). The host renews it every LeaseTTL/4.
	LeaseTTL time.Duration
	// Keys is how many idempotency keys — intents' (Buyer, RequestID)
	// and keyed commands' (Host.CommandOnce) — the host remembers to apply
	// a retry or redelivery once (default 65536, about 7 MB of heap): one later
	// than that many keys is applied again (an intent is then rejected by
	// the world as DuplicateRequest within its IdempotencyWindow; a keyed
	// command is applied a second time).
	Keys int
}

func (f *Failover) defaults() error {
	if err := checkName("replica", f.ID); err != nil {
		return err
	}
	if f.LeaseTTL <= 0 {
		f.LeaseTTL = 500 * time.Millisecond
	}
	if f.Keys <= 0 {
		f.Keys = 1 << 16
	}
	return nil
}

func (c *Config) defaults() error {
	if err := checkName("session", c.Session); err != nil {
		return err
	}
	if c.NewWorld == nil {
		return fmt.Errorf("%w (Config.NewWorld)", ErrNoNewWorld)
	}
	if c.Delay == 0 {
		c.Delay = 2
	}
	if c.MaxLead == 0 {
		c.MaxLead = 2
	}
	if c.SnapshotEvery == 0 {
		c.SnapshotEvery = 500
	}
	if c.PeerTimeout == 0 {
		c.PeerTimeout = 3 * time.Second
	}
	if c.Authorize == nil {
		c.Authorize = DefaultAuthorizer
	}
	if c.Ring == 0 {
		c.Ring = 8192
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.Failover != nil {
		f := *c.Failover // the caller's stays as given
		if err := f.defaults(); err != nil {
			return err
		}
		c.Failover = &f
	}
	c.Ring = max(c.Ring, int(c.SnapshotEvery+c.MaxLead)+16)
	return nil
}
