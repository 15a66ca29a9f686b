package lockstep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
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
	buf        []byte
	commitErr  error // from committed, returned by Step or Err

	refused refusals
	mu      sync.Mutex // guards stats and reports
	stats   Stats
	reports []Report
}

type sentFrame struct {
	tick uint64
	ack  jetstream.PubAckFuture
}

type tickSeq struct {
	tick, seq uint64 // seq 0: none
}

type tickSums struct {
	tick      uint64
	checksum  uint64
	stages    []uint64
	published time.Time
	reported  int // live peers that reported this tick
}

type peerState struct {
	id       string
	next     uint64 // next tick it will report
	live     bool   // holds the host back (MaxLead)
	desynced bool   // dropped: its reports are ignored until it says hello again
	left     bool   // said bye: reports still in flight do not make it live again
	lastSeen time.Time
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

// NewHost creates the session's stream and snapshot store (replacing any
// left from an earlier session of the same id), builds the host's world
// and queues the content for tick 0. The host subscribes to its peers'
// messages on nc; it runs ticks when Step is called.
func NewHost(nc *nats.Conn, cfg Config) (*Host, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	h := &Host{cfg: cfg, nc: nc, peers: map[string]*peerState{}, owners: map[components.ID]string{},
		inbox: make(chan *nats.Msg, 1<<16)}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncErrHandler(func(_ jetstream.JetStream, _ *nats.Msg, err error) {
		h.mu.Lock()
		if h.pubErr == nil {
			h.pubErr = err
		}
		h.mu.Unlock()
	}))
	if err != nil {
		return nil, err
	}
	h.js = js
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.resetStores(ctx); err != nil {
		return nil, err
	}
	if h.w = cfg.World; h.w == nil {
		h.w = cfg.NewWorld()
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
	if h.w.NextTick() > 0 { // an adopted world: peers start from its state
		if err := h.storeSnapshot(nil); err != nil {
			return nil, err
		}
	}
	h.buckets = make([]ecs.TickRecord, cfg.Delay+1)
	h.ring = make([]tickSums, cfg.Ring)
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

// Stream and bucket metadata: the session a host created them for. A host
// deletes only a stream or bucket that carries its session's mark.
const (
	metaSession = "tickecon.lockstep_session"
	metaKind    = "tickecon.lockstep_kind"
)

// resetStores deletes the session's frame stream and buckets left
// by an earlier host of the session — only if they carry that mark, so a
// stream someone else made under the same name (by hand, another tool) is
// never deleted — and creates them anew, marked.
func (h *Host) resetStores(ctx context.Context) error {
	s := h.cfg.Session
	mark := func(kind string) map[string]string { return map[string]string{metaSession: s, metaKind: kind} }
	ours := func(md map[string]string, kind string) bool { return md[metaSession] == s && md[metaKind] == kind }
	switch st, err := h.js.Stream(ctx, streamName(s)); {
	case errors.Is(err, jetstream.ErrStreamNotFound):
	case err != nil:
		return fmt.Errorf("lockstep: frame stream: %w", err)
	case !ours(st.CachedInfo().Config.Metadata, "frames"):
		return &NotOursError{Kind: "stream", Name: streamName(s), Session: s}
	default:
		if err := h.js.DeleteStream(ctx, streamName(s)); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("lockstep: %w", err)
		}
	}
	if _, err := h.js.CreateStream(ctx, jetstream.StreamConfig{Name: streamName(s), Metadata: mark("frames"),
		Subjects: []string{subjFrames(s)}, Storage: jetstream.FileStorage, Duplicates: time.Minute}); err != nil {
		return fmt.Errorf("lockstep: frame stream: %w", err)
	}
	var err error
	if h.obs, err = h.resetBucket(ctx, bucketName(s), "snapshots"); err != nil {
		return err
	}
	h.states, err = h.resetBucket(ctx, stateBucketName(s), "states")
	return err
}

// resetBucket is resetStores for one object store bucket.
func (h *Host) resetBucket(ctx context.Context, name, kind string) (jetstream.ObjectStore, error) {
	s := h.cfg.Session
	switch obs, err := h.js.ObjectStore(ctx, name); {
	case errors.Is(err, jetstream.ErrBucketNotFound), errors.Is(err, jetstream.ErrStreamNotFound):
	case err != nil:
		return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
	default:
		st, err := obs.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
		}
		if md := st.Metadata(); md[metaSession] != s || md[metaKind] != kind {
			return nil, &NotOursError{Kind: "bucket", Name: name, Session: s}
		}
		if err := h.js.DeleteObjectStore(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrBucketNotFound) {
			return nil, fmt.Errorf("lockstep: %w", err)
		}
	}
	obs, err := h.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: name,
		Metadata: map[string]string{metaSession: s, metaKind: kind}})
	if err != nil {
		return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
	}
	return obs, nil
}

// World returns the host's own world. Read it between Steps, from the
// host's goroutine.
func (h *Host) World() *ecs.World { return h.w }

// Allow makes players the given peer's: it may submit intents for them
// and act for them in commands (see Authorizer).
func (h *Host) Allow(peer string, players ...components.ID) {
	for _, p := range players {
		h.owners[p] = peer
	}
}

// Command queues a host (admin) command, stamped like a peer's input. It
// returns the tick it applies in.
func (h *Host) Command(c events.Event) uint64 {
	t := h.w.NextTick() + h.cfg.Delay
	b := &h.buckets[t%uint64(len(h.buckets))]
	b.Commands = append(b.Commands, c)
	return t
}

// Submit queues a host-side intent (the host's own player), stamped like a
// peer's input. It returns the tick it applies in.
func (h *Host) Submit(in components.PurchaseIntent) uint64 {
	t := h.w.NextTick() + h.cfg.Delay
	b := &h.buckets[t%uint64(len(h.buckets))]
	b.Intents = append(b.Intents, in)
	return t
}

// Poll handles the messages that arrived (inputs, checksums, hellos)
// without running a tick.
func (h *Host) Poll() {
	for {
		select {
		case m := <-h.inbox:
			h.handle(m)
		default:
			return
		}
	}
}

// WaitPeers polls until n peers have joined, or ctx ends.
func (h *Host) WaitPeers(ctx context.Context, n int) error {
	for {
		h.Poll()
		if len(h.live()) >= n {
			return nil
		}
		select {
		case m := <-h.inbox:
			h.handle(m)
		case <-ctx.Done():
			return fmt.Errorf("lockstep: %d of %d peers joined: %w", len(h.live()), n, ctx.Err())
		}
	}
}

func (h *Host) live() []string {
	var out []string
	for _, id := range h.order {
		if p := h.peers[id]; p.live && !p.desynced {
			out = append(out, id)
		}
	}
	return out
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
	for !h.halted && !h.mayStep() {
		wait := h.cfg.PeerTimeout
		for _, id := range h.live() {
			wait = min(wait, max(0, time.Until(h.peers[id].lastSeen.Add(h.cfg.PeerTimeout))))
		}
		t := time.NewTimer(wait + time.Millisecond)
		select {
		case m := <-h.inbox:
			h.handle(m)
		case <-t.C:
			h.expire()
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
		return fmt.Errorf("lockstep: publishing frames: %w", err)
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
	h.buf = encodeInto(h.buf[:0], msgFrame, h.cfg.Session, f)
	fut, err := h.js.PublishAsync(subjFrames(h.cfg.Session), h.buf,
		jetstream.WithMsgID(h.cfg.Session+"/"+strconv.FormatUint(tick, 10)))
	if err != nil {
		h.commitErr = fmt.Errorf("lockstep: publishing frame %d: %w", tick, err)
		return nil // kept for Step or Err: the subscription stays
	}
	h.sent = append(h.sent, sentFrame{tick: tick, ack: fut})
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

// mayStep reports whether every live peer has reported the ticks before
// the last MaxLead.
func (h *Host) mayStep() bool {
	next := h.w.NextTick()
	for _, id := range h.order {
		p := h.peers[id]
		if p.live && !p.desynced && next >= p.next+h.cfg.MaxLead {
			return false
		}
	}
	return true
}

// expire stops waiting for peers silent for PeerTimeout.
func (h *Host) expire() {
	for _, id := range h.order {
		p := h.peers[id]
		if p.live && !p.desynced && time.Since(p.lastSeen) > h.cfg.PeerTimeout {
			p.live = false
			h.say("peer %s silent for %s at tick %d: no longer waited for\n", id, h.cfg.PeerTimeout, p.next)
		}
	}
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

// onHello registers a peer ("hello <id> <next tick>") or lets it leave
// ("bye <id>"), on the peer's own hello subject: the id must be the
// subject's, so that NATS permissions on hello.<peer> decide who may speak
// for a peer. A hello from a known peer (a reconnect or a resync) resets
// it: its reports are compared again from its next tick.
func (h *Host) onHello(m *nats.Msg, from string) {
	f := strings.Fields(string(m.Data))
	if len(f) < 2 || checkName("peer", f[1]) != nil {
		h.refuse(m, "", fmt.Sprintf("malformed hello %q", truncate(m.Data)))
		return
	}
	id := f[1]
	if id != from {
		h.refuse(m, from, fmt.Sprintf("hello for peer %q on %s's subject", id, from))
		return
	}
	switch {
	case f[0] == "bye" && len(f) == 2:
		if p, ok := h.peers[id]; ok {
			p.live, p.left = false, true
			h.say("peer %s left at tick %d\n", id, p.next)
		}
	case f[0] == "hello" && len(f) == 3:
		next, err := strconv.ParseUint(f[2], 10, 64)
		if err != nil || next > h.w.NextTick() {
			h.refuse(m, id, fmt.Sprintf("hello from %s starts at tick %q, host is at %d", id, f[2], h.w.NextTick()))
			return
		}
		p, ok := h.peers[id]
		if !ok {
			p = &peerState{id: id}
			h.peers[id] = p
			h.order = append(h.order, id)
			slices.Sort(h.order)
		}
		*p = peerState{id: id, next: next, live: true, lastSeen: time.Now()}
		h.say("peer %s joined at tick %d (host at %d)\n", id, next, h.w.NextTick())
		if m.Reply != "" {
			m.Respond([]byte("ok"))
		}
	default:
		h.refuse(m, id, fmt.Sprintf("malformed hello %q", truncate(m.Data)))
	}
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// onInput stamps a peer's input with its apply tick, after checking it
// whole: one bad intent or command refuses the whole message.
func (h *Host) onInput(m *nats.Msg, peer string) {
	if _, ok := h.peers[peer]; !ok {
		h.refuse(m, peer, "input from a peer that has not joined")
		return
	}
	r, err := decode(msgInput, h.cfg.Session, m.Data)
	if err != nil {
		h.refuse(m, peer, "input: "+err.Error())
		return
	}
	owns := func(id components.ID) bool { return id != 0 && h.owners[id] == peer }
	for _, in := range r.Intents {
		if !owns(in.Buyer) {
			h.refuse(m, peer, fmt.Sprintf("intent for player %d, not one of %s's", in.Buyer, peer))
			return
		}
	}
	for i := range r.Commands {
		if why := h.cfg.Authorize(peer, owns, &r.Commands[i]); why != "" {
			h.refuse(m, peer, why)
			return
		}
	}
	t := h.w.NextTick() + h.cfg.Delay
	b := &h.buckets[t%uint64(len(h.buckets))]
	b.Commands = append(b.Commands, r.Commands...)
	b.Intents = append(b.Intents, r.Intents...)
	if m.Reply != "" {
		m.Respond([]byte("ok " + strconv.FormatUint(t, 10)))
	}
}

// onSum compares a peer's checksums of one tick with the host's.
func (h *Host) onSum(m *nats.Msg, peer string) {
	p, ok := h.peers[peer]
	if !ok {
		h.refuse(m, peer, "checksum from a peer that has not joined")
		return
	}
	r, err := decode(msgSum, h.cfg.Session, m.Data)
	if err != nil {
		h.refuse(m, peer, "checksum: "+err.Error())
		return
	}
	if p.desynced {
		return // dropped: waiting for its hello after the resync
	}
	if r.Tick != p.next {
		h.refuse(m, peer, fmt.Sprintf("checksum for tick %d, expected tick %d", r.Tick, p.next))
		return
	}
	if r.Tick >= h.w.NextTick() {
		h.refuse(m, peer, fmt.Sprintf("checksum for tick %d, which the host has not run (at %d)", r.Tick, h.w.NextTick()))
		return
	}
	p.next, p.lastSeen = r.Tick+1, time.Now()
	if !p.live && !p.left {
		p.live = true
		h.say("peer %s reporting again at tick %d\n", peer, r.Tick)
	}
	s := &h.ring[r.Tick%uint64(len(h.ring))]
	if s.tick != r.Tick || (r.Tick == 0 && s.published.IsZero()) {
		h.mu.Lock()
		h.stats.Unverified++
		h.mu.Unlock()
		return
	}
	// A peer with stage checksums off is compared on the tick's checksum.
	if r.Checksum == s.checksum && (len(r.Stages) == 0 || slices.Equal(r.Stages, s.stages)) {
		s.reported++
		h.mu.Lock()
		h.stats.Verified++
		if s.reported == len(h.live()) {
			d := time.Since(s.published)
			h.stats.latencySum += d
			h.stats.latencyN++
			h.stats.MaxLatency = max(h.stats.MaxLatency, d)
		}
		h.mu.Unlock()
		return
	}
	h.desync(p, &r, s)
}

// desync reports a peer whose checksums of tick r.Tick differ from the
// host's, then applies the policy.
func (h *Host) desync(p *peerState, r *ecs.TickRecord, s *tickSums) {
	h.mu.Lock()
	h.stats.Mismatches++
	h.mu.Unlock()
	rep := Report{Session: h.cfg.Session, Peer: p.id, Tick: r.Tick, DetectedAt: h.w.NextTick(),
		ExpectedChecksum: fmt.Sprintf("%016x", s.checksum), ActualChecksum: fmt.Sprintf("%016x", r.Checksum)}
	if i, ok := ecs.FirstStageDiff(s.stages, r.Stages); ok {
		rep.Stage = replay.StageName(h.names, s.stages, r.Stages)
		if i < len(s.stages) && i < len(r.Stages) {
			rep.ExpectedChecksum = fmt.Sprintf("%016x", s.stages[i])
			rep.ActualChecksum = fmt.Sprintf("%016x", r.Stages[i])
		}
	}
	// Both states after the host's last tick: the peer is at most there.
	at := h.w.NextTick()
	rep.StateTick = at - 1
	mine, err := h.snapshot()
	if err == nil {
		var theirs *ecs.Snapshot
		theirs, err = h.fetchState(p.id, at)
		if err == nil {
			rep.Diffs = replay.DiffSnapshots(mine, theirs)
		}
	}
	if err != nil {
		rep.DiffError = err.Error()
	}
	p.desynced, p.live = true, false
	if h.cfg.Policy == Halt {
		h.halted = true
		rep.Action = "halted"
	} else {
		rep.Action = "dropped (resyncs from a snapshot)"
		if mine != nil {
			if err := h.storeSnapshot(mine); err != nil {
				rep.Action += ": " + err.Error()
			}
		}
		h.nc.Publish(subjCtl(h.cfg.Session, p.id), []byte("resync"))
	}
	h.emit(&rep)
}

// fetchState asks a peer for its state after tick at-1: the peer stores it
// in the snapshot store when it gets there and replies with its name.
func (h *Host) fetchState(peer string, at uint64) (*ecs.Snapshot, error) {
	reply, err := h.nc.Request(subjCtl(h.cfg.Session, peer), []byte("state "+strconv.FormatUint(at, 10)), h.cfg.PeerTimeout)
	if err != nil {
		return nil, fmt.Errorf("peer %s did not send its state: %w", peer, err)
	}
	name, ok := strings.CutPrefix(string(reply.Data), "ok ")
	if !ok {
		return nil, fmt.Errorf("peer %s: %s", peer, reply.Data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.cfg.PeerTimeout)
	defer cancel()
	raw, err := h.states.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("peer %s's state: %w", peer, err)
	}
	h.states.Delete(ctx, name)
	var snap ecs.Snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("peer %s's state: %w", peer, err)
	}
	return &snap, nil
}

// emit sends a report to the console, the report file and subscribers.
func (h *Host) emit(rep *Report) {
	if h.cfg.ReportDir != "" {
		if path, err := rep.writeFile(h.cfg.ReportDir); err == nil {
			rep.File = path
		} else {
			h.say("desync report file: %v\n", err)
		}
	}
	h.say("%s", rep)
	if raw, err := json.Marshal(rep); err == nil {
		h.nc.Publish(SubjectReports(h.cfg.Session), raw)
	}
	h.mu.Lock()
	h.reports = append(h.reports, *rep)
	h.mu.Unlock()
}

// snapshot takes the host world's state as a peer starts from it: without
// the commands queued and intents submitted for the next tick. The next
// frame carries those (it is built from the tick as committed); a peer
// that restored them too would apply them twice. A game loop can queue
// them before Prepare, a world can be adopted with some queued, and a
// subscriber running before the host's can queue some for the next tick.
// The reserved ids and ticket counter stay: the frame's commands carry
// their ids and tickets, and the peer's world then agrees with the host's.
func (h *Host) snapshot() (*ecs.Snapshot, error) {
	snap, err := h.w.TakeSnapshot()
	if err != nil {
		return nil, err
	}
	snap.Pending = nil
	// Submitted intents come last (after intents a tick left unconsumed).
	snap.Intents = snap.Intents[:len(snap.Intents)-len(h.w.PendingIntents())]
	return snap, nil
}

// readAcks records the sequences of the published frames whose acks
// arrived, oldest first, and stops at the first still in flight: sent
// stays as short as the frames in flight.
func (h *Host) readAcks() error {
	i := 0
	var err error
loop:
	for ; i < len(h.sent); i++ {
		f := h.sent[i]
		select {
		case a := <-f.ack.Ok():
			h.seqs[f.tick%seqRing] = tickSeq{tick: f.tick, seq: a.Sequence}
		case e := <-f.ack.Err():
			err = fmt.Errorf("lockstep: frame %d: %w", f.tick, e)
			i++
			break loop
		default:
			break loop
		}
	}
	n := copy(h.sent, h.sent[i:])
	clear(h.sent[n:])
	h.sent = h.sent[:n]
	return err
}

// seqRing is how many ticks' frame sequences the host remembers: a
// snapshot is stored at most a few ticks after the state it holds.
const seqRing = 64

// testHookSnapshotTaken, if set (tests), runs between taking a snapshot
// and looking up its stream sequence: it can step the world there.
var testHookSnapshotTaken func()

// storeSnapshot stores snap (or a new snapshot of the host's world) as the
// session's latest, with the stream sequence of its first frame: the one
// after the frame of tick snap.Tick-1. The sequence is looked up by the
// snapshot's tick, so frames published after the snapshot was taken do
// not move it.
func (h *Host) storeSnapshot(snap *ecs.Snapshot) error {
	if snap == nil {
		var err error
		if snap, err = h.snapshot(); err != nil {
			return err
		}
	}
	if testHookSnapshotTaken != nil {
		testHookSnapshotTaken()
	}
	seq, err := h.seqBefore(snap.Tick)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// The snapshot goes under a name of its own, never replaced; then the
	// empty object "latest" points at it (its metadata: one message, so a
	// peer reads name, tick and sequence of one snapshot). Replacing one
	// object in place purged its chunks under a peer still reading them:
	// the peer's read stalled until its timeout.
	h.snapSerial++
	name := "snap-" + strconv.FormatUint(snap.Tick, 10) + "-" + strconv.FormatUint(h.snapSerial, 10)
	md := map[string]string{"name": name, "tick": strconv.FormatUint(snap.Tick, 10), "from_seq": strconv.FormatUint(seq, 10)}
	if _, err := h.obs.Put(ctx, jetstream.ObjectMeta{Name: name, Metadata: md}, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("lockstep: storing snapshot: %w", err)
	}
	if _, err := h.obs.Put(ctx, jetstream.ObjectMeta{Name: latestName, Metadata: md}, bytes.NewReader(nil)); err != nil {
		return fmt.Errorf("lockstep: storing snapshot: %w", err)
	}
	// Keep the one before too: a peer that read the old pointer a moment
	// ago may still be fetching it.
	h.snaps = append(h.snaps, name)
	for len(h.snaps) > keepSnapshots {
		if err := h.obs.Delete(ctx, h.snaps[0]); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return fmt.Errorf("lockstep: deleting an old snapshot: %w", err)
		}
		h.snaps = append(h.snaps[:0], h.snaps[1:]...)
	}
	return nil
}

// latestName is the snapshot store's pointer to the latest snapshot;
// keepSnapshots is how many snapshots the host keeps.
const (
	latestName    = "latest"
	keepSnapshots = 2
)

// seqBefore returns the stream sequence a peer starting at tick reads
// from: the one after the frame of tick-1 (1 if this host published no
// frame before tick). It waits for the published frames' acks.
func (h *Host) seqBefore(tick uint64) (uint64, error) {
	if tick <= h.firstTick {
		return 1, nil
	}
	if len(h.sent) > 0 {
		select {
		case <-h.js.PublishAsyncComplete():
		case <-time.After(10 * time.Second):
			return 0, ErrFramesNotAcked
		}
		if err := h.readAcks(); err != nil {
			return 0, err
		}
	}
	if s := h.seqs[(tick-1)%seqRing]; s.tick == tick-1 && s.seq != 0 {
		return s.seq + 1, nil
	}
	return 0, fmt.Errorf("%w: tick %d", ErrNoFrameSeq, tick-1)
}

// PeerInfo is what the host knows of one peer.
type PeerInfo struct {
	ID       string
	Agreed   uint64 // ticks verified so far: the peer agreed up to tick Agreed-1
	Live     bool   // holds the session back (MaxLead)
	Desynced bool   // dropped after a desync, until it says hello again
}

// Peers lists the peers that joined, by id. Call it from the host's
// goroutine.
func (h *Host) Peers() []PeerInfo {
	out := make([]PeerInfo, 0, len(h.order))
	for _, id := range h.order {
		p := h.peers[id]
		out = append(out, PeerInfo{ID: id, Agreed: p.next, Live: p.live, Desynced: p.desynced})
	}
	return out
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

// Close unsubscribes and waits for the published frames to be stored.
func (h *Host) Close() {
	for _, s := range h.subs {
		s.Unsubscribe()
	}
	if h.js != nil {
		select {
		case <-h.js.PublishAsyncComplete():
		case <-time.After(5 * time.Second):
		}
	}
}
