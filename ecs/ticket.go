package ecs

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Ticket names one queued command or submitted intent, so that one lookup,
// TickRecord.Outcome, finds the answer to either.
//
// A command's ticket (World.Command): every event the command causes when
// the next tick applies it — its own event, the burns before an
// EntityClosed, the moves of a completed trade — or else its
// CommandRejected, carries Seq in events.Event.Ticket. Tickets count up
// from 1 per world in submission order, so the same commands get the same
// tickets on every peer and in every replay; snapshots carry the count.
//
// An intent's ticket (World.Submit; Intent reports it) has Seq 0: an intent is named by its
// idempotency key, the buyer (ID) and its request id (Request), which its
// outcome event carries. That key is the client's, so it is the same in
// every replay, and a retry of the intent is answered under it too.
type Ticket struct {
	Seq     events.Ticket // a command's: carried by the events it causes (0: an intent's ticket)
	ID      components.ID // a command's entity (for a creating command, the new entity's id); an intent's buyer
	Kind    events.Kind   // a command's kind (KindInvalid for an intent)
	Request uint64        // an intent's request id
	intent  bool          // made by Submit: the zero Ticket names nothing
}

// Intent reports whether t is an intent's ticket (World.Submit).
func (t Ticket) Intent() bool { return t.intent }

// Caused reports whether ev was caused by the ticket's command, or, for
// an intent's ticket, whether ev is the intent's outcome (as Outcome
// finds it).
func (t Ticket) Caused(ev events.Event) bool {
	if t.Intent() {
		return answersIntent(ev, t.ID, t.Request)
	}
	return t.Seq != 0 && ev.Ticket == t.Seq
}

// Outcome returns the event that answers the ticket in r: for a command,
// its own event or its CommandRejected; for an intent, what IntentOutcome
// returns. ok is false if r holds none (not applied or processed in this
// tick).
func (r *TickRecord) Outcome(t Ticket) (ev events.Event, ok bool) {
	if t.Intent() {
		return r.IntentOutcome(t.ID, t.Request)
	}
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
		if answersIntent(ev, buyer, request) {
			return ev, true
		}
	}
	return events.Event{}, false
}

// answersIntent reports whether ev is an outcome of the intent (buyer,
// request): its PurchaseCompleted (each line of a cart), PurchaseRejected,
// PurchaseDuplicate or SagaStarted.
func answersIntent(ev events.Event, buyer components.ID, request uint64) bool {
	if ev.Request != request {
		return false
	}
	switch ev.Kind {
	case events.PurchaseCompleted, events.PurchaseRejected, events.PurchaseDuplicate:
		return ev.Subject == buyer
	case events.SagaStarted:
		s, _ := ev.AsSagaStarted()
		return s.Buyer == buyer
	}
	return false
}
