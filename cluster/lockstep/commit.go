package lockstep

// Commit: a tick is committed once the stream has stored its frame (a
// quorum of replicas with Config.Replicas > 1). A replicated world's host
// answers an input only then, so an answered input survives the host.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/ecs"
)

// waitReply is an input's answer, sent once its tick is committed.
type waitReply struct {
	tick  uint64
	reply string
}

// commit records that the frame of tick is stored: every tick up to it is
// committed (frames are acknowledged in order). It answers the inputs
// that waited for it and tells Config.OnCommit.
func (h *Host) commit(tick uint64) {
	if h.broken || tick+1 <= h.commitTo {
		return
	}
	h.commitTo = tick + 1
	n := 0
	for n < len(h.waiting) && h.waiting[n].tick <= tick {
		w := h.waiting[n]
		_ = h.nc.Publish(w.reply, []byte("ok "+strconv.FormatUint(w.tick, 10)))
		n++
	}
	if n > 0 {
		k := copy(h.waiting, h.waiting[n:])
		clear(h.waiting[k:])
		h.waiting = h.waiting[:k]
	}
	if h.cfg.OnCommit != nil {
		h.cfg.OnCommit(tick)
	}
}

// Committed returns the number of ticks whose frames the stream has
// stored: ticks 0 … Committed()-1 are committed. Call it from the host's
// goroutine.
func (h *Host) Committed() uint64 { return h.commitTo }

// WaitCommitted waits until tick is committed (Committed() > tick): for
// a server-authoritative world that shows a tick's outcomes only once its
// frame is stored by a quorum, it is the group commit of the tick. It
// returns at once for a tick already committed, ctx's error if ctx ends
// first, and the frame's error if the stream refused it or an earlier
// frame (a *FencedError when another host published first); then the
// tick never commits. A tick not yet stepped is an error. Call it from
// the host's goroutine, after the world stepped the tick.
func (h *Host) WaitCommitted(ctx context.Context, tick uint64) error {
	for h.commitTo <= tick {
		switch {
		case h.fenced != nil:
			return h.fenced
		case h.broken:
			return fmt.Errorf("lockstep: tick %d not committed: an earlier frame failed", tick)
		case tick >= h.w.NextTick():
			return fmt.Errorf("lockstep: tick %d not committed: the world has not run it (next tick %d)", tick, h.w.NextTick())
		case len(h.sent) == 0:
			// Stepped but not published: the publish failed (Step or Err
			// returns why).
			return fmt.Errorf("lockstep: tick %d not committed: its frame was not published", tick)
		}
		if err := h.readAcksUntil(ctx.Done(), tick); err != nil {
			return err
		}
		if h.commitTo <= tick && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// readAcksNow reads the acks that arrived, keeping an error for Step.
func (h *Host) readAcksNow() {
	if err := h.readAcks(); err != nil && h.commitErr == nil {
		h.commitErr = err
	}
}

// pubError turns a refused frame into a *FencedError (another host
// published first: the expected last sequence did not hold) and keeps it:
// a fenced host never publishes again.
func (h *Host) pubError(tick uint64, err error) error {
	if isWrongLastSeq(err) || errors.Is(err, ErrFenced) {
		if h.fenced == nil {
			h.fenced = &FencedError{Tick: tick, Reason: "the stream refused its frame: another host published first"}
			h.say("host fenced at tick %d: another replica hosts\n", tick)
		}
		return h.fenced
	}
	return fmt.Errorf("lockstep: publishing frame %d: %w", tick, err)
}

// keepLease renews the lease when due (Failover). A lease taken by
// another replica fences the host; a failed renewal (no quorum right now)
// is retried soon, and the frames' expected sequence still fences the
// host if the lease lapses meanwhile.
func (h *Host) keepLease(ctx context.Context) error {
	if h.fenced != nil {
		return h.fenced
	}
	if h.lease == nil || time.Now().Before(h.renewAt) {
		return nil
	}
	ttl := h.cfg.Failover.LeaseTTL
	rctx, cancel := context.WithTimeout(ctx, ttl)
	defer cancel()
	err := h.lease.Renew(rctx, h.w.NextTick())
	var f *FencedError
	switch {
	case errors.As(err, &f):
		h.fenced = f
		h.say("host fenced at tick %d: %s\n", f.Tick, f.Reason)
		return f
	case err != nil:
		if ctx.Err() != nil {
			return ctx.Err()
		}
		h.renewAt = time.Now().Add(ttl / 20)
	default:
		h.renewAt = time.Now().Add(ttl / 4)
	}
	return nil
}

// stampKeyed stamps a replicated world's input: an intent whose key the
// host knows (stamped before, by it or by the host before it) is not
// stamped again; the answer names the tick the input applies in and goes
// out once that tick is committed.
func (h *Host) stampKeyed(m *nats.Msg, r *ecs.TickRecord) {
	t := h.w.NextTick() + h.cfg.Delay
	at := uint64(0)
	fresh := false
	b := &h.buckets[t%uint64(len(h.buckets))]
	for _, in := range r.Intents {
		if k, ok := keyOf(&in); ok {
			if prev, dup := h.keys.get(k); dup {
				at = max(at, prev)
				continue
			}
			h.keys.add(k, t)
		}
		b.Intents = append(b.Intents, in)
		fresh = true
	}
	if len(r.Commands) > 0 {
		b.Commands = append(b.Commands, r.Commands...)
		fresh = true
	}
	if fresh {
		at = max(at, t)
	}
	if m.Reply == "" {
		return
	}
	if at < h.commitTo {
		m.Respond([]byte("ok " + strconv.FormatUint(at, 10)))
		return
	}
	h.waiting = append(h.waiting, waitReply{tick: at, reply: m.Reply})
}
