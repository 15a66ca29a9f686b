package lockstep

// Outcomes of keyed commands (Host.CommandOnce): a bus inbox message
// redelivered after a failover is answered as the first copy was —
// applied, or rejected and why — not only with the tick that ran it.

import (
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// maxOutcomes is how many commands' outcomes a host or standby keeps (of
// the last ticks that applied keyed commands): what an inbox can have
// applied and not yet acknowledged when its host dies is far less (it
// acknowledges a tick once committed). About 280 bytes each.
const maxOutcomes = 8192

// cmdOutcome is one command a tick applied and the event that answered
// it (its own, or its CommandRejected; has false: none, as the first
// reply said too).
type cmdOutcome struct {
	tick     uint64
	cmd, out events.Event
	has      bool
}

// cmdOutcomes is a ring of the commands of the last ticks that applied
// keyed commands, oldest first. A frame carries its keyed commands' keys
// but not which of its commands each is, so a command is found again by
// its content (Outcome). Kept beside the host's key ring and handed over
// with it; nothing of it is in a frame or a snapshot.
type cmdOutcomes struct {
	ents    []cmdOutcome // grows to maxOutcomes, then a ring
	head, n int          // oldest entry, count
}

// add keeps the outcome of every command of rec. Commands apply in
// ticket order and every event a command causes carries its ticket, in
// the order the commands applied: one pass over the events pairs them
// (a command given a ticket out of order is looked up on its own).
func (o *cmdOutcomes) add(rec *ecs.TickRecord) {
	j := 0
	var prev events.Ticket
	for i := range rec.Commands {
		c := &rec.Commands[i]
		e := o.slot()
		e.tick, e.cmd, e.out, e.has = rec.Tick, *c, events.Event{}, false
		if c.Ticket == 0 {
			continue
		}
		if c.Ticket <= prev {
			e.out, e.has = rec.Outcome(ecs.Ticket{Seq: c.Ticket, ID: c.Subject, Kind: c.Kind})
			continue
		}
		prev = c.Ticket
		for ; j < len(rec.Events); j++ {
			ev := &rec.Events[j]
			if ev.Ticket > c.Ticket {
				break
			}
			if !e.has && ev.Ticket == c.Ticket && (ev.Kind == c.Kind || ev.Kind == events.CommandRejected) {
				e.out, e.has = *ev, true
			}
		}
	}
}

// slot returns the entry to fill next, the oldest once the ring is full.
func (o *cmdOutcomes) slot() *cmdOutcome {
	if len(o.ents) < maxOutcomes {
		o.ents = append(o.ents, cmdOutcome{})
		o.n++
		return &o.ents[len(o.ents)-1]
	}
	e := &o.ents[o.head]
	o.head = (o.head + 1) % len(o.ents)
	return e
}

// outcome returns the event that answered command c (as queued: Tick and
// Ticket aside, and Subject if c left it to the world) in tick; ok is
// false if no command of tick is c, or several are and their answers
// differ (alike, the answer is one of theirs: its Ticket may be the
// other's), or tick is forgotten.
func (o *cmdOutcomes) outcome(tick uint64, c events.Event) (out events.Event, ok bool) {
	want := c
	want.Tick, want.Ticket = 0, 0
	found := false
	for i := len(o.ents) - 1; i >= 0; i-- { // newest first
		e := &o.ents[(o.head+i)%len(o.ents)]
		if e.tick < tick {
			break
		}
		if e.tick != tick {
			continue
		}
		got := e.cmd
		got.Tick, got.Ticket = 0, 0
		if want.Subject == 0 {
			got.Subject = 0
		}
		if got != want {
			continue
		}
		if found && !sameAnswer(e.out, out) {
			return events.Event{}, false // two such commands, answered differently
		}
		out, found = e.out, true
	}
	return out, found
}

// sameAnswer: two equal commands of one tick answered alike (each event
// carries its own command's ticket).
func sameAnswer(a, b events.Event) bool {
	a.Ticket, b.Ticket = 0, 0
	return a == b
}

// addOutcomes keeps rec's commands' outcomes when the tick applied keyed
// commands (keyed).
func (k *keyRing) addOutcomes(keyed bool, rec *ecs.TickRecord) {
	if !keyed {
		return
	}
	if k.outs == nil {
		k.outs = &cmdOutcomes{}
	}
	k.outs.add(rec)
}

// CommandOutcome returns the event that answered a keyed command — c,
// queued with key, applied in tick (CommandOnce's answer when not fresh)
// — as the tick's record had it: the command's own event or its
// CommandRejected (the zero Event if it caused none). ok is false when this host does not know it: the
// tick ran before the snapshot its standby started from, or more than
// maxOutcomes commands ago. It implements bus.OnceOutcomes, so an inbox
// answers a redelivered message as it answered the first copy. Call it
// from the host's goroutine.
func (h *Host) CommandOutcome(key string, tick uint64, c events.Event) (ev events.Event, ok bool) {
	if h.keys == nil || h.keys.outs == nil || key == "" {
		return events.Event{}, false
	}
	return h.keys.outs.outcome(tick, c)
}
