package systems_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// A cart of 2 potions for gold and a sword for gems: from version 3 on it
// is refused whole, since its receipt total and MaxTotal would add gold
// to gems (500 + 3 = 503 of nothing). Worlds of an earlier version keep
// the rule their logs were recorded with, so those logs still verify.
func TestCartInTwoCurrenciesIsRefused(t *testing.T) {
	balance := func(s *shop, cur string) int64 {
		b, err := s.w.Balance(s.id("alice"), s.id(cur))
		require.NoError(t, err)
		return b
	}
	buy := func(t *testing.T, version uint8) (*shop, []events.Event, uint64) {
		cfg := systems.DefaultConfig
		cfg.Version = version
		s := newShop(t, cfg)
		cart := s.cmd(events.OpenCart(s.id("alice")))
		s.cmd(events.AddCartLine(cart, s.id("potions"), 2))
		s.cmd(events.AddCartLine(cart, s.id("swords"), 1))
		s.stepOK()
		before := s.last
		s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Cart: cart, RequestID: 1})
		rec := s.step()
		return s, rec.Events, before
	}
	t.Run("current", func(t *testing.T) {
		require.EqualValues(t, 3, systems.CurrentVersion)
		s, evs, before := buy(t, systems.CurrentVersion)
		require.Len(t, evs, 1)
		r, ok := evs[0].AsPurchaseRejected()
		require.True(t, ok, "%v", evs[0])
		assert.Equal(t, events.ReasonMixedCurrencies, r.Reason)
		assert.Equal(t, int64(1000), balance(s, "gold"))
		assert.Equal(t, int64(5), balance(s, "gems"))
		assert.NotEqual(t, before, s.last, "the rejection is remembered in the idempotency window")
	})
	t.Run("version 2 replays as recorded", func(t *testing.T) {
		s, evs, _ := buy(t, 2)
		var total int64 = -1
		for _, ev := range evs {
			if r, ok := ev.AsReceiptIssued(); ok {
				total = r.Total
			}
		}
		assert.Equal(t, int64(503), total, "the old sum across currencies")
		assert.Equal(t, int64(500), balance(s, "gold"))
		assert.Equal(t, int64(2), balance(s, "gems"))
	})
}
