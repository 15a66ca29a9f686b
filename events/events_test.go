package events

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/components"
)

func TestEveryKindAndReasonHasAName(t *testing.T) {
	assert.Len(t, kindNames, int(kindCount))
	assert.Len(t, reasonNames, int(reasonCount))
	names := map[string]bool{}
	for k := KindInvalid; k < kindCount; k++ {
		assert.False(t, names[k.String()], "duplicate name %s", k)
		names[k.String()] = true
	}
	assert.False(t, KindInvalid.Valid())
	assert.True(t, PurchaseCompleted.Valid())
	assert.False(t, kindCount.Valid())
	assert.Equal(t, "Kind(250)", Kind(250).String())
	assert.Equal(t, "Reason(250)", Reason(250).String())
	assert.Len(t, Reasons(), int(reasonCount)-1)
	assert.Equal(t, ReasonBadQuantity, Reasons()[0])
}

func TestEventStringNamesTheParts(t *testing.T) {
	s := Event{Tick: 3, Kind: PurchaseRejected, Reason: ReasonOutOfStock, Subject: 7, Object: 9, Qty: 2, Request: 4}.String()
	for _, want := range []string{"t3", "7", "9", "OutOfStock"} {
		assert.True(t, strings.Contains(s, want), "%q lacks %q", s, want)
	}
	s = Event{Kind: CommandRejected, Of: Minted, Reason: ReasonOverflow, Subject: 5}.String()
	assert.Contains(t, s, "Minted")
	assert.Contains(t, s, "Overflow")
}

func TestEventNamedAddsCurrencyAndItemNames(t *testing.T) {
	names := map[components.ID]string{1: "Gold", 3: "Health (large)"}
	name := func(id components.ID) string { return names[id] }
	e := ListingPostedEvent{Listing: 12, Shop: 11, Till: 11, Item: 3, Currency: 1, Price: 40, Stock: 9, Name: "l"}.Event()
	assert.Equal(t, `t0 ListingPosted Listing=12 Shop=11 Till=11 Item=3("Health (large)") Currency=1("Gold") Price=40 Stock=9 Name="l"`, e.Named(name))
	assert.Equal(t, e.String(), e.Named(nil))
	// An unknown id stays bare; a defining event's own id (its Subject) is not annotated.
	e.Currency = 2
	assert.Contains(t, e.Named(name), " Currency=2 ")
	d := CurrencyDefinedEvent{Currency: 1, Name: "Gold"}.Event()
	assert.Equal(t, d.String(), d.Named(name))
}

func TestCommerceEventStringShowsItsFields(t *testing.T) {
	s := Event{Tick: 2, Kind: AccountSettled, Subject: 11, Till: 4, Currency: 1, Amount: 300, Rest: 200,
		Reason: ReasonInsufficientFunds}.String()
	for _, want := range []string{"t2", "AccountSettled", "11", "300", "200", "InsufficientFunds"} {
		assert.True(t, strings.Contains(s, want), "%q lacks %q", s, want)
	}
}

func TestDuplicateEventStringNamesTheOriginalOutcome(t *testing.T) {
	s := Event{Tick: 3, Kind: PurchaseDuplicate, Subject: 8, Request: 1, Of: PurchaseCompleted, At: 2, Ref: 11}.String()
	for _, want := range []string{"t3", "Request=1", "Original=PurchaseCompleted", "At=2", "Receipt=11"} {
		assert.True(t, strings.Contains(s, want), "%q lacks %q", s, want)
	}
}
