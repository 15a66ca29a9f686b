package events_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
)

func TestBinaryRoundTripAndTruncation(t *testing.T) {
	ev := events.Event{Tick: 9, Kind: events.Minted, Reason: 200, Of: 7, Subject: 1<<64 - 1, Object: 2,
		Till: 5, Ref: 6, Item: 3, Currency: 4, Qty: -1 << 63, Amount: 1<<63 - 1, Rest: -9, Size: 1 << 40,
		Request: 1<<64 - 1, At: 1<<64 - 2, Ticket: 1<<64 - 3, Name: "é\x00x"}
	b := events.AppendBinary([]byte{0xaa}, &ev)
	require.Equal(t, byte(0xaa), b[0], "appends")
	got := events.Event{Tick: 9, Name: "old"}
	rest, err := events.DecodeBinary(append(b[1:], 0xbb), &got)
	require.NoError(t, err)
	require.Equal(t, ev, got, "every field but Tick, which the caller keeps")
	require.Equal(t, []byte{0xbb}, rest)

	zero := events.AppendBinary(nil, &events.Event{})
	require.Len(t, zero, events.MinBinaryLen, "MinBinaryLen is the zero event's size")
	for n := range len(b) - 1 {
		_, err := events.DecodeBinary(b[1:1+n], &got)
		require.ErrorIs(t, err, events.ErrBinary, "truncated to %d", n)
	}
	over := append([]byte{1, 0, 0}, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02)
	over = append(over, make([]byte, 16)...)
	_, err = events.DecodeBinary(over, &got)
	require.ErrorIs(t, err, events.ErrBinary, "a varint over 64 bits")
}
