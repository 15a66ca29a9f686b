package ecs_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// A key the content lacks is an error naming it (and the key probably
// meant), never id 0; MustID stops at the typo; Keys keep content order.
func TestUnknownContentKeysAreErrors(t *testing.T) {
	_, ids := newShop()
	id, err := ids.ID("potions")
	require.NoError(t, err)
	assert.NotZero(t, id)

	for key, near := range map[string]string{"potoins": "potions", "potion ": "", "alicia": "alice", "zebra": "", "": "", "swrod": "sword"} {
		id, err := ids.ID(key)
		assert.Zero(t, id)
		require.ErrorIs(t, err, ecs.ErrUnknownKey, key)
		var ke *ecs.KeyError
		require.ErrorAs(t, err, &ke)
		assert.Equal(t, key, ke.Key)
		assert.Equal(t, near, ke.Near, "%q", key)
	}
	_, err = ids.ID("potoins")
	assert.EqualError(t, err, `ecs: content key "potoins" unknown (did you mean "potions"?)`)
	assert.PanicsWithError(t, `ecs: content key "golt" unknown (did you mean "gold"?)`, func() { ids.MustID("golt") })

	_, ok := ids.Lookup("bob")
	assert.True(t, ok)
	assert.Equal(t, []string{"gold", "gems", "potion", "sword", "smithy", "potions", "swords", "alice", "bob"}, ids.Keys())
	assert.Equal(t, 9, ids.Len())
	for i, k := range ids.Keys() {
		assert.Equal(t, components.ID(i+1), ids.MustID(k), "ids in content order")
	}

	var none ecs.IDs
	_, err = none.ID("gold")
	assert.True(t, errors.Is(err, ecs.ErrUnknownKey), "the zero IDs holds no key")
}

// Content keys resolve to stable ids; a key the content lacks is an error
// that names it (a typo, here), not id 0.
func ExampleIDs_ID() {
	data, _ := os.ReadFile("testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	ids, _ := content.Apply(w)

	potions, err := ids.ID("potions")
	fmt.Println(potions, err)
	_, err = ids.ID("potoins")
	fmt.Println(err)
	// Output:
	// 6 <nil>
	// ecs: content key "potoins" unknown (did you mean "potions"?)
}
