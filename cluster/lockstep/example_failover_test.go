package lockstep_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/session"
)

// Two replicas of a server-authoritative world: r0 hosts, r1 stands by
// holding the whole world; when r0 stops, r1 hosts from the next tick.
// (On a 3-node cluster, natsbox.StartCluster, set Replicas: 3.)
func ExampleReplica() {
	dir, _ := os.MkdirTemp("", "lockstep-replica-")
	defer os.RemoveAll(dir)
	box, err := natsbox.Start(natsbox.Options{StoreDir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer box.Shutdown()
	start := func(id string) (*lockstep.Replica, context.CancelFunc, chan error) {
		nc, _ := nats.Connect(box.URL())
		r, err := lockstep.NewReplica(nc, lockstep.ReplicaConfig{
			Host: lockstep.Config{Session: "world1", NewWorld: newWorld, Content: session.Content(1, 4),
				Failover: &lockstep.Failover{ID: id}},
			TickEvery: 10 * time.Millisecond,
		})
		if err != nil {
			panic(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Run(ctx); nc.Close() }()
		return r, cancel, done
	}
	wait := func(cond func() bool) {
		for deadline := time.Now().Add(30 * time.Second); !cond() && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
	}
	r0, stop0, done0 := start("r0")
	wait(r0.IsHost)
	r1, stop1, done1 := start("r1")
	fmt.Println("r0 hosts:", r0.IsHost(), "r1 hosts:", r1.IsHost())
	stop0() // a clean stop hands the lease over at once; a crash waits LeaseTTL
	<-done0
	wait(r1.IsHost)
	fmt.Println("r1 hosts:", r1.IsHost(), "takeovers:", r1.Stats().Takeovers)
	stop1()
	<-done1
	// Output:
	// r0 hosts: true r1 hosts: false
	// r1 hosts: true takeovers: 1
}
