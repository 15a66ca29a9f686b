package lockstep

// Membership: who takes part in the session, and whether the host may
// run its next tick.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

type peerState struct {
	id       string
	next     uint64 // next tick it will report
	live     bool   // holds the host back (MaxLead)
	desynced bool   // dropped: its reports are ignored until it says hello again
	left     bool   // said bye: reports still in flight do not make it live again
	gen      uint64 // hellos taken: reports held before the last one are of a world it left
	lastSeen time.Time
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
		*p = peerState{id: id, next: next, live: true, lastSeen: time.Now(), gen: p.gen + 1}
		h.say("peer %s joined at tick %d (host at %d)\n", id, next, h.w.NextTick())
		if m.Reply != "" {
			m.Respond([]byte("ok"))
		}
	default:
		h.refuse(m, id, fmt.Sprintf("malformed hello %q", truncate(m.Data)))
	}
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
