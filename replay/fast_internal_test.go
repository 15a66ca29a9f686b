package replay

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
)

// matchEvent accepts exactly events.AppendBinary's form of the event: any
// one field changed, or a field written in more bytes than needed (which
// decodes to the same value), is not a match. So a match is an equal
// event, and a miss only sends Verify down the in-order way.
func TestMatchEventIsTheBinaryForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	val := func() uint64 {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return rng.Uint64N(128)
		case 2:
			return rng.Uint64N(1 << 21)
		}
		return rng.Uint64()
	}
	typ := reflect.TypeFor[events.Event]()
	for range 2000 {
		var ev events.Event
		v := reflect.ValueOf(&ev).Elem()
		for i := range typ.NumField() {
			switch f := v.Field(i); f.Kind() {
			case reflect.Uint8:
				f.SetUint(val() & 0xff)
			case reflect.Uint64:
				f.SetUint(val())
			case reflect.Int64:
				f.SetInt(int64(val()))
			case reflect.String:
				f.SetString([]string{"", "gold", "a longer display name"}[rng.IntN(3)])
			default:
				t.Fatalf("field %s of kind %s: teach this test its values", typ.Field(i).Name, f.Kind())
			}
		}
		tail := []byte{1, 2, 3}
		b := append(events.AppendBinary(nil, &ev), tail...)
		rest, ok := matchEvent(b, &ev, new([256]byte))
		require.True(t, ok, "%+v", ev)
		require.Equal(t, tail, rest)
		require.True(t, sameEvents(b[:len(b)-len(tail)], ev.Tick, []events.Event{ev}))
		require.False(t, sameEvents(b, ev.Tick, []events.Event{ev}), "bytes left over")
		require.False(t, sameEvents(b[:len(b)-len(tail)], ev.Tick+1, []events.Event{ev}), "another tick")

		for i := range typ.NumField() {
			if typ.Field(i).Name == "Tick" {
				continue // not in the binary form: sameEvents checks it
			}
			other := ev
			f := reflect.ValueOf(&other).Elem().Field(i)
			switch f.Kind() {
			case reflect.Uint8, reflect.Uint64:
				f.SetUint(f.Uint() ^ 1)
			case reflect.Int64:
				f.SetInt(f.Int() ^ 1)
			case reflect.String:
				f.SetString(f.String() + "x")
			}
			_, ok := matchEvent(b, &other, new([256]byte))
			require.False(t, ok, "%s changed", typ.Field(i).Name)
		}
	}

	// Subject 5 written in two bytes (0x85 0x00) decodes to 5, yet is not
	// the form AppendBinary writes.
	ev := events.Event{Kind: events.Minted, Subject: 5, Amount: math.MinInt64}
	b := events.AppendBinary(nil, &ev)
	long := append(append(append([]byte{}, b[:3]...), 0x85, 0x00), b[4:]...)
	var dec events.Event
	_, err := events.DecodeBinary(long, &dec)
	require.NoError(t, err)
	require.Equal(t, ev, dec)
	_, ok := matchEvent(long, &ev, new([256]byte))
	require.False(t, ok)
	require.Equal(t, binary.AppendVarint(nil, math.MinInt64), binary.AppendUvarint(nil, zigzag(math.MinInt64)))
}
