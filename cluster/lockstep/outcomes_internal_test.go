package lockstep

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// The outcome of each command of a tick is found by its content (Tick,
// Ticket aside; Subject too when the sender left it to the world), two
// equal commands answered alike are one answer and answered differently
// none, and the ring forgets the oldest first.
func TestCommandOutcomesByContent(t *testing.T) {
	cmd := func(subject uint64, amount int64, ticket events.Ticket) events.Event {
		return events.Event{Kind: events.Minted, Currency: 2, Amount: amount, Ticket: ticket, Request: subject}
	}
	rejected := func(c events.Event, tick uint64) events.Event {
		return events.Event{Tick: tick, Kind: events.CommandRejected, Reason: events.ReasonUnknownEntity, Of: c.Kind, Ticket: c.Ticket}
	}
	applied := func(c events.Event, tick uint64) events.Event {
		c.Tick = tick
		return c
	}
	a, b, dupA, late := cmd(1, 5, 10), cmd(2, 6, 11), cmd(1, 5, 12), cmd(3, 7, 9) // late: a ticket out of order
	rec := &ecs.TickRecord{Tick: 4, Commands: []events.Event{a, b, dupA, late},
		Events: []events.Event{applied(a, 4), {Tick: 4, Kind: events.Burned, Ticket: 11}, rejected(b, 4), applied(dupA, 4), rejected(late, 4), {Tick: 4, Kind: events.Minted}}}
	var o cmdOutcomes
	o.add(rec)
	asQueued := func(c events.Event) events.Event { c.Ticket = 0; return c }

	got, ok := o.outcome(4, asQueued(b))
	require.True(t, ok)
	assert.Equal(t, rejected(b, 4), got, "the CommandRejected, not the event before it")
	got, ok = o.outcome(4, asQueued(a))
	require.True(t, ok, "two equal commands, both applied: one answer")
	assert.Equal(t, events.Minted, got.Kind)
	got, ok = o.outcome(4, asQueued(late))
	require.True(t, ok)
	assert.Equal(t, rejected(late, 4), got)
	_, ok = o.outcome(3, asQueued(b))
	assert.False(t, ok, "another tick")
	_, ok = o.outcome(4, cmd(9, 9, 0))
	assert.False(t, ok, "no such command")

	// Equal commands answered differently: no answer.
	c1, c2 := cmd(5, 1, 20), cmd(5, 1, 21)
	o.add(&ecs.TickRecord{Tick: 5, Commands: []events.Event{c1, c2}, Events: []events.Event{applied(c1, 5), rejected(c2, 5)}})
	_, ok = o.outcome(5, asQueued(c1))
	assert.False(t, ok)

	// A creating command the sender left the id to: found by the rest.
	open := events.Event{Kind: events.WalletOpened, Subject: 77, Ticket: 30}
	o.add(&ecs.TickRecord{Tick: 6, Commands: []events.Event{open}, Events: []events.Event{{Tick: 6, Kind: events.WalletOpened, Subject: 77, Ticket: 30}}})
	got, ok = o.outcome(6, events.Event{Kind: events.WalletOpened})
	require.True(t, ok)
	assert.Equal(t, uint64(77), uint64(got.Subject))

	// The ring keeps maxOutcomes commands: the oldest go first.
	for i := range uint64(maxOutcomes - 7) {
		o.add(&ecs.TickRecord{Tick: 7 + i, Commands: []events.Event{cmd(i, 1, events.Ticket(100+i))}})
	}
	_, ok = o.outcome(4, asQueued(b))
	assert.True(t, ok, "full, nothing forgotten yet")
	o.add(&ecs.TickRecord{Tick: 1 << 20, Commands: []events.Event{cmd(0, 1, 1<<30), cmd(0, 2, 1<<30+1)}})
	assert.Len(t, o.ents, maxOutcomes)
	_, ok = o.outcome(4, asQueued(b))
	assert.False(t, ok, "forgotten")
}
