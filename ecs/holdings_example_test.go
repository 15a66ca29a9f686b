package ecs_test

import (
	"fmt"
	"os"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// Buy, then read the new balance, the items held and the whole holdings.
func ExampleWorld_Balance() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	ids, _ := content.Apply(w)
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1})
	w.Step()

	gold, _ := w.Balance(ids.MustID("alice"), ids.MustID("gold"))
	potions, _ := w.ItemCount(ids.MustID("alice"), ids.MustID("potion"))
	fmt.Println("gold:", gold, "potions:", potions)
	held, _ := w.Holdings(ids.MustID("alice"), nil)
	fmt.Println(held)
	_, err := w.Balance(ids.MustID("alice"), ids.MustID("potion"))
	fmt.Println(err)
	// Output:
	// gold: 250 potions: 3
	// [money 1: 250 money 2: 5 items 3: 3]
	// ecs: id 3: not a currency
}

// Conservation: what the world holds equals what the event log minted and
// granted minus what it burned, after every tick.
func ExampleLedger() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	ids, _ := content.Apply(w)
	ledger := ecs.NewLedger(w)
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { ledger.Record(r); return nil })
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1})
	w.Step()

	fmt.Println("conserved:", ledger.Check(w) == nil)
	supply := w.Supply()
	fmt.Println("gold:", supply.MoneyOf(ids.MustID("gold")), "potions:", supply.ItemsOf(ids.MustID("potion")))
	// Output:
	// conserved: true
	// gold: 1300 potions: 40
}
