package systems_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
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
		assert.Positive(t, seen[k], "no %v event in the walk", k)
	}
}
