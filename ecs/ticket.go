package ecs

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Ticket names one queued command. Every event the command causes when
// the next tick applies it — its own event, the burns before an
// EntityClosed, the moves of a completed trade — or else its
// CommandRejected, carries Seq in events.Event.Ticket, so a caller can
// match outcomes to commands (TickRecord.Outcome). Tickets count up from 1
// per world in submission order, so the same commands get the same tickets
// on every peer and in every replay; snapshots carry the count.
type Ticket struct {
	Seq  events.Ticket // carried by the events the command causes
	ID   components.ID // the entity it concerns: for a creating command, the new entity's id
	Kind events.Kind   // the command's kind
}

// Caused reports whether ev was caused by the ticket's command.
func (t Ticket) Caused(ev events.Event) bool { return t.Seq != 0 && ev.Ticket == t.Seq }

// Outcome returns the event that answers the ticket's command in r: the
// command's own event, or its CommandRejected (ok is false if r holds
// neither: the command was not applied in this tick).
func (r *TickRecord) Outcome(t Ticket) (ev events.Event, ok bool) {
	for _, ev := range r.Events {
		if t.Caused(ev) && (ev.Kind == t.Kind || ev.Kind == events.CommandRejected) {
			return ev, true
		}
	}
	return events.Event{}, false
}

// IntentOutcome returns the event that answers the intent (buyer, request)
// in r: its PurchaseCompleted (the first line of a cart), PurchaseRejected,
// PurchaseDuplicate or SagaStarted; ok is false if r holds none (the
// intent was not processed in this tick).
func (r *TickRecord) IntentOutcome(buyer components.ID, request uint64) (ev events.Event, ok bool) {
	for _, ev := range r.Events {
		if ev.Request != request {
			continue
		}
		switch ev.Kind {
		case events.PurchaseCompleted, events.PurchaseRejected, events.PurchaseDuplicate:
			if ev.Subject == buyer {
				return ev, true
			}
		case events.SagaStarted:
			if s, _ := ev.AsSagaStarted(); s.Buyer == buyer {
				return ev, true
			}
		}
	}
	return events.Event{}, false
}
