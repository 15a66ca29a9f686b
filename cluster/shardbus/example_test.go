package shardbus_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/cluster/shardbus"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Example runs a two-shard economy whose messages travel over an embedded
// JetStream server: a player on shard 1 buys from a shop on shard 2, the
// purchase completes across the shards, and the audit of the two logs
// balances.
func Example() {
	dir, _ := os.MkdirTemp("", "shardbus-example")
	defer os.RemoveAll(dir)
	box, err := natsbox.Start(natsbox.Options{StoreDir: filepath.Join(dir, "jetstream")})
	if err != nil {
		panic(err)
	}
	defer box.Shutdown()
	nc, err := nats.Connect(box.URL())
	if err != nil {
		panic(err)
	}
	defer nc.Close()

	// Every shard lists the same currencies and items; shops and players
	// live on one shard each.
	var contents []*ecs.Content
	for n := 1; n <= 2; n++ {
		c, err := ecs.ParseContent(fmt.Appendf(nil, `{"currencies": [{"key": "gold", "name": "Gold"}],
		"items": [{"key": "potion", "name": "Potion", "max_stack": 10}],
		"shops": [{"key": "shop%d", "name": "Shop", "listings": [{"key": "potions%d", "item": "potion", "currency": "gold", "price": 25, "stock": 9}]}],
		"players": [{"key": "player%d", "name": "Player", "capacity": 4, "wallet": [{"currency": "gold", "amount": 1000}]}]}`, n, n, n))
		if err != nil {
			panic(err)
		}
		contents = append(contents, c)
	}

	ctx := context.Background()
	tr, err := shardbus.New(ctx, nc, "econ", 2, bus.StreamsConfig{})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	c, err := shard.NewCluster(shard.Config{HoldTimeout: shard.DefaultHoldTimeout, Commerce: systems.DefaultConfig}, contents, tr)
	if err != nil {
		panic(err)
	}
	if err := c.OpenLogs(filepath.Join(dir, "logs"), ticklog.Options{SyncEvery: 1}); err != nil {
		panic(err) // each shard's inbox starts with its log
	}
	if err := c.Step(); err != nil { // round 0 applies each shard's content
		panic(err)
	}
	p, err := c.Buy("player1", "potions2", 3, 1)
	if err != nil {
		panic(err)
	}

	// Messages arrive asynchronously over the broker: step rounds until the
	// hold on the buyer's shard has ended (the deadline only bounds a hang).
	buyer := c.Node(1)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if err := c.Step(); err != nil {
			panic(err)
		}
		if h, _ := buyer.Sys.Hold(buyer.W, p.Hold); !h.Pending() {
			break
		}
		time.Sleep(time.Millisecond)
	}
	h, _ := buyer.Sys.Hold(buyer.W, p.Hold)
	fmt.Println("posted:", h.Posted())
	if err := c.Close(); err != nil {
		panic(err)
	}

	rep, err := shard.Audit([]string{c.Node(1).Path, c.Node(2).Path})
	if err != nil {
		panic(err)
	}
	fmt.Println("completed:", rep.Completed, "in flight:", len(rep.InFlight))
	for _, b := range rep.Items {
		fmt.Printf("%s: %v held, %v issued\n", b.Name, b.Held, b.Issued)
	}
	// Output:
	// posted: true
	// completed: 1 in flight: 0
	// Potion: 18 held, 18 issued
}
