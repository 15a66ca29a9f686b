package shard

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Message is one cross-shard message: a command for the receiving shard,
// which queues it as an input of its next tick (so it is in that shard's
// log). Messages are derived from committed frames (Outgoing) — the log
// is the outbox — and from the holds still pending (Resend).
type Message struct {
	From, To uint16
	Cmd      events.Event // XSaleRequested, XCancelRequested, XHoldPosted or XHoldVoided
}

// MessageID is what a receiver (and a broker's dedup, e.g. a JetStream
// Nats-Msg-Id) tells messages apart by: the hold's message id and the
// step. Sending one twice is harmless: the receiving world applies it
// once.
type MessageID struct {
	Msg  uint64
	Kind events.Kind
}

// ID returns the message's id.
func (m Message) ID() MessageID { return MessageID{Msg: m.Cmd.Request, Kind: m.Cmd.Kind} }

// String renders "1:5/XSaleRequested" (hold 5 of shard 1, the request).
func (id MessageID) String() string { return fmt.Sprintf("%v/%v", Addr(id.Msg), id.Kind) }

// request is the message a hold sends to the seller's shard.
func request(self uint16, hold components.ID, h *Hold, msg uint64) Message {
	return Message{From: self, To: h.Listing.Shard(), Cmd: events.XSaleRequestedEvent{
		Listing: h.Listing.ID(), Buyer: components.ID(AddrOf(self, h.Buyer)), Item: h.Item,
		Currency: h.Currency, Qty: h.Qty, Held: h.Held, Msg: msg}.Event()}
}

func cancelMsg(self uint16, listing Addr, msg uint64) Message {
	return Message{From: self, To: listing.Shard(), Cmd: events.XCancelRequestedEvent{Msg: msg}.Event()}
}

// answer turns a seller's answer event (accepted, refused or repeated)
// into the message for the buyer's shard.
func answer(self uint16, ev *events.Event) Message {
	m := Addr(ev.Request)
	kind := ev.Kind
	if kind == events.XSaleRepeated {
		kind = ev.Of
	}
	if kind == events.XSaleAccepted {
		return Message{From: self, To: m.Shard(), Cmd: events.XHoldPostedEvent{Hold: m.ID(), Item: ev.Item,
			Currency: ev.Currency, Qty: ev.Qty, Total: ev.Amount, Msg: ev.Request}.Event()}
	}
	return Message{From: self, To: m.Shard(), Cmd: events.XHoldVoidedEvent{Hold: m.ID(), Reason: ev.Reason,
		Msg: ev.Request}.Event()}
}

// Outgoing appends to buf the messages shard self sends for its committed
// tick record r: a request per new hold, a cancel per hold past its
// deadline, an answer per request or cancel it answered.
func Outgoing(self uint16, r *ecs.TickRecord, buf []Message) []Message {
	for i := range r.Events {
		ev := &r.Events[i]
		switch ev.Kind {
		case events.XHoldPlaced:
			h := Hold{Buyer: ev.Ref, Listing: Addr(ev.Object), Item: ev.Item, Currency: ev.Currency,
				Qty: ev.Qty, Held: ev.Amount}
			buf = append(buf, request(self, ev.Subject, &h, uint64(AddrOf(self, ev.Subject))))
		case events.XCancelSent:
			buf = append(buf, cancelMsg(self, Addr(ev.Object), ev.Request))
		case events.XSaleAccepted, events.XSaleRefused, events.XSaleRepeated:
			buf = append(buf, answer(self, ev))
		}
	}
	return buf
}

// Resend appends to buf, in hold id order, the messages of every hold
// still waiting for its answer: its request, and its cancel once sent.
// A transport calls it now and then (Cluster: every RetryEvery ticks) so
// that a message lost with a crashed shard or a dropped connection is
// sent again; the receiver answers a repeat with its first answer.
func (s *System) Resend(w *ecs.World, buf []Message) []Message {
	start := len(buf)
	st := w.Maps.Stable.ID()
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		h := (*Hold)(q.Get(s.holds.ID()))
		if h.State != components.SagaPending {
			continue
		}
		id := (*components.Stable)(q.Get(st)).ID
		buf = append(buf, request(s.shard, id, h, s.Msg(id)))
		if h.Cancel {
			buf = append(buf, cancelMsg(s.shard, h.Listing, s.Msg(id)))
		}
	}
	slices.SortStableFunc(buf[start:], func(a, b Message) int { return cmp.Compare(a.Cmd.Request, b.Cmd.Request) })
	return buf
}
