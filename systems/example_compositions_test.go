package systems_test

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

const exampleContent = `{
  "currencies": [{"key": "gold", "name": "Gold"}],
  "items": [{"key": "potion", "name": "Potion", "max_stack": 10}, {"key": "sword", "name": "Sword", "max_stack": 1}],
  "shops": [{"key": "smithy", "name": "Smithy", "listings": [
    {"key": "potions", "item": "potion", "currency": "gold", "price": 30, "stock": 9},
    {"key": "swords", "item": "sword", "currency": "gold", "price": 100, "stock": 1}]}],
  "players": [
    {"key": "ann", "name": "Ann", "capacity": 3, "wallet": [{"currency": "gold", "amount": 200}]},
    {"key": "ben", "name": "Ben", "capacity": 3, "items": [{"item": "sword", "qty": 1}]}]}`

// newExampleWorld is a commerce world after tick 0 (content) with a 4-tick day.
func newExampleWorld() (*ecs.World, *systems.Commerce, ecs.IDs) {
	content, err := ecs.ParseContent([]byte(exampleContent))
	if err != nil {
		panic(err)
	}
	w := ecs.New()
	com := systems.InstallCommerce(w, systems.Config{IdempotencyWindow: 60, SettlementEvery: 4, SagaTimeout: 5})
	ids, _ := content.Apply(w)
	w.Step()
	return w, com, ids
}

func printEvents(rec *ecs.TickRecord) {
	for _, ev := range rec.Events {
		fmt.Printf("t%d %v %v qty=%d amount=%d\n", ev.Tick, ev.Kind, ev.Reason, ev.Qty, ev.Amount)
	}
}

func gold(w *ecs.World, ids ecs.IDs, who string) int64 {
	n, _ := w.Balance(ids[who], ids["gold"])
	return n
}

// A customer Account billed at the end of the day, and a Package (a parcel
// entity) that receives the goods: the same shop, another composition.
func ExampleInstallCommerce_accountAndPackage() {
	w, com, ids := newExampleWorld()
	account := w.Command(events.Event{Kind: events.AccountOpened, Object: ids["ann"], Amount: 1000}) // credit line
	parcel := w.Command(events.Event{Kind: events.PackageOpened, Object: ids["ann"]})
	w.Step() // tick 1

	w.Submit(components.PurchaseIntent{Buyer: ids["ann"], Listing: ids["potions"], Quantity: 2, RequestID: 1,
		PayVia: account, ShipTo: parcel})
	printEvents(w.Step()) // tick 2: charged, not paid; goods in the parcel
	fmt.Println("ann's gold:", gold(w, ids, "ann"))
	printEvents(w.Step()) // tick 3: end of day: the account is billed
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "smithy's gold:", gold(w, ids, "smithy"))
	pe, _ := w.Lookup(parcel)
	fmt.Println("potions in the parcel:", com.Maps.Package.Get(pe).Count(ids["potion"]))
	// Output:
	// t2 AccountCharged None qty=0 amount=60
	// t2 PurchaseCompleted None qty=2 amount=60
	// t2 ReceiptIssued None qty=1 amount=60
	// ann's gold: 200
	// t3 AccountSettled None qty=0 amount=60
	// ann's gold: 140 smithy's gold: 60
	// potions in the parcel: 2
}

// A cart is checked out whole or not at all, and once only.
func ExampleInstallCommerce_cart() {
	w, _, ids := newExampleWorld()
	cart := w.Command(events.Event{Kind: events.CartOpened, Object: ids["ann"]})
	w.Command(events.Event{Kind: events.CartLineAdded, Subject: cart, Object: ids["potions"], Qty: 2})
	w.Command(events.Event{Kind: events.CartLineAdded, Subject: cart, Object: ids["swords"], Qty: 1})
	w.Step()

	w.Submit(components.PurchaseIntent{Buyer: ids["ann"], Cart: cart, RequestID: 1})
	printEvents(w.Step())
	w.Submit(components.PurchaseIntent{Buyer: ids["ann"], Cart: cart, RequestID: 2})
	printEvents(w.Step())
	// Output:
	// t2 PurchaseCompleted None qty=2 amount=60
	// t2 PurchaseCompleted None qty=1 amount=100
	// t2 ReceiptIssued None qty=2 amount=160
	// t2 CartCheckedOut None qty=0 amount=0
	// t3 PurchaseRejected CartCheckedOut qty=0 amount=0
}

// A coupon pays part of the price; the wallet pays the rest.
func ExampleInstallCommerce_coupon() {
	w, _, ids := newExampleWorld()
	w.Command(events.Event{Kind: events.Minted, Subject: ids["smithy"], Currency: ids["gold"], Amount: 50})
	coupon := w.Command(events.Event{Kind: events.CouponIssued, Object: ids["ann"], Till: ids["smithy"],
		Currency: ids["gold"], Amount: 50}) // funded by the smithy's till
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids["ann"], Listing: ids["swords"], Quantity: 1, RequestID: 1, Coupon: coupon})
	printEvents(w.Step())
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "smithy's gold:", gold(w, ids, "smithy"))
	// Output:
	// t2 CouponRedeemed None qty=0 amount=50
	// t2 PurchaseCompleted None qty=1 amount=100
	// t2 ReceiptIssued None qty=1 amount=100
	// ann's gold: 150 smithy's gold: 100
}

// A player-to-player trade: both accept, then everything moves at once.
func ExampleInstallCommerce_trade() {
	w, _, ids := newExampleWorld()
	trade := w.Command(events.Event{Kind: events.TradeOpened, Object: ids["ann"], Till: ids["ben"]})
	w.Command(events.Event{Kind: events.TradeOffered, Subject: trade, Object: ids["ann"], Currency: ids["gold"], Amount: 120})
	w.Command(events.Event{Kind: events.TradeOffered, Subject: trade, Object: ids["ben"], Item: ids["sword"], Qty: 1})
	w.Command(events.Event{Kind: events.TradeAccepted, Subject: trade, Object: ids["ben"]})
	w.Command(events.Event{Kind: events.TradeAccepted, Subject: trade, Object: ids["ann"]})
	for _, ev := range w.Step().Events {
		if ev.Kind == events.TradeMoved || ev.Kind == events.TradeCompleted {
			fmt.Println(ev.Kind, ev.Qty, ev.Amount)
		}
	}
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "ben's gold:", gold(w, ids, "ben"))
	// Output:
	// TradeMoved 0 120
	// TradeMoved 1 0
	// TradeCompleted 0 0
	// ann's gold: 80 ben's gold: 120
}

// A purchase paid by an external provider and handed to a carrier: the
// record holds the goods until both confirm; a refusal undoes it.
func ExampleInstallCommerce_saga() {
	w, _, ids := newExampleWorld()
	w.Submit(components.PurchaseIntent{Buyer: ids["ann"], Listing: ids["swords"], Quantity: 1, RequestID: 1, Saga: true})
	rec := w.Step()
	record := rec.Events[0].Subject
	printEvents(rec)
	w.Command(events.Event{Kind: events.PaymentConfirmed, Subject: record, Request: 555, Amount: 100})
	printEvents(w.Step())
	w.Command(events.Event{Kind: events.DeliveryRefused, Subject: record, Request: 9})
	printEvents(w.Step())
	le, _ := w.Lookup(ids["swords"])
	fmt.Println("swords in stock:", w.Maps.Listing.Get(le).Stock)
	// Output:
	// t1 SagaStarted None qty=1 amount=100
	// t2 PaymentConfirmed None qty=0 amount=100
	// t2 Minted None qty=0 amount=100
	// t3 DeliveryRefused None qty=0 amount=0
	// t3 Burned None qty=0 amount=100
	// t3 SagaCompensated Refused qty=1 amount=100
	// swords in stock: 1
}
