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
// host drains it before each tick through Host.CommandOnce (the message
// ids travel in the frames) and its Horizon is the last committed tick,
// so a command is acknowledged only once the frame that applied it is
// committed. The host is killed several times: under load (messages
// queued, applied but not committed, committed but not acknowledged) and
// right after committing messages it never acknowledges. The next host's
// inbox gets the unacknowledged messages again; the ones the history
// applied are acknowledged with their tick and not applied again. Every
// message is in the history exactly once; every reply names that tick.
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
	// that tick was committed (Again: by a later host, for a message the
	// history had applied).
	var mu sync.Mutex
	applied := map[int64][]uint64{} // the message's number → ticks replied
	var nagain atomic.Int64
	var odd []string // replies other than applied
	sub, err := admin.Subscribe("replies", func(m *nats.Msg) {
		var r bus.Reply
		err := json.Unmarshal(m.Data, &r)
		// A redelivered copy is answered as the first was (its Minted), or,
		// by a host that no longer knows (its standby started from a
		// snapshot after the tick), with ReplyRan.
		known := r.Status == bus.ReplyApplied && (!r.Again || r.Event != nil && r.Event.Kind == events.Minted)
		if err != nil || !known && !(r.Again && r.Status == bus.ReplyRan) {
			mu.Lock()
			odd = append(odd, string(m.Data))
			mu.Unlock()
			return
		}
		var i int64
		if _, err := fmt.Sscanf(r.MsgID, "m%d", &i); err != nil {
			return
		}
		if r.Again {
			nagain.Add(1)
		}
		mu.Lock()
		applied[i] = append(applied[i], r.Tick)
		mu.Unlock()
	})
	require.NoError(t, err)
	defer sub.Unsubscribe()
	// Core NATS interest crosses the cluster's routes asynchronously:
	// subscribe before any replica can reply.
	require.NoError(t, admin.Flush())
	f.onHost = func(p *replicaProc, h *lockstep.Host) {
		hz := bus.NewHorizon()
		ctx, cancel := context.WithCancel(context.Background())
		var in *bus.Inbox
		var err error
		for range 5 { // a loaded cluster may time out; a killed replica's connection is closed for good
			in, err = bus.NewInbox(ctx, p.nc, bus.InboxConfig{World: world, Horizon: hz, AckWait: time.Second,
				Accept: []events.Kind{events.Minted}, Once: h})
			if err == nil || errors.Is(err, nats.ErrConnectionClosed) {
				break
			}
		}
		if err != nil { // the test's goroutine finds no progress and fails
			t.Logf("inbox: %v", err)
			cancel()
			return
		}
		hi := &hostedInbox{in: in, horizon: hz, stop: cancel, done: make(chan struct{})}
		go func() { defer close(hi.done); _ = in.Run(ctx) }()
		p.inbox.Store(hi)
	}
	var again atomic.Int64 // Stats().Again of the inboxes stopped
	f.onStandby = func(p *replicaProc) {
		if hi := p.inbox.Swap(nil); hi != nil {
			hi.stop()
			<-hi.done
			again.Add(hi.in.Stats().Again)
		}
	}
	f.beforeStep = func(p *replicaProc, h *lockstep.Host) {
		if hi := p.inbox.Load(); hi != nil {
			hi.in.Drain(h.World())
		}
	}
	// frozen: commits no longer move any host's Horizon, so nothing more
	// is acknowledged (a host about to die between commit and ack).
	var frozen atomic.Bool
	f.onCommit = func(p *replicaProc, tick uint64) {
		if hi := p.inbox.Load(); hi != nil && !frozen.Load() {
			hi.horizon.Set(tick)
		}
	}
	for i := range 3 {
		f.startReplica(fmt.Sprintf("r%d", i), "")
	}
	f.host(60 * time.Second)

	player, currency := f.players[0], mintCurrency(t, f)
	sent := 0
	send := func(k int) {
		for range k {
			sent++
			m := nats.NewMsg(bus.InboxSubject(world, "admin"))
			m.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("m%d", sent))
			m.Header.Set(bus.HeaderReplyTo, "replies")
			m.Data, _ = json.Marshal(events.Mint(player, currency, int64(sent)))
			require.Eventually(t, func() bool {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				_, err := js.PublishMsg(ctx, m)
				return err == nil
			}, time.Minute, 10*time.Millisecond)
		}
	}
	// history: the ticks that applied each message, from the exported
	// log (nil if it cannot be read yet). No require: Eventually calls it
	// from its own goroutine.
	dir := t.TempDir()
	var exports atomic.Int64
	history := func() map[int64][]uint64 {
		path := filepath.Join(dir, fmt.Sprintf("inbox%d.log", exports.Add(1)))
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
		at := map[int64][]uint64{}
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil
			}
			if rec.Tick == nil {
				continue
			}
			for _, c := range rec.Tick.Commands {
				if c.Kind == events.Minted && c.Subject == player && c.Currency == currency && c.Amount <= int64(sent) {
					at[c.Amount] = append(at[c.Amount], rec.Tick.Tick)
				}
			}
		}
		return at
	}
	kills := 4
	if testing.Short() {
		kills = 2
	}
	for k := range kills {
		if k%2 == 0 {
			// Between commit and ack: the host applies and commits a
			// batch, acknowledges none of it, and dies.
			frozen.Store(true)
			first := sent + 1
			send(8)
			require.Eventually(t, func() bool {
				at := history()
				for i := first; i <= sent; i++ {
					if len(at[int64(i)]) == 0 {
						return false
					}
				}
				return true
			}, 2*time.Minute, 50*time.Millisecond, "the batch was not committed; %s", inboxStats(f))
			f.killHost(true)
			frozen.Store(false)
			continue
		}
		// Under load: some messages are queued, some applied, some
		// committed, some acknowledged when the host dies.
		send(12)
		f.killHost(true)
	}
	send(5)
	// Every message is applied in the end: the ones a killed host took
	// and never acknowledged come again (AckWait) to the next host.
	var at map[int64][]uint64
	require.Eventually(t, func() bool {
		at = history()
		return len(at) == sent
	}, 2*time.Minute, 200*time.Millisecond, "messages lost")
	// Every message is acknowledged in the end (the inbox's consumer has
	// nothing pending): the redelivered ones by the later hosts.
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := js.Consumer(ctx, bus.InboxStream(world), "inbox")
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		return err == nil && info.NumAckPending == 0 && info.NumPending == 0
	}, 2*time.Minute, 50*time.Millisecond, "messages never acknowledged; %s", inboxStats(f))
	f.startClients() // the checker's clients: the world goes on
	f.waitAcked(3, time.Minute)
	f.check()
	at = history()
	require.NotNil(t, at, "the exported log cannot be read")

	mu.Lock()
	defer mu.Unlock()
	// A Minted is refused only if the world lacks the player's wallet:
	// the content of tick 0 would be missing from the history.
	require.Empty(t, odd, "replies other than applied")
	for i := int64(1); i <= int64(sent); i++ {
		require.Len(t, at[i], 1, "message %d: applied in ticks %v", i, at[i])
		for _, tick := range applied[i] {
			require.Equal(t, at[i][0], tick, "message %d: a reply says tick %d, the history has it in %d", i, tick, at[i][0])
		}
	}
	for _, p := range f.liveReplicas() {
		if hi := p.inbox.Load(); hi != nil {
			again.Add(hi.in.Stats().Again)
		}
	}
	// The kills between commit and ack left committed messages
	// unacknowledged: the next host knew them.
	require.Positive(t, again.Load(), "no redelivered message was recognised as applied")
	t.Logf("%d inbox messages over %d kills, each applied once; %d answered (%d replies to a redelivered copy; %d copies known by a later host)",
		sent, kills, len(applied), nagain.Load(), again.Load())
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
