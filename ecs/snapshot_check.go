package ecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"reflect"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/internal/core"
)

// restorePlan is a snapshot checked and decoded, ready to be built.
type restorePlan struct {
	created  uint64          // ids marked used
	entities []plannedEntity // one per Snapshot.Entities entry
	states   []plannedState
}

type plannedEntity struct {
	comps  []arche.ID      // Stable first, then the snapshot's components
	values []reflect.Value // decoded values of comps[1:]
}

type plannedState struct {
	saver StateSaver
	state []byte
}

// snapErr formats a *SnapshotError.
func snapErr(format string, args ...any) error {
	return &SnapshotError{Msg: fmt.Sprintf(format, args...)}
}

// checkSnapshot validates all of s against w's registered component types
// and systems, and decodes every component value, without changing w.
// Everything build will do is checked here: each entity id once, in order
// and below next_id; each component type registered, listed once and not
// the world's own (Stable, intents); next_id bounded by the ids the
// snapshot itself shows created (so a tiny snapshot cannot make the id
// index allocate gigabytes); the core components' values consistent
// (references name entities of the right kind, amounts in range), so that
// no later tick can panic on them; each system state named once.
func (w *World) checkSnapshot(s *Snapshot) (*restorePlan, error) {
	if s == nil {
		return nil, snapErr("no snapshot")
	}
	if s.Format != SnapshotFormat {
		return nil, snapErr("snapshot format %d, this build reads format %d (format 1 named component types without their package path; re-record it)", s.Format, SnapshotFormat)
	}
	if s.NextID < 1 {
		return nil, snapErr("next id %d out of range", s.NextID)
	}
	if uint64(len(s.Used)) > uint64(s.NextID-1)/64+1 {
		return nil, snapErr("used set of %d words is longer than next id %d needs", len(s.Used), s.NextID)
	}
	created := uint64(0)
	for i, word := range s.Used {
		created += uint64(bits.OnesCount64(word))
		if i == 0 && word&1 != 0 {
			return nil, snapErr("id 0 marked used")
		}
		if hi := uint64(i+1) * 64; hi > uint64(s.NextID) && word>>(64-(hi-uint64(s.NextID))) != 0 {
			return nil, snapErr("ids at or above next id %d marked used", s.NextID)
		}
	}
	// Ids below next_id that were never created are reservations: queued
	// creating commands, or jumps bounded by ReserveSlack (commands.go).
	if unused := uint64(s.NextID-1) - created; unused > reserveBound(created)+uint64(len(s.Pending)) {
		return nil, snapErr("next id %d: %d ids reserved but never created, more than %d created ids allow",
			s.NextID, unused, created)
	}
	types, ambiguous := w.componentTable()
	p := &restorePlan{created: created, entities: make([]plannedEntity, len(s.Entities))}
	kinds := map[components.ID]*plannedEntity{} // looked up by id, never iterated
	prev := components.ID(0)
	for i, es := range s.Entities {
		if es.ID <= prev || es.ID >= s.NextID {
			return nil, snapErr("entity id %d out of order or range", es.ID)
		}
		if !(&core.Bitset{Words: s.Used}).Has(es.ID) {
			return nil, snapErr("entity %d is not marked used", es.ID)
		}
		prev = es.ID
		pe := &p.entities[i]
		pe.comps = append(make([]arche.ID, 0, len(es.Components)+1), w.Maps.Stable.ID())
		for j, c := range es.Components {
			if j > 0 && c.Type <= es.Components[j-1].Type {
				return nil, snapErr("entity %d: component %s out of order or listed twice", es.ID, c.Type)
			}
			if amb, ok := ambiguous[c.Type]; ok {
				return nil, snapErr("entity %d: component name %s names several types %v in this world", es.ID, c.Type, amb)
			}
			cid, ok := types[c.Type]
			if !ok {
				return nil, snapErr("entity %d: component type %s is not registered in this world", es.ID, c.Type)
			}
			if cid == w.Maps.Stable.ID() || cid == w.Maps.Intent.ID() {
				return nil, snapErr("entity %d: component %s cannot be restored", es.ID, c.Type)
			}
			info, _ := arche.ComponentInfo(&w.ecs, cid)
			v := reflect.New(info.Type)
			dec := json.NewDecoder(bytes.NewReader(c.Value))
			dec.DisallowUnknownFields()
			if err := dec.Decode(v.Interface()); err != nil {
				return nil, snapErr("entity %d %s: %v", es.ID, c.Type, err)
			}
			if dec.More() {
				return nil, snapErr("entity %d %s: trailing data", es.ID, c.Type)
			}
			pe.comps = append(pe.comps, cid)
			pe.values = append(pe.values, v.Elem())
		}
		kinds[es.ID] = pe
	}
	if err := w.checkCore(s, kinds); err != nil {
		return nil, err
	}
	for i, ss := range s.Systems {
		for _, prior := range s.Systems[:i] {
			if prior.Name == ss.Name {
				return nil, snapErr("system %s listed twice", ss.Name)
			}
		}
		var saver StateSaver
		for _, sys := range w.systems {
			if sv, ok := sys.(StateSaver); ok && sys.Name() == ss.Name {
				saver = sv
				break
			}
		}
		if saver == nil {
			return nil, snapErr("system %s is not installed in this world", ss.Name)
		}
		p.states = append(p.states, plannedState{saver, ss.State})
	}
	return p, nil
}

// component returns the decoded value of component cid of a planned
// entity, or nil.
func (pe *plannedEntity) component(cid arche.ID) any {
	if pe == nil {
		return nil
	}
	for j, c := range pe.comps[1:] {
		if c == cid {
			return pe.values[j].Addr().Interface()
		}
	}
	return nil
}

// checkCore checks the core components' values and the entities they
// name, as the commands that built them would have.
func (w *World) checkCore(s *Snapshot, ents map[components.ID]*plannedEntity) error {
	m := &w.Maps
	isA := func(id components.ID, cid arche.ID) bool { return ents[id].component(cid) != nil }
	prev := components.ID(0)
	for _, c := range s.Currencies {
		if c <= prev || !isA(c, m.Currency.ID()) {
			return snapErr("currency %d out of order or not a currency entity", c)
		}
		prev = c
	}
	for _, es := range s.Entities {
		pe := ents[es.ID]
		if d, ok := pe.component(m.Currency.ID()).(*components.CurrencyDef); ok {
			if d.Decimals > 18 || !slices.Contains(s.Currencies, es.ID) {
				return snapErr("entity %d: currency (decimals %d) out of range or missing from the currency list", es.ID, d.Decimals)
			}
		}
		if d, ok := pe.component(m.Item.ID()).(*components.ItemDef); ok && (d.MaxStack < 1 || d.MaxStack > MaxStack) {
			return snapErr("entity %d: item max stack %d out of range", es.ID, d.MaxStack)
		}
		if wal, ok := pe.component(m.Wallet.ID()).(*components.Wallet); ok {
			for i, b := range wal.Balances {
				if i > 0 && b.Currency <= wal.Balances[i-1].Currency || !isA(b.Currency, m.Currency.ID()) || b.Amount < 0 {
					return snapErr("entity %d: wallet balance %d (currency %d, amount %d) invalid", es.ID, i, b.Currency, b.Amount)
				}
			}
		}
		if inv, ok := pe.component(m.Inventory.ID()).(*components.Inventory); ok {
			if inv.Capacity < 0 || inv.Capacity > MaxCapacity || len(inv.Slots) > inv.Capacity {
				return snapErr("entity %d: inventory of %d slots, capacity %d", es.ID, len(inv.Slots), inv.Capacity)
			}
			for i, st := range inv.Slots {
				def, _ := ents[st.Item].component(m.Item.ID()).(*components.ItemDef)
				if def == nil || st.Qty < 1 || st.Qty > def.MaxStack {
					return snapErr("entity %d: inventory slot %d (item %d, qty %d) invalid", es.ID, i, st.Item, st.Qty)
				}
			}
		}
		if l, ok := pe.component(m.Listing.ID()).(*components.ShopListing); ok {
			// The shop and the till may have been closed since (Close does
			// not close their listings; a purchase is then refused as
			// TillGone): closed, but never an id that was not created.
			wasA := func(id components.ID, cid arche.ID) bool {
				return isA(id, cid) || ents[id] == nil && id != 0 && id < s.NextID && (&core.Bitset{Words: s.Used}).Has(id)
			}
			if !wasA(l.Shop, m.Shop.ID()) || !isA(l.Item, m.Item.ID()) || !isA(l.Currency, m.Currency.ID()) ||
				!wasA(l.Till, m.Wallet.ID()) || l.Price < 0 || l.Stock < 0 || l.Revision > math.MaxInt64-2 {
				return snapErr("entity %d: listing %+v names a missing entity or is out of range", es.ID, *l)
			}
		}
	}
	return nil
}
