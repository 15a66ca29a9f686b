package shard

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Hold is a pending debit on the buyer's shard (TigerBeetle's pending
// transfer): Held left the buyer's wallet into it when the cross-shard
// purchase began. It keeps the settlement saga's two slots in spirit — the
// payment slot is filled locally at once (the hold), the delivery slot by
// the seller's answer — and ends Posted (components.SagaCompleted: Total
// exported to the seller, the rest back, the goods in) or Voided
// (components.SagaCompensated: all of Held back).
type Hold struct {
	Buyer    components.ID
	Listing  Addr
	Item     components.ID
	Currency components.ID
	Qty      int64  // units asked for
	Held     int64  // money held while pending
	Waiting  int64  // posted goods waiting for room in the buyer's inventory (a move of the buyer takes them along)
	Deadline uint64 // after this tick the buyer's shard asks the seller to cancel
	State    components.SagaState
	Cancel   bool          // a cancel was sent
	Reason   events.Reason // why it was voided
	Request  uint64        // the client's request id (0: none)
}

// Sale is the seller shard's memory of one message: the first answer it
// gave, so that a repeated request or cancel gets that answer again and
// changes nothing (idempotency by message id, never expiring: a record is
// ~100 bytes, and closing it is the operator's call once the buyer's shard
// has posted).
type Sale struct {
	Msg      uint64
	Listing  components.ID
	Till     components.ID
	Buyer    Addr
	Item     components.ID
	Currency components.ID
	Qty      int64
	Total    int64
	Answer   events.Kind // XSaleAccepted or XSaleRefused
	Reason   events.Reason
}

// Checksum tags (part of the checksum: append only).
const (
	tagHold uint64 = 0x5348_0000 + iota
	tagHoldB
	tagHoldC
	tagSale
	tagSaleB
	tagSaleC
	tagHoldD
)

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// hash is the shard part of an entity's state hash (ecs.EntityHasher).
func (s *System) hash(w *ecs.World, id components.ID, e arche.Entity) uint64 {
	var sum uint64
	if h := s.holds.Get(e); h != nil {
		sum += ecs.FieldHash(id, tagHold, uint64(h.Buyer), uint64(h.Listing), uint64(h.Item))
		sum += ecs.FieldHash(id, tagHoldB, uint64(h.Currency), uint64(h.Qty), uint64(h.Held))
		sum += ecs.FieldHash(id, tagHoldC, uint64(h.Waiting), h.Deadline,
			uint64(h.State)|b2u(h.Cancel)<<8|uint64(h.Reason)<<16)
		sum += ecs.FieldHash(id, tagHoldD, h.Request, 0, 0)
	}
	if r := s.sales.Get(e); r != nil {
		sum += ecs.FieldHash(id, tagSale, r.Msg, uint64(r.Listing), uint64(r.Till))
		sum += ecs.FieldHash(id, tagSaleB, uint64(r.Buyer), uint64(r.Item), uint64(r.Currency))
		sum += ecs.FieldHash(id, tagSaleC, uint64(r.Qty), uint64(r.Total), uint64(r.Answer)|uint64(r.Reason)<<8)
	}
	return sum
}

// holdings reports what a hold keeps (ecs.AddHoldings): the money of a
// pending hold and goods waiting for room. A sale keeps nothing.
func (s *System) holdingsOf(w *ecs.World, e arche.Entity, buf []ecs.Holding) []ecs.Holding {
	if h := s.holds.Get(e); h != nil {
		if h.Held != 0 {
			buf = append(buf, ecs.Holding{Kind: ecs.Money, What: h.Currency, Amount: h.Held})
		}
		if h.Waiting != 0 {
			buf = append(buf, ecs.Holding{Kind: ecs.Items, What: h.Item, Amount: h.Waiting})
		}
	}
	return buf
}

// onClose burns, with events, what a closed hold still keeps, so closing
// never loses value silently (closing a pending hold is an operator's
// write-off: the seller's answer is then refused as UnknownEntity). A
// closed hold or sale is forgotten by the message and request memory, as
// a world rebuilt from a snapshot would forget it: close a sale only once
// the buyer's shard has posted or voided its hold (Audit shows which), or
// a late repeat of its request is judged again.
func (s *System) onClose(w *ecs.World, id components.ID, e arche.Entity) {
	if r := s.sales.Get(e); r != nil {
		s.rebuild(w)
		delete(s.bySale, r.Msg)
		if r.Handover() && s.handedOver[r.Listing] == id {
			delete(s.handedOver, r.Listing)
		}
	}
	h := s.holds.Get(e)
	if h == nil {
		return
	}
	s.rebuild(w)
	if h.Request != 0 {
		delete(s.byReq, [2]uint64{uint64(h.Buyer), h.Request})
	}
	if h.Held > 0 {
		w.Emit(events.Burn(id, h.Currency, h.Held))
	}
	if h.Waiting > 0 {
		w.Emit(events.BurnItems(id, h.Item, h.Waiting))
	}
	h.Held, h.Waiting = 0, 0
	if h.State == components.SagaPending {
		h.State, h.Reason = components.SagaCompensated, events.ReasonUnknownEntity
	}
}

// Pending reports whether the hold waits for the seller's answer.
func (h Hold) Pending() bool { return h.State == components.SagaPending }

// Posted reports whether the sale went through (the price left, the goods
// came in).
func (h Hold) Posted() bool { return h.State == components.SagaCompleted }

// Voided reports whether the purchase was refused and the money given back
// (Reason says why).
func (h Hold) Voided() bool { return h.State == components.SagaCompensated }

// Handover reports whether the hold starts a move (Cluster.Move): the new
// player, on this shard, asks the old player's shard for nothing and pays
// nothing (Qty, Held, Item and Currency all 0); the old shard accepts it
// once per player. A handover not voided is what says, in this shard's
// log and in every snapshot of it, that its buyer moved here from
// Listing: Cluster.RebuildDirectory reads it after a restart.
func (h Hold) Handover() bool {
	return h.Qty == 0 && h.Item == 0 && h.Currency == 0 && h.Listing.Valid()
}

func handoverCmd(c *events.Event) bool {
	return c.Qty == 0 && c.Amount == 0 && c.Item == 0 && c.Currency == 0
}

// Handover reports whether the sale accepted a move's handover: its
// Listing (a player of this shard) moved to Buyer.
func (r Sale) Handover() bool {
	return r.Answer == events.XSaleAccepted && r.Qty == 0 && r.Item == 0 && r.Currency == 0 && r.Listing != 0
}
