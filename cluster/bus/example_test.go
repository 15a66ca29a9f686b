package bus_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/ticklog"
)

// Example relays a recorded session into an embedded JetStream server and
// keeps a projection from the stream: every player's purchase history.
func Example() {
	dir, _ := os.MkdirTemp("", "bus-example")
	defer os.RemoveAll(dir)

	// A short session recorded to a replay log: the outbox.
	content := session.Content(1, 10)
	s, err := session.New(1, content)
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, "shop.log")
	lw, err := ticklog.Create(path, content, ticklog.Options{})
	if err != nil {
		panic(err)
	}
	lw.Record(s.World)
	for range 100 {
		s.Step(5)
	}
	if err := lw.Close(); err != nil {
		panic(err)
	}

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

	relay, err := bus.NewRelay(nc, bus.RelayConfig{World: "shop", Log: path})
	if err != nil {
		panic(err)
	}
	if err := relay.Run(context.Background()); err != nil {
		panic(err)
	}
	total := relay.Stats().Events

	// A service elsewhere: a durable consumer feeding the projection.
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	history := bus.NewPurchaseHistory()
	c, err := bus.NewConsumer(ctx, nc, bus.ConsumerConfig{World: "shop", Durable: "history"})
	if err != nil {
		panic(err)
	}
	var seen uint64
	err = c.Run(ctx, func(ctx context.Context, b *bus.Batch) error {
		seen += uint64(len(b.Events))
		if seen == total {
			stop() // caught up with everything the relay published
		}
		return history.Handle(ctx, b)
	})
	if err != nil {
		panic(err)
	}
	players := history.Players()
	p := players[0]
	h := history.History(p)
	fmt.Printf("%d players bought; player %d: %d purchases, the first at tick %d: %d× item %d for %d\n",
		len(players), p, len(h), h[0].ID.Tick, h[0].Qty, h[0].Item, h[0].Amount)
	// Output: 10 players bought; player 26: 16 purchases, the first at tick 2: 2× item 5 for 164
}
