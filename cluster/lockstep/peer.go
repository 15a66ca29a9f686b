package lockstep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// PeerConfig configures a Peer.
type PeerConfig struct {
	Session string
	ID      string // peer id, unique in the session: letters, digits, '_' or '-'
	// NewWorld builds an empty world with the session's systems (the same
	// as the host's).
	NewWorld func() *ecs.World
	// OnTick is called on the peer's goroutine after every tick it ran,
	// with the world and the tick's record (valid during the call only).
	OnTick func(w *ecs.World, r *ecs.TickRecord)
	// jitter, if set, delays the handling of each frame: tests of frames
	// that arrive late and unevenly set it (WithJitter, in
	// hooks_test.go); not part of the API.
	jitter func() time.Duration
	// Audit runs a from-scratch checksum audit every Audit ticks
	// (ecs.World.SetChecksumAudit): a write without an event or Touch then
	// shows in the checksum of the stage that made it.
	Audit uint64
	// Console receives refusals and resyncs as text (nil: none).
	Console io.Writer
	// Timeout bounds joining and loading snapshots (default 10s).
	Timeout time.Duration
	// Manual: the peer gets no goroutine of its own; the caller's game
	// loop applies the frames and control messages that arrived with
	// Pump, at its own tick boundary. The NATS callbacks only queue them,
	// so the world (and a resync's new world, and OnTick) is only ever
	// touched on the goroutine that calls Pump.
	Manual bool
	// OnEvent, if set, is told what happened to the peer's session
	// (dropped, resynced, host gone, host changed, gave up, halted). It
	// runs on one of the peer's goroutines: return quickly.
	OnEvent func(PeerEvent)
	// HostSilence: no frame for this long and the peer reports the host
	// gone (EventHostGone; default 2s). A frame, or a new host, ends it.
	HostSilence time.Duration
	// GiveUp: with the host gone this long, the peer stops: Err returns a
	// *GaveUpError and Done is closed (default 0: wait for a host for
	// ever).
	GiveUp time.Duration

	keys *keyRing // a standby replica records the keys of the intents and keyed commands it applies
}

// Peer runs one world of a session from the host's frames and reports its
// checksums every tick. Submit and Send may be called from any goroutine.
type Peer struct {
	cfg    PeerConfig
	nc     *nats.Conn
	js     jetstream.JetStream
	obs    jetstream.ObjectStore // the host's snapshots (read)
	states jetstream.ObjectStore // where it stores its state for the host (write)

	w      *ecs.World // owned by the run goroutine
	parts  frameParts // a parted frame being read (run goroutine)
	frames chan frameMsg
	ctl    chan *nats.Msg
	ctlSub *nats.Subscription
	cc     jetstream.ConsumeContext
	gen    int // consumer generation: frames of a stopped consumer are dropped

	stateAt  uint64    // pending state request: reply when the world reaches this tick
	stateReq *nats.Msg // nil: none

	tick    atomic.Uint64 // the world's Tick, readable from any goroutine
	started atomic.Uint64 // the tick the current world started at
	resyncs atomic.Int64
	refused refusals
	sumBuf  []byte
	done    chan struct{}
	stopped chan struct{} // closed when the peer stops (Close or GiveUp)
	stopMu  sync.Once
	wg      sync.WaitGroup

	lastSeq   atomic.Uint64 // stream sequence of the last frame handled
	fromSeq   atomic.Uint64 // the sequence the current world reads frames from
	lastFrame atomic.Int64  // when a frame last arrived (unix ns)
	lastSum   ecs.TickRecord
	watch     *hostWatch
	hostMu    sync.Mutex
	hostNew   chan struct{} // closed when the lease changes holder (hostChange)
	reHelloAt atomic.Int64  // when Commit last asked for a hello (unix ns)
	errMu     sync.Mutex
	err       error
}

type frameMsg struct {
	gen  int
	seq  uint64
	data []byte
}

// Join joins a running session: it starts from the latest snapshot the
// host stored (or from tick 0), subscribes to the frames after it and
// tells the host it is there. The peer runs on its own goroutine until
// Close.
func Join(nc *nats.Conn, cfg PeerConfig) (*Peer, error) {
	if err := checkName("session", cfg.Session); err != nil {
		return nil, err
	}
	if err := checkName("peer", cfg.ID); err != nil {
		return nil, err
	}
	if cfg.NewWorld == nil {
		return nil, fmt.Errorf("%w (PeerConfig.NewWorld)", ErrNoNewWorld)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	if cfg.HostSilence <= 0 {
		cfg.HostSilence = 2 * time.Second
	}
	p := &Peer{cfg: cfg, nc: nc, js: js, frames: make(chan frameMsg, 4096), ctl: make(chan *nats.Msg, 16),
		done: make(chan struct{}), stopped: make(chan struct{}), parts: frameParts{session: cfg.Session}}
	p.lastFrame.Store(time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	if p.obs, err = js.ObjectStore(ctx, bucketName(cfg.Session)); err != nil {
		return nil, noSession(cfg.Session, err)
	}
	if p.states, err = js.ObjectStore(ctx, stateBucketName(cfg.Session)); err != nil {
		return nil, noSession(cfg.Session, err)
	}
	if p.ctlSub, err = nc.Subscribe(subjCtl(cfg.Session, cfg.ID), func(m *nats.Msg) {
		select {
		case p.ctl <- m:
		case <-p.done:
		}
	}); err != nil {
		return nil, err
	}
	if err := p.start(); err != nil {
		p.ctlSub.Unsubscribe()
		return nil, err
	}
	if !cfg.Manual {
		p.wg.Add(1)
		go p.run()
	}
	p.startWatch()
	return p, nil
}

// Pump applies, on the caller's goroutine, the frames and control
// messages that have arrived, up to max ticks (max <= 0: all that are
// queued), without waiting for more. It returns the number of ticks the
// world ran. Use it with PeerConfig.Manual; a resync replaces World.
func (p *Peer) Pump(max int) int {
	stepped := 0
	for max <= 0 || stepped < max {
		select {
		case m := <-p.ctl:
			p.onCtl(m)
		case f := <-p.frames:
			if f.gen == p.gen {
				before := p.w.NextTick()
				p.onFrame(f.data)
				p.lastSeq.Store(f.seq)
				if p.w.NextTick() != before {
					stepped++
				}
			}
		default:
			return stepped
		}
	}
	return stepped
}

// Queued returns how many frames and control messages have arrived and
// wait for Pump (Manual peers). Safe from any goroutine.
func (p *Peer) Queued() int { return len(p.frames) + len(p.ctl) }

// noSession wraps a missing stream or bucket as ErrNoSession.
func noSession(session string, err error) error {
	if errors.Is(err, jetstream.ErrBucketNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
		return fmt.Errorf("%w %s: %w", ErrNoSession, session, err)
	}
	return fmt.Errorf("lockstep: session %s: %w", session, err)
}

// start builds the world from the latest snapshot (or empty), consumes
// the frames after it and says hello.
func (p *Peer) start() error {
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.Timeout)
	defer cancel()
	w, seq, err := startWorld(ctx, p.obs, p.cfg.NewWorld, nil)
	if err != nil {
		return err
	}
	w.SetChecksumAudit(p.cfg.Audit)
	p.w = w
	p.tick.Store(w.NextTick())
	p.started.Store(w.NextTick())
	if p.cc != nil {
		p.cc.Stop()
	}
	p.gen++
	gen := p.gen
	p.fromSeq.Store(seq)
	p.lastSeq.Store(0)
	p.parts.reset() // seq is a frame's first message
	cons, err := p.js.OrderedConsumer(ctx, streamName(p.cfg.Session), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subjFrames(p.cfg.Session)}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: seq})
	if err != nil {
		return fmt.Errorf("lockstep: frames: %w", err)
	}
	if p.cc, err = cons.Consume(func(m jetstream.Msg) {
		var seq uint64
		if md, err := m.Metadata(); err == nil {
			seq = md.Sequence.Stream
		}
		p.lastFrame.Store(time.Now().UnixNano())
		select {
		case p.frames <- frameMsg{gen: gen, seq: seq, data: m.Data()}:
		case <-p.done:
		}
	}); err != nil {
		return fmt.Errorf("lockstep: frames: %w", err)
	}
	return p.nc.Publish(subjHello(p.cfg.Session, p.cfg.ID), []byte(fmt.Sprintf("hello %s %d", p.cfg.ID, w.NextTick())))
}

// startWorld builds a follower's world from the session's latest
// snapshot — unless it is past tick before, if set: then from tick 0 —
// and returns it with the stream sequence its frames start at (1: the
// first frame).
func startWorld(ctx context.Context, obs jetstream.ObjectStore, newWorld func() *ecs.World, before *uint64) (*ecs.World, uint64, error) {
	w := newWorld()
	// "latest" is one metadata message naming the snapshot, its tick and
	// its first frame's sequence; the snapshot object itself is never
	// replaced, so what is read is that snapshot whatever the host stores
	// meanwhile.
	info, err := obs.GetInfo(ctx, latestName)
	if err == nil && before != nil {
		if t, perr := strconv.ParseUint(info.Metadata["tick"], 10, 64); perr != nil || t > *before {
			return w, 1, nil
		}
	}
	var raw []byte
	if err == nil {
		name := info.Metadata["name"]
		for attempt := 0; ; attempt++ {
			if hook := testHookSnapshotRead.Load(); hook != nil {
				err = (*hook)(name)
			}
			if err == nil {
				raw, err = obs.GetBytes(ctx, name)
			}
			if !errors.Is(err, jetstream.ErrObjectNotFound) || attempt == 3 {
				break
			}
			// Deleted since the pointer was read: two newer ones were
			// stored meanwhile. Read the pointer again.
			if info, err = obs.GetInfo(ctx, latestName); err != nil {
				break
			}
			name = info.Metadata["name"]
		}
		if err != nil { // could not be read (a timeout on a loaded broker): not bad bytes
			return nil, 0, fmt.Errorf("lockstep: snapshot %s: %w", name, err)
		}
	}
	switch {
	case errors.Is(err, jetstream.ErrObjectNotFound): // no snapshot yet: from tick 0
		return w, 1, nil
	case err != nil:
		return nil, 0, fmt.Errorf("lockstep: snapshot: %w", err)
	}
	md := info.Metadata
	seq, err := strconv.ParseUint(md["from_seq"], 10, 64)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: pointer %v: %w", ErrBadSnapshot, md, err)
	}
	var snap ecs.Snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrBadSnapshot, err)
	}
	if md["tick"] != strconv.FormatUint(snap.Tick, 10) {
		return nil, 0, fmt.Errorf("%w: %s holds tick %d, its pointer says %s", ErrBadSnapshot, md["name"], snap.Tick, md["tick"])
	}
	if before != nil && snap.Tick > *before { // replaced meanwhile by a later one
		return newWorld(), 1, nil
	}
	if err := w.Restore(&snap); err != nil {
		return nil, 0, fmt.Errorf("lockstep: snapshot: %w", err)
	}
	return w, seq, nil
}

func (p *Peer) run() {
	defer p.wg.Done()
	for {
		select {
		case <-p.done:
			return
		case f := <-p.frames:
			if f.gen == p.gen {
				p.onFrame(f.data)
				p.lastSeq.Store(f.seq)
			}
		case m := <-p.ctl:
			p.onCtl(m)
		}
	}
}

func (p *Peer) refuse(reason string) {
	r := Refusal{Tick: p.w.NextTick(), Reason: reason}
	p.refused.add(r)
	if p.cfg.Console != nil {
		fmt.Fprintf(p.cfg.Console, "peer %s: %s\n", p.cfg.ID, r)
	}
}

// onFrame checks a frame and, if it is the next tick's, runs that tick.
func (p *Peer) onFrame(data []byte) {
	data, torn, err := p.parts.add(data)
	if torn != nil {
		p.refuse(torn.Error())
	}
	if err != nil {
		p.refuse("frame: " + err.Error())
		return
	}
	if data == nil { // a part: the frame is not whole yet
		return
	}
	r, err := decodeFrame(p.cfg.Session, data)
	if err != nil { // malformed, or another session's
		p.refuse("frame: " + err.Error())
		return
	}
	if why := notNext(p.w, &r.TickRecord); why != "" {
		p.refuse(why)
		return
	}
	if p.cfg.jitter != nil {
		if d := p.cfg.jitter(); d > 0 {
			time.Sleep(d)
		}
	}
	rec := runFrame(p.w, &r.TickRecord)
	p.tick.Store(p.w.NextTick())
	if p.cfg.keys != nil {
		p.cfg.keys.addFrame(r.Tick, &r)
		p.cfg.keys.addOutcomes(len(r.keys) > 0, rec)
	}
	p.lastSum.Tick, p.lastSum.Checksum = rec.Tick, rec.Checksum
	p.lastSum.Stages = append(p.lastSum.Stages[:0], rec.Stages...)
	if p.cfg.OnTick != nil {
		p.cfg.OnTick(p.w, rec)
	}
	sum := ecs.TickRecord{Tick: rec.Tick, Checksum: rec.Checksum, Stages: rec.Stages}
	p.sumBuf = encodeInto(p.sumBuf[:0], msgSum, p.cfg.Session, &sum)
	if err := p.nc.Publish(subjSum(p.cfg.Session, p.cfg.ID), p.sumBuf); err != nil {
		p.fail(err)
	}
	if p.stateReq != nil && p.w.NextTick() == p.stateAt {
		p.sendState()
	}
}

// notNext says why frame f is not w's next tick ("" if it is). Every
// follower of a session's frames — a peer, a standby, ExportLog, a
// FrameSource — runs exactly the frames this lets through, in stream
// order, so they all make the same history of the same stream; a peer
// refuses the others with this reason, the export and the relay skip
// them.
func notNext(w *ecs.World, f *ecs.TickRecord) string {
	switch {
	case f.Tick < w.NextTick():
		return fmt.Sprintf("duplicate frame for tick %d (already at tick %d)", f.Tick, w.NextTick())
	case f.Tick > w.NextTick():
		return fmt.Sprintf("frame from the future: tick %d while at tick %d", f.Tick, w.NextTick())
	}
	return ""
}

// runFrame runs the tick of frame f (notNext let it through) on w: its
// commands, as the host applied them, then its intents, in order. The
// record is w's (valid until its next Step).
func runFrame(w *ecs.World, f *ecs.TickRecord) *ecs.TickRecord {
	for _, c := range f.Commands {
		w.Command(c)
	}
	for _, in := range f.Intents {
		w.Submit(in)
	}
	return w.Step()
}

// onCtl handles the host's requests: "state <tick>" (store the world's
// state when it reaches tick and reply with its name) and "resync"
// (restart from the latest snapshot).
func (p *Peer) onCtl(m *nats.Msg) {
	cmd, arg, _ := strings.Cut(string(m.Data), " ")
	switch cmd {
	case "state":
		at, err := strconv.ParseUint(arg, 10, 64)
		switch {
		case err != nil:
			m.Respond([]byte("error: bad tick " + strconv.Quote(arg)))
		case at < p.w.NextTick():
			m.Respond([]byte(fmt.Sprintf("error: already at tick %d, past %d", p.w.NextTick(), at)))
		default:
			p.stateReq, p.stateAt = m, at
			if at == p.w.NextTick() {
				p.sendState()
			}
		}
	case "resync":
		if p.cfg.Console != nil {
			fmt.Fprintf(p.cfg.Console, "peer %s: resync from the host's snapshot (was at tick %d)\n", p.cfg.ID, p.w.NextTick())
		}
		p.event(PeerEvent{Kind: EventDropped, Tick: p.w.NextTick(), Detail: "the host dropped this peer after a desync"})
		p.resyncs.Add(1)
		// A snapshot that could not be read (a timeout on a loaded
		// broker) is tried again; bad bytes are not (CI once: "bad
		// snapshot snap-31-2: nats: timeout" ended a peer).
		err := p.start()
		for attempt := 1; err != nil && attempt < 3 && !errors.Is(err, ErrBadSnapshot) && !p.closing(); attempt++ {
			if p.cfg.Console != nil {
				fmt.Fprintf(p.cfg.Console, "peer %s: resync: %v; trying again\n", p.cfg.ID, err)
			}
			err = p.start()
		}
		if err != nil {
			p.fail(err)
			return
		}
		p.event(PeerEvent{Kind: EventResynced, Tick: p.w.NextTick(), Detail: "restarted from the host's snapshot"})
	case "halted":
		p.event(PeerEvent{Kind: EventHalted, Tick: p.w.NextTick(), Detail: "the host halted the session after a desync"})
	case "rehello": // queued by the host watch: a new host needs our hello
		p.sayHello(m.Reply)
	default:
		p.refuse(fmt.Sprintf("unknown control message %q", truncate(m.Data)))
	}
}

func (p *Peer) sendState() {
	m := p.stateReq
	p.stateReq = nil
	snap, err := p.w.TakeSnapshot()
	if err != nil {
		m.Respond([]byte("error: " + err.Error()))
		return
	}
	raw, err := json.Marshal(snap)
	if err != nil {
		m.Respond([]byte("error: " + err.Error()))
		return
	}
	name := fmt.Sprintf("state-%s-%d", p.cfg.ID, snap.Tick)
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.Timeout)
	defer cancel()
	if _, err := p.states.PutBytes(ctx, name, raw); err != nil {
		m.Respond([]byte("error: " + err.Error()))
		return
	}
	m.Respond([]byte("ok " + name))
}

func (p *Peer) fail(err error) {
	p.errMu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.errMu.Unlock()
}

// Err returns the first transport error the peer met, if any.
func (p *Peer) Err() error {
	p.errMu.Lock()
	defer p.errMu.Unlock()
	return p.err
}

// Tick returns the number of ticks the peer's world has run.
func (p *Peer) Tick() uint64 { return p.tick.Load() }

// Started returns the tick the peer's world started at: the tick of the
// snapshot it joined (or last resynced) from, 0 without one. Unlike Tick
// it does not move as the peer catches up.
func (p *Peer) Started() uint64 { return p.started.Load() }

// Resyncs returns how many times the host made the peer resync.
func (p *Peer) Resyncs() int { return int(p.resyncs.Load()) }

// Refusals returns the last refused frames and control messages.
func (p *Peer) Refusals() []Refusal { return p.refused.get() }

// Submit sends intents and commands to the host and waits for its answer:
// the tick they apply in, or a *RefusedError with the reason they were
// refused (nothing of a refused message is applied).
func (p *Peer) Submit(intents []components.PurchaseIntent, cmds []events.Event) (uint64, error) {
	m, err := p.nc.Request(subjInput(p.cfg.Session, p.cfg.ID), p.input(intents, cmds), p.cfg.Timeout)
	if err != nil {
		return 0, err
	}
	s := string(m.Data)
	if t, ok := strings.CutPrefix(s, "ok "); ok {
		return strconv.ParseUint(t, 10, 64)
	}
	return 0, &RefusedError{Reason: strings.TrimPrefix(s, "refused: ")}
}

// Commit sends intents and waits until the frame that carries them is
// committed (a replicated world's host answers only then: Failover). It
// retries the same message across a failover — no host answering, or a
// new host that has not heard the peer's hello yet — until ctx ends; the
// host applies each intent once per (Buyer, RequestID), so every intent
// needs a RequestID unique for its buyer. It returns the tick the intents
// apply in (for a retried one, the tick it first applied in), or a
// *RefusedError.
func (p *Peer) Commit(ctx context.Context, intents []components.PurchaseIntent) (uint64, error) {
	for _, in := range intents {
		if in.RequestID == 0 {
			return 0, &RefusedError{Reason: "Commit needs a RequestID on every intent (its idempotency key)"}
		}
	}
	data := p.input(intents, nil)
	attempt := min(p.cfg.Timeout, 2*time.Second)
	for {
		// A new host never answers a request the old one took: send it
		// again as soon as the lease changes hands, not after attempt.
		actx, cancel := context.WithTimeout(ctx, attempt)
		changed := p.hostChange()
		go func() {
			select {
			case <-changed:
				cancel()
			case <-actx.Done():
			}
		}()
		m, err := p.nc.RequestWithContext(actx, subjInput(p.cfg.Session, p.cfg.ID), data)
		cancel()
		if err == nil {
			s := string(m.Data)
			if t, ok := strings.CutPrefix(s, "ok "); ok {
				return strconv.ParseUint(t, 10, 64)
			}
			why := strings.TrimPrefix(s, "refused: ")
			if why != reasonNotJoined {
				return 0, &RefusedError{Reason: why}
			}
			p.helloAgain()
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		select { // no host, or it has not heard our hello yet: again soon
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// helloAgain has the peer's goroutine say hello once more, at most every
// 200 ms: a host answered that it does not know this peer. The hello to
// a new host normally follows the lease's change (hostWatch), but a watch
// can stall for seconds (its node lost, its consumer recreated): the
// host's refusal is the surer sign.
func (p *Peer) helloAgain() {
	now := time.Now().UnixNano()
	last := p.reHelloAt.Load()
	if now-last < int64(200*time.Millisecond) || !p.reHelloAt.CompareAndSwap(last, now) {
		return
	}
	select { // the peer's goroutine sends it, in order with its sums
	case p.ctl <- &nats.Msg{Data: []byte("rehello")}:
	default:
	}
}

// Send is Submit without waiting for the answer.
func (p *Peer) Send(intents []components.PurchaseIntent, cmds []events.Event) error {
	return p.nc.Publish(subjInput(p.cfg.Session, p.cfg.ID), p.input(intents, cmds))
}

func (p *Peer) input(intents []components.PurchaseIntent, cmds []events.Event) []byte {
	return encode(msgInput, p.cfg.Session, &ecs.TickRecord{Intents: intents, Commands: cmds})
}

// Close leaves the session: it tells the host, stops consuming and waits
// for the peer's goroutine. The world stays readable (World).
// It returns promptly even when the server is gone: the bye is flushed
// for at most half a second.
func (p *Peer) Close() {
	select {
	case <-p.done:
		return
	default:
	}
	p.nc.Publish(subjHello(p.cfg.Session, p.cfg.ID), []byte("bye "+p.cfg.ID))
	_ = p.nc.FlushTimeout(500 * time.Millisecond)
	close(p.done)
	p.stopWatch()
	p.wg.Wait()
	if p.cc != nil {
		p.cc.Stop()
	}
	p.ctlSub.Unsubscribe()
	p.stop()
}

// Done is closed when the peer stops: Close, or GiveUp (then Err says
// why).
func (p *Peer) Done() <-chan struct{} { return p.stopped }

func (p *Peer) stop() { p.stopMu.Do(func() { close(p.stopped) }) }

// World returns the peer's world: read it in OnTick, or after Close.
func (p *Peer) World() *ecs.World { return p.w }

// closing reports whether Close was called.
func (p *Peer) closing() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// testHookSnapshotRead, if set (tests), runs before each snapshot object
// is read; an error it returns stands for the read's.
var testHookSnapshotRead atomic.Pointer[func(name string) error]
