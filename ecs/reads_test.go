package ecs_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// A game reads a listing's terms, definitions and an inventory through
// typed reads: copies, with typed errors for ids of another kind.
func TestTypedReadsOfTermsDefinitionsAndInventories(t *testing.T) {
	w, ids := newShop()
	potions, alice := ids.MustID("potions"), ids.MustID("alice")

	l, err := w.Listing(potions)
	require.NoError(t, err)
	assert.Equal(t, ecs.ListingInfo{ID: potions, Name: "potions", Shop: ids.MustID("smithy"), Item: ids.MustID("potion"),
		Currency: ids.MustID("gold"), Price: 250, Stock: 40, Till: ids.MustID("smithy"), Version: 1}, l)
	assert.Equal(t, []components.ID{potions, ids.MustID("swords")}, w.Listings(0, nil))
	assert.Equal(t, []components.ID{potions, ids.MustID("swords")}, w.Listings(ids.MustID("smithy"), nil))
	assert.Empty(t, w.Listings(alice, nil))

	c, err := w.Currency(ids.MustID("gold"))
	require.NoError(t, err)
	assert.Equal(t, ecs.CurrencyInfo{ID: ids.MustID("gold"), Name: "Gold", Decimals: 2}, c)
	it, err := w.Item(ids.MustID("potion"))
	require.NoError(t, err)
	assert.Equal(t, ecs.ItemInfo{ID: ids.MustID("potion"), Name: "Health Potion", MaxStack: 10}, it)

	w.Submit(components.PurchaseIntent{Buyer: alice, Listing: potions, Quantity: 3, RequestID: 1})
	w.Step()
	buf := make([]components.Stack, 0, 4)
	inv, err := w.Inventory(alice, buf)
	require.NoError(t, err)
	assert.Equal(t, components.Inventory{Capacity: 4, Slots: []components.Stack{{Item: ids.MustID("potion"), Qty: 3}}}, inv)
	assert.Equal(t, int64(3), inv.Count(ids.MustID("potion")))
	inv.Slots[0].Qty = 99 // a copy
	n, _ := w.ItemCount(alice, ids.MustID("potion"))
	assert.Equal(t, int64(3), n)
	l, _ = w.Listing(potions)
	assert.Equal(t, int64(37), l.Stock)
	assert.Equal(t, 0., testing.AllocsPerRun(10, func() { _, _ = w.Inventory(alice, buf) }))

	for _, tc := range []struct {
		err  error
		read func() error
	}{
		{ecs.ErrNotAListing, func() error { _, err := w.Listing(alice); return err }},
		{ecs.ErrNotACurrency, func() error { _, err := w.Currency(potions); return err }},
		{ecs.ErrNotAnItem, func() error { _, err := w.Item(ids.MustID("gold")); return err }},
		{ecs.ErrNoInventory, func() error { _, err := w.Inventory(ids.MustID("smithy"), nil); return err }},
		{ecs.ErrUnknownEntity, func() error { _, err := w.Listing(0); return err }},
		{ecs.ErrUnknownEntity, func() error { _, err := w.Item(math.MaxUint64); return err }},
	} {
		err := tc.read()
		require.ErrorIs(t, err, tc.err)
		var ee *ecs.EntityError
		require.ErrorAs(t, err, &ee)
	}
	w.Command(events.Close(potions))
	w.Step()
	_, err = w.Listing(potions)
	assert.ErrorIs(t, err, ecs.ErrEntityGone)
	assert.Equal(t, []components.ID{ids.MustID("swords")}, w.Listings(0, nil))
}

func TestCurrencyFormat(t *testing.T) {
	for _, tc := range []struct {
		dec  uint8
		amt  int64
		want string
	}{{2, 1234, "12.34"}, {2, 5, "0.05"}, {2, -5, "-0.05"}, {0, 7, "7"}, {2, 0, "0.00"}, {3, 1000, "1.000"},
		{0, math.MinInt64, "-9223372036854775808"}, {18, math.MaxInt64, "9.223372036854775807"}} {
		assert.Equal(t, tc.want, ecs.CurrencyInfo{Decimals: tc.dec}.Format(tc.amt))
	}
}

// What a shop's UI shows of a listing: its item's name, its price in its
// currency's decimals, its stock.
func ExampleWorld_Listing() {
	w, ids := newShop()
	l, _ := w.Listing(ids.MustID("potions"))
	item, _ := w.Item(l.Item)
	cur, _ := w.Currency(l.Currency)
	fmt.Printf("%s: %s %s each, %d left\n", item.Name, cur.Format(l.Price), cur.Name, l.Stock)
	// Output:
	// Health Potion: 2.50 Gold each, 40 left
}

// A player's inventory in slot order, as a UI draws it.
func ExampleWorld_Inventory() {
	w, ids := newShop()
	alice := ids.MustID("alice")
	w.Command(events.Grant(alice, ids.MustID("potion"), 12)) // 10 stack in a slot
	w.Step()
	inv, _ := w.Inventory(alice, nil)
	for i, s := range inv.Slots {
		item, _ := w.Item(s.Item)
		fmt.Printf("slot %d: %d × %s\n", i, s.Qty, item.Name)
	}
	fmt.Println(inv.Capacity-len(inv.Slots), "slots free")
	// Output:
	// slot 0: 10 × Health Potion
	// slot 1: 2 × Health Potion
	// 2 slots free
}
