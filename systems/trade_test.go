package systems_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// tradeShop is a commerce world where alice holds 3 potions and carol a sword.
func tradeShop(t *testing.T) *shop {
	s := newShop(t, systems.DefaultConfig)
	s.cmd(events.Grant(s.id("alice"), s.id("potion"), 3))
	s.cmd(events.Grant(s.id("carol"), s.id("sword"), 1))
	s.stepOK()
	return s
}

func TestTradeSwapsAtomicallyWhenBothAccept(t *testing.T) {
	s := tradeShop(t)
	a, c := s.id("alice"), s.id("carol")
	tr := s.cmd(events.OpenTrade(a, c))
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: a, Item: s.id("potion"), Qty: 2}.Event())
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: a, Currency: s.id("gold"), Amount: 100}.Event())
	s.cmd(events.AcceptTrade(tr, a))
	// Carol adds gems after alice accepted: alice must accept again.
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: c, Item: s.id("sword"), Qty: 1}.Event())
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: c, Currency: s.id("gems"), Amount: 4}.Event())
	s.cmd(events.AcceptTrade(tr, c))
	rec := s.stepOK()
	assert.NotContains(t, kinds(rec), events.TradeCompleted, "alice's acceptance was reset by carol's offer")
	assert.Equal(t, int64(3), s.inventory("alice").Count(s.id("potion")))

	s.cmd(events.AcceptTrade(tr, a))
	rec = s.stepOK()
	require.Equal(t, []events.Kind{events.TradeAccepted, events.TradeMoved, events.TradeMoved,
		events.TradeMoved, events.TradeMoved, events.TradeCompleted}, kinds(rec))
	assert.Equal(t, int64(1), s.inventory("alice").Count(s.id("potion")))
	assert.Equal(t, int64(1), s.inventory("alice").Count(s.id("sword")))
	assert.Equal(t, int64(2), s.inventory("carol").Count(s.id("potion")))
	assert.Equal(t, int64(0), s.inventory("carol").Count(s.id("sword")))
	assert.Equal(t, int64(900), s.wallet("alice").Balance(s.id("gold")))
	assert.Equal(t, int64(9), s.wallet("alice").Balance(s.id("gems")))
	assert.Equal(t, int64(100), s.wallet("carol").Balance(s.id("gold")))
	assert.Equal(t, int64(5), s.wallet("carol").Balance(s.id("gems")))

	// A completed trade is closed: accepting again moves nothing.
	s.cmd(events.AcceptTrade(tr, c))
	rec = s.step()
	require.Len(t, rec.Events, 1)
	assert.Equal(t, events.ReasonTradeClosed, rec.Events[0].Reason)
}

func TestTradeShortfallOnEitherSideRejectsTheWholeTrade(t *testing.T) {
	cases := []struct {
		name    string
		offers  []events.Event // Subject filled in
		short   string
		why     events.Reason
		partyOK bool
	}{
		{"alice lacks gold", []events.Event{
			{Object: 0, Item: 0, Currency: 1, Amount: 5000},
			{Object: 1, Item: 2, Qty: 1}}, "alice", events.ReasonInsufficientFunds, true},
		{"carol lacks a second sword", []events.Event{
			{Object: 0, Item: 1, Qty: 1},
			{Object: 1, Item: 2, Qty: 2}}, "carol", events.ReasonInsufficientHoldings, true},
		{"carol has no room for ten potions", []events.Event{
			{Object: 0, Item: 1, Qty: 3},
			{Object: 1, Currency: 3, Amount: 1}}, "", events.ReasonNone, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := tradeShop(t)
			parties := []string{"alice", "carol"}
			keys := map[int]string{1: "potion", 2: "sword"}
			curs := map[int]string{1: "gold", 3: "gems"}
			tr := s.cmd(events.OpenTrade(s.id("alice"), s.id("carol")))
			for _, o := range c.offers {
				ev := events.TradeOfferedEvent{Trade: tr, Party: s.id(parties[o.Object]), Qty: o.Qty, Amount: o.Amount}.Event()
				if o.Item != 0 {
					ev.Item = s.id(keys[int(o.Item)])
				}
				if o.Currency != 0 {
					ev.Currency = s.id(curs[int(o.Currency)])
				}
				s.cmd(ev)
			}
			s.stepOK()
			if c.short == "" { // fill carol's two slots so three potions do not fit
				s.cmd(events.Grant(s.id("carol"), s.id("pebble"), 10))
				s.stepOK()
				c.short, c.why = "carol", events.ReasonInventoryFull
			}
			before := s.last
			aliceGold, carolInv := s.wallet("alice").Balance(s.id("gold")), len(s.inventory("carol").Slots)
			s.cmd(events.AcceptTrade(tr, s.id("carol")))
			s.cmd(events.AcceptTrade(tr, s.id("alice")))
			rec := s.stepOK()
			require.Equal(t, []events.Kind{events.TradeAccepted, events.TradeAccepted, events.TradeRejected}, kinds(rec))
			rej := rec.Events[2]
			assert.Equal(t, s.id(c.short), rej.Object)
			assert.Equal(t, c.why, rej.Reason)
			assert.NotEqual(t, before, rec.Checksum, "the trade itself is closed")
			assert.Equal(t, aliceGold, s.wallet("alice").Balance(s.id("gold")), "nothing moved")
			assert.Equal(t, int64(3), s.inventory("alice").Count(s.id("potion")))
			assert.Equal(t, int64(1), s.inventory("carol").Count(s.id("sword")))
			assert.Len(t, s.inventory("carol").Slots, carolInv)
		})
	}
}

func TestTradeCommandsRejectStrangersAndBadOffers(t *testing.T) {
	s := tradeShop(t)
	tr := s.cmd(events.OpenTrade(s.id("alice"), s.id("carol")))
	s.stepOK()
	before := s.last
	s.cmd(events.AcceptTrade(tr, s.id("bob")))
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: s.id("alice"), Item: s.id("potion"), Qty: -1}.Event())
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: s.id("alice"), Item: s.id("potion"), Qty: 1, Amount: 3}.Event())
	s.cmd(events.TradeOfferedEvent{Trade: tr, Party: s.id("alice"), Item: s.id("gold"), Qty: 1}.Event())
	s.cmd(events.OpenTrade(s.id("alice"), s.id("alice")))
	s.cmd(events.OpenTrade(s.id("alice"), s.id("smithy")))
	rec := s.step()
	var why []events.Reason
	for _, ev := range rec.Events {
		require.Equal(t, events.CommandRejected, ev.Kind)
		why = append(why, ev.Reason)
	}
	assert.Equal(t, []events.Reason{events.ReasonNotYours, events.ReasonBadCommand, events.ReasonBadCommand,
		events.ReasonUnknownEntity, events.ReasonBadCommand, events.ReasonUnknownEntity}, why)
	// Two TradeOpened commands reserved ids but created nothing: nextID moved.
	assert.NotEqual(t, before, rec.Checksum)
}
