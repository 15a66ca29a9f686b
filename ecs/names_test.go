package ecs_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	fake "github.com/tickecon/tickecon/ecs/internal/fake/components"
)

// Two component types both called components.Wallet (in two packages
// named components) are told apart in a snapshot by their package path.
func TestSnapshotNamesComponentsByPackagePath(t *testing.T) {
	newWorld := func() (*ecs.World, arche.ID) {
		w := freshShopWorld()
		return w, arche.ComponentID[fake.Wallet](w.ECS())
	}
	w, fakeID := newWorld()
	ids := applyShop(t, w)
	w.Step()
	_, e := w.Spawn(fakeID)
	(*fake.Wallet)(w.ECS().Get(e, fakeID)).Gems = 42
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	raw, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"github.com/tickecon/tickecon/components.Wallet"`)
	assert.Contains(t, string(raw), `"github.com/tickecon/tickecon/ecs/internal/fake/components.Wallet"`)

	r, _ := newWorld()
	require.NoError(t, r.Restore(decodeSnapshot(t, raw)))
	re, _ := r.Lookup(w.NextID() - 1)
	assert.Equal(t, int64(42), (*fake.Wallet)(r.ECS().Get(re, fakeID)).Gems)
	alice, _ := r.Lookup(ids.MustID("alice"))
	assert.Equal(t, int64(1000), r.Maps.Wallet.Get(alice).Balance(ids.MustID("gold")))
}

type badgeA struct{ Level int64 }
type badgeB struct{ Level int64 }

// A name given to one type cannot be given to another, nor a second name
// to the same type, nor a type's default name to another type.
func TestRegisterComponentRejectsCollisions(t *testing.T) {
	w := ecs.New()
	_, err := ecs.RegisterComponent[badgeA](w, "game.Badge")
	require.NoError(t, err)
	_, err = ecs.RegisterComponent[badgeA](w, "game.Badge")
	require.NoError(t, err, "the same registration again is fine")
	var ne *ecs.ComponentNameError
	_, err = ecs.RegisterComponent[badgeB](w, "game.Badge")
	require.True(t, errors.As(err, &ne), "%v", err)
	assert.ErrorContains(t, err, "already names another type")
	_, err = ecs.RegisterComponent[badgeA](w, "game.Other")
	assert.ErrorContains(t, err, "already registered as")
	_, err = ecs.RegisterComponent[badgeB](w, "github.com/tickecon/tickecon/components.Wallet")
	assert.ErrorContains(t, err, "already names another type")
	_, err = ecs.RegisterComponent[badgeB](w, "")
	assert.ErrorContains(t, err, "empty")
}

func localBadgeOne(w *ecs.World) arche.ID {
	type Badge struct{ Level int64 }
	return arche.ComponentID[Badge](w.ECS())
}

func localBadgeTwo(w *ecs.World) arche.ID {
	type Badge struct{ Rank int64 }
	return arche.ComponentID[Badge](w.ECS())
}

// Types declared inside functions share their package path and name: a
// snapshot of one of them is refused with a clear error instead of
// restoring it as the other.
func TestSnapshotRefusesAmbiguousComponentNames(t *testing.T) {
	w := ecs.New()
	one := localBadgeOne(w)
	localBadgeTwo(w)
	w.Step()
	w.Spawn(one)
	_, err := w.TakeSnapshot()
	var ne *ecs.ComponentNameError
	require.True(t, errors.As(err, &ne), "%v", err)
	assert.ErrorContains(t, err, "RegisterComponent")
	assert.Len(t, ne.Types, 2)
}

// A snapshot written before format 2 (no format field, package-less type
// names) is refused with a clear error.
func TestOldSnapshotFormatIsRefused(t *testing.T) {
	old := `{"tick":1,"next_id":2,"used":[2],"entities":[{"id":1,"components":[{"type":"components.CurrencyDef","value":{"Decimals":2}}]}],"currencies":[1]}`
	err := freshShopWorld().Restore(decodeSnapshot(t, []byte(old)))
	var se *ecs.SnapshotError
	require.True(t, errors.As(err, &se), "%v", err)
	assert.ErrorContains(t, err, "format 0")
}

// Intents submitted but not yet stepped are part of a snapshot: the
// restored world's next tick is the original's.
func TestSnapshotBetweenSubmitAndStepRestoresTheSameFuture(t *testing.T) {
	a := freshShopWorld()
	ids := applyShop(t, a)
	a.Step()
	a.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 2, RequestID: 7})
	a.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 1})
	s, err := a.TakeSnapshot()
	require.NoError(t, err)
	raw, err := json.Marshal(s)
	require.NoError(t, err)
	b := freshShopWorld()
	require.NoError(t, b.Restore(decodeSnapshot(t, raw)))

	ra := a.Step().Clone()
	rb := b.Step()
	require.Len(t, ra.Intents, 2)
	assert.Equal(t, ra.Intents, rb.Intents)
	assert.Equal(t, ra.Events, rb.Events)
	assert.Equal(t, ra.Checksum, rb.Checksum)
}
