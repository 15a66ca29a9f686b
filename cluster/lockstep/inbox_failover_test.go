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
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// hostedInbox is the bus inbox of the replica that hosts.
type hostedInbox struct {
	in      *bus.Inbox
	horizon *bus.Horizon
	stop    context.CancelFunc
	done    chan struct{}
}

// A server-authoritative world's bus inbox on a replicated world: the
// host drains it before each tick and its Horizon is the last committed
// tick, so a command is acknowledged only once the frame that applied it
// is committed; after the host is killed, the next host's inbox gets the
// unacknowledged messages again and applies them. Every message is in
// the history; every acknowledged one in the tick its reply named.
func TestFailoverInboxAcksOnlyCommittedTicks(t *testing.T) {
	cl := natsbox.ClusterForTest(t)
	f := newFleet(t, cl, 6)
	const world = "inb"
	admin := f.connect(cl.URLs())
	js, err := jetstream.New(admin)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return bus.EnsureStreams(ctx, js, world, 0, bus.StreamsConfig{Replicas: 3}) == nil
	}, time.Minute, 10*time.Millisecond)

	// Replies: which message the world applied in which tick, sent once
	// that tick was committed.
	var mu sync.Mutex
	applied := map[int64]uint64{} // amount (the message's number) → tick
	var nreplies atomic.Int64
	sub, err := admin.Subscribe("replies", func(m *nats.Msg) {
		nreplies.Add(1)
		var r bus.Reply
		if json.Unmarshal(m.Data, &r) == nil && r.Status == bus.ReplyApplied && r.Event != nil {
			mu.Lock()
			applied[r.Event.Amount] = r.Tick
			mu.Unlock()
		}
	})
	require.NoError(t, err)
	defer sub.Unsubscribe()
	// Core NATS interest crosses the cluster's routes asynchronously:
	// subscribe before any replica can reply.
	require.NoError(t, admin.Flush())
	f.onHost = func(p *replicaProc, h *lockstep.Host) {
		hz := bus.NewHorizon()
		ctx, cancel := context.WithCancel(context.Background())
		in, err := bus.NewInbox(ctx, p.nc, bus.InboxConfig{World: world, Horizon: hz, AckWait: time.Second,
			Accept: []events.Kind{events.Minted}})
		if err != nil { // the test's goroutine finds no progress and fails
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
		if hi := p.inbox.Load(); hi != nil {
			hi.horizon.Set(tick)
		}
	}
	for i := range 3 {
		f.startReplica(fmt.Sprintf("r%d", i), "")
	}
	f.host(60 * time.Second)

	player, currency := f.players[0], mintCurrency(t, f)
	n := 60
	if testing.Short() {
		n = 30
	}
	send := func(i int) {
		m := nats.NewMsg(bus.InboxSubject(world, "admin"))
		m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("m%d", i))
		m.Header.Set(bus.HeaderReplyTo, "replies")
		m.Data, _ = json.Marshal(events.Mint(player, currency, int64(i)))
		require.Eventually(t, func() bool {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_, err := js.PublishMsg(ctx, m)
			return err == nil
		}, time.Minute, 10*time.Millisecond)
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(applied) }
	for i := 1; i <= n/2; i++ {
		send(i)
	}
	require.Eventually(t, func() bool { return hostedAcked(f) >= 3 }, time.Minute, time.Millisecond, "replies: %d of %d; %s", count(), nreplies.Load(), inboxStats(f))
	f.killHost(true)
	for i := n/2 + 1; i <= n; i++ {
		send(i)
	}
	// Every message is applied in the end: the ones the killed host took
	// and never acknowledged come again (AckWait) to the next host. (A
	// reply is at most once: one the killed host owed is lost, its
	// message is in the history.)
	history := func() map[int64][]uint64 {
		path := filepath.Join(t.TempDir(), "inbox.log")
		if _, err := lockstep.ExportLog(admin, f.session, f.content, newWorld, path, ticklog.Options{}); err != nil {
			return nil
		}
		raw, err := os.Open(path)
		require.NoError(t, err)
		defer raw.Close()
		rd, err := ticklog.NewReader(raw)
		require.NoError(t, err)
		at := map[int64][]uint64{}
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err)
			if rec.Tick == nil {
				continue
			}
			for _, c := range rec.Tick.Commands {
				if c.Kind == events.Minted && c.Subject == player && c.Currency == currency && c.Amount <= int64(n) {
					at[c.Amount] = append(at[c.Amount], rec.Tick.Tick)
				}
			}
		}
		return at
	}
	var at map[int64][]uint64
	require.Eventually(t, func() bool {
		at = history()
		return len(at) == n
	}, 2*time.Minute, 200*time.Millisecond, "messages lost")
	f.startClients() // the checker's clients: the world goes on
	f.waitAcked(3, time.Minute)
	f.check()
	at = history()

	dups := 0
	mu.Lock()
	defer mu.Unlock()
	for i := int64(1); i <= int64(n); i++ {
		require.NotEmpty(t, at[i], "message %d is not in the history", i)
		if tick, ok := applied[i]; ok {
			require.Contains(t, at[i], tick, "message %d acknowledged as applied in tick %d", i, tick)
		}
		dups += len(at[i]) - 1
	}
	// A message committed but not yet acknowledged when its host died
	// comes again and is applied again: a Minted has no idempotency key
	// (saga outcomes do: the world applies one per slot).
	t.Logf("%d inbox messages, all in the history; %d acknowledged, each in its tick; %d applied twice across the kill", n, len(applied), dups)
}

// mintCurrency is the content's first currency.
func mintCurrency(t *testing.T, f *fleet) components.ID {
	probe := ecs.New()
	ids, err := f.content.Apply(probe)
	require.NoError(t, err)
	return ids.MustID(f.content.Currencies[0].Key)
}

func inboxStats(f *fleet) string {
	out := ""
	for _, p := range f.liveReplicas() {
		if hi := p.inbox.Load(); hi != nil {
			out += fmt.Sprintf("%s %+v ", p.id, hi.in.Stats())
		}
	}
	return out
}

// hostedAcked is what the hosting replica's inbox acknowledged.
func hostedAcked(f *fleet) int64 {
	n := int64(0)
	for _, p := range f.liveReplicas() {
		if hi := p.inbox.Load(); hi != nil {
			n += hi.in.Stats().Acked
		}
	}
	return n
}
