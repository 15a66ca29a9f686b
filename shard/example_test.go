package shard_test

import (
	"fmt"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
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
