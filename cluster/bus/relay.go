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
	// Log is the replay log file: the outbox the relay reads.
	Log string
	// Source, instead of Log, is where the relay reads committed ticks:
	// cluster/lockstep's FrameSource follows a replicated world's frame
	// stream, so the relay needs no file and may run on any machine.
	// Horizon does not apply: a source returns committed ticks only.
	Source TickSource
	// Horizon is the log's durable end: the relay publishes no tick
	// beyond it. AttachHorizon makes one for a log this process writes;
	// NewHorizon one driven by hand (e.g. from what another process
	// reports synced). Without one the relay fsyncs the file itself
	// before publishing what it read, so it can follow a log another
	// process writes.
	Horizon *Horizon
	// Follow keeps the relay tailing the log until its context ends;
	// otherwise Run returns once every tick in the file is acknowledged.
	Follow bool
	// MaxInFlight bounds the messages published and not yet acknowledged
	// (default 4096). Every (re)start sends its first message alone and
	// waits for the stream's answer: a publish of the stopped pass still
	// on its way then lands before anything of the new one.
	MaxInFlight int
	// AckTimeout is how long a publish may wait for its acknowledgement
	// before the relay resynchronises from the stream (default 5 s).
	AckTimeout time.Duration
	// Poll is how often a following relay without a Horizon looks for new
	// records, and the retry pause after an error (default 20 ms).
	Poll time.Duration
	// TicksPerMessage is how many consecutive ticks one message may cover
	// (per kind; default 16): fewer, fuller messages. A following relay
	// publishes a shorter run after Linger without a new durable tick.
	TicksPerMessage int
	// Linger bounds how long a following relay holds a run of ticks that
	// is not full yet (default 20 ms): the added latency.
	Linger time.Duration
	// MaxEvents bounds the events in one message (default 4096); a bigger
	// group is split over several messages.
	MaxEvents int
	// Encoding is the messages' payload: CloudEvents JSON (the default)
	// or the compact binary form. Consumers read either, so it may change
	// between runs on one stream.
	Encoding Encoding
	// Streams sizes the world's streams (EnsureStreams).
	Streams StreamsConfig
	// OnRetry, if set, is told each broker error the relay waits out and
	// retries (called on Run's goroutine): a caller shows it, so an
	// unreachable stream does not look like a stuck relay.
	OnRetry func(err error)
}

// RelayStats counts what a Relay stored in the stream: acknowledged, or
// (an ack lost in an outage) found there on resuming.
type RelayStats struct {
	Messages   uint64 // messages stored (duplicates excluded)
	Duplicates uint64 // messages the stream dropped as stored before this Run
	Events     uint64 // events in the stored messages
	LastTick   uint64 // last tick whose messages are all stored (valid if HasTick)
	HasTick    bool
	Resyncs    uint64 // times the relay rewound to what the stream holds
	// From is the first tick the stream did not hold when the relay
	// started (0 for an empty stream).
	From uint64
}

// Relay publishes a replay log's committed ticks to the world's event
// stream: for each run of up to TicksPerMessage ticks, one message per kind
// on tickecon.world.<world>.<Kind> (split if it would exceed MaxEvents), with
// Nats-Msg-Id world:first-last:part so a republish inside the dedup window
// is dropped, and an expected last stream sequence so no message is stored
// after one that was lost (the stream never has a gap); each message also
// carries the checksum of its run's last tick (HeaderChecksum). Where to
// start is read from the stream on every (re)start — the last stored
// message's tick range and part, and for a half-stored run its last event
// — never remembered, so a restart with other TicksPerMessage or MaxEvents
// goes on exactly; a broker outage, timeout or rejected publish makes the
// relay wait and resynchronise the same way.
type Relay struct {
	cfg RelayConfig
	nc  *nats.Conn
	js  jetstream.JetStream

	mu    sync.Mutex
	stats RelayStats

	// Run's goroutine only: checked is set once the stream's last stored
	// tick was found in the log with the same checksum (or the stream
	// could not be checked: empty, or written without the header);
	// unsettled holds the messages a stopped pass published and never saw
	// acknowledged: counted once the stream shows they were stored, or
	// when a republished copy is dropped as their duplicate.
	checked   bool
	unsettled []inflight

	// Test hooks: called after a tick's messages were handed to the
	// client (before their acks); called before each part is published
	// (an error stops the run there); a forced rewind to the log's start.
	afterPublish func(tick uint64)
	beforePart   func(first, last uint64, part, parts int) error
	rewind       bool
	noExpect     bool
	maxPayload   int // bytes one payload may take (0: the server's max_payload less headroom)
	// publish, if set, replaces js.PublishMsgAsync (a test holds
	// messages back with it, to land them late).
	publish func(m *nats.Msg, opts ...jetstream.PublishOpt) (jetstream.PubAckFuture, error)
}

// NewRelay prepares a relay on connection nc (which should reconnect
// forever: nats.MaxReconnects(-1)).
func NewRelay(nc *nats.Conn, cfg RelayConfig) (*Relay, error) {
	if err := CheckWorld(cfg.World); err != nil {
		return nil, err
	}
	switch {
	case cfg.Log == "" && cfg.Source == nil:
		return nil, fmt.Errorf("%w: RelayConfig.Log is required (or a Source)", ErrConfig)
	case cfg.Log != "" && cfg.Source != nil:
		return nil, fmt.Errorf("%w: RelayConfig.Log and Source: one of them, not both", ErrConfig)
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 4096
	}
	if cfg.AckTimeout <= 0 {
		cfg.AckTimeout = 5 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 20 * time.Millisecond
	}
	if cfg.TicksPerMessage <= 0 {
		cfg.TicksPerMessage = 16
	}
	if cfg.Linger <= 0 {
		cfg.Linger = 20 * time.Millisecond
	}
	if cfg.MaxEvents <= 0 {
		cfg.MaxEvents = 4096
	}
	if cfg.Encoding != CloudEvents && cfg.Encoding != Binary {
		return nil, fmt.Errorf("%w: RelayConfig.Encoding %v", ErrConfig, cfg.Encoding)
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

// position is where publishing resumes: tick is the first tick not fully
// stored; if part > 0, the run tick..last was partly stored and its
// messages from part on are missing: they hold the run's events after
// (afterKind, afterID) in the order runs are published (kind, then id).
type position struct {
	tick, last uint64
	part       int
	seq        uint64 // the stream's last sequence
	afterKind  events.Kind
	afterID    EventID
	// stored is the last stored message's run and part (ok false: the
	// stream is empty); sum is the checksum of its run's last tick
	// (hasSum false: written before HeaderChecksum existed).
	stored struct {
		first, last uint64
		part        int
		ok          bool
	}
	sum    uint64
	hasSum bool
	// check: the log's tick stored.last must have checksum sum before
	// anything is published.
	check bool
}

// resume reads the stream's last message. A stream whose last message is
// not a relay message (no tick header, an unreadable payload) is a
// permanent error.
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
	bad := func(err error) error {
		return permanent(fmt.Errorf("bus: stream %s last message (seq %d): %w", EventStream(r.cfg.World), m.Sequence, err))
	}
	tick, last, part, parts, err := partOf(m.Header)
	if err != nil {
		return position{}, bad(err)
	}
	p := position{tick: tick, last: last, part: part + 1, seq: m.Sequence}
	p.stored.first, p.stored.last, p.stored.part, p.stored.ok = tick, last, part, true
	if h := m.Header.Get(HeaderChecksum); h != "" {
		if p.sum, err = strconv.ParseUint(h, 16, 64); err != nil {
			return position{}, bad(fmt.Errorf("bad %s header %q", HeaderChecksum, h))
		}
		p.hasSum = true
	}
	if part+1 == parts {
		p.tick, p.last, p.part = last+1, 0, 0
		return p, nil
	}
	// A half-stored run: the rest is whatever follows this message's last
	// event, however the next relay cuts it (TicksPerMessage and MaxEvents
	// may differ from the stopped relay's).
	var b Batch
	if err := DecodeMessage(m.Header, m.Data, &b); err != nil {
		return position{}, bad(err)
	}
	if len(b.IDs) == 0 {
		return position{}, bad(fmt.Errorf("a part of ticks %d-%d without events", tick, last))
	}
	p.afterKind, p.afterID = b.Kind, b.IDs[len(b.IDs)-1]
	return p, nil
}

// partOf reads the tick range and part headers of an event message.
func partOf(h nats.Header) (tick, last uint64, part, parts int, err error) {
	a, b, ok := strings.Cut(h.Get(HeaderTick), "-")
	tick, err1 := strconv.ParseUint(a, 10, 64)
	last, err2 := strconv.ParseUint(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || last < tick {
		return 0, 0, 0, 0, fmt.Errorf("bad %s header %q", HeaderTick, h.Get(HeaderTick))
	}
	a, b, ok = strings.Cut(h.Get(HeaderPart), "/")
	part, err1 = strconv.Atoi(a)
	parts, err2 = strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || part < 0 || part >= parts {
		return 0, 0, 0, 0, fmt.Errorf("bad %s header %q", HeaderPart, h.Get(HeaderPart))
	}
	return tick, last, part, parts, nil
}

// other is the refusal of a stream that holds another recording.
func (r *Relay) other(format string, args ...any) error {
	return permanent(&OtherRecordingError{Stream: EventStream(r.cfg.World), Log: r.source(), What: fmt.Sprintf(format, args...)})
}

// source names what the relay reads: the log's path, or the Source's
// name.
func (r *Relay) source() string {
	if r.cfg.Source != nil {
		return r.cfg.Source.Name()
	}
	return r.cfg.Log
}

// Run publishes until the log is done (not following) or ctx ends. Broker
// errors are retried; anything else ends it with a *PermanentError
// (errors.Is ErrPermanent). On damage (*ticklog.CorruptError, file
// offset) the ticks before it are stored first. A relay that does not
// follow and finds the log ending in a torn tail stores every complete
// tick, then returns the *ticklog.TornTailError; a following relay waits
// for the tail to be completed (the writer is mid-append).
//
// Before it publishes anything, Run checks that the stream holds this
// recording: the content hash (EnsureStreams), then the checksum of the
// stream's last stored tick (HeaderChecksum) against the log's. A stream
// that differs, or holds ticks the log does not have, is refused with an
// *OtherRecordingError (errors.Is ErrOtherRecording). A following relay
// whose log has not yet reached the stream's last tick waits for it (and
// says so once through OnRetry).
//
// With a Source the same holds with the source for the log: Run seeks it
// to where the stream stopped on every (re)start (to the stream's last
// stored tick first, to check it), retries its errors but those matching
// ErrPermanent, and, not following, ends at its first ErrCaughtUp.
//
// When ctx ends, Run still waits up to AckTimeout for the
// acknowledgements in flight, so Stats counts every message it stored.
func (r *Relay) Run(ctx context.Context) error {
	var (
		src   ticks
		tail  *logTail
		hash  uint64
		start int64
	)
	if s := r.cfg.Source; s != nil {
		src, hash = &tickSource{s: s, ctx: ctx}, s.ContentHash()
	} else {
		var err error
		if tail, err = openTail(r.cfg.Log); err != nil {
			return permanent(err)
		}
		defer tail.close()
		src, hash, start = tail, tail.hdr.ContentHash, tail.good
	}
	var hint struct {
		tick uint64
		off  int64
		ok   bool
	}
	first, first0 := true, true
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
		if err := EnsureStreams(ctx, r.js, r.cfg.World, hash, r.cfg.Streams); err != nil {
			var o *OtherRecordingError
			if errors.As(err, &o) {
				o.Log = r.source()
				return permanent(o)
			}
			r.retrying(err)
			continue // broker away: wait and retry
		}
		pos, err := r.resume(ctx)
		if errors.Is(err, ErrPermanent) {
			return err
		}
		if err != nil {
			r.retrying(err)
			continue
		}
		if err := r.settleStored(ctx, pos); err != nil {
			r.retrying(err)
			continue
		}
		if first0 {
			r.mu.Lock()
			r.stats.From = pos.tick
			r.mu.Unlock()
			first0 = false
		}
		if r.rewind { // test hook: a relay that forgot, once, and sets no expectation
			pos, r.rewind, r.noExpect = position{seq: pos.seq}, false, true
		}
		if !r.checked && (!pos.stored.ok || !pos.hasSum) {
			r.checked = true // nothing to check against
		}
		pos.check = !r.checked
		off := start
		switch {
		case tail == nil: // a TickSource seeks by tick: the stream's last stored one first, to check it
			off = int64(pos.tick)
			if pos.check {
				off = int64(min(pos.tick, pos.stored.last))
			}
		case !pos.check && hint.ok && pos.tick >= hint.tick:
			off = hint.off
		}
		if err := src.seek(off); err != nil {
			if tail != nil || errors.Is(err, ErrPermanent) {
				return permanent(err)
			}
			r.retrying(err)
			continue
		}
		done, oldest, err := r.pump(ctx, src, tail, pos)
		if oldest.ok {
			hint.tick, hint.off, hint.ok = oldest.tick, oldest.off, true
		}
		if done {
			return nil
		}
		if errors.Is(err, ErrPermanent) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r.retrying(err)
	}
}

// settleStored settles the messages a stopped pump left unacknowledged.
// Each was published expecting the stream's last sequence, so it can only
// be stored at the sequence after that one: it was stored exactly when
// the message there carries its id. Whether the stream shows it is read
// from the stream, never guessed from tick numbers: a run cut by time may
// be republished from the same first tick and part with other contents,
// and several failed passes may each leave one behind. Those the stream
// cannot show yet (beyond its last sequence) stay: they may still land,
// and their republished copy is then acknowledged as a duplicate. A
// sequence is counted once, however many passes left a publish of the
// message there. It also moves LastTick to the stream's end.
func (r *Relay) settleStored(ctx context.Context, pos position) error {
	var (
		s      jetstream.Stream
		err    error
		stored []inflight
	)
	// A sequence holds one message, but several passes may have left a
	// publish of it unsettled: a pass that read the stream before a late
	// message of an earlier pass landed republishes that message (same
	// id, same expected sequence) and is refused, since the server checks
	// the expected sequence before the dedup window. Both then name the
	// message there; it is counted once.
	counted := map[uint64]bool{}
	keep := r.unsettled[:0]
	for _, f := range r.unsettled {
		switch {
		case f.fut == nil || counted[f.seq]:
			continue
		case err != nil || f.seq == 0 || f.seq > pos.seq:
			keep = append(keep, f)
			continue
		}
		if s == nil {
			if s, err = r.js.Stream(ctx, EventStream(r.cfg.World)); err != nil {
				keep = append(keep, f)
				continue
			}
		}
		m, gerr := s.GetMsg(ctx, f.seq)
		switch {
		case errors.Is(gerr, jetstream.ErrMsgNotFound):
			// Removed since (limits, a purge): whose it was cannot be
			// told, so it is not counted.
		case gerr != nil:
			err = gerr // the rest waits for the next resume
			keep = append(keep, f)
		case m.Header.Get(jetstream.MsgIDHeader) == f.id:
			counted[f.seq] = true
			stored = append(stored, f)
		}
	}
	r.unsettled = keep
	r.mu.Lock()
	defer r.mu.Unlock()
	// What was found stored is counted even if a later look-up failed: it
	// has left the unsettled list.
	for _, f := range stored {
		r.stats.Messages++
		r.stats.Events += uint64(f.events)
	}
	if err != nil {
		return err
	}
	if pos.tick > 0 && (!r.stats.HasTick || r.stats.LastTick < pos.tick-1) {
		r.stats.LastTick, r.stats.HasTick = pos.tick-1, true
	}
	return nil
}

// retrying reports a broker error Run waits out (OnRetry).
func (r *Relay) retrying(err error) {
	if r.cfg.OnRetry != nil && err != nil {
		r.cfg.OnRetry(err)
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

// chunk is the events of one kind in a run of ticks (or part of them).
type chunk struct {
	kind   events.Kind
	events []events.Event
	ids    []EventID
}

// kindSorter splits a run's events by kind, in ascending kind order and,
// within a kind, in session order (a stable counting sort: no map, so the
// message order is deterministic). Its buffers are reused run after run.
type kindSorter struct {
	count  [256]int
	evs    []events.Event
	ids    []EventID
	chunks []chunk
}

func (s *kindSorter) group(recs []*ecs.TickRecord, maxEvents int) []chunk {
	s.count = [256]int{}
	n := 0
	for _, r := range recs {
		for i := range r.Events {
			s.count[r.Events[i].Kind]++
		}
		n += len(r.Events)
	}
	s.chunks = s.chunks[:0]
	if cap(s.evs) < n {
		s.evs = make([]events.Event, n)
		s.ids = make([]EventID, n)
	}
	s.evs, s.ids = s.evs[:n], s.ids[:n]
	var start [256]int
	at := 0
	for k := range 256 {
		start[k] = at
		at += s.count[k]
	}
	fill := start
	for _, r := range recs {
		for i := range r.Events {
			k := r.Events[i].Kind
			s.evs[fill[k]] = r.Events[i]
			s.ids[fill[k]] = EventID{Tick: r.Tick, Index: uint32(i)}
			fill[k]++
		}
	}
	for k := range 256 {
		for a, end := start[k], start[k]+s.count[k]; a < end; a += maxEvents {
			b := min(a+maxEvents, end)
			s.chunks = append(s.chunks, chunk{kind: events.Kind(k), events: s.evs[a:b], ids: s.ids[a:b]})
		}
	}
	return s.chunks
}
