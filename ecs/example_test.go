package ecs_test

import (
	"fmt"
	"os"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// Embedding tickecon in a game loop: load content, step, submit, step.
func Example() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, err := ecs.ParseContent(data)
	if err != nil {
		panic(err)
	}
	w := ecs.New()
	systems.Install(w)
	ids, err := content.Apply(w) // validated whole: tick 0 rejects nothing
	if err != nil {
		panic(err)
	}
	w.Step() // tick 0: the authoring events create the economy

	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1})
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 1})
	rec := w.Step()                 // tick 1: each purchase applied whole, or rejected
	for _, ev := range rec.Events { // read each event through its kind's typed view
		if p, ok := ev.AsPurchaseCompleted(); ok {
			fmt.Println("bought:", p.Qty, "for", p.Total)
		}
		if r, ok := ev.AsPurchaseRejected(); ok {
			fmt.Println("rejected:", r.Qty, r.Reason)
		}
	}
	gold, _ := w.Balance(ids.MustID("alice"), ids.MustID("gold"))
	fmt.Println("alice gold:", gold)
	// Output:
	// bought: 3 for 750
	// rejected: 2 InsufficientFunds
	// alice gold: 250
}
