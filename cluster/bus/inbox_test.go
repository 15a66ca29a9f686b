package bus

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// sagaRig starts a game with one pending saga (no workers: the test plays
// the provider) and returns its record id and price.
func sagaRig(t *testing.T, sc StreamsConfig) (*rig, events.Event) {
	cfg := systems.DefaultConfig
	cfg.SagaTimeout = 1 << 30
	r := newRigStreams(t, cfg, sc)
	r.startInbox(InboxConfig{MaxBytes: 512})
	var started events.Event
	r.g.w.Subscribe(ecs.Kinds(events.SagaStarted), func(rec *ecs.TickRecord) error {
		for _, ev := range rec.Events {
			if ev.Kind == events.SagaStarted && started.Kind == 0 {
				started = ev
			}
		}
		return nil
	})
	for started.Kind == 0 {
		r.tick(3, 4, 0)
	}
	return r, started
}

// The same payment outcome delivered twice: with the same message id (the
// stream drops it, or the inbox if it comes back after the window) and
// with a new id (the world's slot rule rejects it). One effect.
func TestInboxSameOutcomeTwice(t *testing.T) {
	// A window long enough that two publishes in a row fall inside it on a
	// loaded machine; the server forgets an id on a timer once the window
	// passed, so the test publishes again until the stream stores it
	// rather than sleeping for a guessed time.
	r, saga := sagaRig(t, StreamsConfig{DedupWindow: time.Second})
	pay := map[string]any{"kind": "PaymentConfirmed", "subject": saga.Subject, "request": 77, "amount": saga.Amount}
	require.False(t, publishInbox(t, r.nc, "pay-1", pay).Duplicate)
	require.True(t, publishInbox(t, r.nc, "pay-1", pay).Duplicate, "dropped by the stream: inside the window")
	deadline := time.Now().Add(30 * time.Second)
	for publishInbox(t, r.nc, "pay-1", pay).Duplicate { // dropped again until the window passed
		require.True(t, time.Now().Before(deadline), "the stream still drops pay-1 after 30s")
		time.Sleep(20 * time.Millisecond)
	}
	// Now stored again (window passed): the inbox remembers the id.
	require.False(t, publishInbox(t, r.nc, "pay-2", pay).Duplicate) // a provider retry with a new id: the world refuses the second fill
	r.idleUntil(func() bool {
		st := r.inbox.Stats()
		return st.Submitted == 2 && st.Duplicates == 1
	}, 10*time.Second, time.Millisecond)
	for range 10 {
		r.tick(0, 0, time.Millisecond)
	}
	r.finish()
	require.Eventually(t, func() bool { return r.inbox.Stats().Acked == 2 }, 30*time.Second, 10*time.Millisecond,
		"both submitted messages acknowledged once their tick was durable")

	var confirmed, minted, rejected int
	for _, ev := range logEvents(t, r.g.path) {
		switch {
		case ev.Kind == events.PaymentConfirmed && ev.Subject == saga.Subject:
			confirmed++
		case ev.Kind == events.Minted && ev.Subject == saga.Subject:
			minted++
		case ev.Kind == events.CommandRejected && ev.Subject == saga.Subject:
			require.Equal(t, events.ReasonDuplicateRequest, ev.Reason)
			rejected++
		}
	}
	require.Equal(t, 1, confirmed)
	require.Equal(t, 1, minted, "the money entered once")
	require.Equal(t, 1, rejected)
	r.verifyReplay()
}

// Bad input never reaches the world: each message is refused with its
// reason on the dead-letter subject (and the sender's reply-to), nothing
// is applied, and the tick loop goes on; a good message after them works.
func TestInboxRejectsBadInput(t *testing.T) {
	r, saga := sagaRig(t, StreamsConfig{})
	replies, err := r.nc.SubscribeSync("reply.bad")
	require.NoError(t, err)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	send := func(id string, data []byte) {
		m := nats.NewMsg(InboxSubject(world, "test"))
		m.Data = data
		if id != "" {
			m.Header.Set(jetstream.MsgIDHeader, id)
		}
		m.Header.Set(HeaderReplyTo, "reply.bad")
		_, err := js.PublishMsg(context.Background(), m)
		require.NoError(t, err)
	}
	cases := []struct{ id, data, reason string }{
		{"b1", `{"kind": "PaymentConfirmed", "subject": `, "malformed"},
		{"b2", `{"kind": "FreeMoney", "subject": 1}`, `unknown command kind "FreeMoney"`},
		{"b3", `{"kind": "Minted", "subject": 1, "currency": 1, "amount": 1000000}`, "not accepted from outside"},
		{"b4", `{"kind": "PaymentConfirmed", "subject": 1, "request": 1, "comment": "` + strings.Repeat("x", 600) + `"}`, "oversized"},
		{"b5", `{"kind": "PaymentConfirmed", "subject": 1, "request": 1, "bonus": 5}`, `unknown field "bonus"`},
		{"b6", `{"kind": "PaymentConfirmed", "subject": 1, "request": 1, "tick": 3}`, "tick is set by the world"},
		{"", `{"kind": "PaymentConfirmed", "subject": 1, "request": 1}`, "no Nats-Msg-Id"},
		{"b8", `[1, 2, 3]`, "malformed"},
		{"b9", `{"kind": "PaymentConfirmed", "subject": "1x", "request": 1}`, `subject: "1x" is not a decimal integer`},
		{"b10", `{"kind": "PaymentConfirmed", "subject": 1, "request": 1, "amount": "+5"}`, "not a decimal integer"},
		{"b11", `{"kind": "PaymentConfirmed", "subject": "-1", "request": 1}`, "not a decimal integer"},
		{"b12", `{"kind": "PaymentConfirmed", "subject": 1, "request": "18446744073709551616"}`, "not a decimal integer of its range"},
	}
	for _, c := range cases {
		send(c.id, []byte(c.data))
	}
	before := r.g.w.NextTick()
	r.idleUntil(func() bool { return r.inbox.Stats().Rejected == int64(len(cases)) }, 10*time.Second, time.Millisecond)
	require.Zero(t, r.inbox.Stats().Submitted)

	// Each reason on the reply subject and in the dead-letter stream.
	for _, c := range cases {
		m, err := replies.NextMsg(5 * time.Second)
		require.NoError(t, err)
		var rej Reply
		require.NoError(t, json.Unmarshal(m.Data, &rej))
		require.Equal(t, c.id, rej.MsgID)
		require.Equal(t, ReplyRefused, rej.Status)
		require.Contains(t, rej.Reason, c.reason, "message %q", c.id)
		require.Nil(t, rej.Event)
	}
	s, err := js.Stream(context.Background(), DeadStream(world))
	require.NoError(t, err)
	info, err := s.Info(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, len(cases), info.State.Msgs)

	// The loop went on, and a good message is still applied.
	for range 3 {
		r.tick(3, 0, 0)
	}
	require.Greater(t, r.g.w.NextTick(), before)
	// Integers as decimal strings, as the CloudEvents form writes them.
	publishInbox(t, r.nc, "good", map[string]any{"kind": "PaymentConfirmed", "subject": strconv.FormatUint(uint64(saga.Subject), 10),
		"request": "5", "amount": strconv.FormatInt(saga.Amount, 10)})
	r.idleUntil(func() bool { return r.inbox.Stats().Submitted == 1 }, 10*time.Second, time.Millisecond)
	r.tick(0, 0, 0)
	r.finish()
	// The session's own commands are restocks, item use and paydays of
	// 500; anything else in the log came through the inbox.
	var outside []events.Event
	_, recs, err := ticklog.ReadAll(r.g.path)
	require.NoError(t, err)
	for _, rec := range recs {
		if rec.Tick == nil {
			continue
		}
		for _, c := range rec.Tick.Commands {
			switch {
			case c.Kind == events.PaymentConfirmed, c.Kind == events.PaymentDeclined,
				c.Kind == events.DeliveryAccepted, c.Kind == events.DeliveryRefused,
				c.Kind == events.Minted && c.Amount == 1000000:
				outside = append(outside, c)
			}
		}
	}
	require.Len(t, outside, 1, "only the good message became a command")
	require.Equal(t, events.PaymentConfirmed, outside[0].Kind)
	require.EqualValues(t, 5, outside[0].Request)
	r.verifyReplay()
}

// A sender that names a reply subject learns the world's outcome once its
// tick is durable: the tick and the event for an applied command, the
// CommandRejected and its reason for one the world refused (a second
// payment for the same saga slot). Before, only the inbox's own refusals
// were answered.
func TestInboxRepliesWithTheWorldsOutcome(t *testing.T) {
	r, saga := sagaRig(t, StreamsConfig{})
	replies, err := r.nc.SubscribeSync("reply.pay")
	require.NoError(t, err)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	send := func(id string, v any) {
		data, err := json.Marshal(v)
		require.NoError(t, err)
		m := nats.NewMsg(InboxSubject(world, "payment"))
		m.Data = data
		m.Header.Set(jetstream.MsgIDHeader, id)
		m.Header.Set(HeaderReplyTo, "reply.pay")
		_, err = js.PublishMsg(context.Background(), m)
		require.NoError(t, err)
	}
	pay := map[string]any{"kind": "PaymentConfirmed", "subject": saga.Subject, "request": 77, "amount": saga.Amount}
	send("pay-1", pay)
	r.idleUntil(func() bool { return r.inbox.Stats().Submitted == 1 }, 10*time.Second, time.Millisecond)
	send("pay-2", pay) // a provider's retry under a new id: the slot is filled
	r.idleUntil(func() bool { return r.inbox.Stats().Submitted == 2 }, 10*time.Second, time.Millisecond)
	r.tick(0, 0, 0)
	r.finish()

	got := map[string]Reply{}
	for range 2 {
		m, err := replies.NextMsg(10 * time.Second)
		require.NoError(t, err)
		var rep Reply
		require.NoError(t, json.Unmarshal(m.Data, &rep))
		got[rep.MsgID] = rep
	}
	applied, rejected := got["pay-1"], got["pay-2"]
	require.Equal(t, ReplyApplied, applied.Status)
	require.NotNil(t, applied.Event)
	require.Equal(t, events.PaymentConfirmed, applied.Event.Kind)
	require.Equal(t, saga.Subject, applied.Event.Subject)
	require.Equal(t, applied.Tick, applied.Event.Tick)
	require.Empty(t, applied.Reason)

	require.Equal(t, ReplyRejected, rejected.Status)
	require.NotNil(t, rejected.Event)
	require.Equal(t, events.CommandRejected, rejected.Event.Kind)
	require.Equal(t, events.ReasonDuplicateRequest, rejected.Event.Reason)
	require.Equal(t, events.ReasonDuplicateRequest.String(), rejected.Reason)
	require.Greater(t, rejected.Tick, applied.Tick)

	// The replies match the log: each named tick holds that event.
	_, recs, err := ticklog.ReadAll(r.g.path)
	require.NoError(t, err)
	for _, rep := range []Reply{applied, rejected} {
		found := false
		for _, rec := range recs {
			if rec.Tick != nil && rec.Tick.Tick == rep.Tick {
				for _, ev := range rec.Tick.Events {
					found = found || ev == *rep.Event
				}
			}
		}
		require.True(t, found, "tick %d holds %v", rep.Tick, *rep.Event)
	}
}

// fakeOnce applies a command once per key, as lockstep.Host does with the
// keys its frames carry; known holds keys an earlier host applied.
type fakeOnce struct {
	w     *ecs.World
	known map[string]uint64
}

func (f *fakeOnce) CommandOnce(key string, c events.Event) (ecs.Ticket, uint64, bool) {
	if t, ok := f.known[key]; ok {
		return ecs.Ticket{}, t, false
	}
	f.known[key] = f.w.NextTick()
	return f.w.Command(c), f.w.NextTick(), true
}

// With InboxConfig.Once, a message whose id the world applied already (a
// copy redelivered after a failover) is not applied again: it is
// acknowledged once that tick is durable, and its sender is told the
// tick, with Again set — and, from a Once that does not remember the
// outcome, ReplyRan: not "applied", which the world may not have done. A
// new id goes to the world as before.
func TestInboxOnceAnswersAKnownMessageWithItsTick(t *testing.T) {
	r := newRigStreams(t, systems.DefaultConfig, StreamsConfig{})
	once := &fakeOnce{w: r.g.w, known: map[string]uint64{"grant-0": 1}}
	r.startInbox(InboxConfig{Once: once, Accept: []events.Kind{events.Minted}})
	for r.g.w.NextTick() < 3 {
		r.tick(0, 0, 0)
	}
	replies, err := r.nc.SubscribeSync("reply.grant")
	require.NoError(t, err)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	send := func(id string) {
		m := nats.NewMsg(InboxSubject(world, "admin"))
		m.Data = []byte(`{"kind":"Minted","subject":999999,"currency":1,"amount":5}`)
		m.Header.Set(jetstream.MsgIDHeader, id)
		m.Header.Set(HeaderReplyTo, "reply.grant")
		_, err := js.PublishMsg(context.Background(), m)
		require.NoError(t, err)
	}
	send("grant-0")
	send("grant-1")
	r.idleUntil(func() bool { st := r.inbox.Stats(); return st.Again == 1 && st.Submitted == 1 }, 10*time.Second, time.Millisecond)
	r.tick(0, 0, 0)
	r.finish()
	require.Eventually(t, func() bool { return r.inbox.Stats().Acked == 2 }, 30*time.Second, 10*time.Millisecond)

	got := map[string]Reply{}
	for range 2 {
		m, err := replies.NextMsg(10 * time.Second)
		require.NoError(t, err)
		var rep Reply
		require.NoError(t, json.Unmarshal(m.Data, &rep))
		got[rep.MsgID] = rep
	}
	known, fresh := got["grant-0"], got["grant-1"]
	require.Equal(t, Reply{MsgID: "grant-0", Status: ReplyRan, Tick: 1, Again: true}, known)
	require.False(t, fresh.Again)
	require.Equal(t, ReplyRejected, fresh.Status, "the world ran it (no such wallet)")
	require.Equal(t, once.known["grant-1"], fresh.Tick)
}

// Integers written as decimal strings read exactly, beyond 2^53 (where a
// JavaScript number is no longer exact); numbers read as before.
func TestInboxIntegersAsDecimalStrings(t *testing.T) {
	in := &Inbox{cfg: InboxConfig{MaxBytes: 4096}}
	in.accept[events.Minted] = true
	ev, why := in.check("m", []byte(`{"kind": "Minted", "subject": "9007199254740993", "currency": 2, "amount": "-9223372036854775808", "request": "18446744073709551615"}`))
	require.Empty(t, why)
	require.EqualValues(t, uint64(1)<<53+1, ev.Subject)
	require.EqualValues(t, 2, ev.Currency)
	require.Equal(t, int64(-1<<63), ev.Amount)
	require.Equal(t, uint64(1<<64-1), ev.Request)
	ev, why = in.check("m", []byte(`{"kind": "Minted", "subject": 7, "currency": 2, "amount": 9007199254740993, "name": "12"}`))
	require.Empty(t, why)
	require.Equal(t, int64(1<<53+1), ev.Amount)
	require.Equal(t, "12", ev.Name, "a string field stays a string")
	_, why = in.check("m", []byte(`{"kind": "Minted", "subject": 7, "amount": "9223372036854775808"}`))
	require.Contains(t, why, "not a decimal integer of its range")
}

// An inbox of a world whose streams were never made says which stream
// and what makes it, not only the broker's "stream not found".
func TestInboxWithoutStreamsSaysWhatToCreate(t *testing.T) {
	_, nc := broker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := NewInbox(ctx, nc, InboxConfig{World: "nowhere", Horizon: NewHorizon()})
	require.ErrorIs(t, err, jetstream.ErrStreamNotFound)
	require.ErrorContains(t, err, "no stream "+InboxStream("nowhere"))
	require.ErrorContains(t, err, "EnsureStreams")
}

// fakeOnceOutcomes is a fakeOnce that remembers how the world answered.
type fakeOnceOutcomes struct {
	*fakeOnce
	out map[string]events.Event
}

func (f *fakeOnceOutcomes) CommandOutcome(key string, _ uint64, _ events.Event) (events.Event, bool) {
	ev, ok := f.out[key]
	return ev, ok
}

// With a Once that remembers outcomes (OnceOutcomes, as lockstep.Host),
// a redelivered message is answered as the first copy was: here
// rejected, with the world's reason and event.
func TestInboxOnceAnswersAKnownMessageWithItsOutcome(t *testing.T) {
	r := newRigStreams(t, systems.DefaultConfig, StreamsConfig{})
	rej := events.Event{Tick: 1, Kind: events.CommandRejected, Reason: events.ReasonUnknownEntity, Of: events.Minted, Subject: 999999, Ticket: 4}
	once := &fakeOnceOutcomes{fakeOnce: &fakeOnce{w: r.g.w, known: map[string]uint64{"grant-0": 1}},
		out: map[string]events.Event{"grant-0": rej}}
	r.startInbox(InboxConfig{Once: once, Accept: []events.Kind{events.Minted}})
	for r.g.w.NextTick() < 3 {
		r.tick(0, 0, 0)
	}
	replies, err := r.nc.SubscribeSync("reply.grant")
	require.NoError(t, err)
	js, err := jetstream.New(r.nc)
	require.NoError(t, err)
	m := nats.NewMsg(InboxSubject(world, "admin"))
	m.Data = []byte(`{"kind":"Minted","subject":999999,"currency":1,"amount":5}`)
	m.Header.Set(jetstream.MsgIDHeader, "grant-0")
	m.Header.Set(HeaderReplyTo, "reply.grant")
	_, err = js.PublishMsg(context.Background(), m)
	require.NoError(t, err)
	r.idleUntil(func() bool { return r.inbox.Stats().Again == 1 }, 10*time.Second, time.Millisecond)
	r.tick(0, 0, 0)
	r.finish()
	msg, err := replies.NextMsg(30 * time.Second)
	require.NoError(t, err)
	var rep Reply
	require.NoError(t, json.Unmarshal(msg.Data, &rep))
	require.Equal(t, Reply{MsgID: "grant-0", Status: ReplyRejected, Reason: "UnknownEntity", Tick: 1, Event: &rej, Again: true}, rep)
}
