package ecs_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/ecs"
)

// World's methods are what a game and an extension use: the
// PurchaseSystem's plumbing lives in internal/core (issue 21).
func TestWorldShowsNoPerfPlumbing(t *testing.T) {
	wt := reflect.TypeOf(&ecs.World{})
	for _, name := range []string{"AdjustHash", "EmitAdjusted", "IDSlot", "IDSlots", "FoldTouched",
		"SetChecksumFolding", "FlushIntents", "TakeIntents", "SwapRecordIntents", "RecordIntents",
		"IntentFilter", "LiveEntities", "HashSeed", "SetHashSeed"} {
		_, ok := wt.MethodByName(name)
		assert.False(t, ok, "World.%s is exported", name)
	}
}
