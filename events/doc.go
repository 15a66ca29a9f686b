// Package events defines the typed events of a tickecon session.
//
// Every state change a tick makes is described by exactly one Event appended
// to that tick's log in the same frame; nothing changes without an event.
// Events are flat values (no interfaces, no pointers) so that appending one
// never allocates and encoding one is a fixed-width copy: the flat [Event]
// is the wire and replay-log format.
//
// Every Event field has one meaning in every kind (Subject: the entity the
// event is about; Object: the counterparty; Till: the wallet receiving the
// money; Ref: a third entity; Qty: item units; Amount and Rest: money; Size:
// other counts; Request: the intent's id or an outside reference; At: a
// tick; Of: the kind answered; Ticket: the command that caused it). Game
// code does not fill or read them raw:
//
//   - read an event through its kind's typed view: ev.AsPurchaseCompleted()
//     returns a [PurchaseCompletedEvent] with named fields (views.go; the As…
//     methods and the field table docs/events.md are generated from it by
//     internal/viewgen: go generate ./events);
//   - build commands with the constructors — [Mint], [Burn], [Grant],
//     [OpenPlayer], [PostListing], [Reprice], [OpenCart], [IssueCoupon], [OpenTrade],
//     [ConfirmPayment] … (commands.go) — and queue them with World.Command,
//     which returns a ticket the resulting events carry.
//
// Outline: events.go ([Kind], [Reason], [Event], [Ticket]); views.go and
// views_gen.go (typed views, [Kind.Fields], [Event.Conforms]); commands.go
// (constructors). Downstream of ecs and systems: ticklog (the durable log
// of ticks), replay (verify, resume and diff recorded sessions) and
// replay/synctest (run every tick twice to find nondeterminism).
package events
