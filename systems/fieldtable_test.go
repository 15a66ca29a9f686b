package systems_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// requireFieldTable checks an emitted event against its kind's documented
// field table (events.Kind.Fields, generated into docs/events.md): every
// field the table does not list is zero. CommandRejected carries the
// refused command's fields, which are checked against that command's table.
func requireFieldTable(t *testing.T, ev events.Event) {
	t.Helper()
	table := ev.Kind
	if c, ok := ev.Rejected(); ok {
		if !c.Kind.Valid() || ev.Reason == events.ReasonBadCommand {
			return // refused as malformed: it carries the command as given
		}
		ev, table = c, c.Kind
	}
	require.True(t, table.Valid(), "event of unknown kind: %v", ev)
	listed := map[string]bool{"Tick": true, "Kind": true, "Ticket": true}
	for _, f := range table.Fields() {
		listed[f.Event] = true
	}
	v := reflect.ValueOf(ev)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if !listed[name] && !v.Field(i).IsZero() {
			require.Failf(t, "field outside the table", "%v sets %s = %v, which its table does not list: %#v",
				table, name, v.Field(i).Interface(), ev)
		}
	}
}

// The check itself fails on a misplaced field (Qty used as a tick, as
// PurchaseDuplicate once did).
func TestFieldTableCheckCatchesAMisplacedField(t *testing.T) {
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { // require.FailNow calls runtime.Goexit
		defer close(done)
		requireFieldTable(ft, events.Event{Kind: events.PurchaseDuplicate, Subject: 1, Request: 2, Qty: 5})
	}()
	<-done
	assert.True(t, ft.Failed())
}

// Walks every kind: the random commerce sessions (every composition, with
// hostile inputs, and tick 0's content) emit each kind at least once, and
// shop.step holds every event to its kind's field table as it goes.
func TestEveryKindIsEmittedByItsFieldTable(t *testing.T) {
	seen := map[events.Kind]int{}
	for _, seed := range []uint64{3, 5} {
		runCommerceSession(t, seed, seen)
	}
	for k := events.KindInvalid + 1; k.Valid(); k++ {
		if k >= events.XHoldPlaced && k <= events.XHoldVoided {
			continue // the cross-shard kinds: package shard's walk
		}
		assert.Positive(t, seen[k], "no %v event in the walk", k)
	}
}

// requireTickets checks a tick's command tickets: the commands apply first,
// in order, so their events' tickets ascend and each is one of the tick's
// commands; the systems' events come after them with ticket 0.
func requireTickets(t *testing.T, rec *ecs.TickRecord) {
	t.Helper()
	queued := map[events.Ticket]bool{}
	for _, c := range rec.Commands {
		require.NotZero(t, c.Ticket, "a queued command without a ticket: %v", c)
		queued[c.Ticket] = true
	}
	var last events.Ticket
	systems := false
	for _, ev := range rec.Events {
		switch {
		case ev.Ticket == 0:
			systems = true
		case systems:
			require.Failf(t, "command event after the systems ran", "%v", ev)
		default:
			require.True(t, queued[ev.Ticket], "event of no queued command: %v", ev)
			require.GreaterOrEqual(t, ev.Ticket, last, "commands apply in order: %v", ev)
			last = ev.Ticket
		}
	}
	for _, c := range rec.Commands {
		_, ok := rec.Outcome(ecs.Ticket{Seq: c.Ticket, ID: c.Subject, Kind: c.Kind})
		require.True(t, ok, "no outcome for command %v", c)
	}
}

// A trade's acceptance causes the moves and the completion: all carry the
// accepting command's ticket; a declined payment's compensation carries
// the decline's.
func TestCommerceEventsCarryTheirCommandsTicket(t *testing.T) {
	s := newShop(t, systems.DefaultConfig)
	trade := s.w.Command(events.OpenTrade(s.id("alice"), s.id("bob")))
	s.w.Command(events.OfferMoney(trade.ID, s.id("alice"), s.id("gold"), 100))
	s.w.Command(events.AcceptTrade(trade.ID, s.id("bob")))
	accept := s.w.Command(events.AcceptTrade(trade.ID, s.id("alice")))
	rec := s.stepOK()
	var caused []events.Kind
	for _, ev := range rec.Events {
		if accept.Caused(ev) {
			caused = append(caused, ev.Kind)
		}
	}
	assert.Equal(t, []events.Kind{events.TradeAccepted, events.TradeMoved, events.TradeCompleted}, caused)
	out, ok := rec.Outcome(accept)
	require.True(t, ok)
	assert.Equal(t, events.TradeAccepted, out.Kind)
}
