package ecs_test

import (
	"fmt"
	"os"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// newShop is the example shop (testdata/shop.json) after tick 0.
func newShop() (*ecs.World, ecs.IDs) {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	ids, _ := content.Apply(w)
	w.Step()
	return w, ids
}

// A newcomer's first purchase: buy, then show the new balance and the
// purchase's outcome (its PurchaseCompleted event, read through its typed
// view) — not the commerce Receipt entity, which only the commerce systems
// issue (ReceiptIssued).
func Example_buy() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	ids, _ := content.Apply(w)
	w.Step() // tick 0: the shop exists

	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1})
	rec := w.Step() // tick 1: bought whole, or rejected with a reason
	ev, _ := rec.IntentOutcome(ids.MustID("alice"), 1)
	if p, ok := ev.AsPurchaseCompleted(); ok {
		fmt.Printf("bought: %d potions for %d gold cents (tick %d)\n", p.Qty, p.Total, ev.Tick)
	}
	gold, _ := w.Balance(ids.MustID("alice"), ids.MustID("gold"))
	fmt.Println("alice's gold:", gold)
	// Output:
	// bought: 3 potions for 750 gold cents (tick 1)
	// alice's gold: 250
}

// Commands are built with the events constructors. Command returns a
// ticket: the id of what it creates, and the number every event it causes
// carries, so the caller finds its outcome — done or refused — in the tick.
func ExampleWorld_Command() {
	w, ids := newShop()
	elixir := w.Command(events.DefineItem("Elixir", 5)) // a creating command: its ID is the new item
	mint := w.Command(events.Mint(ids.MustID("bob"), ids.MustID("gold"), 700))
	overdraw := w.Command(events.Burn(ids.MustID("bob"), ids.MustID("gold"), 5000)) // more than bob holds
	rec := w.Step()

	if ev, ok := rec.Outcome(elixir); ok {
		d, _ := ev.AsItemDefined()
		fmt.Println("defined:", d.Name, "id", d.Item == elixir.ID)
	}
	if ev, ok := rec.Outcome(mint); ok {
		m, _ := ev.AsMinted()
		fmt.Println("minted:", m.Amount)
	}
	if ev, ok := rec.Outcome(overdraw); ok {
		r, _ := ev.AsCommandRejected()
		fmt.Println("refused:", r.Command, r.Reason)
	}
	// Output:
	// defined: Elixir id true
	// minted: 700
	// refused: Burned InsufficientHoldings
}

// Submit queues a purchase intent for the next Step. Intents never fail
// on submission: the tick applies each whole or rejects it with a reason,
// in a fixed order whatever the submission order.
func ExampleWorld_Submit() {
	w, ids := newShop()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 7})
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("swords"), Quantity: 1, RequestID: 1})
	rec := w.Step()
	for _, ev := range rec.Events { // alice (the lower id) first
		if p, ok := ev.AsPurchaseCompleted(); ok {
			fmt.Println("completed: buyer", p.Buyer == ids.MustID("alice"), "request", p.Request)
		}
		if r, ok := ev.AsPurchaseRejected(); ok {
			fmt.Println("rejected: request", r.Request, r.Reason)
		}
	}
	// Output:
	// completed: buyer true request 1
	// rejected: request 7 InsufficientFunds
}

// Step runs one tick — commands, then systems, then the checksum — and
// returns its record: inputs, events and checksum. Call it once per game
// frame (ebiten's Update); an idle tick costs almost nothing.
func ExampleWorld_Step() {
	w, ids := newShop()
	w.Command(events.Grant(ids.MustID("potions"), ids.MustID("potion"), 10)) // a restock
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 1})
	rec := w.Step()
	fmt.Println("tick", rec.Tick, "commands", len(rec.Commands), "intents", len(rec.Intents), "events", len(rec.Events))
	fmt.Println("checksum is the full one:", rec.Checksum == w.FullChecksum())
	idle := w.Step()
	fmt.Println("idle tick", idle.Tick, "events", len(idle.Events), "same state:", idle.Checksum == rec.Checksum)
	// Output:
	// tick 1 commands 1 intents 1 events 2
	// checksum is the full one: true
	// idle tick 2 events 0 same state: true
}

// A snapshot is the whole state between two ticks; a world with the same
// systems restored from it goes on exactly as the original.
func ExampleWorld_TakeSnapshot() {
	w, ids := newShop()
	snap, _ := w.TakeSnapshot()

	restored := ecs.New()
	systems.Install(restored) // the same systems as the original
	if err := restored.Restore(snap); err != nil {
		panic(err)
	}
	for _, x := range []*ecs.World{w, restored} {
		x.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 1})
	}
	a, b := w.Step(), restored.Step()
	fmt.Println("same events:", fmt.Sprint(a.Events) == fmt.Sprint(b.Events), "same checksum:", a.Checksum == b.Checksum)
	gold, _ := restored.Balance(ids.MustID("alice"), ids.MustID("gold"))
	fmt.Println("alice's gold in the restored world:", gold)
	// Output:
	// same events: true same checksum: true
	// alice's gold in the restored world: 500
}
