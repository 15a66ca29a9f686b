package lockstep

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/ecs"
)

// FrameSourceConfig configures a FrameSource.
type FrameSourceConfig struct {
	// Session is the replicated world's session name (the hosts'
	// Config.Session); a session that does not exist yet is waited for
	// by a following relay, an error otherwise.
	Session string
	// NewWorld builds an empty world with the session's systems (the
	// same as the host's); nil: Setup's.
	NewWorld func() *ecs.World
	// Setup, if set, is the setup NewWorld builds: a session whose host
	// recorded another (Config.Setup) is refused before anything is read
	// (*SetupMismatchError, see CheckSetup).
	Setup *ecs.Setup
	// Content, if set, is the session's (Config.Content): its hash marks
	// the world's event stream, as a relay of the session's exported log
	// would (bus.EnsureStreams refuses a stream of other content).
	Content *ecs.Content
	// Timeout bounds each read of the snapshot store (default 10s).
	Timeout time.Duration
	// Keep is how many ticks already handed out the source keeps for a
	// relay that rewinds after a broker outage (default 1024); a rewind
	// further back re-runs the frames from the latest snapshot before
	// it, or from tick 0.
	Keep int
}

// DisagreeError is a FrameSource's world that ran a tick to another
// checksum than the host did (the next frame carries the host's): the
// source's NewWorld is not the session's, or the systems are not
// deterministic. It matches bus.ErrPermanent: a relay stops, having
// published only the ticks before it.
type DisagreeError struct {
	Session string
	Tick    uint64
	Host    uint64 // the host's checksum of Tick
	Ours    uint64 // the source's
	// The stages each ran (a world with other systems: other counts).
	HostStages, OurStages int
}

func (e *DisagreeError) Error() string {
	if e.HostStages != e.OurStages {
		return fmt.Sprintf("lockstep: session %s tick %d: the host ran %d stages, this follower %d (checksums %016x, ours %016x): NewWorld is not the session's",
			e.Session, e.Tick, e.HostStages, e.OurStages, e.Host, e.Ours)
	}
	return fmt.Sprintf("lockstep: session %s tick %d: the host's checksums differ from this follower's (%016x, ours %016x): is NewWorld the session's?",
		e.Session, e.Tick, e.Host, e.Ours)
}

// Is makes errors.Is(err, bus.ErrPermanent) hold.
func (e *DisagreeError) Is(target error) bool { return target == bus.ErrPermanent }

// FrameSource is a bus.TickSource (bus.RelayConfig.Source) that follows a
// replicated world's committed frames — the R3 stream its hosts publish
// to — and runs them on a world of its own, as a standby does (the same
// rule picks the frames: notNext), to regenerate each tick's events. A
// relay on any machine then publishes exactly what the world committed,
// whichever replica hosted it: a failover only changes who writes the
// frames. A tick is handed out once the next frame carries the host's
// checksum of it and that checksum equals the source's (ExportLog writes
// the same ticks: the last frame waits for its successor), so what is
// published is what the host vouched for. The source keeps no position
// of its own: the relay seeks it to where the event stream says it
// stopped, and it starts from the session's latest snapshot at or before
// that tick, or from tick 0.
//
// It is not safe for concurrent use: the relay calls it from Run's
// goroutine.
type FrameSource struct {
	cfg FrameSourceConfig
	js  jetstream.JetStream
	obs jetstream.ObjectStore

	w       *ecs.World        // nil until the first Seek
	parts   frameParts        // a parted frame being read
	pending *ecs.TickRecord   // w's last tick: not vouched for yet
	kept    []*ecs.TickRecord // vouched ticks handed out or to hand out, consecutive
	want    uint64            // the tick Next returns next
	skipped atomic.Int64

	setupChecked bool // CheckSetup found the session

	// seq is the stream sequence of the last frame handled; through the
	// stream's last sequence when the source started reading: frames up
	// to it are stored, so Next waits for them rather than say it caught
	// up (a relay that does not follow stops at the first ErrCaughtUp).
	seq, through uint64

	cc     jetstream.ConsumeContext
	frames chan frameMsg
	stop   chan struct{}
	ready  chan struct{}
}

// NewFrameSource checks cfg and returns a source that reads nothing until
// the relay seeks it (the session need not exist yet).
func NewFrameSource(nc *nats.Conn, cfg FrameSourceConfig) (*FrameSource, error) {
	if err := checkName("session", cfg.Session); err != nil {
		return nil, err
	}
	if err := worldsOf(cfg.Setup, &cfg.NewWorld); err != nil {
		return nil, err
	}
	if cfg.NewWorld == nil {
		return nil, fmt.Errorf("%w (FrameSourceConfig.NewWorld)", ErrNoNewWorld)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Keep <= 0 {
		cfg.Keep = 1024
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &FrameSource{cfg: cfg, js: js, ready: make(chan struct{}, 1), parts: frameParts{session: cfg.Session}}, nil
}

// Name names the session.
func (f *FrameSource) Name() string { return "session " + f.cfg.Session }

// ContentHash is the hash of Content (0 without).
func (f *FrameSource) ContentHash() uint64 {
	if f.cfg.Content == nil {
		return 0
	}
	return f.cfg.Content.Hash()
}

// Ready is signalled when a frame arrives.
func (f *FrameSource) Ready() <-chan struct{} { return f.ready }

// Skipped returns how many frames were not the next tick's (skipped as a
// peer refuses them). Safe from any goroutine.
func (f *FrameSource) Skipped() int { return int(f.skipped.Load()) }

// Seek makes Next return tick next: from the ticks kept, by running on,
// or from a world started again from a snapshot at or before tick.
func (f *FrameSource) Seek(ctx context.Context, tick uint64) error {
	if f.w != nil && tick >= f.keptFrom() {
		f.want = tick
		return nil
	}
	f.halt()
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	if err := f.checkSetupOnce(ctx); err != nil {
		return err
	}
	if f.obs == nil {
		obs, err := f.js.ObjectStore(ctx, bucketName(f.cfg.Session))
		if err != nil {
			return noSession(f.cfg.Session, err)
		}
		f.obs = obs
	}
	w, seq, err := startWorld(ctx, f.obs, f.cfg.NewWorld, &tick)
	if err != nil {
		return err
	}
	st, err := f.js.Stream(ctx, streamName(f.cfg.Session))
	if err != nil {
		return noSession(f.cfg.Session, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return fmt.Errorf("lockstep: frames: %w", err)
	}
	cons, err := f.js.OrderedConsumer(ctx, streamName(f.cfg.Session), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subjFrames(f.cfg.Session)}, DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: seq})
	if err != nil {
		return noSession(f.cfg.Session, err)
	}
	frames, stop := make(chan frameMsg, 1024), make(chan struct{})
	cc, err := cons.Consume(func(m jetstream.Msg) {
		var seq uint64
		if md, err := m.Metadata(); err == nil {
			seq = md.Sequence.Stream
		}
		select {
		case frames <- frameMsg{seq: seq, data: m.Data()}:
		case <-stop:
			return
		}
		select {
		case f.ready <- struct{}{}:
		default:
		}
	})
	if err != nil {
		close(stop)
		return fmt.Errorf("lockstep: frames: %w", err)
	}
	f.w, f.pending, f.kept, f.want = w, nil, f.kept[:0], tick
	f.parts.reset() // seq is a frame's first message
	f.seq, f.through = seq-1, info.State.LastSeq
	f.cc, f.frames, f.stop = cc, frames, stop
	return nil
}

// keptFrom is the first tick Next can still return without starting
// again.
func (f *FrameSource) keptFrom() uint64 {
	switch {
	case len(f.kept) > 0:
		return f.kept[0].Tick
	case f.pending != nil:
		return f.pending.Tick
	}
	return f.w.NextTick()
}

// Next returns the next vouched tick's record, or bus.ErrCaughtUp; a
// *DisagreeError stops it for good.
func (f *FrameSource) Next(ctx context.Context) (*ecs.TickRecord, error) {
	if f.w == nil {
		return nil, fmt.Errorf("lockstep: FrameSource.Next before Seek")
	}
	for {
		if n := len(f.kept); n > 0 && f.want >= f.kept[0].Tick && f.want <= f.kept[n-1].Tick {
			rec := f.kept[f.want-f.kept[0].Tick]
			f.want++
			return rec, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := f.frame(ctx)
		if err != nil {
			return nil, err
		}
		f.seq = max(f.seq, m.seq)
		data, torn, err := f.parts.add(m.data)
		if torn != nil { // its parts were not the next frame either
			f.skipped.Add(int64(torn.got))
		}
		if err == nil && data == nil {
			continue // a part: the frame is not whole yet
		}
		var fr ecs.TickRecord
		if err == nil {
			fr, err = decode(msgFrame, f.cfg.Session, data)
		}
		if err != nil || notNext(f.w, &fr) != "" {
			f.skipped.Add(1)
			continue
		}
		if p := f.pending; p != nil {
			// The stage checksums too, when the frame has them (a host
			// that took over from a snapshot knows only the checksum of
			// the tick before): a world with other systems differs in
			// them from tick 0, before anything is published.
			if fr.Checksum != p.Checksum || len(fr.Stages) > 0 && !slices.Equal(fr.Stages, p.Stages) {
				return nil, &DisagreeError{Session: f.cfg.Session, Tick: p.Tick, Host: fr.Checksum, Ours: p.Checksum,
					HostStages: len(fr.Stages), OurStages: len(p.Stages)}
			}
			f.kept = append(f.kept, p)
			if len(f.kept) > f.cfg.Keep && f.kept[0].Tick < f.want {
				f.kept[0] = nil
				f.kept = f.kept[1:]
			}
		}
		rec := runFrame(f.w, &fr).Clone()
		f.pending = &rec
	}
}

// frame returns the next frame that arrived, or bus.ErrCaughtUp; one
// the stream held when the source started is waited for (Timeout: an
// error, and the relay seeks again).
func (f *FrameSource) frame(ctx context.Context) (frameMsg, error) {
	select {
	case m := <-f.frames:
		return m, nil
	default:
	}
	if f.seq >= f.through {
		return frameMsg{}, bus.ErrCaughtUp
	}
	t := time.NewTimer(f.cfg.Timeout)
	defer t.Stop()
	select {
	case m := <-f.frames:
		return m, nil
	case <-ctx.Done():
		return frameMsg{}, ctx.Err()
	case <-t.C:
		return frameMsg{}, fmt.Errorf("lockstep: session %s: no frame for %s at sequence %d (the stream holds %d)", f.cfg.Session, f.cfg.Timeout, f.seq, f.through)
	}
}

// halt stops reading frames.
func (f *FrameSource) halt() {
	if f.cc != nil {
		f.cc.Stop()
		close(f.stop)
		f.cc = nil
	}
}

// Close stops reading frames; the source is not used again.
func (f *FrameSource) Close() { f.halt() }
