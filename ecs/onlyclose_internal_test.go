package ecs

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
)

// The fast path for closing rows must refuse a Close with any field set
// that events.Close does not set: every other field of Event, present
// and future, is tested here by reflection.
func TestOnlyCloseNamesEveryField(t *testing.T) {
	base := events.Close(7)
	base.Tick, base.Ticket = 3, 9
	require.True(t, onlyClose(&base))
	v := reflect.ValueOf(&base).Elem()
	for i := range v.NumField() {
		switch v.Type().Field(i).Name {
		case "Tick", "Kind", "Subject", "Ticket":
			continue
		}
		c := base
		f := reflect.ValueOf(&c).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.SetUint(1)
		case reflect.Int64:
			f.SetInt(1)
		default:
			t.Fatalf("field %s of kind %s: teach this test and onlyClose", v.Type().Field(i).Name, f.Kind())
		}
		require.False(t, onlyClose(&c), "field %s", v.Type().Field(i).Name)
		require.False(t, c.Conforms(), "field %s: the general path rejects it", v.Type().Field(i).Name)
	}
}
