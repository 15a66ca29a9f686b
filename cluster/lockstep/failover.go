package lockstep

// Failover: a session (or a server-authoritative world: a session with
// no peers) hosted by one of several replicas, any of which takes over
// when the host is lost.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
)

// adoption is what a standby hands the Host it becomes: its world, caught
// up with the stream, and what it learnt following it.
type adoption struct {
	world    *ecs.World
	lastSeq  uint64   // the stream's last sequence: the first frame expects it
	checksum uint64   // the world's checksums of its last tick
	stages   []uint64 // (the next frame carries them)
	keys     *keyRing
	lease    *hostLease
	// What the standby looked up already: the stream's metadata and its
	// peer's snapshot stores (nil: look them up).
	streamMeta  map[string]string
	obs, states jetstream.ObjectStore
	// recreate: a fresh session whose stores a creator that died left
	// half made, with no frame stored: they are made again.
	recreate bool
}

// adopt opens the running session's stream and buckets as they are.
func (h *Host) adopt(ctx context.Context, ad *adoption) error {
	s := h.cfg.Session
	md := ad.streamMeta
	if md == nil {
		st, err := h.js.Stream(ctx, streamName(s))
		if err != nil {
			return noSession(s, err)
		}
		md = st.CachedInfo().Config.Metadata
	}
	if md[metaSession] != s || md[metaKind] != "frames" {
		return &NotOursError{Kind: "stream", Name: streamName(s), Session: s}
	}
	var err error
	if h.obs = ad.obs; h.obs == nil {
		if h.obs, err = h.js.ObjectStore(ctx, bucketName(s)); err != nil {
			return noSession(s, err)
		}
	}
	if h.states = ad.states; h.states == nil {
		if h.states, err = h.js.ObjectStore(ctx, stateBucketName(s)); err != nil {
			return noSession(s, err)
		}
	}
	h.lastSeq, h.baseSeq = ad.lastSeq, ad.lastSeq
	return nil
}

// ReplicaConfig configures a Replica.
type ReplicaConfig struct {
	// Host is the session's host configuration, the same on every
	// replica; Host.Failover is required (its ID names this replica) and
	// Host.World must be nil (a replica builds its worlds with NewWorld).
	Host Config
	// TickEvery is the host's tick period (default 50ms: 20 ticks/s).
	TickEvery time.Duration
	// OnHost, if set, is called on Run's goroutine each time this replica
	// starts hosting, before its first tick: give the host its peers'
	// players (Host.Allow), attach an inbox (Config.OnCommit), …
	OnHost func(h *Host)
	// OnStandby, if set, is called on Run's goroutine each time this
	// replica stops hosting (deposed, or Run ending): stop what OnHost
	// started (an inbox must not take messages for a world it no longer
	// hosts).
	OnStandby func()
	// BeforeStep, if set, is called on Run's goroutine before each tick
	// this replica hosts: queue the tick's inputs on h.World() there (a
	// bus Inbox's Drain; with Host.OnCommit setting the inbox's Horizon,
	// a command is acknowledged once its tick is committed).
	BeforeStep func(h *Host)
	// OnTick, if set, is called after every tick this replica's world
	// ran, hosting or standing by (hosting says which), with the tick's
	// record (valid during the call only). A standby calls it on its
	// peer goroutine, a host on Run's.
	OnTick func(w *ecs.World, rec *ecs.TickRecord, hosting bool)
	// OnEvent, if set, is told of the replica's standby peer's events
	// (PeerConfig.OnEvent).
	OnEvent func(PeerEvent)
	// Console receives what the replica does as text (nil: none).
	Console io.Writer
}

// ReplicaStats counts what a Replica did.
type ReplicaStats struct {
	Takeovers int // times it started hosting
	Fenced    int // times it was deposed (or stepped down) while hosting
}

// Replica is one machine of a replicated world. It stands by — a peer
// of the session that follows the frames and holds the whole world —
// until the host's lease lapses; then it takes the lease (of several
// standbys exactly one wins), catches up with the last committed frame
// and hosts from the next tick: it stores a snapshot for late joiners at
// once, answers the inputs retried across the failover (an intent whose
// key is in the history is not applied again) and publishes each frame
// with the expected last sequence. Deposed — its lease taken, a frame
// refused, a frame not stored in time — it throws its world away and
// stands by again from the latest snapshot.
//
// Run drives it; Stats and IsHost are safe from any goroutine.
type Replica struct {
	cfg ReplicaConfig
	nc  *nats.Conn

	hosting atomic.Bool
	mu      sync.Mutex
	host    *Host
	stats   ReplicaStats
}

// NewReplica checks cfg and returns a replica that does nothing until
// Run.
func NewReplica(nc *nats.Conn, cfg ReplicaConfig) (*Replica, error) {
	if cfg.Host.Failover == nil {
		return nil, errors.New("lockstep: ReplicaConfig.Host.Failover is required")
	}
	if cfg.Host.World != nil {
		return nil, errors.New("lockstep: a replica builds its worlds: ReplicaConfig.Host.World must be nil")
	}
	c := cfg.Host
	if err := c.defaults(); err != nil {
		return nil, err
	}
	if err := checkName("peer", c.Failover.ID); err != nil {
		return nil, err
	}
	cfg.Host = c
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = 50 * time.Millisecond
	}
	return &Replica{cfg: cfg, nc: nc}, nil
}

// IsHost reports whether the replica hosts right now.
func (r *Replica) IsHost() bool { return r.hosting.Load() }

// Stats returns the replica's counters.
func (r *Replica) Stats() ReplicaStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

func (r *Replica) say(format string, args ...any) {
	if r.cfg.Console != nil {
		fmt.Fprintf(r.cfg.Console, "replica %s: "+format+"\n", append([]any{r.cfg.Host.Failover.ID}, args...)...)
	}
}

// Run stands by and hosts, in turn, until ctx ends; it returns ctx's
// error, or an error that makes the replica unusable (a stream of that
// session that is not a session's).
func (r *Replica) Run(ctx context.Context) error {
	for {
		ad, err := r.standby(ctx)
		if err != nil {
			return err
		}
		if err := r.hostUntilDeposed(ctx, ad); err != nil {
			return err
		}
	}
}

// standby follows the session (once it exists) and contends for the
// lease until it wins; it returns the adoption for the Host.
func (r *Replica) standby(ctx context.Context) (*adoption, error) {
	hc := r.cfg.Host
	ttl := hc.Failover.LeaseTTL
	js, err := jetstream.New(r.nc)
	if err != nil {
		return nil, err
	}
	var lease *hostLease
	var peer *Peer
	keys := newKeyRing(hc.Failover.Keys)
	defer func() {
		if peer != nil {
			peer.Close()
		}
	}()
	join := func() error {
		p, err := Join(r.nc, PeerConfig{Session: hc.Session, ID: hc.Failover.ID, NewWorld: hc.NewWorld,
			Console: hc.Console, OnEvent: r.cfg.OnEvent, keys: keys, Timeout: 4 * ttl,
			OnTick: func(w *ecs.World, rec *ecs.TickRecord) {
				if r.cfg.OnTick != nil {
					r.cfg.OnTick(w, rec, false)
				}
			}})
		if err != nil {
			return err
		}
		// A replica of another setup would, once it hosts, write another
		// economy's ticks into the session's history; the checksums
		// would only catch it once the configurations first differ.
		cctx, cancel := context.WithTimeout(ctx, 4*ttl)
		md, err := sessionMetadata(cctx, js, hc.Session)
		cancel()
		if err == nil {
			_, err = compareSetup(hc.Session, md, hc.Setup)
		}
		if err != nil {
			p.Close()
			return err
		}
		peer = p
		r.say("standing by from tick %d", p.Tick())
		return nil
	}
	// The lease's changes come from a watch, each timed as it arrives:
	// the lapse is then seen TTL after the holder's last renewal, not up
	// to a poll period later (and a lease given up, at once). The poll
	// stays, for joining and for a watch that stalled.
	var updates <-chan jetstream.KeyValueEntry
	defer func() {
		if lease != nil {
			lease.unwatch()
		}
	}()
	var early *earlyKeys
	t := time.NewTicker(ttl / 5)
	defer t.Stop()
	lapse := time.NewTimer(time.Hour)
	defer lapse.Stop()
	// failed: the last lease won could not be taken over. The release
	// that follows comes back through the watch as "given up": contending
	// again at once made a busy loop (13,001 "taking over" lines in 10 s
	// when a session's creator died before its first snapshot), so the
	// next try waits for the poll, and a reason repeated is said once.
	failed, lastFail := false, ""
	for {
		if lease == nil {
			octx, cancel := context.WithTimeout(ctx, 4*ttl)
			lease, err = openLease(octx, js, hc.Session, hc.Failover.ID, ttl, hc.Replicas)
			cancel()
			if err != nil && ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		if lease != nil && updates == nil {
			updates = lease.watch(ctx)
		}
		noSession := false
		if lease != nil && peer == nil {
			err := join()
			var mismatch *SetupMismatchError
			if errors.As(err, &mismatch) {
				r.say("%v", err)
				return nil, err
			}
			noSession = errors.Is(err, ErrNoSession)
			if err != nil && !noSession && !errors.Is(err, context.DeadlineExceeded) {
				r.say("joining: %v", err)
			}
		}
		if peer != nil && peer.Err() != nil { // its world is no good: start again
			r.say("standby peer failed (%v): joining again", peer.Err())
			peer.Close()
			peer, keys = nil, newKeyRing(hc.Failover.Keys)
			continue
		}
		// A standby that started from a snapshot never saw the keys of
		// the frames before it: read them now, while standing by, not
		// while the world waits for it to take over.
		if peer != nil {
			if from := peer.fromSeq.Load(); from > 1 && (early == nil || early.from != from) {
				early = r.readEarlyKeys(ctx, js, from)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
			}
		}
		// Only a replica that holds the world contends (or any, for a
		// session not created yet): a winner that must first load a
		// snapshot would keep the world stopped meanwhile.
		if lease != nil && (peer != nil || noSession) {
			actx, cancel := context.WithTimeout(ctx, ttl)
			won, err := lease.TryAcquire(actx)
			cancel()
			if err == nil && won {
				takeoverStep(hc.Failover.ID, "lease won")
				ad, err := r.catchUp(ctx, js, lease, peer, keys, early)
				if err == nil {
					return ad, nil
				}
				if msg := err.Error(); msg != lastFail {
					r.say("taking over: %v", err)
					lastFail = msg
				}
				failed = true
				rctx, cancel := context.WithTimeout(context.Background(), ttl)
				_ = lease.Release(rctx)
				cancel()
				if peer != nil && peer.Err() != nil {
					peer.Close()
					peer, keys = nil, newKeyRing(hc.Failover.Keys)
				}
			}
		}
		if lease != nil {
			resetTimer(lapse, lease.untilLapse())
		}
	wait:
		for {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-t.C:
				failed = false
				break wait
			case <-lapse.C:
				break wait
			case e, ok := <-updates:
				if !ok { // the watch ended: polling alone from here
					updates = nil
					continue
				}
				if e != nil && lease.saw(e) && !failed {
					break wait // given up: contend at once
				}
				resetTimer(lapse, lease.untilLapse())
			}
		}
	}
}

// resetTimer makes t fire after d; a lapse already past (d <= 0: this
// contender tried and lost, or does not contend yet) is left to the poll,
// which must not become a busy loop.
func resetTimer(t *time.Timer, d time.Duration) {
	t.Stop()
	if d > 0 {
		t.Reset(d)
	}
}

// earlyKeys are the idempotency keys of the frames before sequence from,
// which a standby that started from a snapshot never applied.
type earlyKeys struct {
	from uint64
	ring *keyRing
}

// readEarlyKeys reads the keys of the frames before from (nil if it
// cannot: the takeover then reads them).
func (r *Replica) readEarlyKeys(ctx context.Context, js jetstream.JetStream, from uint64) *earlyKeys {
	kctx, cancel := context.WithTimeout(ctx, keyScanTimeout)
	defer cancel()
	ring := newKeyRing(r.cfg.Host.Failover.Keys)
	if err := keysBefore(kctx, js, r.cfg.Host.Session, from, ring); err != nil {
		r.say("reading the keys of the frames before the snapshot: %v", err)
		return nil
	}
	return &earlyKeys{from: from, ring: ring}
}

// catchUp waits until the standby's world has run the stream's last
// frame, then hands it over. No standby peer (the session has no stream
// yet) means a fresh session.
func (r *Replica) catchUp(ctx context.Context, js jetstream.JetStream, lease *hostLease, peer *Peer, keys *keyRing, early *earlyKeys) (*adoption, error) {
	hc := r.cfg.Host
	ttl := hc.Failover.LeaseTTL
	ctx, cancel := context.WithTimeout(ctx, 10*ttl)
	defer cancel()
	st, err := js.Stream(ctx, streamName(hc.Session))
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		if peer != nil {
			return nil, fmt.Errorf("the session's stream is gone")
		}
		return &adoption{lease: lease, keys: keys}, nil // fresh: NewHost creates it
	}
	if err != nil {
		return nil, err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, err
	}
	if peer == nil {
		// A creator that died (or timed out under load) between making
		// the frame stream and storing its first frame leaves a session
		// no standby can join; with no frame stored nothing was
		// committed, so it is made again. (No replica ever hosted such a
		// session: once in three -race runs of TestFailoverRestartAllNodes
		// on a loaded machine, before any node was restarted.) A creator
		// still alive is fenced by its frames' expected sequence.
		if info.State.LastSeq == 0 {
			return &adoption{lease: lease, keys: keys, recreate: true}, nil
		}
		return nil, errors.New("not following the session yet")
	}
	lastSeq := info.State.LastSeq
	// Every message up to the stream's last handled (a forged one is
	// refused like any peer refuses it), or none after the snapshot the
	// peer started from.
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	for peer.lastSeq.Load() < lastSeq && peer.fromSeq.Load() <= lastSeq {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("catching up to sequence %d (at %d): %w", lastSeq, peer.lastSeq.Load(), ctx.Err())
		case <-tk.C:
		}
	}
	// Stop following before taking its world: Close waits for the
	// peer's goroutine, so the world is ours from here.
	takeoverStep(hc.Failover.ID, "caught up")
	peer.Close()
	if err := peer.Err(); err != nil {
		return nil, err
	}
	// A standby that started from a snapshot applied none of the frames
	// before it, so it never saw their keys: a client retrying a purchase
	// committed there (its answer lost with the old host) would be
	// stamped again. Read those frames' keys, oldest first, then the ones
	// it applied. Standing by, it read them already (early) unless it
	// has resynced from another snapshot since.
	if from := peer.fromSeq.Load(); from > 1 {
		var ring *keyRing
		if early != nil && early.from == from && early.ring != nil {
			// Taken over, not copied (65,536 keys by default): the
			// adoption below is the last step.
			ring, early.ring, early.from = early.ring, nil, 0
		} else {
			ring = newKeyRing(len(keys.ring))
			kctx, kcancel := context.WithTimeout(context.WithoutCancel(ctx), keyScanTimeout)
			err := keysBefore(kctx, js, hc.Session, from, ring)
			kcancel()
			if err != nil {
				return nil, fmt.Errorf("reading the keys of the frames before the snapshot: %w", err)
			}
		}
		keys.each(ring.add)
		ring.outs = keys.outs
		keys = ring
		takeoverStep(hc.Failover.ID, "keys read")
	}
	w := peer.World()
	sum, stages := peer.lastSum.Checksum, peer.lastSum.Stages
	if w.NextTick() > 0 && (peer.lastSum.Tick != w.NextTick()-1 || sum == 0) {
		// The standby ran no frame since the snapshot it started from (the
		// old host died right after storing it): the first frame still
		// vouches for the tick before, whose checksum is the restored
		// state's (its stage checksums are not known: none, which a
		// checker reads as not given). A zero there made the exported
		// history disagree with itself and stopped a FrameSource's relay.
		sum, stages = w.Checksum(), nil
	}
	return &adoption{world: w, lastSeq: lastSeq, checksum: sum,
		stages: stages, keys: keys, lease: lease,
		streamMeta: info.Config.Metadata, obs: peer.obs, states: peer.states}, nil
}

// hostUntilDeposed hosts from ad until the replica is deposed (nil: stand
// by again) or ctx ends.
func (r *Replica) hostUntilDeposed(ctx context.Context, ad *adoption) error {
	hc := r.cfg.Host
	var (
		h   *Host
		err error
	)
	if ad.world == nil {
		h, err = newHost(r.nc, r.freshConfig(ad), nil) // a fresh session: this replica made it
	} else {
		h, err = newHost(r.nc, hc, ad)
	}
	if err != nil {
		r.say("cannot host: %v", err)
		rctx, cancel := context.WithTimeout(context.Background(), hc.Failover.LeaseTTL)
		_ = ad.lease.Release(rctx)
		cancel()
		var notOurs *NotOursError
		if errors.As(err, &notOurs) {
			return err
		}
		return ctx.Err()
	}
	takeoverStep(hc.Failover.ID, "host ready")
	r.mu.Lock()
	r.host = h
	r.stats.Takeovers++
	r.mu.Unlock()
	r.hosting.Store(true)
	defer func() {
		r.hosting.Store(false)
		if r.cfg.OnStandby != nil {
			r.cfg.OnStandby()
		}
	}()
	r.say("hosting from tick %d", h.World().NextTick())
	if r.cfg.OnHost != nil {
		r.cfg.OnHost(h)
	}
	t := time.NewTicker(r.cfg.TickEvery)
	defer t.Stop()
	for first := true; ; first = false {
		// The first tick at once: the world has waited for a host long
		// enough. Between ticks the acks are read as they come, so an
		// input is answered when its frame is committed, not a tick later.
		for waitAcks := true; !first; {
			var acked <-chan struct{}
			if waitAcks && len(h.sent) > 0 {
				acked = h.js.PublishAsyncComplete()
			}
			select {
			case <-ctx.Done():
				h.Close() // answers what is committed, gives the lease up
				return ctx.Err()
			case <-acked:
				n := len(h.sent)
				h.readAcksNow()
				// No ack read although none is pending: a publish nats.go
				// re-sends in a moment ("no responders"). Until the tick,
				// or this would spin.
				waitAcks = len(h.sent) < n
				continue
			case <-t.C:
			}
			break
		}
		var rec *ecs.TickRecord
		err := h.Prepare(ctx)
		if err == nil {
			if r.cfg.BeforeStep != nil {
				r.cfg.BeforeStep(h)
			}
			rec = h.w.Step()
			err = h.Err()
		}
		if err == nil && rec != nil && r.cfg.OnTick != nil {
			r.cfg.OnTick(h.World(), rec, true)
		}
		if err != nil {
			if ctx.Err() != nil {
				h.Close()
				return ctx.Err()
			}
			// Fenced, or a frame the stream did not take: the world may be
			// a tick ahead of the history. Step down and follow.
			r.say("stepping down at tick %d: %v", h.World().NextTick(), err)
			if h.fenced == nil {
				h.fenced = &FencedError{Tick: h.World().NextTick(), Reason: err.Error()}
				rctx, cancel := context.WithTimeout(context.Background(), hc.Failover.LeaseTTL)
				_ = h.lease.Release(rctx)
				cancel()
			}
			h.Close()
			r.mu.Lock()
			r.stats.Fenced++
			r.mu.Unlock()
			return nil
		}
	}
}

// freshConfig is the host config of a session this replica creates.
func (r *Replica) freshConfig(ad *adoption) Config {
	c := r.cfg.Host
	c.Failover = &Failover{ID: c.Failover.ID, LeaseTTL: c.Failover.LeaseTTL, Keys: c.Failover.Keys}
	c.preLease = ad.lease
	c.createOnly = !ad.recreate
	return c
}

// keyScanTimeout bounds keysBefore: a takeover waits for it, but it must
// end, and a failed scan only sends the standby back to contend again.
const keyScanTimeout = 30 * time.Second

// keysBefore calls add with the idempotency key and tick of every intent
// and keyed command in the session's frames before stream sequence upTo
// (> 1), in stream order.
func keysBefore(ctx context.Context, js jetstream.JetStream, session string, upTo uint64, ring *keyRing) error {
	return eachFrame(ctx, js, session, upTo-1, func(f frameIn, err error) error {
		if err == nil {
			ring.addFrame(f.Tick, &f)
		}
		return nil
	})
}

// testHookTakeover, if set (tests), is told each step of a takeover as it
// ends: where a failover's time goes.
var testHookTakeover func(replica, step string)

func takeoverStep(replica, step string) {
	if testHookTakeover != nil {
		testHookTakeover(replica, step)
	}
}
