package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// RelayConfig configures a Relay.
type RelayConfig struct {
	// World names the session on the bus (CheckWorld).
	World string
	// Log is the replay log file: the outbox, the relay's only source.
	Log string
	// Horizon, for a log written by this process, is its durable end: the
	// relay publishes no tick beyond it. Without one the relay fsyncs the
	// file itself before publishing what it read, so it can follow a log
	// another process writes.
	Horizon *Horizon
	// Follow keeps the relay tailing the log until its context ends;
	// otherwise Run returns once every tick in the file is acknowledged.
	Follow bool
	// MaxInFlight bounds the messages published and not yet acknowledged
	// (default 1024).
	MaxInFlight int
	// AckTimeout is how long a publish may wait for its acknowledgement
	// before the relay resynchronises from the stream (default 5 s).
	AckTimeout time.Duration
	// Poll is how often a following relay without a Horizon looks for new
	// records, and the retry pause after an error (default 20 ms).
	Poll time.Duration
	// Streams sizes the world's streams (EnsureStreams).
	Streams StreamsConfig
}

// RelayStats counts what a Relay had acknowledged by the stream.
type RelayStats struct {
	Messages   uint64 // messages stored (duplicates excluded)
	Duplicates uint64 // messages the stream dropped as already stored
	Events     uint64 // events in the stored messages
	LastTick   uint64 // last tick whose messages are all stored (valid if HasTick)
	HasTick    bool
	Resyncs    uint64 // times the relay rewound to what the stream holds
}

// Relay publishes a replay log's committed ticks to the world's event
// stream: one message per (tick, kind) on tickecon.<world>.<Kind>, with
// Nats-Msg-Id world:tick:kind so a republish inside the dedup window is
// dropped, and an expected last stream sequence so no message is stored
// after one that was lost (the stream never has a gap). Where to start is
// read from the stream on every (re)start — the last stored message's tick
// and part — never remembered; a broker outage, timeout or rejected publish
// makes the relay wait and resynchronise the same way.
type Relay struct {
	cfg RelayConfig
	nc  *nats.Conn
	js  jetstream.JetStream

	mu    sync.Mutex
	stats RelayStats

	// Test hooks: called after a tick's messages were handed to the
	// client (before their acks), and a forced rewind to the log's start.
	afterPublish func(tick uint64)
	rewind       bool
	noExpect     bool
}

// NewRelay prepares a relay on connection nc (which should reconnect
// forever: nats.MaxReconnects(-1)).
func NewRelay(nc *nats.Conn, cfg RelayConfig) (*Relay, error) {
	if err := CheckWorld(cfg.World); err != nil {
		return nil, err
	}
	if cfg.Log == "" {
		return nil, errors.New("bus: RelayConfig.Log is required")
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 1024
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 5 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 20 * time.Millisecond
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(cfg.AckTimeout),
		jetstream.WithPublishAsyncMaxPending(cfg.MaxInFlight+1))
	if err != nil {
		return nil, err
	}
	return &Relay{cfg: cfg, nc: nc, js: js}, nil
}

// Stats returns what has been acknowledged so far.
func (r *Relay) Stats() RelayStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stats
}

// position is where publishing resumes: the first message of tick whose
// part is ≥ part.
type position struct {
	tick uint64
	part int
	seq  uint64 // the stream's last sequence
	id   string // its Nats-Msg-Id
}

// resume reads the stream's last message. A stream whose last message is
// not a relay message (no tick header) is an error.
func (r *Relay) resume(ctx context.Context) (position, error) {
	s, err := r.js.Stream(ctx, EventStream(r.cfg.World))
	if err != nil {
		return position{}, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return position{}, err
	}
	if info.State.LastSeq == 0 {
		return position{}, nil
	}
	m, err := s.GetMsg(ctx, info.State.LastSeq)
	if err != nil {
		return position{}, err
	}
	tick, part, parts, err := partOf(m.Header)
	if err != nil {
		return position{}, fmt.Errorf("bus: stream %s last message (seq %d): %w", EventStream(r.cfg.World), m.Sequence, err)
	}
	p := position{tick: tick, part: part + 1, seq: m.Sequence, id: m.Header.Get(jetstream.MsgIDHeader)}
	if part+1 == parts {
		p.tick, p.part = tick+1, 0
	}
	return p, nil
}

// partOf reads the tick and part headers of an event message.
func partOf(h nats.Header) (tick uint64, part, parts int, err error) {
	tick, err = strconv.ParseUint(h.Get(HeaderTick), 10, 64)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("bad %s header: %w", HeaderTick, err)
	}
	a, b, ok := strings.Cut(h.Get(HeaderPart), "/")
	part, err1 := strconv.Atoi(a)
	parts, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || part < 0 || part >= parts {
		return 0, 0, 0, fmt.Errorf("bad %s header %q", HeaderPart, h.Get(HeaderPart))
	}
	return tick, part, parts, nil
}

// permanent marks errors a retry cannot fix (a damaged log).
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Run publishes until the log is done (not following) or ctx ends. Broker
// errors are retried; a damaged log or a stream of another session is
// returned.
func (r *Relay) Run(ctx context.Context) error {
	tail, err := openTail(r.cfg.Log)
	if err != nil {
		return err
	}
	defer tail.close()
	start := tail.good
	var hint struct {
		tick uint64
		off  int64
		ok   bool
	}
	first := true
	for {
		if !first {
			r.mu.Lock()
			r.stats.Resyncs++
			r.mu.Unlock()
			if !sleepCtx(ctx, r.cfg.Poll) {
				return ctx.Err()
			}
		}
		first = false
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := EnsureStreams(ctx, r.js, r.cfg.World, tail.hdr.ContentHash, r.cfg.Streams); err != nil {
			if strings.Contains(err.Error(), "holds a session of content") {
				return err
			}
			continue // broker away: wait and retry
		}
		pos, err := r.resume(ctx)
		if err != nil {
			continue
		}
		if r.rewind { // test hook: a relay that forgot, once, and sets no expectation
			pos, r.rewind, r.noExpect = position{seq: pos.seq, id: pos.id}, false, true
		}
		off := start
		if hint.ok && pos.tick >= hint.tick {
			off = hint.off
		}
		if err := tail.seek(off); err != nil {
			return err
		}
		done, oldest, err := r.pump(ctx, tail, pos)
		if oldest.ok {
			hint.tick, hint.off, hint.ok = oldest.tick, oldest.off, true
		}
		if done {
			return nil
		}
		var p permanent
		if errors.As(err, &p) {
			return p.error
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// inflight is one published, unacknowledged message.
type inflight struct {
	fut    jetstream.PubAckFuture
	tick   uint64
	off    int64 // file offset of its tick record
	events int
	last   bool // the last message of its tick
}

type tickOff struct {
	tick uint64
	off  int64
	ok   bool
}

// pump publishes from the tail's position until done, an error or ctx
// ends. It returns the oldest tick not known to be stored, for the next
// seek.
func (r *Relay) pump(ctx context.Context, tail *logTail, pos position) (done bool, oldest tickOff, err error) {
	var q []inflight
	seq := pos.seq
	var syncedOff int64
	var notify <-chan struct{}
	if r.cfg.Horizon != nil {
		notify = r.cfg.Horizon.Notify()
	}
	var sorter kindSorter
	ack := func(f inflight, a *jetstream.PubAck) {
		r.mu.Lock()
		if a == nil { // an empty tick: nothing to store
		} else if a.Duplicate {
			r.stats.Duplicates++
		} else {
			r.stats.Messages++
			r.stats.Events += uint64(f.events)
		}
		if f.last {
			r.stats.LastTick, r.stats.HasTick = f.tick, true
		}
		r.mu.Unlock()
	}
	// settle waits for the oldest in-flight acks: all of them when all is
	// set, else until at most max remain.
	settle := func(max int, block bool) error {
		for len(q) > 0 && (len(q) > max || !block) {
			f := q[0]
			if f.fut == nil {
				ack(f, nil)
			} else if block {
				select {
				case a := <-f.fut.Ok():
					ack(f, a)
				case e := <-f.fut.Err():
					return fmt.Errorf("bus: publish tick %d: %w", f.tick, e)
				case <-ctx.Done():
					return ctx.Err()
				}
			} else {
				select {
				case a := <-f.fut.Ok():
					ack(f, a)
				case e := <-f.fut.Err():
					return fmt.Errorf("bus: publish tick %d: %w", f.tick, e)
				default:
					return nil
				}
			}
			q = q[1:]
		}
		return nil
	}
	oldestOf := func() tickOff {
		if len(q) == 0 {
			return tickOff{}
		}
		return tickOff{tick: q[0].tick, off: q[0].off, ok: true}
	}
	var pendingRec *ecs.TickRecord
	var pendingOff int64
	for {
		rec, recOff := pendingRec, pendingOff
		pendingRec = nil
		if rec == nil {
			var end int64
			rec, recOff, end, err = tail.next()
			if errors.Is(err, errCaughtUp) {
				if !r.cfg.Follow {
					if err := settle(0, true); err != nil {
						return false, oldestOf(), err
					}
					return true, tickOff{}, nil
				}
				if err := settle(0, false); err != nil {
					return false, oldestOf(), err
				}
				if !r.waitMore(ctx, notify, len(q) > 0) {
					return false, oldestOf(), ctx.Err()
				}
				continue
			}
			if err != nil {
				return false, oldestOf(), permanent{err}
			}
			if rec.Tick < pos.tick {
				continue
			}
			if r.cfg.Horizon == nil && end > syncedOff {
				// Make what we read durable before publishing it.
				st, serr := tail.f.Stat()
				if serr == nil {
					serr = tail.sync()
				}
				if serr != nil {
					return false, oldestOf(), permanent{serr}
				}
				syncedOff = st.Size()
			}
		}
		if h := r.cfg.Horizon; h != nil {
			if d, ok := h.Durable(); !ok || d < rec.Tick {
				pendingRec, pendingOff = rec, recOff
				if err := settle(0, false); err != nil {
					return false, oldestOf(), err
				}
				if !r.waitMore(ctx, notify, len(q) > 0) {
					return false, oldestOf(), ctx.Err()
				}
				continue
			}
		}
		groups := sorter.group(rec.Events)
		for p, g := range groups {
			if rec.Tick == pos.tick && p < pos.part {
				continue
			}
			payload, err := AppendBatch(nil, rec.Tick, g.kind, g.events, g.index)
			if err != nil {
				return false, oldestOf(), permanent{err}
			}
			m := &nats.Msg{Subject: EventSubject(r.cfg.World, g.kind), Data: payload, Header: nats.Header{}}
			m.Header.Set(jetstream.MsgIDHeader, eventMsgID(r.cfg.World, rec.Tick, uint8(g.kind)))
			m.Header.Set(HeaderTick, strconv.FormatUint(rec.Tick, 10))
			m.Header.Set(HeaderPart, strconv.Itoa(p)+"/"+strconv.Itoa(len(groups)))
			var opts []jetstream.PublishOpt
			if !r.noExpect {
				opts = append(opts, jetstream.WithExpectLastSequence(seq))
			}
			fut, err := r.js.PublishMsgAsync(m, opts...)
			if err != nil {
				return false, oldestOf(), err
			}
			seq++
			q = append(q, inflight{fut: fut, tick: rec.Tick, off: recOff, events: len(g.events), last: p == len(groups)-1})
			if err := settle(r.cfg.MaxInFlight, true); err != nil {
				return false, oldestOf(), err
			}
		}
		if len(groups) == 0 && rec.Tick >= pos.tick {
			q = append(q, inflight{tick: rec.Tick, off: recOff, last: true})
		}
		if r.afterPublish != nil {
			r.afterPublish(rec.Tick)
		}
		if ctx.Err() != nil {
			return false, oldestOf(), ctx.Err()
		}
	}
}

// waitMore waits for the horizon or the poll interval (shorter while acks
// are outstanding, so they are counted promptly).
func (r *Relay) waitMore(ctx context.Context, notify <-chan struct{}, acks bool) bool {
	d := r.cfg.Poll
	if acks {
		d = min(d, time.Millisecond)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-notify:
	case <-t.C:
	}
	return true
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// group is the events of one kind in one tick.
type group struct {
	kind   events.Kind
	events []events.Event
	index  []uint32
}

// kindSorter splits a tick's events by kind, in ascending kind order (a
// counting sort: no map, so the message order is deterministic). Its
// buffers are reused tick after tick.
type kindSorter struct {
	count  [256]int
	evs    []events.Event
	idx    []uint32
	groups []group
}

func (s *kindSorter) group(evs []events.Event) []group {
	s.count = [256]int{}
	for i := range evs {
		s.count[evs[i].Kind]++
	}
	s.groups = s.groups[:0]
	s.evs = append(s.evs[:0], make([]events.Event, len(evs))...)
	s.idx = append(s.idx[:0], make([]uint32, len(evs))...)
	var start [256]int
	n := 0
	for k := range 256 {
		start[k] = n
		n += s.count[k]
	}
	fill := start
	for i := range evs {
		k := evs[i].Kind
		s.evs[fill[k]] = evs[i]
		s.idx[fill[k]] = uint32(i)
		fill[k]++
	}
	for k := range 256 {
		if c := s.count[k]; c > 0 {
			a := start[k]
			s.groups = append(s.groups, group{kind: events.Kind(k), events: s.evs[a : a+c], index: s.idx[a : a+c]})
		}
	}
	return s.groups
}
