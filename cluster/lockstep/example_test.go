package lockstep_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
)

// A host and one peer on an embedded server: the peer buys for its player,
// the host restocks, and the host checks the peer's checksum every tick.
func Example() {
	dir, _ := os.MkdirTemp("", "lockstep-example-")
	defer os.RemoveAll(dir)
	box, err := natsbox.Start(natsbox.Options{StoreDir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer box.Shutdown()
	ctx := context.Background()
	content := session.Content(1, 4)
	probe := ecs.New()
	ids, _ := content.Apply(probe)

	hc, _ := nats.Connect(box.URL())
	defer hc.Close()
	host, err := lockstep.NewHost(hc, lockstep.Config{Session: "shop1", NewWorld: newWorld, Content: content})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer host.Close()
	host.Allow("ann", ids.MustID("p0"))

	pc, _ := nats.Connect(box.URL())
	defer pc.Close()
	peer, err := lockstep.Join(pc, lockstep.PeerConfig{Session: "shop1", ID: "ann", NewWorld: newWorld})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer peer.Close()
	_ = host.WaitPeers(ctx, 1)

	// Peers' inputs are stamped when the host polls them; a refused one
	// says why.
	refused := make(chan error, 1)
	go func() {
		_, err := peer.Submit([]components.PurchaseIntent{{Buyer: ids.MustID("p1"), Listing: ids.MustID("shop0-l0"), Quantity: 1, RequestID: 1}}, nil)
		refused <- err
	}()
	for range 20 {
		host.Command(events.Grant(ids.MustID("shop0-l0"), ids.MustID("item0"), 1))
		if _, err := host.Step(ctx); err != nil {
			fmt.Println(err)
			return
		}
		time.Sleep(time.Millisecond)
	}
	var answer error
	for answered := false; !answered || host.Stats().Verified < 20; { // the host answers as it polls
		host.Poll()
		select {
		case answer = <-refused:
			answered = true
		case <-time.After(time.Millisecond):
		}
	}
	fmt.Println(answer)
	st := host.Stats()
	fmt.Printf("%d ticks, %d peer checksums verified, %d desyncs\n", st.Ticks, st.Verified, st.Mismatches)
	// Output:
	// lockstep: refused: intent for player 27, not one of ann's
	// 20 ticks, 20 peer checksums verified, 0 desyncs
}
