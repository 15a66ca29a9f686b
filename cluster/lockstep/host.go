package lockstep

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// Host owns a session's input ordering and checks every peer's checksums.
// Its methods are called from one goroutine (the game loop), except
// Stats, Reports, Refusals and Peers, which are safe from any goroutine.
type Host struct {
	cfg    Config
	nc     *nats.Conn
	js     jetstream.JetStream
	obs    jetstream.ObjectStore // snapshots: only the host writes
	states jetstream.ObjectStore // peers' states for desync diffs: peers write
	w      *ecs.World
	names  []string

	inbox chan *nats.Msg // peers' messages in arrival order; NATS drops what a full one cannot take
	subs  []*nats.Subscription

	buckets []ecs.TickRecord // inputs by apply tick: index tick % len
	ring    []tickSums       // the host's checksums by tick: index tick % len
	peers   map[string]*peerState
	order   []string                 // peer ids, sorted: iteration never uses map order
	owners  map[components.ID]string // player → peer

	// Frames published and their stream sequences, by tick: a snapshot of
	// the state before tick t is stored with the sequence after frame t-1,
	// looked up by t — never "after the last frame published", which is
	// another frame if the world stepped between the two.
	sent       []sentFrame // published, ack not read yet, in tick order
	seqs       []tickSeq   // read acks: index tick % len
	firstTick  uint64      // the first tick this host publishes a frame of
	snaps      []string    // stored snapshots' names, oldest first
	snapSerial uint64
	pubErr     error
	halted     bool
	frame      ecs.TickRecord
	free       [][]byte // frame buffers whose publish was acknowledged, for reuse
	commitErr  error    // from committed, returned by Step or Err

	// Replication and failover (Config.Failover; see failover.go).
	lastSeq     uint64         // the stream's last sequence the next frame expects (fencing)
	baseSeq     uint64         // the stream's last sequence before this host's first frame
	commitTo    uint64         // ticks whose frames the stream stored: all below this
	lease       *hostLease     // nil without Failover
	renewAt     time.Time      // next lease renewal
	fenced      error          // *FencedError once deposed: every Prepare returns it
	broken      bool           // a frame failed: no later ack commits a tick
	keys        *keyRing       // idempotency keys (Failover, or once CommandOnce was called)
	cmdKeys     []byte         // keys of the keyed commands queued for the next tick (cmdKeyLen each)
	waiting     []waitReply    // inputs answered once their tick is committed
	storing     chan error     // an adopted world's snapshot being stored (storeSnapshotAsync), nil: none
	storingName string         // its name, recorded once stored
	held        []heldSum      // peers' reports of ticks not committed yet (check.go)
	verifying   bool           // comparing held reports (a desync report reads acks meanwhile)
	heldRec     ecs.TickRecord // verifyHeld's record of the report it compares
	term        string         // "/<lease revision>" in frame msg ids (Failover), "" otherwise
	epoch       uint64         // that lease revision (0 without Failover): the term in a frame part's header
	partEnds    []int          // the end of each message of the frame being published (one unless parted)
	// answered is set once the stream stored one of this host's frame
	// messages; until then (Failover) the host has at most one in
	// flight. The expected last sequence alone does not fence a
	// pipelined host: a frame of the deposed host still on its way (in
	// its reconnect buffer, or the server's queue) can land after this
	// host read the stream's last sequence. This host's first message is
	// then refused, but the next one, pipelined behind it, expects
	// exactly the late frame's sequence and is stored after it: readers
	// run the deposed host's tick, then this host's next tick computed on
	// its own (or orphan parts of a parted frame). The server takes a
	// connection's publishes to a stream in order, so once the first one
	// is answered nothing sent before it can come between this host's
	// messages; a first one refused fences the host with nothing behind.
	answered bool

	refused refusals
	mu      sync.Mutex // guards stats and reports
	stats   Stats
	reports []Report
}

type tickSums struct {
	tick      uint64
	checksum  uint64
	stages    []uint64
	published time.Time
	reported  int // live peers that reported this tick
}

// Stats sums up a host's session.
type Stats struct {
	Ticks       uint64        // ticks the host has run
	Verified    uint64        // peer checksums that matched the host's (one per peer per tick)
	Mismatches  uint64        // peer checksums that did not
	Unverified  uint64        // reports too old for the ring
	Refused     int           // messages refused (inputs, sums, hellos)
	MeanLatency time.Duration // frame published → last live peer's checksum for it
	MaxLatency  time.Duration
	latencySum  time.Duration
	latencyN    uint64
}

// NewHost creates the session's stream and snapshot stores (replacing
// those an earlier host of the same session left; a stream or bucket of
// that name it did not create is a *NotOursError, and kept), builds the
// host's world and queues the content for tick 0. The host subscribes to
// its peers' messages on nc; it runs ticks when Step is called.
//
// Without cfg.Failover, a replicated session's stores are never replaced:
// NewHost refuses with a *FencedError while its lease bucket exists. Host
// a replicated session only with its Failover config (a Replica), which
// the lease refuses while another replica holds it (*FencedError).
func NewHost(nc *nats.Conn, cfg Config) (*Host, error) {
	return newHost(nc, cfg, nil)
}

// newHost is NewHost, or with ad the takeover of a running session by a
// standby replica (failover.go): its world and the stream as they are.
func newHost(nc *nats.Conn, cfg Config, ad *adoption) (*Host, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, nc: nc, peers: map[string]*peerState{}, owners: map[components.ID]string{},
		inbox: make(chan *nats.Msg, 1<<16)}
	jsOpts := []jetstream.JetStreamOpt{jetstream.WithPublishAsyncErrHandler(func(_ jetstream.JetStream, _ *nats.Msg, err error) {
		h.mu.Lock()
		if h.pubErr == nil {
			h.pubErr = err
		}
		h.mu.Unlock()
	})}
	if cfg.Failover != nil {
		// A frame sent to a stream leader that died is never answered:
		// the timeout turns that into an error, and the replica steps
		// down and follows whoever hosts next.
		jsOpts = append(jsOpts, jetstream.WithPublishAsyncTimeout(max(time.Second, 2*cfg.Failover.LeaseTTL)))
		cfg.World = nil
		if ad != nil {
			cfg.World = ad.world
		}
	}
	js, err := jetstream.New(nc, jsOpts...)
	if err != nil {
		return nil, err
	}
	h.js = js
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cfg.Failover != nil {
		// The lease first: a replica that does not hold it must not touch
		// the session's stores.
		h.keys = newKeyRing(cfg.Failover.Keys)
		switch {
		case ad != nil:
			h.keys, h.lease = ad.keys, ad.lease
		case cfg.preLease != nil:
			h.lease = cfg.preLease
		default:
			if h.lease, err = openLease(ctx, js, cfg.Session, cfg.Failover.ID, cfg.Failover.LeaseTTL, cfg.Replicas); err != nil {
				return nil, err
			}
			switch ok, err := h.lease.TryAcquire(ctx); {
			case err != nil:
				return nil, &FencedError{Reason: fmt.Sprintf("cannot take the session's lease: %v", err)}
			case !ok:
				reason := "the session's lease is held by another replica"
				if who, _, herr := h.lease.Holder(ctx); herr == nil && who != "" {
					reason = fmt.Sprintf("the session's lease is held by replica %q", who)
				}
				return nil, &FencedError{Reason: reason + ": a Replica with this Failover config stands by until it lapses"}
			}
		}
		h.epoch = h.lease.Revision()
		h.term = "/" + strconv.FormatUint(h.epoch, 10)
		h.renewAt = time.Now().Add(cfg.Failover.LeaseTTL / 4)
	}
	if ad != nil {
		if err := h.adopt(ctx, ad); err != nil {
			return nil, err
		}
	} else if err := h.resetStores(ctx); err != nil {
		return nil, err
	}
	// The host of tick 0 queues the content: a fresh host, or a standby
	// that takes over before the session's creator committed frame 0 (its
	// world has run no frame; without this the history starts without
	// the content, which happened in 1 of 3 runs of the inbox failover
	// test on a loaded machine).
	if h.w = cfg.World; h.w == nil || ad != nil && h.w.NextTick() == 0 {
		if h.w == nil {
			h.w = cfg.NewWorld()
		}
		if cfg.Content != nil {
			if _, err := cfg.Content.Apply(h.w); err != nil {
				return nil, err
			}
		}
	}
	h.names = h.w.StageNames()
	h.firstTick = h.w.NextTick()
	h.seqs = make([]tickSeq, seqRing)
	h.w.Subscribe(ecs.EveryTick, h.committed)
	h.buckets = make([]ecs.TickRecord, cfg.Delay+1)
	h.ring = make([]tickSums, cfg.Ring)
	if ad != nil && h.firstTick > 0 { // the next frame carries the checksums of the tick before
		s := &h.ring[(h.firstTick-1)%uint64(len(h.ring))]
		s.tick, s.checksum, s.stages = h.firstTick-1, ad.checksum, slices.Clone(ad.stages)
	}
	if h.w.NextTick() > 0 { // an adopted world: peers start from its state
		if ad != nil {
			// Taken now, stored while the host already runs its first
			// ticks: the old host's snapshot serves late joiners
			// meanwhile, and the world waits for no upload.
			if err := h.storeSnapshotAsync(); err != nil {
				return nil, err
			}
		} else if err := h.storeSnapshot(nil); err != nil {
			return nil, err
		}
	}
	h.commitTo = h.firstTick
	// One channel for all three subjects: nats.go hands channel
	// subscriptions their messages from the connection's one read loop, so
	// the host handles each peer's messages in the order the peer sent
	// them — its hello before its sums and inputs, the sums of a world it
	// left before the hello of its resync. Callback subscriptions run one
	// goroutine each and could swap those: a stale sum after the hello is
	// compared (a second, false desync), a new one before it is dropped
	// and the peer is refused from then on.
	for _, subj := range []string{subjInput(cfg.Session, "*"), subjSum(cfg.Session, "*"), subjHello(cfg.Session, "*")} {
		sub, err := nc.ChanSubscribe(subj, h.inbox)
		if err != nil {
			h.Close()
			return nil, err
		}
		h.subs = append(h.subs, sub)
	}
	if err := nc.Flush(); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// World returns the host's own world. Read it between Steps, from the
// host's goroutine.
func (h *Host) World() *ecs.World { return h.w }

// Poll handles the messages that arrived (inputs, checksums, hellos)
// without running a tick.
func (h *Host) Poll() {
	h.readAcksNow()
	for {
		select {
		case m := <-h.inbox:
			h.handle(m)
		default:
			return
		}
	}
}

// Step runs the next tick: Prepare, then the host's world steps and the
// tick's frame goes out. It returns the host's record of the tick, valid
// until the next Step.
func (h *Host) Step(ctx context.Context) (*ecs.TickRecord, error) {
	if err := h.Prepare(ctx); err != nil {
		return nil, err
	}
	rec := h.w.Step()
	err := h.commitErr
	h.commitErr = nil
	return rec, err
}

// Prepare readies the host's world for its next tick, for a game loop that
// steps the world itself (Config.World): it waits until no live peer is
// more than MaxLead ticks behind (a peer silent for PeerTimeout stops
// counting) and queues the peers' inputs stamped for that tick. Inputs
// the game queues straight into the world apply in that tick too. When the
// world has stepped, the host publishes the tick's inputs as its frame
// (from the committed record) and records its checksums.
func (h *Host) Prepare(ctx context.Context) error {
	h.Poll()
	if err := h.keepLease(ctx); err != nil {
		return err
	}
	for !h.halted && !h.mayStep() {
		wait := h.cfg.PeerTimeout
		for _, id := range h.live() {
			wait = min(wait, max(0, time.Until(h.peers[id].lastSeen.Add(h.cfg.PeerTimeout))))
		}
		if h.lease != nil {
			wait = min(wait, max(0, time.Until(h.renewAt)))
		}
		t := time.NewTimer(wait + time.Millisecond)
		select {
		case m := <-h.inbox:
			h.handle(m)
		case <-t.C:
			h.expire()
			if err := h.keepLease(ctx); err != nil {
				t.Stop()
				return err
			}
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		t.Stop()
	}
	if h.halted {
		return ErrHalted
	}
	h.mu.Lock()
	err := h.pubErr
	h.mu.Unlock()
	if err != nil {
		return h.pubError(h.w.NextTick(), err)
	}
	if err := h.snapshotStored(false); err != nil {
		return err
	}
	if h.fenced != nil {
		return h.fenced
	}
	b := &h.buckets[h.w.NextTick()%uint64(len(h.buckets))]
	for _, c := range b.Commands {
		h.w.Command(c)
	}
	for _, in := range b.Intents {
		h.w.Submit(in)
	}
	b.Commands, b.Intents = b.Commands[:0], b.Intents[:0]
	return nil
}

// committed is the host world's subscriber: it publishes the tick's
// inputs as its frame — commands as applied (creation ids assigned),
// intents in processing order, which replay identically — with the host's
// checksums of the previous tick (for exported logs), and records the
// tick's checksums for the peers' reports.
func (h *Host) committed(rec *ecs.TickRecord) error {
	tick := rec.Tick
	h.keys.addOutcomes(len(h.cmdKeys) > 0, rec)
	f := &h.frame
	f.Tick = tick
	f.Commands = append(f.Commands[:0], rec.Commands...)
	f.Intents = append(f.Intents[:0], rec.Intents...)
	f.Checksum, f.Stages = 0, f.Stages[:0]
	if tick > 0 {
		prev := &h.ring[(tick-1)%uint64(len(h.ring))]
		f.Checksum, f.Stages = prev.checksum, append(f.Stages, prev.stages...)
	}
	s := &h.ring[tick%uint64(len(h.ring))]
	s.tick, s.checksum, s.stages, s.reported = rec.Tick, rec.Checksum, append(s.stages[:0], rec.Stages...), 0
	s.published = time.Now()
	if h.lease != nil && (h.fenced != nil || h.broken) {
		// A replicated world's host whose frame failed publishes no
		// more: a frame behind a refused one can still match the
		// stream's last sequence (see Host.answered) and be stored on
		// top of another host's tick.
		h.cmdKeys = h.cmdKeys[:0]
		h.commitErr = h.fenced
		if h.commitErr == nil {
			h.commitErr = fmt.Errorf("lockstep: frame %d not published: an earlier frame failed", tick)
		}
		return nil
	}
	// A buffer of its own until the frame's ack is read (sentFrame.buf).
	var buf []byte
	if n := len(h.free); n > 0 {
		buf, h.free[n-1] = h.free[n-1], nil
		h.free = h.free[:n-1]
	}
	buf = encodeFrame(buf, h.cfg.Session, f, h.cmdKeys)
	h.cmdKeys = h.cmdKeys[:0]
	// With Failover, the expected last sequence fences the history: a frame is stored
	// only right after the frame this host published before it (or the
	// stream's end when it started), so a deposed host cannot add a tick
	// after its successor's. The term in the msg id keeps the server's
	// deduplication from taking a successor's frame of the same tick for
	// a repeat of the deposed host's.
	id := h.cfg.Session + "/" + strconv.FormatUint(tick, 10) + h.term
	if limit := h.frameLimit(len(id)); len(buf) > limit {
		// Too large for one message: parts, each fenced like a frame
		// (parts.go). The whole encoding is copied into the parts, so
		// its buffer is free again at once.
		var parts []byte
		if n := len(h.free); n > 0 {
			parts, h.free[n-1] = h.free[n-1], nil
			h.free = h.free[:n-1]
		}
		parts, h.partEnds = splitFrame(parts, h.partEnds, h.cfg.Session, h.epoch, tick, buf, limit)
		h.free = append(h.free, buf[:0])
		buf = parts
	} else {
		h.partEnds = append(h.partEnds[:0], len(buf))
	}
	start := 0
	for i, end := range h.partEnds {
		msgID := id
		if len(h.partEnds) > 1 {
			msgID = id + "#" + strconv.Itoa(i)
		}
		opts := []jetstream.PublishOpt{jetstream.WithMsgID(msgID)}
		if h.lease != nil {
			// No re-send by the client on "no responders" (a stream
			// electing a leader): it sends the message again a while
			// later on its own, out of order with what was published
			// since, possibly by a host that took over meanwhile. The
			// publish fails instead, and the host steps down.
			opts = append(opts, jetstream.WithExpectLastSequence(h.lastSeq), jetstream.WithRetryAttempts(0))
		}
		fut, err := h.js.PublishAsync(subjFrames(h.cfg.Session), buf[start:end:end], opts...)
		if err != nil {
			h.commitErr = h.pubError(tick, err)
			// The tick has no frame (too large, connection closed; parts
			// published before this one are a torn frame, which readers
			// drop): a later frame's ack must not commit it.
			h.broken = true
			return nil // kept for Step or Err: the subscription stays
		}
		h.lastSeq++
		// The buffer goes with the last part: it is reused once that
		// one's ack is read, and acks are read in order.
		last := i == len(h.partEnds)-1
		sf := sentFrame{tick: tick, ack: fut, more: !last}
		if last {
			sf.buf = buf
		}
		h.sent = append(h.sent, sf)
		start = end
		if h.lease != nil && !h.answered {
			if err := h.awaitFirst(tick); err != nil {
				h.commitErr = err // nothing was sent behind it
				return nil
			}
		}
		if hook := testHookPartSent.Load(); !last && hook != nil {
			(*hook)(h, tick, i, len(h.partEnds))
		}
	}
	if err := h.readAcks(); err != nil {
		h.commitErr = err
	}
	h.mu.Lock()
	h.stats.Ticks++
	h.mu.Unlock()
	if h.w.NextTick()%h.cfg.SnapshotEvery == 0 {
		if err := h.storeSnapshot(nil); err != nil {
			h.commitErr = err
		}
	}
	return nil
}

// Err returns (and clears) the error of the last tick the world ran, for
// a game loop that steps the world itself: a frame that could not be
// published or a snapshot that could not be stored.
func (h *Host) Err() error {
	err := h.commitErr
	h.commitErr = nil
	return err
}

func (h *Host) say(format string, args ...any) {
	if h.cfg.Console != nil {
		fmt.Fprintf(h.cfg.Console, format, args...)
	}
}

func (h *Host) refuse(m *nats.Msg, from, reason string) {
	h.refused.add(Refusal{From: from, Tick: h.w.NextTick(), Reason: reason})
	h.mu.Lock()
	h.stats.Refused++
	h.mu.Unlock()
	if m.Reply != "" {
		m.Respond([]byte("refused: " + reason))
	}
}

// handle dispatches one inbound message (host goroutine).
func (h *Host) handle(m *nats.Msg) {
	rest := strings.TrimPrefix(m.Subject, names.Session(h.cfg.Session).Prefix())
	switch {
	case strings.HasPrefix(rest, "hello."):
		h.onHello(m, rest[len("hello."):])
	case strings.HasPrefix(rest, "in."):
		h.onInput(m, rest[len("in."):])
	case strings.HasPrefix(rest, "sum."):
		h.onSum(m, rest[len("sum."):])
	}
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// Stats returns the session's counters.
func (h *Host) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.stats
	if s.latencyN > 0 {
		s.MeanLatency = s.latencySum / time.Duration(s.latencyN)
	}
	return s
}

// Reports returns the desync reports so far.
func (h *Host) Reports() []Report {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.reports)
}

// Refusals returns the last refused messages (at most 1000).
func (h *Host) Refusals() []Refusal { return h.refused.get() }

// Close unsubscribes and waits for the published frames to be stored
// (answering the inputs they carry), then gives up the lease so that a
// standby takes over at once.
func (h *Host) Close() {
	for _, s := range h.subs {
		s.Unsubscribe()
	}
	if h.js != nil {
		select {
		case <-h.js.PublishAsyncComplete():
		case <-time.After(5 * time.Second):
		}
		h.readAcksNow()
		_ = h.snapshotStored(true)
	}
	if h.lease != nil && h.fenced == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = h.lease.Release(ctx)
	}
}

// awaitFirst waits for the stream's answer to the host's first frame
// message, the only one in flight (see Host.answered), and reads it: a
// refusal fences the host (*FencedError), no answer in time breaks it.
func (h *Host) awaitFirst(tick uint64) error {
	// The publish times out on its own (WithPublishAsyncTimeout); this
	// bound only keeps a lost timeout from stopping the world for good.
	d := max(time.Second, 2*h.cfg.Failover.LeaseTTL) + 5*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := h.readAcksUntil(ctx.Done(), tick); err != nil {
		return err
	}
	if len(h.sent) > 0 {
		h.broken = true
		return fmt.Errorf("lockstep: frame %d: the stream did not answer in %v", tick, d)
	}
	h.answered = true
	return nil
}
