package events

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// full returns an event of kind k with every field set to a distinct
// non-zero value.
func full(k Kind) Event {
	e := Event{Tick: 99, Kind: k, Reason: ReasonTimeout, Of: Minted, Subject: 1, Object: 2, Till: 3, Ref: 4,
		Item: 5, Currency: 6, Qty: 7, Amount: 8, Rest: 9, Size: 10, Request: 11, At: 12, Ticket: 13, Name: "n"}
	return e
}

// Walks every kind: it has a typed view named after it, and the view reads
// exactly the fields of the kind's table and writes them back unchanged.
func TestEveryKindHasAViewThatRoundTripsItsFields(t *testing.T) {
	require.Equal(t, 18, reflect.TypeOf(Event{}).NumField(), "a new Event field: set it in full")
	for k := KindInvalid + 1; k < kindCount; k++ {
		t.Run(k.String(), func(t *testing.T) {
			fields := k.Fields()
			require.NotEmpty(t, fields)
			ev := full(k)
			v := ev.View()
			require.NotNil(t, v)
			vt := reflect.TypeOf(v)
			assert.Equal(t, k.String()+"Event", vt.Name())
			require.Equal(t, vt.NumField(), len(fields))
			want := Event{Kind: k}
			rw, re := reflect.ValueOf(&want).Elem(), reflect.ValueOf(ev)
			for i, f := range fields {
				assert.Equal(t, f.View, vt.Field(i).Name)
				assert.Equal(t, f.Event, vt.Field(i).Tag.Get("ev"))
				assert.Equal(t, re.FieldByName(f.Event).Interface(), reflect.ValueOf(v).Field(i).Interface(),
					"view field %s does not hold Event.%s", f.View, f.Event)
				rw.FieldByName(f.Event).Set(re.FieldByName(f.Event))
			}
			back := v.(interface{ Event() Event }).Event()
			assert.Equal(t, want, back, "the view's Event must set exactly the table's fields")
		})
	}
	assert.Nil(t, Event{Kind: kindCount}.View())
	assert.Nil(t, kindCount.Fields())
}

// Each Event field has one meaning, so it has one Go type: a view field
// held in it has that type (money and item counts int64, ticks and
// references uint64, entities components.ID).
func TestViewFieldTypesMatchTheirEventField(t *testing.T) {
	et := reflect.TypeOf(Event{})
	for k := KindInvalid + 1; k < kindCount; k++ {
		vt := reflect.TypeOf(Event{Kind: k}.View())
		for i := range vt.NumField() {
			f := vt.Field(i)
			ef, ok := et.FieldByName(f.Tag.Get("ev"))
			require.True(t, ok)
			assert.Equal(t, ef.Type, f.Type, "%s.%s", vt.Name(), f.Name)
		}
	}
}

// Amount and Rest are money: a kind using them names its currency, except
// where the currency is another entity's (a receipt's total, an account's
// limit, a payment into a record priced in its own currency).
func TestMoneyFieldsComeWithACurrency(t *testing.T) {
	noCurrency := map[Kind]bool{ReceiptIssued: true, AccountOpened: true, PaymentConfirmed: true}
	for k := KindInvalid + 1; k < kindCount; k++ {
		has := map[string]bool{}
		for _, f := range k.Fields() {
			has[f.Event] = true
		}
		if (has["Amount"] || has["Rest"]) && !noCurrency[k] {
			assert.True(t, has["Currency"], "%s carries money without a currency", k)
		}
		if has["Till"] {
			assert.True(t, has["Amount"], "%s names a till but no money", k)
		}
	}
}

func TestViewsOfAnotherKindAreNotOK(t *testing.T) {
	ev := PurchaseCompletedEvent{Buyer: 1, Listing: 2, Qty: 3, Total: 4}.Event()
	_, ok := ev.AsPurchaseRejected()
	assert.False(t, ok)
	p, ok := ev.AsPurchaseCompleted()
	require.True(t, ok)
	assert.Equal(t, int64(4), p.Total)
}

func TestRejectedGivesBackTheCommand(t *testing.T) {
	cmd := Mint(3, 1, 50)
	cmd.Ticket = 7
	rej := cmd
	rej.Kind, rej.Of, rej.Reason, rej.Tick = CommandRejected, cmd.Kind, ReasonOverflow, 4
	got, ok := rej.Rejected()
	require.True(t, ok)
	assert.Equal(t, cmd, got)
	v, ok := rej.AsCommandRejected()
	require.True(t, ok)
	assert.Equal(t, CommandRejectedEvent{Command: Minted, Reason: ReasonOverflow, Target: 3}, v)
	_, ok = cmd.Rejected()
	assert.False(t, ok)
}
