package shard_test

import (
	"fmt"
	"os"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Two shards: ann lives on shard 1, the smithy's potions on shard 2. Her
// purchase holds 75 gold on shard 1, sells on shard 2 and posts on shard 1,
// two rounds after the hold.
func ExampleCluster() {
	shared := `"currencies": [{"key": "gold", "name": "Gold"}], "items": [{"key": "potion", "name": "Potion", "max_stack": 10}]`
	one, _ := ecs.ParseContent([]byte(`{` + shared + `, "players": [{"key": "ann", "name": "Ann", "capacity": 4,
		"wallet": [{"currency": "gold", "amount": 1000}]}]}`))
	two, _ := ecs.ParseContent([]byte(`{` + shared + `, "shops": [{"key": "smithy", "name": "Smithy",
		"listings": [{"key": "potions", "item": "potion", "currency": "gold", "price": 25, "stock": 40}]}]}`))
	c, err := shard.NewCluster(shard.Config{HoldTimeout: shard.DefaultHoldTimeout, Commerce: systems.DefaultConfig},
		[]*ecs.Content{one, two}, shard.NewLoopback(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	c.Step() // tick 0 on both: the content
	p, _ := c.Buy("ann", "potions", 3, 1)
	for range 3 {
		c.Step() // hold on 1; sale on 2; post on 1
	}
	a := c.Node(1)
	h, _ := a.Sys.Hold(a.W, p.Hold)
	gold, _ := a.W.Balance(a.IDs.MustID("ann"), a.IDs.MustID("gold"))
	potions, _ := a.W.ItemCount(a.IDs.MustID("ann"), a.IDs.MustID("potion"))
	e, _ := c.Dir.Lookup("potions")
	fmt.Println("listing at", e.Addr, "posted", h.Posted(), "gold", gold, "potions", potions)
	// Output: listing at 2:4 posted true gold 925 potions 3
}

// The process stops after ann moved to shard 2; a new process reopens the
// logs and finds her there: her next purchase from shard 2's smithy is
// local, and her money and potions came with her.
func ExampleOpenCluster() {
	dir, _ := os.MkdirTemp("", "shard-example")
	defer os.RemoveAll(dir)
	shared := `"currencies": [{"key": "gold", "name": "Gold"}], "items": [{"key": "potion", "name": "Potion", "max_stack": 10}]`
	one, err := ecs.ParseContent([]byte(`{` + shared + `, "players": [{"key": "ann", "name": "Ann", "capacity": 4,
		"wallet": [{"currency": "gold", "amount": 1000}], "items": [{"item": "potion", "qty": 2}]}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	two, _ := ecs.ParseContent([]byte(`{` + shared + `, "shops": [{"key": "smithy", "name": "Smithy",
		"listings": [{"key": "potions", "item": "potion", "currency": "gold", "price": 25, "stock": 40}]}]}`))
	c, _ := shard.NewCluster(shard.Config{HoldTimeout: shard.DefaultHoldTimeout, Commerce: systems.DefaultConfig},
		[]*ecs.Content{one, two}, shard.NewLoopback(2))
	if err := c.OpenLogs(dir, ticklog.Options{SyncEvery: 1}); err != nil {
		fmt.Println(err)
		return
	}
	c.Step()
	m, _ := c.Move("ann", 2)
	for !m.Done {
		c.Step() // the handover, then her gold and her potions, then her old self closes
	}
	c.Close() // the process stops

	c, err = shard.OpenCluster(dir, ticklog.Options{SyncEvery: 1}, shard.NewLoopback(2))
	if err != nil {
		fmt.Println(err) // *shard.ConflictError: logs that place her on two shards
		return
	}
	defer c.Close()
	e, _ := c.Dir.Lookup("ann")
	p, _ := c.Buy("ann", "potions", 1, 1)
	c.Step()
	b := c.Node(2)
	gold, _ := b.W.Balance(e.Addr.ID(), b.IDs.MustID("gold"))
	potions, _ := b.W.ItemCount(e.Addr.ID(), b.IDs.MustID("potion"))
	fmt.Println("ann at", e.Addr, "local purchase", p.Hold == 0, "gold", gold, "potions", potions)
	// Output: ann at 2:5 local purchase true gold 975 potions 3
}
