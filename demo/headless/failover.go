package main

// -host -cluster N: watch a replicated world survive the loss of its host.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// failoverOptions are the -cluster demo's settings.
type failoverOptions struct {
	Nodes     int           // -cluster: nodes of the embedded JetStream cluster
	Kills     int           // -kills: hosts to kill before the summary
	KillEvery time.Duration // -kill-every
	Seed      uint64
}

// failoverConfig is the demo world's commerce configuration.
var failoverConfig = systems.Config{IdempotencyWindow: 30, SettlementEvery: 25, SagaTimeout: 8}

// failoverSetup is failoverWorld's setup: the session records it, so a
// relay given another -setup is refused before it publishes a tick.
var failoverSetup = systems.CommerceSetup(failoverConfig)

func failoverWorld() *ecs.World {
	w := ecs.New()
	systems.InstallCommerce(w, failoverConfig)
	return w
}

// failoverMain runs a replicated world on an N-node cluster in this
// process: three replicas (one hosts, two stand by), a client buying with
// Peer.Commit, and a kill of the host every KillEvery. It prints what
// happens and, at the end, the failover times and whether every purchase
// the client was told is committed is in the history.
func failoverMain(o failoverOptions, out, errOut io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := runFailover(ctx, o, out)
	if errors.Is(err, context.Canceled) { // Ctrl-C before the first kill
		fmt.Fprintln(out, "interrupted while starting: stopped the replicas and the cluster")
		return 0
	}
	if err != nil {
		fmt.Fprintln(errOut, "demo:", err)
		return 1
	}
	return 0
}

type demoReplica struct {
	id     string
	nc     *nats.Conn
	r      *lockstep.Replica
	cancel context.CancelFunc
	done   chan struct{}
	first  atomic.Int64 // first commit of its current term (unix ns)
}

func runFailover(ctx context.Context, o failoverOptions, out io.Writer) error {
	dir, err := os.MkdirTemp("", "tickecon-failover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(out, "starting a %d-node JetStream cluster (sync: %s) in %s\n", o.Nodes, natsbox.SyncAlways, dir)
	cl, err := natsbox.StartCluster(natsbox.ClusterOptions{Nodes: o.Nodes, Dir: dir})
	if err != nil {
		return err
	}
	defer cl.Shutdown()
	setup, _ := json.Marshal(failoverSetup) // plain integers: cannot fail
	fmt.Fprintf(out, "relay its events from another terminal (any machine that reaches the cluster), across every failover:\n  go run ./cmd/tickecon-relay -url %s -session failover -setup '%s' -replicas %d -follow\n",
		cl.URLs(), setup, min(3, o.Nodes))
	content := session.Content(o.Seed, 8)
	probe := ecs.New()
	ids, err := content.Apply(probe)
	if err != nil {
		return err
	}
	var players, listings []components.ID
	for _, p := range content.Players {
		players = append(players, ids.MustID(p.Key))
	}
	for _, s := range content.Shops {
		for _, l := range s.Listings {
			listings = append(listings, ids.MustID(l.Key))
		}
	}
	replicas := min(3, o.Nodes)
	var mu sync.Mutex
	reps := map[string]*demoReplica{}
	start := func(id string) error {
		nc, err := nats.Connect(cl.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
		if err != nil {
			return err
		}
		d := &demoReplica{id: id, nc: nc, done: make(chan struct{})}
		r, err := lockstep.NewReplica(nc, lockstep.ReplicaConfig{
			Host: lockstep.Config{Session: "failover", NewWorld: failoverWorld, Setup: &failoverSetup, Content: content, Replicas: replicas,
				SnapshotEvery: 100, PeerTimeout: time.Second,
				Failover: &lockstep.Failover{ID: id, LeaseTTL: 300 * time.Millisecond},
				OnCommit: func(uint64) {
					if d.first.Load() == 0 {
						d.first.Store(time.Now().UnixNano())
					}
				}},
			TickEvery: 20 * time.Millisecond,
			OnHost: func(h *lockstep.Host) {
				d.first.Store(0)
				h.Allow("client", players...)
				fmt.Fprintf(out, "  %s now hosts, from tick %d\n", id, h.World().NextTick())
			}})
		if err != nil {
			nc.Close()
			return err
		}
		rctx, cancel := context.WithCancel(ctx)
		d.r, d.cancel = r, cancel
		go func() { defer close(d.done); _ = r.Run(rctx) }()
		mu.Lock()
		reps[id] = d
		mu.Unlock()
		return nil
	}
	for i := range replicas {
		if err := start(fmt.Sprintf("r%d", i)); err != nil {
			return err
		}
	}
	hostNow := func() *demoReplica {
		mu.Lock()
		defer mu.Unlock()
		for _, d := range reps {
			if d.r.IsHost() && d.first.Load() != 0 {
				return d
			}
		}
		return nil
	}
	waitHost := func(what string) (*demoReplica, error) {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		deadline := time.After(60 * time.Second)
		for {
			if d := hostNow(); d != nil {
				return d, nil
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-deadline:
				return nil, errors.New("no replica hosts after 60 s: " + what)
			case <-t.C:
			}
		}
	}
	if _, err := waitHost("at start"); err != nil {
		return err
	}

	// The client: buys one unit at a time, each purchase committed.
	cnc, err := nats.Connect(cl.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	if err != nil {
		return err
	}
	defer cnc.Close()
	var tick atomic.Uint64
	client, err := lockstep.Join(cnc, lockstep.PeerConfig{Session: "failover", ID: "client", NewWorld: failoverWorld,
		OnTick: func(_ *ecs.World, r *ecs.TickRecord) { tick.Store(r.Tick) },
		OnEvent: func(e lockstep.PeerEvent) {
			if e.Kind == lockstep.EventHostChanged {
				fmt.Fprintf(out, "  client: %s\n", e)
			}
		}})
	if err != nil {
		return err
	}
	defer client.Close()
	var committed atomic.Int64
	cctx, stopClient := context.WithCancel(ctx)
	defer stopClient()
	clientDone := make(chan struct{})
	go func() {
		defer close(clientDone)
		for req := uint64(1); cctx.Err() == nil; req++ {
			in := components.PurchaseIntent{Buyer: players[int(req)%len(players)], Listing: listings[int(req)%len(listings)], Quantity: 1, RequestID: req}
			if _, err := client.Commit(cctx, []components.PurchaseIntent{in}); err == nil {
				committed.Add(1)
			}
		}
	}()

	var times []time.Duration
kills:
	for k := 0; k < o.Kills; k++ {
		select {
		case <-ctx.Done():
			break kills
		case <-time.After(o.KillEvery):
		}
		old := hostNow()
		if old == nil {
			continue
		}
		fmt.Fprintf(out, "tick %d, %d purchases committed: killing the host %s (its connection drops, no goodbye)\n", tick.Load(), committed.Load(), old.id)
		at := time.Now()
		old.nc.Close()
		old.cancel()
		<-old.done
		mu.Lock()
		delete(reps, old.id)
		mu.Unlock()
		next, err := waitHost("after a kill")
		if errors.Is(err, context.Canceled) {
			break
		}
		if err != nil {
			return err
		}
		d := time.Duration(next.first.Load() - at.UnixNano())
		times = append(times, d)
		fmt.Fprintf(out, "  %s committed its first tick %s after the kill\n", next.id, d.Round(time.Millisecond))
		if err := start(old.id); err != nil { // the machine comes back: it stands by
			return err
		}
	}
	stopClient()
	<-clientDone
	if ctx.Err() != nil { // Ctrl-C: say so, and what ran until then
		fmt.Fprintf(out, "interrupted at tick %d: stopping the replicas and the cluster\n", tick.Load())
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	if len(times) > 0 {
		fmt.Fprintf(out, "%d kills: failover median %s, worst %s; %d purchases committed (this demo does not check the history: TestFailoverKillTheHostUnderLoad's checker finds each exactly once)\n",
			len(times), times[len(times)/2].Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond), committed.Load())
	} else {
		fmt.Fprintf(out, "no kills; %d purchases committed\n", committed.Load())
	}
	mu.Lock()
	for _, d := range reps {
		d.cancel()
	}
	mu.Unlock()
	for _, d := range reps {
		<-d.done
		d.nc.Close()
	}
	return nil
}
