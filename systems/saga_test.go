package systems_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// startSaga has alice buy 2 potions (500 gold) through a saga and returns
// the purchase record id.
func startSaga(t *testing.T, s *shop) components.ID {
	t.Helper()
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("potions"), Quantity: 2, RequestID: 1, Saga: true})
	rec := s.step()
	require.Equal(t, []events.Kind{events.SagaStarted}, kinds(rec))
	assert.Equal(t, int64(38), s.listing("potions").Stock, "the goods left stock into the record")
	return rec.Events[0].Subject
}

func (s *shop) record(id components.ID) components.PurchaseRecord {
	e, _ := s.w.Lookup(id)
	return *s.c.Maps.Record.Get(e)
}

func TestSagaCompletesWhenPaidAndDelivered(t *testing.T) {
	s := newShop(t, systems.Config{SagaTimeout: 10})
	r := startSaga(t, s)
	s.cmd(events.AcceptDelivery(r, 77))
	rec := s.stepOK()
	assert.Equal(t, []events.Kind{events.DeliveryAccepted}, kinds(rec), "still waiting for the payment")
	s.cmd(events.ConfirmPayment(r, 4242, 500))
	rec = s.stepOK()
	require.Equal(t, []events.Kind{events.PaymentConfirmed, events.Minted, events.SagaCompleted, events.ReceiptIssued}, kinds(rec))
	assert.Equal(t, int64(2), s.inventory("alice").Count(s.id("potion")))
	assert.Equal(t, int64(1000), s.wallet("alice").Balance(s.id("gold")), "paid by the provider, not the wallet")
	assert.Equal(t, int64(500), s.wallet("smithy").Balance(s.id("gold")))
	got := s.record(r)
	assert.Equal(t, components.SagaCompleted, got.State)
	assert.Equal(t, uint64(4242), got.Payment)
	assert.Equal(t, uint64(77), got.Delivery)
	assert.Zero(t, got.Qty)
	assert.Zero(t, got.Paid)

	// Late or repeated outcomes change nothing: nothing is given twice.
	before := s.last
	s.cmd(events.ConfirmPayment(r, 4242, 500))
	s.cmd(events.RefuseDelivery(r, 77))
	rec = s.step()
	for _, ev := range rec.Events {
		assert.Equal(t, events.CommandRejected, ev.Kind)
		assert.Equal(t, events.ReasonSagaClosed, ev.Reason)
	}
	assert.Equal(t, before, rec.Checksum)
}

func TestSagaCompensation(t *testing.T) {
	cases := []struct {
		name    string
		inputs  [][]events.Event // per tick after the start; Subject filled in
		why     events.Reason
		refund  int64
		atTicks int
	}{
		{"payment declined", [][]events.Event{{{Kind: events.PaymentDeclined, Request: 9}}}, events.ReasonDeclined, 0, 1},
		{"delivery refused after payment", [][]events.Event{
			{{Kind: events.PaymentConfirmed, Request: 9, Amount: 500}},
			{{Kind: events.DeliveryRefused, Request: 3}}}, events.ReasonRefused, 500, 2},
		{"timeout with only the payment", [][]events.Event{
			{{Kind: events.PaymentConfirmed, Request: 9, Amount: 500}}, {}, {}, {}}, events.ReasonTimeout, 500, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newShop(t, systems.Config{SagaTimeout: 3})
			r := startSaga(t, s)
			var comp []events.Event
			for i, tick := range c.inputs {
				for _, ev := range tick {
					ev.Subject = r
					s.cmd(ev)
				}
				for _, ev := range s.stepOK().Events {
					if ev.Kind == events.SagaCompensated {
						comp = append(comp, ev)
						assert.Equal(t, c.atTicks, i+1, "compensated at the expected tick")
					}
				}
			}
			require.Len(t, comp, 1, "compensated exactly once")
			assert.Equal(t, c.why, comp[0].Reason)
			assert.Equal(t, c.refund, comp[0].Amount)
			assert.Equal(t, int64(2), comp[0].Qty)
			assert.Equal(t, int64(40), s.listing("potions").Stock, "goods back to stock")
			assert.Zero(t, s.inventory("alice").Count(s.id("potion")))
			assert.Zero(t, s.wallet("smithy").Balance(s.id("gold")))
			assert.Equal(t, components.SagaCompensated, s.record(r).State)
		})
	}
}

func TestSagaOutcomeChecks(t *testing.T) {
	s := newShop(t, systems.Config{SagaTimeout: 10})
	r := startSaga(t, s)
	s.cmd(events.ConfirmPayment(r, 1, 499)) // wrong amount
	s.cmd(events.ConfirmPayment(r, 0, 500)) // no reference
	s.cmd(events.ConfirmPayment(s.id("alice"), 1, 500))
	s.cmd(events.ConfirmPayment(r, 1, 500))
	s.cmd(events.ConfirmPayment(r, 2, 500)) // twice
	rec := s.step()
	var why []events.Reason
	for _, ev := range rec.Events {
		if ev.Kind == events.CommandRejected {
			why = append(why, ev.Reason)
		}
	}
	assert.Equal(t, []events.Reason{events.ReasonBadCommand, events.ReasonBadCommand,
		events.ReasonUnknownEntity, events.ReasonDuplicateRequest}, why)
	assert.Equal(t, int64(500), s.record(r).Paid, "paid once")

	// A saga intent must be one listing paid by the provider.
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("bob"), Listing: s.id("potions"), Quantity: 1, RequestID: 1, Saga: true, PayVia: s.id("bob")})
	rec = s.step()
	assert.Equal(t, events.ReasonBadCommand, rec.Events[0].Reason)
}

// A saga whose delivery target was closed compensates (NoDelivery) instead
// of asking the ports about a dead entity (which panicked inside arche).
// Found by FuzzSession.
func TestSagaWithClosedTargetCompensates(t *testing.T) {
	s := newShop(t, systems.Config{SagaTimeout: 10})
	parcel := s.cmd(events.OpenPackage(s.id("alice")))
	s.stepOK()
	s.w.Submit(components.PurchaseIntent{Buyer: s.id("alice"), Listing: s.id("potions"), Quantity: 2, RequestID: 1,
		Saga: true, ShipTo: parcel})
	rec := s.step()
	require.Equal(t, []events.Kind{events.SagaStarted}, kinds(rec))
	r := rec.Events[0].Subject
	s.cmd(events.Close(parcel))
	s.cmd(events.ConfirmPayment(r, 1, 500))
	s.cmd(events.AcceptDelivery(r, 1))
	rec = s.stepOK()
	require.Contains(t, kinds(rec), events.SagaCompensated)
	assert.Equal(t, events.ReasonNoDelivery, rec.Events[len(rec.Events)-1].Reason)
	assert.Equal(t, int64(40), s.listing("potions").Stock, "goods back to stock")
}
