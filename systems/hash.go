package systems

import (
	"unsafe"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/core"
)

// Checksum tags of the commerce components (part of the format: append only).
const (
	tagReceipt uint64 = 0xc0 + iota
	tagReceiptB
	tagCart
	tagCartLine
	tagAccount
	tagOwed
	tagPackage
	tagParcel
	tagCoupon
	tagCouponB
	tagTrade
	tagTradeItem
	tagTradeMoney
	tagRecord
	tagRecordB
	tagRecordC
	tagRecordD
	tagRecordE
	tagReceiptChain // a receipt's one term under ChecksumVersion 2
)

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// hash is the commerce part of an entity's state hash (an
// ecs.EntityHasher): a wrapping sum of ecs.FieldHash over every field of
// every commerce component the entity has, so it is independent of
// storage order. The world calls it for touched entities only.
func (m *CommerceMaps) hash(w *ecs.World, id components.ID, e arche.Entity) uint64 {
	if e == m.stand { // a receipt: a row, not the stand-in's value
		return m.receiptPart(id, m.rows.row(id))
	}
	a := w.ECS()
	mask := a.Mask(e) // once, not a Has per component
	if !mask.ContainsAny(&m.any) {
		return 0 // a buyer, a listing: most touched entities have none
	}
	var sum uint64
	if mask.Get(m.comps[0]) { // receipts: most of the rest, and nothing else
		sum = m.hashEntity(a.GetUnchecked(e, m.comps[0]), id, 0)
		if !mask.ContainsAny(&m.others) {
			return sum
		}
	}
	for i, c := range m.comps[1:] {
		if mask.Get(c) {
			sum += m.hashEntity(a.GetUnchecked(e, c), id, i+1)
		}
	}
	return sum
}

// Receipts are hashed one of two ways (Config.ChecksumVersion), and a
// world keeps to the one it was made with, so that a log verifies with the
// version it was recorded with:
//
//   - version 0 or 1, every log recorded before version 2 existed: an
//     entity's terms, the alive term and two field hashes of the receipt's
//     fields (hashReceipt) — three FieldHash, twelve Mix rounds;
//   - version 2 (DefaultConfig): seven Mix rounds over the id, its tag and
//     the six fields, each mixed in its own round (receiptChain). A receipt lives a tick or two and the checksum must
//     count it; its hash was a fifth of a commerce purchase's own work.
//
// Either way it is the whole of the receipt's hash (its entity hash, as
// the world's full rehash computes it): the commerce hasher's part is the
// whole minus the alive term the world adds to every entity.

// hashReceipt is receipt r's part of entity id's hash under version 1.
func hashReceipt(id components.ID, r *components.Receipt) uint64 {
	return ecs.FieldHash(id, tagReceipt, uint64(r.Buyer), r.Request, r.Tick) +
		ecs.FieldHash(id, tagReceiptB, uint64(r.What), uint64(r.Lines), uint64(r.Amount))
}

// receiptChain is the whole hash of receipt id holding r under version 2:
// the id and tag in one round, then two chains of three rounds, a field in
// each round, summed. Two chains, not one of seven rounds: a purchase
// waits on the longest chain of multiplies, four rounds, as on the
// FieldHash of version 1, not seven.
func receiptChain(id components.ID, r *components.Receipt) uint64 {
	tag := tagReceiptChain // a variable: the product wraps, as FieldHash's does
	a := core.Mix(uint64(id) ^ tag*0x9e3779b97f4a7c15)
	b := core.Mix(core.Mix(core.Mix(a^uint64(r.Buyer))+r.Request) ^ r.Tick*0xd6e8feb86659fd93)
	c := core.Mix(core.Mix(core.Mix(a+uint64(r.What))^uint64(r.Lines)) + uint64(r.Amount))
	return b + c
}

// aliveTerm is the term every live entity's hash has (ecs's entity hash).
func aliveTerm(id components.ID) uint64 { return ecs.FieldHash(id, core.TagAlive, 0, 0, 0) }

// receiptEntityHash is the whole hash of entity id when it is a receipt
// holding r and the commerce hasher is the world's only EntityHasher: what
// the world's entity hash computes for it, term for term.
func (m *CommerceMaps) receiptEntityHash(id components.ID, r *components.Receipt) uint64 {
	if m.terms >= 2 {
		return receiptChain(id, r)
	}
	return aliveTerm(id) + hashReceipt(id, r)
}

// receiptPart is the commerce hasher's part of receipt id's hash: the
// whole less the alive term (audits and worlds with other hashers only).
func (m *CommerceMaps) receiptPart(id components.ID, r *components.Receipt) uint64 {
	if m.terms >= 2 {
		return receiptChain(id, r) - aliveTerm(id)
	}
	return hashReceipt(id, r)
}

// hashEntity hashes the commerce component at p, number which in
// m.comps' order, of entity id.
func (m *CommerceMaps) hashEntity(p unsafe.Pointer, id components.ID, which int) uint64 {
	var sum uint64
	switch which {
	case 0:
		sum += m.receiptPart(id, (*components.Receipt)(p))
	case 1:
		c := (*components.Cart)(p)
		sum += ecs.FieldHash(id, tagCart, uint64(c.Owner), uint64(c.Receipt), uint64(len(c.Lines)))
		for i, l := range c.Lines {
			sum += ecs.FieldHash(id, tagCartLine, uint64(i), uint64(l.Listing), uint64(l.Qty))
		}
	case 2:
		a := (*components.Account)(p)
		sum += ecs.FieldHash(id, tagAccount, uint64(a.Holder), uint64(a.Limit), 0)
		for _, o := range a.Owed {
			if o.Amount != 0 {
				sum += ecs.FieldHash(id, tagOwed, uint64(o.Till), uint64(o.Currency), uint64(o.Amount))
			}
		}
	case 3:
		p := (*components.Package)(p)
		sum += ecs.FieldHash(id, tagPackage, uint64(p.Recipient), 0, 0)
		for _, g := range p.Goods {
			sum += ecs.FieldHash(id, tagParcel, uint64(g.Item), uint64(g.Qty), 0)
		}
	case 4:
		c := (*components.Coupon)(p)
		sum += ecs.FieldHash(id, tagCoupon, uint64(c.Holder), uint64(c.Issuer), uint64(c.Currency))
		sum += ecs.FieldHash(id, tagCouponB, uint64(c.Value), b2u(c.Used), 0)
	case 5:
		t := (*components.Trade)(p)
		sum += ecs.FieldHash(id, tagTrade, uint64(t.Parties[0])<<1|b2u(t.Accepted[0]),
			uint64(t.Parties[1])<<1|b2u(t.Accepted[1]), b2u(t.Closed))
		for side := range t.Sides {
			for _, s := range t.Sides[side].Items {
				sum += ecs.FieldHash(id, tagTradeItem, uint64(side), uint64(s.Item), uint64(s.Qty))
			}
			for _, b := range t.Sides[side].Money {
				sum += ecs.FieldHash(id, tagTradeMoney, uint64(side), uint64(b.Currency), uint64(b.Amount))
			}
		}
	case 6:
		r := (*components.PurchaseRecord)(p)
		sum += ecs.FieldHash(id, tagRecord, uint64(r.Buyer), uint64(r.Listing), uint64(r.Till))
		sum += ecs.FieldHash(id, tagRecordB, uint64(r.Item), uint64(r.Currency), uint64(r.Qty))
		sum += ecs.FieldHash(id, tagRecordC, uint64(r.Price), uint64(r.Paid), r.Request)
		sum += ecs.FieldHash(id, tagRecordD, r.Payment, r.Delivery, r.Deadline<<8|uint64(r.State))
		sum += ecs.FieldHash(id, tagRecordE, uint64(r.Target), 0, 0)
	}
	return sum
}
