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
	ids, err := content.Apply(w) // validated whole: tick 0 rejects nothing
	if err != nil {
		panic(err)
	}
	w.Step()
	return w, com, ids
}

func printEvents(rec *ecs.TickRecord) {
	for _, ev := range rec.Events {
		fmt.Println(ev) // Event.String names each field as its typed view does
	}
}

func gold(w *ecs.World, ids ecs.IDs, who string) int64 {
	n, _ := w.Balance(ids.MustID(who), ids.MustID("gold"))
	return n
}

// A customer Account billed at the end of the day, and a Package (a parcel
// entity) that receives the goods: the same shop, another composition.
func ExampleInstallCommerce_accountAndPackage() {
	w, com, ids := newExampleWorld()
	account := w.Command(events.OpenAccount(ids.MustID("ann"), 1000)).ID // credit line
	parcel := w.Command(events.OpenPackage(ids.MustID("ann"))).ID
	w.Step() // tick 1

	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("ann"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 1,
		PayVia: account, ShipTo: parcel})
	printEvents(w.Step()) // tick 2: charged, not paid; goods in the parcel
	fmt.Println("ann's gold:", gold(w, ids, "ann"))
	printEvents(w.Step()) // tick 3: end of day: the account is billed
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "smithy's gold:", gold(w, ids, "smithy"))
	pe, _ := w.Lookup(parcel)
	fmt.Println("potions in the parcel:", com.Maps.Package.Get(pe).Count(ids.MustID("potion")))
	// Output:
	// t2 AccountCharged Account=9 Buyer=7 Till=4 Currency=1 Amount=60 Request=1
	// t2 PurchaseCompleted Buyer=7 Listing=5 Till=4 Item=2 Currency=1 Qty=2 Total=60 Request=1
	// t2 ReceiptIssued Receipt=11 Buyer=7 For=5 Total=60 Lines=1 Request=1
	// ann's gold: 200
	// t3 AccountSettled Account=9 Holder=7 Till=4 Currency=1 Paid=60
	// ann's gold: 140 smithy's gold: 60
	// potions in the parcel: 2
}

// A cart is checked out whole or not at all, and once only.
func ExampleInstallCommerce_cart() {
	w, _, ids := newExampleWorld()
	cart := w.Command(events.OpenCart(ids.MustID("ann"))).ID
	w.Command(events.AddCartLine(cart, ids.MustID("potions"), 2))
	w.Command(events.AddCartLine(cart, ids.MustID("swords"), 1))
	w.Step()

	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("ann"), Cart: cart, RequestID: 1})
	printEvents(w.Step())
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("ann"), Cart: cart, RequestID: 2})
	printEvents(w.Step())
	// Output:
	// t2 PurchaseCompleted Buyer=7 Listing=5 Till=4 Item=2 Currency=1 Qty=2 Total=60 Request=1
	// t2 PurchaseCompleted Buyer=7 Listing=6 Till=4 Item=3 Currency=1 Qty=1 Total=100 Request=1
	// t2 ReceiptIssued Receipt=10 Buyer=7 For=9 Total=160 Lines=2 Request=1
	// t2 CartCheckedOut Cart=9 Buyer=7 Receipt=10 Request=1
	// t3 PurchaseRejected Buyer=7 Cart=9 Request=2 Reason=CartCheckedOut
}

// A coupon pays part of the price; the wallet pays the rest.
func ExampleInstallCommerce_coupon() {
	w, _, ids := newExampleWorld()
	w.Command(events.Mint(ids.MustID("smithy"), ids.MustID("gold"), 50))
	coupon := w.Command(events.IssueCoupon(ids.MustID("smithy"), ids.MustID("ann"), ids.MustID("gold"), 50)).ID // funded by the smithy's till
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("ann"), Listing: ids.MustID("swords"), Quantity: 1, RequestID: 1, Coupon: coupon})
	printEvents(w.Step())
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "smithy's gold:", gold(w, ids, "smithy"))
	// Output:
	// t2 CouponRedeemed Coupon=9 Buyer=7 Issuer=4 Currency=1 Used=50 Request=1
	// t2 PurchaseCompleted Buyer=7 Listing=6 Till=4 Item=3 Currency=1 Qty=1 Total=100 Request=1
	// t2 ReceiptIssued Receipt=10 Buyer=7 For=6 Total=100 Lines=1 Request=1
	// ann's gold: 150 smithy's gold: 100
}

// A player-to-player trade: both accept, then everything moves at once.
func ExampleInstallCommerce_trade() {
	w, _, ids := newExampleWorld()
	trade := w.Command(events.OpenTrade(ids.MustID("ann"), ids.MustID("ben"))).ID
	w.Command(events.OfferMoney(trade, ids.MustID("ann"), ids.MustID("gold"), 120))
	w.Command(events.OfferItems(trade, ids.MustID("ben"), ids.MustID("sword"), 1))
	w.Command(events.AcceptTrade(trade, ids.MustID("ben")))
	w.Command(events.AcceptTrade(trade, ids.MustID("ann")))
	for _, ev := range w.Step().Events {
		if m, ok := ev.AsTradeMoved(); ok {
			fmt.Println("moved", m.From, "→", m.To, "items:", m.Qty, "gold:", m.Amount)
		}
		if _, ok := ev.AsTradeCompleted(); ok {
			fmt.Println("trade completed")
		}
	}
	fmt.Println("ann's gold:", gold(w, ids, "ann"), "ben's gold:", gold(w, ids, "ben"))
	// Output:
	// moved 7 → 8 items: 0 gold: 120
	// moved 8 → 7 items: 1 gold: 0
	// trade completed
	// ann's gold: 80 ben's gold: 120
}

// A purchase paid by an external provider and handed to a carrier: the
// record holds the goods until both confirm; a refusal undoes it.
func ExampleInstallCommerce_saga() {
	w, _, ids := newExampleWorld()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("ann"), Listing: ids.MustID("swords"), Quantity: 1, RequestID: 1, Saga: true})
	rec := w.Step()
	record := rec.Events[0].Subject
	printEvents(rec)
	w.Command(events.ConfirmPayment(record, 555, 100))
	printEvents(w.Step())
	w.Command(events.RefuseDelivery(record, 9))
	printEvents(w.Step())
	le, _ := w.Lookup(ids.MustID("swords"))
	fmt.Println("swords in stock:", w.Maps.Listing.Get(le).Stock)
	// Output:
	// t1 SagaStarted Record=9 Listing=6 Till=4 Buyer=7 Item=3 Qty=1 Currency=1 Price=100 Request=1 Deadline=6
	// t2 PaymentConfirmed Record=9 Reference=555 Amount=100
	// t2 Minted Holder=9 Currency=1 Amount=100
	// t3 DeliveryRefused Record=9 Reference=9
	// t3 Burned Holder=9 Currency=1 Amount=100
	// t3 SagaCompensated Record=9 Listing=6 Buyer=7 Item=3 Qty=1 Currency=1 Refunded=100 Request=1 Reason=Refused
	// swords in stock: 1
}
