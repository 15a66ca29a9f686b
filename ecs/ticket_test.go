package ecs_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Every event a command causes — its own, the burns before a close — or
// its CommandRejected carries the command's ticket; events of no command
// carry 0. Outcome finds the answer to each command in the tick.
func TestCommandTicketsMatchOutcomes(t *testing.T) {
	w := ecs.New()
	gold := w.Command(events.DefineCurrency("Gold", 2))
	potion := w.Command(events.DefineItem("Potion", 10))
	alice := w.Command(events.OpenPlayer("Alice", 4))
	require.Equal(t, events.Ticket(1), gold.Seq)
	require.Equal(t, events.Ticket(3), alice.Seq)
	rec := w.Step()
	for _, tk := range []ecs.Ticket{gold, potion, alice} {
		ev, ok := rec.Outcome(tk)
		require.True(t, ok)
		assert.Equal(t, tk.Kind, ev.Kind)
		assert.Equal(t, tk.ID, ev.Subject, "a creating command's ticket names the new entity")
	}

	mint := w.Command(events.Mint(alice.ID, gold.ID, 500))
	grant := w.Command(events.Grant(alice.ID, potion.ID, 3))
	tooMuch := w.Command(events.Burn(alice.ID, gold.ID, 501)) // applied after the mint: 500 held
	rec = w.Step()
	ev, ok := rec.Outcome(mint)
	require.True(t, ok)
	assert.Equal(t, events.Minted, ev.Kind)
	ev, ok = rec.Outcome(tooMuch)
	require.True(t, ok)
	rej, ok := ev.AsCommandRejected()
	require.True(t, ok)
	assert.Equal(t, events.CommandRejectedEvent{Command: events.Burned, Reason: events.ReasonInsufficientHoldings, Target: alice.ID}, rej)
	assert.True(t, grant.Caused(rec.Events[1]))
	assert.False(t, mint.Caused(rec.Events[1]))

	closing := w.Command(events.Close(alice.ID))
	rec = w.Step()
	require.Equal(t, []events.Kind{events.Burned, events.ItemsBurned, events.EntityClosed}, kindsOf(rec))
	for _, ev := range rec.Events {
		assert.True(t, closing.Caused(ev), "the burns of a close are the close command's: %v", ev)
	}
	ev, ok = rec.Outcome(closing)
	require.True(t, ok)
	assert.Equal(t, events.EntityClosed, ev.Kind)
	_, ok = rec.Outcome(mint)
	assert.False(t, ok, "an earlier tick's command has no outcome here")
	assert.False(t, ecs.Ticket{}.Caused(events.Event{}), "the zero ticket matches nothing")
}

func kindsOf(rec *ecs.TickRecord) []events.Kind {
	var out []events.Kind
	for _, ev := range rec.Events {
		out = append(out, ev.Kind)
	}
	return out
}

// Tickets are deterministic: a replica fed the recorded commands (which
// carry their tickets) numbers everything the same, and a world restored
// from a snapshot — pending commands included — goes on with the same
// numbers as the original.
func TestTicketsReplayAndSurviveSnapshots(t *testing.T) {
	w := ecs.New()
	gold := w.Command(events.DefineCurrency("Gold", 0))
	alice := w.Command(events.OpenPlayer("Alice", 1))
	first := w.Step().Clone()
	w.Command(events.Mint(alice.ID, gold.ID, 5))

	replica := ecs.New()
	for _, c := range first.Commands {
		replica.Command(c)
	}
	assert.Equal(t, first.Events, replica.Step().Events)

	snap, err := w.TakeSnapshot()
	require.NoError(t, err)
	raw, err := json.Marshal(snap)
	require.NoError(t, err)
	var back ecs.Snapshot
	require.NoError(t, json.Unmarshal(raw, &back))
	restored := ecs.New()
	require.NoError(t, restored.Restore(&back))
	a, b := w.Command(events.Mint(alice.ID, gold.ID, 1)), restored.Command(events.Mint(alice.ID, gold.ID, 1))
	assert.Equal(t, events.Ticket(4), a.Seq)
	assert.Equal(t, a, b)
	ra, rb := w.Step(), restored.Step()
	assert.Equal(t, ra.Events, rb.Events)
	assert.Equal(t, events.Ticket(3), ra.Events[0].Ticket)
	assert.Equal(t, events.Ticket(4), ra.Events[1].Ticket)

	// A relayed command keeps its ticket, and later ones count on from it.
	relayed := events.Mint(alice.ID, gold.ID, 1)
	relayed.Ticket = 40
	assert.Equal(t, events.Ticket(40), w.Command(relayed).Seq)
	assert.Equal(t, events.Ticket(41), w.Command(events.Mint(alice.ID, gold.ID, 1)).Seq)
}

// Submit returns a ticket too: Outcome answers it with the intent's
// completion, rejection or duplicate, as it answers a command's, and a
// command's ticket and an intent's never answer each other's events.
func TestIntentTicketsMatchOutcomes(t *testing.T) {
	w, ids := newShop()
	alice, potions := ids.MustID("alice"), ids.MustID("potions")
	buy := w.Submit(components.PurchaseIntent{Buyer: alice, Listing: potions, Quantity: 1, RequestID: 7})
	tooMany := w.Submit(components.PurchaseIntent{Buyer: alice, Listing: potions, Quantity: 99, RequestID: 8})
	mint := w.Command(events.Mint(alice, ids.MustID("gold"), 5))
	assert.True(t, buy.Intent())
	assert.False(t, mint.Intent())
	assert.Equal(t, alice, buy.ID)
	assert.Equal(t, uint64(7), buy.Request)
	rec := w.Step()

	ev, ok := rec.Outcome(buy)
	require.True(t, ok)
	p, ok := ev.AsPurchaseCompleted()
	require.True(t, ok)
	assert.Equal(t, uint64(7), p.Request)
	assert.True(t, buy.Caused(ev))
	assert.False(t, tooMany.Caused(ev))
	ev, ok = rec.Outcome(tooMany)
	require.True(t, ok)
	assert.Equal(t, events.ReasonOutOfStock, ev.Reason)
	ev, ok = rec.Outcome(mint)
	require.True(t, ok)
	assert.Equal(t, events.Minted, ev.Kind)
	assert.False(t, buy.Caused(ev))
	_, ok = rec.Outcome(ecs.Ticket{})
	assert.False(t, ok, "the zero ticket names nothing")

	rec = w.Step()
	_, ok = rec.Outcome(buy)
	assert.False(t, ok, "answered in its own tick only")
}
