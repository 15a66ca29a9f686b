package ecs_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/allocs"
)

func TestTypedReads(t *testing.T) {
	w, ids := loadShop(t)
	w.Command(events.Grant(ids.MustID("alice"), ids.MustID("potion"), 12))
	w.Step()
	gold, potion := ids.MustID("gold"), ids.MustID("potion")

	n, err := w.Balance(ids.MustID("alice"), gold)
	require.NoError(t, err)
	assert.Equal(t, int64(1000), n)
	n, err = w.ItemCount(ids.MustID("alice"), potion)
	require.NoError(t, err)
	assert.Equal(t, int64(12), n, "over two slots")
	n, err = w.ItemCount(ids.MustID("potions"), potion)
	require.NoError(t, err)
	assert.Equal(t, int64(40), n, "a listing holds its stock")
	n, err = w.Balance(ids.MustID("potions"), gold)
	require.NoError(t, err)
	assert.Zero(t, n, "a listing holds no money")

	h, err := w.Holdings(ids.MustID("alice"), nil)
	require.NoError(t, err)
	assert.Equal(t, []ecs.Holding{{Kind: ecs.Money, What: gold, Amount: 1000}, {Kind: ecs.Money, What: ids.MustID("gems"), Amount: 5},
		{Kind: ecs.Items, What: potion, Amount: 12}}, h, "one line per currency and item, zeros left out")

	// Typed errors name the id.
	w.Command(events.Close(ids.MustID("bob")))
	w.Step()
	cases := []struct {
		holder, what components.ID
		items        bool
		want         error
		id           components.ID
	}{
		{0, gold, false, ecs.ErrUnknownEntity, 0},
		{math.MaxUint64, gold, false, ecs.ErrUnknownEntity, math.MaxUint64},
		{ids.MustID("bob"), gold, false, ecs.ErrEntityGone, ids.MustID("bob")},
		{ids.MustID("alice"), potion, false, ecs.ErrNotACurrency, potion},
		{ids.MustID("alice"), gold, true, ecs.ErrNotAnItem, gold},
		{ids.MustID("alice"), 12345, true, ecs.ErrNotAnItem, 12345},
	}
	for _, c := range cases {
		var err error
		if c.items {
			_, err = w.ItemCount(c.holder, c.what)
		} else {
			_, err = w.Balance(c.holder, c.what)
		}
		require.ErrorIs(t, err, c.want)
		var ee *ecs.EntityError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, c.id, ee.ID)
	}
	_, err = w.Holdings(ids.MustID("bob"), nil)
	assert.ErrorIs(t, err, ecs.ErrEntityGone)

	// Reads allocate nothing (1000 runs: one allocation per call would show).
	buf := make([]ecs.Holding, 0, 8)
	mallocs := allocs.Total(1000, func() {
		_, _ = w.Balance(ids.MustID("alice"), gold)
		_, _ = w.ItemCount(ids.MustID("alice"), potion)
		buf, _ = w.Holdings(ids.MustID("alice"), buf[:0])
	})
	assert.Zero(t, mallocs, "allocations in 1000 reads")
}

// The ledger balances against the supply through mints, grants, burns,
// purchases and closes, and catches a change made without an event.
func TestLedgerCatchesValueChangedWithoutAnEvent(t *testing.T) {
	w, ids := loadShop(t)
	l := ecs.NewLedger(w)
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { l.Record(r); return nil })
	w.Step()
	require.NoError(t, l.Check(w))
	s := w.Supply()
	assert.Equal(t, components.TotalOf(1300), s.MoneyOf(ids.MustID("gold")))
	assert.Equal(t, components.TotalOf(5), s.MoneyOf(ids.MustID("gems")))
	assert.Equal(t, components.TotalOf(40), s.ItemsOf(ids.MustID("potion")))
	assert.Len(t, s.Money(), 2)
	assert.Len(t, s.Items(), 2, "every defined item, zeros included")

	w.Command(events.Mint(ids.MustID("smithy"), ids.MustID("gold"), math.MaxInt64))
	w.Command(events.Grant(ids.MustID("alice"), ids.MustID("sword"), 1))
	w.Command(events.Close(ids.MustID("bob")))
	w.Step()
	require.NoError(t, l.Check(w))
	assert.Equal(t, "9223372036854776807", w.Supply().MoneyOf(ids.MustID("gold")).String(), "exact past int64")

	// A system that skims without an event breaks conservation.
	w.AddSystem(skim{alice: ids.MustID("alice"), gold: ids.MustID("gold")})
	w.Step()
	err := l.Check(w)
	var ce *ecs.ConservationError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ecs.Money, ce.Kind)
	assert.Equal(t, ids.MustID("gold"), ce.What)
	assert.Equal(t, 1, ce.Issued.Cmp(ce.Held), "one unit less held than issued")
}

type skim struct{ alice, gold components.ID }

func (skim) Name() string { return "skim" }
func (s skim) Update(w *ecs.World) {
	e, _ := w.Lookup(s.alice)
	w.Maps.Wallet.Get(e).Debit(s.gold, 1)
	w.Touch(s.alice)
}

// A negative holding is reported even when the totals still agree.
func TestLedgerReportsNegativeHoldings(t *testing.T) {
	w, ids := loadShop(t)
	l := ecs.NewLedger(w)
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error { l.Record(r); return nil })
	w.Step()
	e, _ := w.Lookup(ids.MustID("alice"))
	f, _ := w.Lookup(ids.MustID("bob"))
	w.Maps.Wallet.Get(e).Debit(ids.MustID("gold"), 1001) // -1
	w.Maps.Wallet.Get(f).Credit(ids.MustID("gold"), 1001)
	err := l.Check(w)
	var ce *ecs.ConservationError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Negative)
	assert.Equal(t, ids.MustID("alice"), ce.Holder)
	assert.True(t, errors.As(err, &ce))
	assert.Contains(t, err.Error(), fmt.Sprintf("entity %d holds a negative amount", ids.MustID("alice")))
}
