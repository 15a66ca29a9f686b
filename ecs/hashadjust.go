package ecs

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// BalanceTerm is the checksum term of holder's balance of currency c: the
// part of holder's entity hash that this balance contributes (a zero
// balance contributes nothing).
func BalanceTerm(holder, c components.ID, amount int64) uint64 {
	if amount == 0 {
		return 0
	}
	return FieldHash(holder, tagBalance, uint64(c), uint64(amount), 0)
}

// SlotTerm is the checksum term of slot i of holder's inventory (every
// slot in use has one; slots are never empty). Removing items compacts the
// slots, so a system that removes adjusts nothing and lets the event touch
// the holder.
func SlotTerm(holder components.ID, i int, st components.Stack) uint64 {
	return FieldHash(holder, tagSlot, uint64(i), uint64(st.Item), uint64(st.Qty))
}

// AdjustHash adds delta — the new terms of the fields a system changed
// minus their old terms (BalanceTerm, SlotTerm) — to live entity id's
// cached hash and to the running checksum, so that the entity need not be
// read back and rehashed whole. Terms and deltas are wrapping uint64
// arithmetic, like the checksum; an id that is not live is ignored. Only
// balances and slots have term functions; anything else a system changes
// must go through Emit or Touch. Most systems never need it: Emit (or
// Touch) is always right and costs one rehash of each changed entity per
// tick. It pays off for a system that changes one or two fields of many
// large entities, each once or twice a tick (the PurchaseSystem in a world
// of a million players). A system that adjusts an entity's hash
// emits its event with EmitAdjusted, which touches the event's other
// entities but not its Subject. Exactness is the caller's contract: an
// audit (SetChecksumAudit) reports a wrong delta as drift; and if the
// entity is also touched in the tick it is rehashed from scratch anyway,
// which is always right.
func (w *World) AdjustHash(id components.ID, delta uint64) {
	p := w.idt.page(id)
	if p == nil || delta == 0 {
		return
	}
	i := id & (pageSize - 1)
	if p.ent[i].IsZero() { // closed (or never created): hash 0, nothing to adjust
		return
	}
	old := p.hash[i]
	h := old + delta
	p.hash[i] = h
	switch {
	case old == 0 && h != 0:
		p.nhash++
	case old != 0 && h == 0:
		p.nhash--
	}
	w.entSum += delta
}

// EmitAdjusted is Emit for an event whose Subject's hash the system kept
// up to date itself (AdjustHash): only the event's other entities are
// touched for the checksum. Call it in the same system run, after
// AdjustHash; an event emitted this way without an exact AdjustHash leaves
// the running checksum wrong until an audit or a later touch of the
// Subject corrects it, so when in doubt use Emit.
func (w *World) EmitAdjusted(ev events.Event) {
	w.dropStale()
	w.adjusted = append(w.adjusted, int32(len(w.rec.Events)))
	w.Emit(ev)
}
