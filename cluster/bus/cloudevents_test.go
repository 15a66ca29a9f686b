package bus

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// Every kind round-trips through the CloudEvents form exactly, with every
// Event field set (those outside the kind's view travel in data.Other),
// as a batch and as a single structured-mode event.
func TestCloudEventsRoundTripEveryKind(t *testing.T) {
	n := 0
	for k := events.Kind(1); k.Valid(); k++ {
		n++
		evs := []events.Event{fullEvent(uint64(k)), fullEvent(uint64(k) + 1), {Name: "x\"\\\n\x01é"}}
		evs[0].Qty, evs[1].Amount, evs[1].Subject = 1<<62, -1<<63, 1<<64-1 // beyond a float's 53 bits
		ids := []EventID{{123456789, 0}, {123456789, 7}, {1<<64 - 1, 1<<32 - 1}}
		for i := range evs {
			evs[i].Tick, evs[i].Kind = ids[i].Tick, k
		}
		p, err := AppendCloudEvents(nil, "shop-1", k, evs, ids, false)
		require.NoError(t, err, k)
		var b Batch
		require.NoError(t, DecodeCloudEvents(p, &b), "%v: %s", k, p)
		require.Equal(t, evs, b.Events, k)
		require.Equal(t, ids, b.IDs, k)
		require.Equal(t, k, b.Kind)

		one, err := AppendCloudEvents(nil, "shop-1", k, evs[1:2], ids[1:2], true)
		require.NoError(t, err)
		require.Equal(t, byte('{'), one[0])
		require.NoError(t, DecodeCloudEvents(one, &b))
		require.Equal(t, evs[1:2], b.Events)

		// Plain JSON: the envelope is CloudEvents 1.0, and every value in
		// data is a string (no integer goes through a float).
		var plain []map[string]any
		require.NoError(t, json.Unmarshal(p, &plain))
		require.Len(t, plain, 3)
		require.Equal(t, "1.0", plain[0]["specversion"])
		require.Equal(t, "123456789/7", plain[1]["id"])
		require.Equal(t, "shop-1", plain[1]["source"])
		require.Equal(t, "tickecon."+k.String(), plain[1]["type"])
		data := plain[1]["data"].(map[string]any)
		for _, f := range k.Fields() {
			require.IsType(t, "", data[f.View], "%v.%s", k, f.View)
		}
		for name, v := range data["Other"].(map[string]any) {
			require.IsType(t, "", v, "%v.Other.%s", k, name)
		}
	}
	require.Greater(t, n, 30)
}

// A view's fields are written with the view's names, integers as decimal
// strings, enums by name.
func TestCloudEventsForm(t *testing.T) {
	ev := events.PurchaseCompletedEvent{Buyer: 7, Listing: 5, Till: 6, Item: 3, Currency: 2, Qty: 2, Total: 60, Request: 1}.Event()
	ev.Tick, ev.Ticket = 3, 9
	p, err := AppendCloudEvents(nil, "w", ev.Kind, []events.Event{ev}, []EventID{{3, 4}}, true)
	require.NoError(t, err)
	require.Equal(t, `{"specversion":"1.0","id":"3/4","source":"w","type":"tickecon.PurchaseCompleted","ticket":"9",`+
		`"data":{"Buyer":"7","Listing":"5","Till":"6","Item":"3","Currency":"2","Qty":"2","Total":"60","Request":"1"}}`, string(p))

	rej := events.Event{Kind: events.CommandRejected, Tick: 4, Of: events.Minted, Reason: events.ReasonBadCommand, Subject: 8, Amount: -5}
	p, err = AppendCloudEvents(nil, "w", rej.Kind, []events.Event{rej}, []EventID{{4, 0}}, false)
	require.NoError(t, err)
	require.Equal(t, `[{"specversion":"1.0","id":"4/0","source":"w","type":"tickecon.CommandRejected",`+
		`"data":{"Command":"Minted","Reason":"BadCommand","Target":"8","Other":{"Amount":"-5"}}}]`, string(p))
}

// Damaged or foreign payloads are errors wrapping ErrPayload, never a
// panic; truncation at every byte is caught.
func TestCloudEventsRejectsBadPayloads(t *testing.T) {
	ev := fullEvent(3)
	ev.Kind, ev.Tick = events.Minted, 9
	p, err := AppendCloudEvents(nil, "w", ev.Kind, []events.Event{ev, ev}, []EventID{{9, 0}, {9, 1}}, false)
	require.NoError(t, err)
	var b Batch
	for n := range len(p) {
		require.ErrorIs(t, DecodeCloudEvents(p[:n], &b), ErrPayload, "truncated to %d", n)
	}
	for _, bad := range []string{
		`[]`, `{}`, `null`, `[{"specversion":"0.3","id":"1/0","type":"tickecon.Minted","data":{}}]`,
		`[{"specversion":"1.0","id":"1","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":"1"}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Nope","data":{}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1"}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":1}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":"1e3"}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"-1","Currency":"1","Amount":"1"}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":"9223372036854775808"}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":"1","Other":{"Amount":"2"}}}]`,
		`[{"specversion":"1.0","id":"1/0","type":"tickecon.Minted","data":{"Holder":"1","Currency":"1","Amount":"1"}},` +
			`{"specversion":"1.0","id":"1/1","type":"tickecon.Burned","data":{"Holder":"1","Currency":"1","Amount":"1"}}]`,
	} {
		require.ErrorIs(t, DecodeCloudEvents([]byte(bad), &b), ErrPayload, bad)
	}
	_, err = AppendCloudEvents(nil, "w", events.Burned, []events.Event{ev}, []EventID{{9, 0}}, false)
	require.Error(t, err, "an event of another kind")
	_, err = AppendCloudEvents(nil, "w", ev.Kind, []events.Event{ev, ev}, []EventID{{9, 0}, {9, 1}}, true)
	require.Error(t, err, "two events as a single one")
}

func TestParseEncoding(t *testing.T) {
	for _, e := range []Encoding{CloudEvents, Binary} {
		got, err := ParseEncoding(e.String())
		require.NoError(t, err)
		require.Equal(t, e, got)
	}
	_, err := ParseEncoding("xml")
	require.ErrorIs(t, err, ErrConfig)
}

// A message that would exceed the server's max_payload (JSON takes about
// 200 bytes an event, so 4096 events may not fit in 1 MiB) is cut into
// more parts of its run: every event is stored once, in order, and a
// relay restarted with the server's own limit goes on exactly.
func TestRelaySplitsMessagesOverMaxPayload(t *testing.T) {
	g := newGame(t, 21, systems.DefaultConfig, 50)
	g.record(t, 120, 20, 6)
	want := logEvents(t, g.path)
	_, nc := broker(t)
	js, err := jetstream.New(nc)
	require.NoError(t, err)

	r, err := NewRelay(nc, RelayConfig{World: "big", Log: g.path, TicksPerMessage: 40})
	require.NoError(t, err)
	r.maxPayload = 3000
	stopped := false
	r.beforePart = func(first, last uint64, part, parts int) error {
		if first >= 40 && part == 5 && !stopped {
			stopped = true
			return permanent(errStop)
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.ErrorIs(t, r.Run(ctx), errStop)
	n1 := streamMsgs(t, js, "big")
	st := runRelay(t, nc, RelayConfig{World: "big", Log: g.path, TicksPerMessage: 40})
	require.NotZero(t, st.Events)

	got, dups := streamEvents(t, js, "big")
	require.Zero(t, dups)
	require.Equal(t, want, got)
	s, err := js.Stream(ctx, EventStream("big"))
	require.NoError(t, err)
	biggest := 0
	for seq := uint64(1); seq <= n1; seq++ {
		m, err := s.GetMsg(ctx, seq)
		require.NoError(t, err)
		require.LessOrEqual(t, len(m.Data), 3000, "message %d", seq)
		biggest = max(biggest, len(m.Data))
	}
	require.Greater(t, biggest, 1500, "groups were halved to fit, not all small")
	m, err := s.GetMsg(ctx, n1+1)
	require.NoError(t, err)
	require.Greater(t, len(m.Data), 3000, "the second relay, at the server's limit, packs more")
}

// FuzzDecodeCloudEvents: any body is decoded or refused with ErrPayload,
// never a panic; what decodes encodes back to a body that decodes to the
// same events.
func FuzzDecodeCloudEvents(f *testing.F) {
	ev := fullEvent(4)
	ev.Kind, ev.Tick = events.CommandRejected, 3
	p, err := AppendCloudEvents(nil, "w", ev.Kind, []events.Event{ev}, []EventID{{3, 1}}, false)
	require.NoError(f, err)
	f.Add(p)
	f.Add([]byte(`{"specversion":"1.0","id":"1/0","source":"w","type":"tickecon.Minted","data":{"Holder":"1","Currency":"2","Amount":"-3"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var b Batch
		if err := DecodeCloudEvents(body, &b); err != nil {
			require.ErrorIs(t, err, ErrPayload)
			return
		}
		q, err := AppendCloudEvents(nil, "w", b.Kind, b.Events, b.IDs, false)
		require.NoError(t, err)
		var c Batch
		require.NoError(t, DecodeCloudEvents(q, &c))
		require.Equal(t, b.Events, c.Events)
		require.Equal(t, b.IDs, c.IDs)
	})
}
