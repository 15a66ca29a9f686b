// Package bus carries a tickecon world beyond its process on NATS
// JetStream: the Relay publishes committed ticks from the replay log (the
// outbox), Consumers read them back in order, the Tasker and Workers run
// the side effects a saga asks for (payment, delivery) through a work
// queue, and the Inbox brings outcomes and commands from outside back into
// the world at a tick boundary, where they are recorded like any command.
// Event messages are CloudEvents 1.0 JSON by default, which any language
// reads (schemas in docs/schema/), or a compact binary form (Encoding);
// DecodeMessage reads either.
//
// The library packages (ecs, components, systems, events) know nothing of
// NATS; this package only reads the replay log and submits commands.
package bus

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tickecon/tickecon/cluster/names"
)

// Subject and stream layout for a world W: see package cluster/names,
// which derives them (tickecon.world.W.<Kind>, .task.<type>, .inbox.<source>,
// .dead.<what>; streams TICKECON_W_EV_W, _TASK_, _IN_, _DEAD_) so that no
// world's name is ever a lockstep session's.

// CheckWorld reports whether name can name a world: 1 to 64 characters of
// A-Z a-z 0-9 _ - (names.Check; the error is a *names.NameError).
func CheckWorld(name string) error { return names.Check("world", name) }

// EventStream is the name of world's event stream.
func EventStream(world string) string { return names.World(world).EventStream() }

// TaskStream is the name of world's work-queue stream of tasks.
func TaskStream(world string) string { return names.World(world).TaskStream() }

// InboxStream is the name of world's inbox stream.
func InboxStream(world string) string { return names.World(world).InboxStream() }

// DeadStream is the name of world's dead-letter stream.
func DeadStream(world string) string { return names.World(world).DeadStream() }

// EventSubject is the subject events of kind k are published on, e.g.
// tickecon.world.shop1.PurchaseCompleted.
func EventSubject(world string, k fmt.Stringer) string {
	return names.World(world).EventSubject(k.String())
}

// EventSubjects is the wildcard matching every event subject of world.
func EventSubjects(world string) string { return names.World(world).EventSubjects() }

// TaskSubject is the subject tasks of type typ are queued on, e.g.
// tickecon.world.shop1.task.payment.
func TaskSubject(world, typ string) string { return names.World(world).TaskSubject(typ) }

// InboxSubject is the subject outsiders publish to, per source (e.g.
// "payment", "carrier", "admin"); the source is informational.
func InboxSubject(world, source string) string { return names.World(world).InboxSubject(source) }

// DeadSubject is the dead-letter subject for what (e.g. "task", "inbox").
func DeadSubject(world, what string) string { return names.World(world).DeadSubject(what) }

// Message headers written and read by this package.
const (
	// HeaderTick is "first-last": the run of ticks a message covers.
	HeaderTick = "Tickecon-Tick"
	// HeaderPart is "i/n": the message is the i-th (from 0) of the n
	// messages of its run of ticks, in kind order.
	HeaderPart = "Tickecon-Part"
	// HeaderChecksum is the state checksum (hex) of the last tick of the
	// message's run: a relay resuming on a stream checks it against its
	// log's, so one world's stream never holds two recordings.
	HeaderChecksum = "Tickecon-Checksum"
	// HeaderReason says why a message was dead-lettered.
	HeaderReason = "Tickecon-Reason"
	// HeaderOrigSubject is the subject a dead-lettered message came from.
	HeaderOrigSubject = "Tickecon-Subject"
	// HeaderOrigMsgID is the Nats-Msg-Id of a dead-lettered message.
	HeaderOrigMsgID = "Tickecon-Msg-Id"
	// HeaderReplyTo, on an inbox message, names a subject that gets the
	// message's outcome as a JSON Reply: the inbox's refusal, or the
	// world's answer once the tick that applied it is durable.
	HeaderReplyTo = "Tickecon-Reply-To"
)

// WorldName derives a world name from a log path (CheckWorld accepts
// it): its base name without extension, other characters replaced by '-'.
func WorldName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	b := []byte(base)
	for i, c := range b {
		if !names.Valid(c) {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "world"
	}
	if len(b) > names.MaxLen {
		b = b[:names.MaxLen]
	}
	return string(b)
}
