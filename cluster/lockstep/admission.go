package lockstep

// Input admission: what the host and its peers may queue, stamped with
// the tick it applies in.

import (
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

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

// CommandOnce queues c for the world's next tick under an idempotency
// key — a bus inbox message's Nats-Msg-Id (bus.InboxConfig.Once) — unless
// a command with that key was applied already, by this host or by one
// before it: then it queues nothing and returns the tick that applied it
// (fresh false). The key travels in the tick's frame (16 bytes of its
// SHA-256), so every standby learns it and a command redelivered after a
// failover is applied once. Keys share the window of intents' keys
// (Failover.Keys, default 65536): a key older than that many keys is
// forgotten. An empty key is no key: c is queued. Call it from the host's
// goroutine before the world's Step (a Replica's BeforeStep).
func (h *Host) CommandOnce(key string, c events.Event) (t ecs.Ticket, tick uint64, fresh bool) {
	tick = h.w.NextTick()
	if key == "" {
		return h.w.Command(c), tick, true
	}
	if h.keys == nil {
		h.keys = newKeyRing(1 << 16)
	}
	ck := commandKey(key)
	k := keyOfCommand(ck[:])
	if prev, dup := h.keys.get(k); dup {
		return ecs.Ticket{}, prev, false
	}
	h.keys.add(k, tick)
	h.cmdKeys = append(h.cmdKeys, ck[:]...)
	return h.w.Command(c), tick, true
}

// Submit queues a host-side intent (the host's own player), stamped like a
// peer's input. It returns the tick it applies in.
func (h *Host) Submit(in components.PurchaseIntent) uint64 {
	t := h.w.NextTick() + h.cfg.Delay
	b := &h.buckets[t%uint64(len(h.buckets))]
	b.Intents = append(b.Intents, in)
	return t
}

// reasonNotJoined refuses an input from a peer the host has not heard a
// hello from: after a failover a client retries it (Peer.Commit).
const reasonNotJoined = "input from a peer that has not joined"

// onInput stamps a peer's input with its apply tick, after checking it
// whole: one bad intent or command refuses the whole message.
func (h *Host) onInput(m *nats.Msg, peer string) {
	if _, ok := h.peers[peer]; !ok {
		h.refuse(m, peer, reasonNotJoined)
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
	if h.cfg.Failover != nil {
		h.stampKeyed(m, &r)
		return
	}
	t := h.w.NextTick() + h.cfg.Delay
	b := &h.buckets[t%uint64(len(h.buckets))]
	b.Commands = append(b.Commands, r.Commands...)
	b.Intents = append(b.Intents, r.Intents...)
	if m.Reply != "" {
		m.Respond([]byte("ok " + strconv.FormatUint(t, 10)))
	}
}
