package bus

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// fullEvent sets every field of events.Event but Tick (the event id's) to
// a distinct non-zero value through reflection, so a field added later is
// covered without editing this test.
func fullEvent(seed uint64) events.Event {
	var ev events.Event
	v := reflect.ValueOf(&ev).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if v.Type().Field(i).Name == "Tick" {
			continue
		}
		n := seed*31 + uint64(i) + 1
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(-int64(n % 100))
		case reflect.String:
			f.SetString("name-" + string(rune('a'+n%26)))
		default:
			f.SetUint(n % 200)
		}
	}
	return ev
}

func TestWireRoundTripEveryField(t *testing.T) {
	evs := []events.Event{fullEvent(1), fullEvent(2), {}}
	evs[0].Qty, evs[1].Amount = 1<<62, -1<<63 // extremes survive
	ids := []EventID{{123456789, 0}, {123456789, 7}, {123456795, 1 << 31}}
	for i := range evs {
		evs[i].Tick = ids[i].Tick
	}
	p, err := AppendBatch(nil, 123456789, 123456800, events.PurchaseCompleted, evs, ids)
	require.NoError(t, err)
	var b Batch
	require.NoError(t, DecodeBatch(p, &b))
	require.Equal(t, uint64(123456789), b.Tick)
	require.Equal(t, uint64(123456800), b.Last)
	require.Equal(t, events.PurchaseCompleted, b.Kind)
	require.Equal(t, evs, b.Events)
	require.Equal(t, ids, b.IDs)
	require.Equal(t, EventID{Tick: 123456789, Index: 7}, b.ID(1))
	_, err = AppendBatch(nil, 5, 6, events.Minted, evs[:1], []EventID{{7, 0}})
	require.Error(t, err, "an event outside the run")
	_, err = AppendBatch(nil, 123456789, 123456800, events.Minted, evs[:1], []EventID{{123456790, 0}})
	require.Error(t, err, "an event whose Tick is not its id's")
	v := reflect.ValueOf(b.Events[0])
	for i := range v.NumField() {
		require.False(t, v.Field(i).IsZero(), "field %s carried", v.Type().Field(i).Name)
	}
}

// Every truncation and every single-byte change of a payload either
// decodes or returns ErrPayload: never a panic, never an unbounded
// allocation.
func TestWireHostilePayloads(t *testing.T) {
	evs := []events.Event{fullEvent(3), fullEvent(4)}
	evs[0].Tick, evs[1].Tick = 9, 11
	p, err := AppendBatch(nil, 9, 12, events.Minted, evs, []EventID{{9, 2}, {11, 5}})
	require.NoError(t, err)
	var b Batch
	for n := range len(p) {
		require.ErrorIs(t, DecodeBatch(p[:n], &b), ErrPayload, "truncated to %d", n)
	}
	for i := range p {
		for _, x := range []byte{0x00, 0xff, 0x80, 0x7f} {
			q := append([]byte(nil), p...)
			q[i] = x
			if err := DecodeBatch(q, &b); err != nil {
				require.True(t, errors.Is(err, ErrPayload), "byte %d = %#x: %v", i, x, err)
			}
		}
	}
	// A count that claims more events than the bytes could hold.
	huge := append([]byte(nil), p[:1]...)
	huge = append(huge, 9, 3, byte(events.Minted), 0xff, 0xff, 0xff, 0xff, 0x0f)
	require.ErrorIs(t, DecodeBatch(huge, &b), ErrPayload)
	require.ErrorIs(t, DecodeBatch(append(p, 0), &b), ErrPayload, "trailing byte")
}

func TestWireRejectsOtherVersions(t *testing.T) {
	ev := fullEvent(5)
	ev.Tick = 1
	p, err := AppendBatch(nil, 1, 1, events.Minted, []events.Event{ev}, []EventID{{1, 0}})
	require.NoError(t, err)
	var b Batch
	for _, v := range []byte{1, 3} { // 1: the reflective layout before the shared codec
		q := append([]byte(nil), p...)
		q[0] = v
		require.ErrorContains(t, DecodeBatch(q, &b), fmt.Sprintf("version %d", v))
	}
}

// The payload's events are the replay log's bytes: one event codec.
func TestWireCarriesEventsInTheLogsBinaryForm(t *testing.T) {
	ev := fullEvent(6)
	ev.Tick = 40
	p, err := AppendBatch(nil, 40, 40, ev.Kind, []events.Event{ev}, []EventID{{40, 3}})
	require.NoError(t, err)
	require.True(t, bytes.HasSuffix(p, events.AppendBinary(nil, &ev)))
}

func TestKindSorterOrdersByKindThenSession(t *testing.T) {
	recs := []*ecs.TickRecord{
		{Tick: 4, Events: []events.Event{{Kind: 11}, {Kind: 6}, {Kind: 11, Qty: 2}}},
		{Tick: 5},
		{Tick: 6, Events: []events.Event{{Kind: 3}, {Kind: 6, Qty: 4}, {Kind: 6, Qty: 5}, {Kind: 6, Qty: 6}}},
	}
	var s kindSorter
	g := s.group(recs, 2)
	require.Len(t, g, 4, "kind 6 has 4 events: split in two")
	require.Equal(t, events.Kind(3), g[0].kind)
	require.Equal(t, []EventID{{6, 0}}, g[0].ids)
	require.Equal(t, events.Kind(6), g[1].kind)
	require.Equal(t, []EventID{{4, 1}, {6, 1}}, g[1].ids)
	require.Equal(t, []EventID{{6, 2}, {6, 3}}, g[2].ids)
	require.Equal(t, int64(6), g[2].events[1].Qty)
	require.Equal(t, events.Kind(11), g[3].kind)
	require.Equal(t, []EventID{{4, 0}, {4, 2}}, g[3].ids)
	require.Empty(t, s.group(recs[1:2], 2))
}
