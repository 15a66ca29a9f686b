package lockstep_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// relayProc is a relay of the fleet's world following its frame stream:
// a process of its own (its own connection), on any machine.
type relayProc struct {
	nc     *nats.Conn
	r      *bus.Relay
	src    *lockstep.FrameSource
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	notes  []string // what it retried, and how Run ended
}

func (p *relayProc) note(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notes = append(p.notes, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
	if len(p.notes) > 40 {
		p.notes = p.notes[len(p.notes)-40:]
	}
}

func (p *relayProc) told() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.notes, "\n")
}

const relayWorld = "fo"

func (f *fleet) startRelay(enc bus.Encoding) *relayProc {
	nc, err := nats.Connect(f.cl.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(f.t, err)
	f.t.Cleanup(nc.Close)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: f.session, NewWorld: newWorld, Content: f.content})
	require.NoError(f.t, err)
	p := &relayProc{nc: nc, src: src, done: make(chan error, 1)}
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: relayWorld, Source: src, Follow: true, Encoding: enc,
		TicksPerMessage: 4, AckTimeout: 2 * time.Second, Streams: bus.StreamsConfig{Replicas: 3},
		OnRetry: func(err error) { p.note("retry: %v", err) }})
	require.NoError(f.t, err)
	p.r = r
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() {
		err := r.Run(ctx)
		p.note("Run: %v", err)
		p.done <- err
	}()
	return p
}

// stored is one past the last tick the relay knows stored.
func (p *relayProc) stored() uint64 {
	st := p.r.Stats()
	if !st.HasTick {
		return 0
	}
	return st.LastTick + 1
}

// kill ends the relay mid-run: its connection first, so what it had in
// flight is lost or stored as the broker decides.
func (f *fleet) killRelay(p *relayProc, hard bool) {
	if hard {
		p.nc.Close()
	}
	p.cancel()
	select {
	case err := <-p.done:
		if !errors.Is(err, context.Canceled) {
			assert.NoError(f.t, err, "the relay stopped on its own")
		}
	case <-time.After(30 * time.Second):
		f.t.Fatal("the relay did not stop")
	}
	p.src.Close()
	p.nc.Close()
}

// waitRelayed waits until the relay has stored n more ticks.
func (f *fleet) waitRelayed(p *relayProc, n uint64) {
	want := p.stored() + n
	ok := assert.Eventually(f.t, func() bool { return p.stored() >= want }, 60*time.Second, time.Millisecond)
	if !ok {
		f.t.Fatalf("the relay stopped storing ticks (at %d, want %d, followers at %d, skipped %d): %+v\n%s",
			p.stored(), want, f.followedTo(), p.src.Skipped(), p.r.Stats(), p.told())
	}
}

// A relay following a replicated world's frame stream publishes exactly
// the exported history's events, each once, across a failover of the
// host, a relay killed and restarted (with the other encoding) and the
// event stream's leader node lost (and, without -short, a second
// failover, a clean relay restart and the frame stream's leader node
// lost).
func TestRelayFollowsFramesAcrossFailover(t *testing.T) {
	f := newFleetRunning(t)
	f.orphansOK = true // a node is lost under the host
	rp := f.startRelay(bus.CloudEvents)
	f.waitRelayed(rp, 5)

	f.killHost(true)
	f.waitAcked(5, 60*time.Second)
	f.waitRelayed(rp, 5)

	// The relay itself, mid-run: the next one (binary) resumes from the
	// stream.
	f.killRelay(rp, true)
	f.waitAcked(3, 60*time.Second)
	rp = f.startRelay(bus.Binary)
	f.waitRelayed(rp, 5)
	require.Positive(t, rp.r.Stats().From, "the restarted relay resumes from the stream")

	// The event stream's leader node: the relay's publishes fail or time
	// out, and it resumes from what the new leader holds.
	leader, err := f.cl.WaitStreamLeader(bus.EventStream(relayWorld), 30*time.Second)
	require.NoError(t, err)
	f.cl.Stop(leader)
	f.waitAcked(5, 60*time.Second)
	f.waitRelayed(rp, 5)
	require.NoError(t, f.cl.Restart(leader))
	t.Logf("after the leader's loss: %+v", rp.r.Stats())

	if !testing.Short() {
		f.killHost(true)
		f.killRelay(rp, false) // a clean stop this time, then CloudEvents again
		rp = f.startRelay(bus.CloudEvents)
		f.waitAcked(5, 60*time.Second)
		f.waitRelayed(rp, 5)
		// The frame stream's leader node: the relay's frames stop, then
		// come from the new leader.
		leader, err := f.cl.WaitStreamLeader(framesStream, 30*time.Second)
		require.NoError(t, err)
		f.cl.Stop(leader)
		f.waitAcked(5, 60*time.Second)
		f.waitRelayed(rp, 5)
		require.NoError(t, f.cl.Restart(leader))
	}
	f.check()

	// The history as ExportLog writes it, and the relay caught up with it.
	nc := f.connect(f.cl.URLs())
	path := filepath.Join(t.TempDir(), "relayed.log")
	var res lockstep.ExportResult
	for range 5 {
		_ = os.Remove(path)
		if res, err = lockstep.ExportLog(nc, f.session, f.content, newWorld, path, ticklog.Options{Setup: systems.CommerceSetup(commerceCfg)}); err == nil {
			break
		}
	}
	require.NoError(t, err)
	require.Eventually(t, func() bool { return rp.stored() >= res.Ticks }, 60*time.Second, time.Millisecond,
		"the relay stored ticks up to %d, the history has %d", rp.stored(), res.Ticks)
	f.killRelay(rp, false)
	assert.Equal(t, res.Ticks, rp.stored(), "the relay published a tick the host did not vouch for")

	want := map[bus.EventID]events.Event{}
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	ticks := 0
	for _, r := range recs {
		if r.Tick == nil {
			continue
		}
		ticks++
		for i, ev := range r.Tick.Events {
			want[bus.EventID{Tick: r.Tick.Tick, Index: uint32(i)}] = ev
		}
	}
	got, dups, encs := streamEvents(t, nc, relayWorld)
	assert.Zero(t, dups, "events stored twice")
	assert.Len(t, got, len(want), "events in the stream and in the history")
	for id, ev := range want {
		g, ok := got[id]
		if !assert.True(t, ok, "event %v of the history is not in the stream", id) {
			break
		}
		if !assert.Equal(t, ev, g, "event %v", id) {
			break
		}
	}
	for id := range got {
		if _, ok := want[id]; !assert.True(t, ok, "event %v in the stream is not in the history", id) {
			break
		}
	}
	assert.Equal(t, 2, len(encs), "both encodings in the stream: %v", encs)
	t.Logf("relayed %d ticks, %d events; encodings %v", ticks, len(got), encs)
}

// streamEvents reads a world's whole event stream: every event by id,
// how many ids came again, and the content types seen.
func streamEvents(t *testing.T, nc *nats.Conn, world string) (map[bus.EventID]events.Event, int, map[string]int) {
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, bus.EventStream(world))
	require.NoError(t, err)
	info, err := st.Info(ctx)
	require.NoError(t, err)
	cons, err := js.OrderedConsumer(ctx, bus.EventStream(world), jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	it, err := cons.Messages()
	require.NoError(t, err)
	defer it.Stop()
	got := map[bus.EventID]events.Event{}
	encs := map[string]int{}
	dups := 0
	var b bus.Batch
	for seq := uint64(0); seq < info.State.LastSeq; {
		m, err := it.Next()
		require.NoError(t, err)
		md, err := m.Metadata()
		require.NoError(t, err)
		seq = md.Sequence.Stream
		require.NoError(t, bus.DecodeMessage(m.Headers(), m.Data(), &b), "message %d", seq)
		encs[m.Headers().Get(bus.HeaderContentType)]++
		for i := range b.Events {
			id := b.ID(i)
			if _, ok := got[id]; ok {
				dups++
			}
			got[id] = b.Events[i]
		}
	}
	return got, dups, encs
}

// finishedSession runs a peerless session of n ticks on one server (a
// forged frame in the middle), closes its host and exports its history.
func finishedSession(t testing.TB, n int) (*cluster, *nats.Conn, string, lockstep.ExportResult) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{SnapshotEvery: 100}, 16)
	c.run(ctx, n/2, nil)
	nc := connect(t, c.box)
	require.NoError(t, nc.Publish("tickecon.session.s1.frames", []byte("forged")))
	require.NoError(t, nc.Flush())
	c.run(ctx, n-n/2, nil)
	c.host.Close()
	path := filepath.Join(t.TempDir(), "s1.log")
	res, err := lockstep.ExportLog(nc, "s1", c.content, newWorld, path, ticklog.Options{Setup: systems.CommerceSetup(commerceCfg)})
	require.NoError(t, err)
	return c, nc, path, res
}

// logEventsByID reads a replay log's events by id.
func logEventsByID(t testing.TB, path string) map[bus.EventID]events.Event {
	_, recs, err := ticklog.ReadAll(path)
	require.NoError(t, err)
	out := map[bus.EventID]events.Event{}
	for _, r := range recs {
		if r.Tick != nil {
			for i, ev := range r.Tick.Events {
				out[bus.EventID{Tick: r.Tick.Tick, Index: uint32(i)}] = ev
			}
		}
	}
	return out
}

// A relay that does not follow publishes every tick the host vouched
// for — the exported history's, event for event — and stops; run again
// it finds nothing new.
func TestRelayOfAFinishedSession(t *testing.T) {
	c, nc, path, res := finishedSession(t, 300)
	run := func() bus.RelayStats {
		src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", NewWorld: newWorld, Content: c.content})
		require.NoError(t, err)
		defer src.Close()
		r, err := bus.NewRelay(nc, bus.RelayConfig{World: "w1", Source: src, Encoding: bus.Binary})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		require.NoError(t, r.Run(ctx))
		assert.Equal(t, 1, src.Skipped(), "the forged frame")
		return r.Stats()
	}
	st := run()
	assert.True(t, st.HasTick)
	assert.Equal(t, res.Ticks-1, st.LastTick, "the last frame waits for the host's checksum, as in the export")
	got, dups, _ := streamEvents(t, nc, "w1")
	assert.Zero(t, dups)
	assert.Equal(t, logEventsByID(t, path), got)

	again := run()
	assert.Equal(t, res.Ticks, again.From)
	assert.Zero(t, again.Messages, "nothing new")
}

// A source whose world is not the session's stops the relay at the first
// tick the host's checksum contradicts, having published none of it.
func TestFrameSourceRefusesAnotherWorld(t *testing.T) {
	c, nc, _, _ := finishedSession(t, 40)
	// A world that mints a coin no frame carries, after tick 10.
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", NewWorld: func() *ecs.World {
		w := newWorld()
		w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
			if r.Tick == 10 {
				w.Command(events.Mint(c.players[0], c.ids.MustID("gold"), 1))
			}
			return nil
		})
		return w
	}})
	require.NoError(t, err)
	defer src.Close()
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: "w2", Source: src})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = r.Run(ctx)
	require.ErrorIs(t, err, bus.ErrPermanent)
	var d *lockstep.DisagreeError
	require.ErrorAs(t, err, &d)
	st := r.Stats()
	assert.Equal(t, uint64(11), d.Tick)
	require.True(t, st.HasTick)
	assert.Equal(t, uint64(10), st.LastTick, "every tick before it, none from it")
}

// Seeking back past the ticks kept starts the world again (from a
// snapshot at or before the tick, or tick 0) and yields the same records.
func TestFrameSourceSeeksBack(t *testing.T) {
	c, nc, path, _ := finishedSession(t, 300)
	want := logEventsByID(t, path)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", NewWorld: newWorld, Content: c.content, Keep: 4})
	require.NoError(t, err)
	defer src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	read := func(from, to uint64) {
		for tick := from; tick < to; tick++ {
			rec, err := src.Next(ctx)
			require.NoError(t, err)
			require.Equal(t, tick, rec.Tick)
			for i, ev := range rec.Events {
				require.Equal(t, want[bus.EventID{Tick: tick, Index: uint32(i)}], ev, "tick %d event %d", tick, i)
			}
		}
	}
	for _, at := range []uint64{250, 240, 248, 120, 5, 299} {
		require.NoError(t, src.Seek(ctx, at))
		read(at, min(at+10, 299))
	}
	_, err = src.Next(ctx)
	require.ErrorIs(t, err, bus.ErrCaughtUp)
}

// A source with other systems differs in its stage checksums from tick
// 0: nothing is published.
func TestFrameSourceRefusesOtherSystemsAtOnce(t *testing.T) {
	_, nc, _, _ := finishedSession(t, 20)
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", NewWorld: coreWorld})
	require.NoError(t, err)
	defer src.Close()
	r, err := bus.NewRelay(nc, bus.RelayConfig{World: "w3", Source: src})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = r.Run(ctx)
	var d *lockstep.DisagreeError
	require.ErrorAs(t, err, &d)
	assert.Zero(t, d.Tick)
	assert.Contains(t, err.Error(), "stages")
	assert.False(t, r.Stats().HasTick, "nothing published")
}

// A standby that starts from a snapshot the host stored just before it
// died (no frame after it) takes over and vouches for the tick before
// with the restored state's checksum: the exported history agrees with
// itself and a relay of the frames goes through the takeover.
func TestTakeoverFromASnapshotVouchesForTheTickBefore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	box := natsbox.ForTest(t)
	content := session.Content(5, 8)
	cfg := func(id string) lockstep.Config {
		return lockstep.Config{Session: "snap", NewWorld: newWorld, Content: content, SnapshotEvery: 20,
			Failover: &lockstep.Failover{ID: id, LeaseTTL: 200 * time.Millisecond}}
	}
	hnc := connect(t, box)
	h, err := lockstep.NewHost(hnc, cfg("h0"))
	require.NoError(t, err)
	for range 40 { // the last Step stores the snapshot of tick 40; no frame 40 follows
		_, err := h.Step(ctx)
		require.NoError(t, err)
	}
	hnc.Close() // dies: no goodbye, the lease lapses

	var committed atomic.Uint64
	r, err := lockstep.NewReplica(connect(t, box), lockstep.ReplicaConfig{Host: func() lockstep.Config {
		c := cfg("r1")
		c.OnCommit = func(tick uint64) { committed.Store(tick) }
		return c
	}(), TickEvery: 5 * time.Millisecond})
	require.NoError(t, err)
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- r.Run(rctx) }()
	require.Eventually(t, func() bool { return committed.Load() >= 60 }, time.Minute, time.Millisecond, "r1 took over and ran on")
	stop()
	<-done

	nc := connect(t, box)
	path := filepath.Join(t.TempDir(), "snap.log")
	res, err := lockstep.ExportLog(nc, "snap", content, newWorld, path, ticklog.Options{})
	require.NoError(t, err)
	assert.Zero(t, res.Disagree, "the takeover's first frame vouches for tick 39 with its checksum")
	src, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "snap", NewWorld: newWorld})
	require.NoError(t, err)
	defer src.Close()
	rl, err := bus.NewRelay(nc, bus.RelayConfig{World: "snap", Source: src})
	require.NoError(t, err)
	require.NoError(t, rl.Run(ctx))
	assert.Equal(t, res.Ticks-1, rl.Stats().LastTick)
}

// BenchmarkRelaySource relays one finished 2000-tick session per op into
// a new world: src=log from its exported replay log (a file on this
// machine), src=frames from its frame stream (FrameSource: the frames
// re-run on a world of the relay's own). Side by side, the ratio is the
// price of a relay that survives losing the host's machine.
//
//	go test ./cluster/lockstep -run '^$' -bench RelaySource -benchtime 5x -count 5
func BenchmarkRelaySource(b *testing.B) {
	c, nc, path, res := finishedSession(b, 2000)
	n := 0
	for _, src := range []string{"log", "frames"} {
		b.Run("src="+src, func(b *testing.B) {
			var events uint64
			for b.Loop() {
				n++
				cfg := bus.RelayConfig{World: fmt.Sprintf("bench%d", n), Log: path, Encoding: bus.Binary}
				if src == "frames" {
					fs, err := lockstep.NewFrameSource(nc, lockstep.FrameSourceConfig{Session: "s1", NewWorld: newWorld, Content: c.content})
					require.NoError(b, err)
					cfg.Log, cfg.Source = "", fs
					defer fs.Close()
				}
				r, err := bus.NewRelay(nc, cfg)
				require.NoError(b, err)
				require.NoError(b, r.Run(context.Background()))
				st := r.Stats()
				require.Equal(b, res.Ticks-1, st.LastTick)
				events += st.Events
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
