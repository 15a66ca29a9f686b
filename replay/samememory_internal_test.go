package replay

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// sameMemory stands in for == only on types without floats (NaN has
// equal bits and is not ==) whose other fields compare by their bits or,
// for strings, by content that the same pointer and length imply. A new
// field of another kind in Event or PurchaseIntent fails here.
func TestSameMemoryTypesHaveNoFloats(t *testing.T) {
	for _, typ := range []reflect.Type{reflect.TypeFor[events.Event](), reflect.TypeFor[components.PurchaseIntent]()} {
		for i := range typ.NumField() {
			f := typ.Field(i)
			switch f.Type.Kind() {
			case reflect.Bool, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Int8, reflect.Int16,
				reflect.Int32, reflect.Int64, reflect.String:
			default:
				t.Errorf("%s.%s is a %s: sameMemory's byte comparison may not agree with == for it", typ, f.Name, f.Type.Kind())
			}
		}
	}
}

// Equal bytes mean equal lists; different bytes fall back to item by
// item, so equal strings at two addresses and differing fields are both
// judged as == judges them.
func TestFirstDiffAgreesWithEquality(t *testing.T) {
	a := []events.Event{{Kind: events.PurchaseCompleted, Subject: 7, Amount: 60}, {Kind: events.ItemDefined, Name: "potion"}}
	b := append([]events.Event(nil), a...)
	require.True(t, sameMemory(a, b))
	require.Nil(t, firstDiff("events", a, b))
	b[1].Name = string([]byte("potion")) // equal text, another address
	require.False(t, sameMemory(a, b))
	require.Nil(t, firstDiff("events", a, b))
	b[0].Amount = 61
	d := firstDiff("events", a, b)
	require.NotNil(t, d)
	require.Equal(t, 0, d.Index)
	require.Equal(t, "Amount", d.Fields[0].Field)
	require.Nil(t, firstDiff[events.Event]("events", nil, []events.Event{}))
	require.NotNil(t, firstDiff("events", a, a[:1]))
}
