package lockstep_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// A command the world rejected, redelivered after its host died between
// committing it and acknowledging it, is answered by the next host as the
// world answered it — rejected, for the same reason, with the same
// CommandRejected — not "applied" with the tick alone; one it applied,
// with its own event. The next host learnt both answers as a standby,
// running the frames.
func TestFailoverInboxRedeliveredAnswerKeepsTheOutcome(t *testing.T) {
	cl := natsbox.ClusterForTest(t)
	f := newFleet(t, cl, 6)
	const world = "inbo"
	admin := f.connect(cl.URLs())
	js, err := jetstream.New(admin)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return bus.EnsureStreams(ctx, js, world, 0, bus.StreamsConfig{Replicas: 3}) == nil
	}, time.Minute, 10*time.Millisecond)

	var mu sync.Mutex
	replies := map[string][]bus.Reply{}
	sub, err := admin.Subscribe("replies", func(m *nats.Msg) {
		var r bus.Reply
		if json.Unmarshal(m.Data, &r) == nil {
			mu.Lock()
			replies[r.MsgID] = append(replies[r.MsgID], r)
			mu.Unlock()
		}
	})
	require.NoError(t, err)
	defer sub.Unsubscribe()
	require.NoError(t, admin.Flush())

	// frozen: no commit moves a host's Horizon, so nothing is
	// acknowledged or answered (a host about to die between commit and
	// ack).
	var frozen atomic.Bool
	f.onHost = func(p *replicaProc, h *lockstep.Host) {
		hz := bus.NewHorizon()
		ctx, cancel := context.WithCancel(context.Background())
		var in *bus.Inbox
		var err error
		for range 5 { // a loaded cluster may time out
			in, err = bus.NewInbox(ctx, p.nc, bus.InboxConfig{World: world, Horizon: hz, AckWait: time.Second,
				Accept: []events.Kind{events.Minted}, Once: h})
			if err == nil || errors.Is(err, nats.ErrConnectionClosed) {
				break
			}
		}
		if err != nil {
			t.Logf("inbox: %v", err)
			cancel()
			return
		}
		hi := &hostedInbox{in: in, horizon: hz, stop: cancel, done: make(chan struct{})}
		go func() { defer close(hi.done); _ = in.Run(ctx) }()
		p.inbox.Store(hi)
	}
	f.onStandby = func(p *replicaProc) {
		if hi := p.inbox.Swap(nil); hi != nil {
			hi.stop()
			<-hi.done
		}
	}
	f.beforeStep = func(p *replicaProc, h *lockstep.Host) {
		if hi := p.inbox.Load(); hi != nil {
			hi.in.Drain(h.World())
		}
	}
	f.onCommit = func(p *replicaProc, tick uint64) {
		if hi := p.inbox.Load(); hi != nil && !frozen.Load() {
			hi.horizon.Set(tick)
		}
	}
	for i := range 3 {
		f.startReplica(fmt.Sprintf("r%d", i), "")
	}
	host := f.host(60 * time.Second)
	// Every standby follows frames before the commands are sent, so
	// whichever takes over ran their tick and knows its outcome; one that
	// joined later, from a snapshot past it, rightly answers "ran" (CI
	// once, on a loaded machine).
	require.Eventually(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, p := range f.reps {
			if p != host && p.followed.Load() == 0 {
				return false
			}
		}
		return true
	}, time.Minute, time.Millisecond, "every standby follows the frames")

	player, currency := f.players[0], mintCurrency(t, f)
	const nowhere = 999999 // no such wallet: the world rejects the mint
	frozen.Store(true)
	for id, to := range map[string]uint64{"bad": nowhere, "good": uint64(player)} {
		m := nats.NewMsg(bus.InboxSubject(world, "admin"))
		m.Header.Set(jetstream.MsgIDHeader, id)
		m.Header.Set(bus.HeaderReplyTo, "replies")
		m.Data = []byte(fmt.Sprintf(`{"kind":"Minted","subject":%d,"currency":%d,"amount":7}`, to, currency))
		require.Eventually(t, func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := js.PublishMsg(ctx, m)
			return err == nil
		}, time.Minute, 10*time.Millisecond)
	}

	// The history's answer to each: the tick and the event that answered
	// the command, from the exported log, once both are committed.
	type answer struct {
		tick uint64
		ev   events.Event
	}
	dir := t.TempDir()
	var exports atomic.Int64
	history := func() map[uint64]answer { // by subject; no require: Eventually's goroutine
		path := filepath.Join(dir, fmt.Sprintf("h%d.log", exports.Add(1)))
		if _, err := lockstep.ExportLog(admin, f.session, f.content, newWorld, path, ticklog.Options{}); err != nil {
			return nil
		}
		raw, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer raw.Close()
		rd, err := ticklog.NewReader(raw)
		if err != nil {
			return nil
		}
		out := map[uint64]answer{}
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return out
			}
			if err != nil {
				return nil
			}
			if rec.Tick == nil {
				continue
			}
			for _, c := range rec.Tick.Commands {
				if c.Kind != events.Minted || c.Amount != 7 || c.Currency != currency {
					continue
				}
				for _, ev := range rec.Tick.Events {
					if ev.Ticket == c.Ticket && (ev.Kind == events.Minted || ev.Kind == events.CommandRejected) {
						out[uint64(c.Subject)] = answer{rec.Tick.Tick, ev}
						break
					}
				}
			}
		}
	}
	var at map[uint64]answer
	require.Eventually(t, func() bool {
		at = history()
		return len(at) == 2
	}, 2*time.Minute, 50*time.Millisecond, "the two commands were not committed")
	mu.Lock()
	require.Empty(t, replies, "frozen: nothing answered yet")
	mu.Unlock()
	f.killHost(true)
	frozen.Store(false)

	// The next host's inbox gets both again (AckWait) and answers them.
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(replies["bad"]) > 0 && len(replies["good"]) > 0
	}, 2*time.Minute, 10*time.Millisecond, "no answer to the redelivered messages; %s", inboxStats(f))
	mu.Lock()
	bad, good := replies["bad"][0], replies["good"][0]
	mu.Unlock()

	rej := at[nowhere]
	require.Equal(t, events.CommandRejected, rej.ev.Kind, "the world rejected it")
	assert.True(t, bad.Again)
	assert.Equal(t, bus.ReplyRejected, bad.Status, "%+v", bad)
	assert.Equal(t, rej.ev.Reason.String(), bad.Reason)
	assert.Equal(t, rej.tick, bad.Tick)
	if assert.NotNil(t, bad.Event) {
		assert.Equal(t, rej.ev, *bad.Event, "the same CommandRejected")
	}

	ok := at[uint64(player)]
	require.Equal(t, events.Minted, ok.ev.Kind)
	assert.True(t, good.Again)
	assert.Equal(t, bus.ReplyApplied, good.Status, "%+v", good)
	assert.Equal(t, ok.tick, good.Tick)
	if assert.NotNil(t, good.Event) {
		assert.Equal(t, ok.ev, *good.Event)
	}
	for _, p := range f.liveReplicas() {
		f.onStandby(p)
		f.stop(p)
	}
}
