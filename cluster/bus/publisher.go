package bus

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// inflight is one published, unacknowledged message (fut nil: a run of
// ticks without events, settled in order like the others).
type inflight struct {
	fut    jetstream.PubAckFuture
	id     string // its Nats-Msg-Id
	seq    uint64 // the only sequence it can be stored at (0: published without an expected sequence)
	tick   uint64 // first tick of its run
	last   uint64 // last tick of its run
	part   int    // its part in the run
	off    int64  // file offset of the run's first tick record
	events int
	final  bool // the last message of its run
}

type tickOff struct {
	tick uint64
	off  int64
	ok   bool
}

// run is the ticks read and not yet published.
type run struct {
	recs  []*ecs.TickRecord
	off   int64 // file offset of recs[0]
	since time.Time
}

// publisher is one pass of a Relay over its log from a resume position:
// it reads tick records, checks the stream holds this recording, groups
// ticks into runs, publishes them with an expected sequence and settles
// their acknowledgements in order. Run makes a new one on every
// (re)start; it lives on Run's goroutine.
type publisher struct {
	r      *Relay
	ctx    context.Context
	src    ticks
	tail   *logTail // src, when it is a log file (nil: a TickSource)
	pos    position
	seq    uint64 // the stream's last sequence, as this pass expects it
	q      []inflight
	cur    run
	sorter kindSorter
	notify <-chan struct{} // the horizon's, if any

	syncedOff int64 // the file is fsynced up to here (no Horizon)
	lastRead  struct {
		tick uint64
		ok   bool
	}
	waitTold bool // the "waiting to check" notice was given

	// answered is set once the stream acknowledged one of this pass's
	// messages; until then the pass has at most one message in flight.
	// The expected sequence alone does not keep a pass's messages
	// together: a message of an earlier pass still on its way (in the
	// client's reconnect buffer or the server's queue, its ack timed out)
	// can land after this pass read the stream's last sequence. This
	// pass's first message then fails its expectation, but the next one,
	// pipelined behind it, expects exactly the late one's sequence and is
	// stored after it: a run cut elsewhere (Linger) then overlaps the late
	// one's ticks or leaves a gap. The server takes a connection's
	// publishes to a stream in order, so once the first one is answered
	// every earlier publish has landed or failed, and nothing can come
	// between this pass's messages; a first one refused ends the pass
	// with nothing behind it.
	answered bool
}

// pump publishes from the tail's position until done, an error or ctx
// ends. It returns the oldest run not known to be stored, for the next
// seek.
func (r *Relay) pump(ctx context.Context, src ticks, tail *logTail, pos position) (done bool, oldest tickOff, err error) {
	p := &publisher{r: r, ctx: ctx, src: src, tail: tail, pos: pos, seq: pos.seq}
	switch {
	case r.cfg.Source != nil:
		p.notify = r.cfg.Source.Ready()
	case r.cfg.Horizon != nil:
		p.notify = r.cfg.Horizon.Notify()
	}
	done, err = p.loop()
	if done {
		return true, tickOff{}, nil
	}
	// Run ends here (ctx ended, or a permanent error): wait up to
	// AckTimeout for the acks in flight so Stats are whole. Otherwise take
	// only those already in; the next resume counts the rest the stream
	// holds.
	p.drain(ctx.Err() != nil || errors.Is(err, ErrPermanent))
	return false, p.oldest(), err
}

// loop is pump's body: done is true once a relay that does not follow has
// stored every tick of the log.
func (p *publisher) loop() (done bool, err error) {
	r, pos := p.r, &p.pos
	var pending *ecs.TickRecord // read, not yet durable
	var pendingOff int64
	for {
		rec, recOff := pending, pendingOff
		pending = nil
		if rec == nil {
			var end int64
			rec, recOff, end, err = p.src.next()
			if errors.Is(err, errCaughtUp) {
				if !r.cfg.Follow {
					return p.finish()
				}
				p.tellWaiting()
				if err := p.idle(); err != nil {
					return false, err
				}
				continue
			}
			if err != nil && p.tail == nil && !errors.Is(err, ErrPermanent) {
				return false, err // a TickSource's: retried
			}
			if err != nil {
				return false, p.damaged(err)
			}
			if err := p.check(rec); err != nil {
				return false, err
			}
			if rec.Tick < pos.tick {
				continue
			}
			if err := p.syncRead(end); err != nil {
				return false, err
			}
		}
		if h := r.cfg.Horizon; h != nil && p.tail != nil {
			if d, ok := h.Durable(); !ok || d < rec.Tick {
				pending, pendingOff = rec, recOff
				if err := p.idle(); err != nil {
					return false, err
				}
				continue
			}
		}
		if len(p.cur.recs) == 0 {
			p.cur.off, p.cur.since = recOff, time.Now()
		}
		p.cur.recs = append(p.cur.recs, rec)
		// A run ends at TicksPerMessage ticks, or, completing the stored
		// half of a run, where that run ended: its remaining parts must
		// cover the same ticks whatever the flags now say.
		if c := p.completing(); c && rec.Tick == pos.last || !c && len(p.cur.recs) >= r.cfg.TicksPerMessage {
			if err := p.flush(); err != nil {
				return false, err
			}
		}
		if err := p.ctx.Err(); err != nil {
			return false, err
		}
	}
}

// finish ends a relay that does not follow, at the end of the log: it
// publishes the last run and waits for every ack. A log that ends before
// the stream's last tick is another recording (or was cut by hand); a
// torn tail is reported once every complete tick is stored.
func (p *publisher) finish() (bool, error) {
	pos := &p.pos
	short := pos.stored.ok && (!p.lastRead.ok || p.lastRead.tick < pos.stored.last)
	if short && (pos.check || pos.part > 0) {
		ends := "holds no complete tick"
		if p.lastRead.ok {
			ends = fmt.Sprintf("ends at tick %d", p.lastRead.tick)
		}
		return false, p.r.other("the stream holds ticks up to %d, the log %s", pos.stored.last, ends)
	}
	if err := p.flush(); err != nil {
		return false, err
	}
	if err := p.settle(0, true); err != nil {
		return false, err
	}
	if p.tail != nil && p.tail.torn != nil {
		// A following relay waits for the writer instead: a growing tail
		// is normal.
		return false, permanent(p.tail.torn)
	}
	return true, nil
}

// tellWaiting says once, through OnRetry, that a following relay waits
// for its log to reach the stream's last tick before it can check it.
func (p *publisher) tellWaiting() {
	pos := &p.pos
	if p.waitTold || !pos.check || p.lastRead.ok && p.lastRead.tick >= pos.stored.last {
		return
	}
	p.waitTold = true
	p.r.retrying(fmt.Errorf("bus: stream %s holds ticks up to %d, the log not yet: waiting for tick %d to check that the stream holds this recording",
		EventStream(p.r.cfg.World), pos.stored.last, pos.stored.last))
}

// damaged handles damage in the log: the ticks before it are intact and
// durable, so they are stored first (unless they would complete a partly
// stored run, which must end at pos.last, or the stream is not yet known
// to hold this recording).
func (p *publisher) damaged(err error) error {
	if !p.completing() && !p.pos.check {
		if ferr := p.flush(); ferr != nil {
			return ferr
		}
	}
	if serr := p.settle(0, true); serr != nil {
		return serr
	}
	return permanent(err)
}

// check compares the log's copy of the stream's last stored tick with the
// stream's checksum of it, before anything is published.
func (p *publisher) check(rec *ecs.TickRecord) error {
	pos := &p.pos
	p.lastRead.tick, p.lastRead.ok = rec.Tick, true
	if !pos.check {
		return nil
	}
	switch {
	case rec.Tick == pos.stored.last && rec.Checksum != pos.sum:
		return p.r.other("tick %d has checksum %016x in the stream, %016x in the log", rec.Tick, pos.sum, rec.Checksum)
	case rec.Tick == pos.stored.last:
		pos.check, p.r.checked = false, true
	case rec.Tick > pos.stored.last:
		return p.r.other("the stream holds tick %d, the log has no tick %d", pos.stored.last, pos.stored.last)
	}
	return nil
}

// syncRead makes what was read durable before it is published, when no
// Horizon says so: the file may be another process's, still in its
// buffers.
func (p *publisher) syncRead(end int64) error {
	if p.r.cfg.Horizon != nil || p.tail == nil || end <= p.syncedOff {
		return nil
	}
	st, err := p.tail.f.Stat()
	if err == nil {
		err = p.tail.sync()
	}
	if err != nil {
		return permanent(err)
	}
	p.syncedOff = st.Size()
	return nil
}

// completing reports whether the current run is the stored half of a run
// being completed: it must end at pos.last whatever TicksPerMessage says.
func (p *publisher) completing() bool {
	return p.pos.part > 0 && len(p.cur.recs) > 0 && p.cur.recs[0].Tick == p.pos.tick
}

// oldest is the oldest run not known to be stored.
func (p *publisher) oldest() tickOff {
	switch {
	case len(p.q) > 0:
		return tickOff{tick: p.q[0].tick, off: p.q[0].off, ok: true}
	case len(p.cur.recs) > 0:
		return tickOff{tick: p.cur.recs[0].Tick, off: p.cur.off, ok: true}
	}
	return tickOff{}
}

// ack counts one acknowledged message (a nil ack: a run without events,
// nothing stored).
func (p *publisher) ack(f inflight, a *jetstream.PubAck) {
	r := p.r
	// Earlier, unsettled publishes of this very message (same id) are
	// settled by this ack: a fresh store means none of them was stored (the
	// stream would have dropped this one as their duplicate); a duplicate
	// stored where one of them had to land is that one, stored by this
	// relay and counted here. Matching by the run's first tick and part
	// is not enough: runs are cut by time (Linger), so a republished run
	// may start at the same tick and part with other ticks and events.
	ours := false
	if a != nil {
		p.answered = true
		keep := r.unsettled[:0]
		for _, u := range r.unsettled {
			if u.id != f.id {
				keep = append(keep, u)
				continue
			}
			if a.Duplicate && (u.seq == 0 || u.seq == a.Sequence) {
				ours = true
			}
		}
		r.unsettled = keep
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case a == nil:
	case a.Duplicate && !ours:
		r.stats.Duplicates++
	default:
		r.stats.Messages++
		r.stats.Events += uint64(f.events)
	}
	if f.final {
		r.stats.LastTick, r.stats.HasTick = f.last, true
	}
}

// settle takes acknowledgements in order: blocking until at most max
// remain, or (block false) only those already in.
func (p *publisher) settle(max int, block bool) error {
	for len(p.q) > 0 && (len(p.q) > max || !block) {
		f := p.q[0]
		if f.fut == nil {
			p.ack(f, nil)
		} else if block {
			select {
			case a := <-f.fut.Ok():
				p.ack(f, a)
			case e := <-f.fut.Err():
				return fmt.Errorf("bus: publish ticks %d-%d: %w", f.tick, f.last, e)
			case <-p.ctx.Done():
				return p.ctx.Err()
			}
		} else {
			select {
			case a := <-f.fut.Ok():
				p.ack(f, a)
			case e := <-f.fut.Err():
				return fmt.Errorf("bus: publish ticks %d-%d: %w", f.tick, f.last, e)
			default:
				return nil
			}
		}
		p.q = p.q[1:]
	}
	return nil
}

// drain counts, on the way out, the acks already in, and with wait those
// arriving within AckTimeout; what is left goes to the relay's unsettled
// messages.
func (p *publisher) drain(wait bool) {
	var bound <-chan time.Time
	if wait {
		t := time.NewTimer(p.r.cfg.AckTimeout)
		defer t.Stop()
		bound = t.C
	}
	for len(p.q) > 0 {
		f := p.q[0]
		if f.fut != nil {
			var a *jetstream.PubAck
			if wait {
				select {
				case a = <-f.fut.Ok():
				case <-f.fut.Err():
				case <-bound:
				}
			} else {
				select {
				case a = <-f.fut.Ok():
				default:
				}
			}
			if a == nil {
				break
			}
			p.ack(f, a)
		} else {
			p.ack(f, nil)
		}
		p.q = p.q[1:]
	}
	p.r.unsettled = append(p.r.unsettled, p.q...)
}

// flush publishes the current run: per kind (ascending), split at
// MaxEvents; for the stored half of a run only the events after the last
// stored one, numbered on from the stored parts.
func (p *publisher) flush() error {
	r, cur := p.r, &p.cur
	if len(cur.recs) == 0 {
		return nil
	}
	first, last := cur.recs[0].Tick, cur.recs[len(cur.recs)-1].Tick
	chunks := p.sorter.group(cur.recs, r.cfg.MaxEvents)
	base := 0
	if p.completing() {
		chunks, base = remaining(chunks, p.pos.afterKind, p.pos.afterID), p.pos.part
	}
	msgs, err := r.encodeAll(first, last, chunks)
	if err != nil {
		return permanent(err)
	}
	parts := base + len(msgs)
	rng := strconv.FormatUint(first, 10) + "-" + strconv.FormatUint(last, 10)
	sum := strconv.FormatUint(cur.recs[len(cur.recs)-1].Checksum, 16)
	for i, em := range msgs {
		g := em.chunk
		part := base + i
		if r.beforePart != nil {
			if err := r.beforePart(first, last, part, parts); err != nil {
				return err
			}
		}
		m := &nats.Msg{Subject: EventSubject(r.cfg.World, g.kind), Data: em.payload, Header: nats.Header{}}
		m.Header.Set(HeaderContentType, em.ct)
		m.Header.Set(jetstream.MsgIDHeader, r.cfg.World+":"+rng+":"+strconv.Itoa(part))
		m.Header.Set(HeaderTick, rng)
		m.Header.Set(HeaderPart, strconv.Itoa(part)+"/"+strconv.Itoa(parts))
		m.Header.Set(HeaderChecksum, sum)
		if !r.noExpect {
			m.Header.Set(jetstream.ExpectedLastSeqHeader, strconv.FormatUint(p.seq, 10))
		}
		publish := r.js.PublishMsgAsync
		if r.publish != nil {
			publish = r.publish
		}
		// No retry by the client on "no responders" (the stream not
		// there yet, mid-restart): it re-sends the message a while later
		// on its own, out of order with a pass begun since.
		fut, err := publish(m, jetstream.WithRetryAttempts(0))
		if err != nil {
			return err
		}
		p.seq++
		at := p.seq
		if r.noExpect {
			at = 0
		}
		p.q = append(p.q, inflight{fut: fut, id: m.Header.Get(jetstream.MsgIDHeader), seq: at, tick: first, last: last, part: part, off: cur.off, events: len(g.events), final: i == len(msgs)-1})
		// Until the stream has answered one of this pass's messages, the
		// pass publishes one at a time: see publisher.answered.
		window := r.cfg.MaxInFlight
		if !p.answered {
			window = 0
		}
		if err := p.settle(window, true); err != nil {
			return err
		}
	}
	if len(msgs) == 0 {
		p.q = append(p.q, inflight{tick: first, last: last, off: cur.off, final: true})
	}
	if r.afterPublish != nil {
		r.afterPublish(last)
	}
	cur.recs = cur.recs[:0]
	return nil
}

// encoded is one message of a run, encoded.
type encoded struct {
	chunk   chunk
	payload []byte
	ct      string
}

// headroom is left under the server's max_payload for the headers.
const headroom = 8 << 10

// encodeAll encodes a run's chunks, halving any whose payload would
// exceed the server's max_payload (1 MiB by default; a CloudEvents event
// takes about 200 bytes, up to several hundred with long names and ids,
// so MaxEvents events may not fit): the messages are then more parts of
// the same run, which a resume completes whatever way it was cut.
func (r *Relay) encodeAll(first, last uint64, chunks []chunk) ([]encoded, error) {
	limit := r.maxPayload
	if limit <= 0 {
		limit = int(r.nc.MaxPayload())
		if limit <= 0 {
			limit = 1 << 20
		}
		limit = max(limit-headroom, 1024)
	}
	var out []encoded
	var add func(c chunk) error
	add = func(c chunk) error {
		p, ct, err := r.encode(first, last, c)
		if err != nil {
			return err
		}
		if len(p) > limit && len(c.events) > 1 {
			h := len(c.events) / 2
			if err := add(chunk{kind: c.kind, events: c.events[:h], ids: c.ids[:h]}); err != nil {
				return err
			}
			return add(chunk{kind: c.kind, events: c.events[h:], ids: c.ids[h:]})
		}
		out = append(out, encoded{chunk: c, payload: p, ct: ct})
		return nil
	}
	for _, c := range chunks {
		if err := add(c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// encode is the payload of one message and its content type, in the
// relay's Encoding.
func (r *Relay) encode(first, last uint64, g chunk) ([]byte, string, error) {
	if r.cfg.Encoding == Binary {
		p, err := AppendBatch(nil, first, last, g.kind, g.events, g.ids)
		return p, ContentTypeBinary, err
	}
	single := r.cfg.MaxEvents == 1
	// Sized for a typical event (about 200 bytes): one allocation.
	p, err := AppendCloudEvents(make([]byte, 0, 64+len(g.events)*(192+len(r.cfg.World))), r.cfg.World, g.kind, g.events, g.ids, single)
	if single {
		return p, ContentTypeCloudEvent, err
	}
	return p, ContentTypeCloudEventBatch, err
}

// remaining drops from a run's chunks the events at or before (kind, id)
// in publishing order (kind, then id): what a half-stored run still needs.
func remaining(chunks []chunk, kind events.Kind, id EventID) []chunk {
	out := chunks[:0]
	for _, c := range chunks {
		if c.kind < kind {
			continue
		}
		if c.kind == kind {
			i := sort.Search(len(c.ids), func(i int) bool { return id.Less(c.ids[i]) })
			if i == len(c.ids) {
				continue
			}
			c.events, c.ids = c.events[i:], c.ids[i:]
		}
		out = append(out, c)
	}
	return out
}

// idle runs while no publishable tick is available: it takes the acks
// that came in, publishes a run held longer than Linger (unless it is the
// stored half of a run being completed, which must reach its last tick),
// and waits for the horizon or the poll interval.
func (p *publisher) idle() error {
	if err := p.settle(0, false); err != nil {
		return err
	}
	if !p.completing() && len(p.cur.recs) > 0 && time.Since(p.cur.since) >= p.r.cfg.Linger {
		if err := p.flush(); err != nil {
			return err
		}
	}
	if !p.r.waitMore(p.ctx, p.notify, len(p.q) > 0 || len(p.cur.recs) > 0) {
		return p.ctx.Err()
	}
	return nil
}
