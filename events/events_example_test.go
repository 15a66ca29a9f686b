package events_test

import (
	"fmt"

	"github.com/tickecon/tickecon/events"
)

// Events are flat (the wire and log format); each kind has a typed view
// with named fields. As… reports whether the event is of that kind.
func ExampleEvent_AsPurchaseCompleted() {
	ev := events.Event{Tick: 4, Kind: events.PurchaseCompleted, Subject: 7, Object: 5, Till: 4,
		Item: 2, Currency: 1, Qty: 3, Amount: 750, Request: 1}
	if p, ok := ev.AsPurchaseCompleted(); ok {
		fmt.Println("buyer", p.Buyer, "listing", p.Listing, "paid", p.Total, "to till", p.Till)
	}
	_, ok := ev.AsPurchaseRejected()
	fmt.Println("a rejection:", ok)
	fmt.Println(ev) // String names the fields as the view does
	// Output:
	// buyer 7 listing 5 paid 750 to till 4
	// a rejection: false
	// t4 PurchaseCompleted Buyer=7 Listing=5 Till=4 Item=2 Currency=1 Qty=3 Total=750 Request=1
}

// Commands are built with constructors (or a view's Event method), never
// by filling raw fields; Kind.Fields lists which Event field holds what.
func ExampleMint() {
	cmd := events.Mint(7, 1, 500) // wallet 7, currency 1, 500 minor units
	fmt.Println(cmd.Kind, cmd.Subject, cmd.Currency, cmd.Amount)
	trade := events.OfferItems(9, 7, 2, 3) // trade 9: party 7 offers 3 of item 2
	o, _ := trade.AsTradeOffered()
	fmt.Printf("%+v\n", o)
	for _, f := range events.Minted.Fields() {
		fmt.Print(f.View, "→", f.Event, " ")
	}
	fmt.Println()
	// Output:
	// Minted 7 1 500
	// {Trade:9 Party:7 Item:2 Qty:3 Currency:0 Amount:0}
	// Holder→Subject Currency→Currency Amount→Amount
}
