package core

import (
	"unsafe"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
)

// RowOwner keeps the values of row ids: stable ids that the world answers
// for like entities — Lookup says Alive, Close closes them, checksums,
// audits and snapshots count them — but whose one component lives in a
// table of the owner's instead of an arche entity each (the commerce
// receipts: creating and removing an arche entity per purchase cost more
// than the purchase). Every row id maps to one shared stand-in entity that
// holds a component of the rows' type and nothing else, so that code which
// tests an entity's components sees a row as an entity of that component.
type RowOwner interface {
	// Row returns a pointer to row id's value (of the rows' component
	// type); id is a live row.
	Row(id components.ID) unsafe.Pointer
	// Load sets row id's value from v (a pointer to a value of the rows'
	// component type): a restored snapshot.
	Load(id components.ID, v unsafe.Pointer)
	// Close frees row id, which the world is closing.
	Close(id components.ID)
	// Reset forgets every row (a restore rolled back).
	Reset()
}

// Rows is a world's row ids' set-up: the stand-in entity that Lookup
// returns for every row id, the component type of the rows, and their
// owner. The zero Rows means the world has no row ids.
type Rows struct {
	Entity arche.Entity
	Comp   arche.ID
	Owner  RowOwner
}

// EnableRows gives the world row ids of component comp, kept by owner
// (once, before the first Step): it creates their stand-in entity.
func (s *State) EnableRows(comp arche.ID, owner RowOwner) {
	s.Rows = Rows{Entity: s.world.NewEntity(comp), Comp: comp, Owner: owner}
}

// IsRow reports whether e is the stand-in of the row ids.
func (s *State) IsRow(e arche.Entity) bool {
	return s.Rows.Owner != nil && e == s.Rows.Entity
}

// AppendRows appends the live row ids to dst in ascending order: every id
// whose entity is the stand-in (pages with no live id are skipped).
func (t *IDTable) AppendRows(dst []components.ID, stand arche.Entity) []components.ID {
	for pi, p := range t.pages {
		if p == nil || p.live == 0 {
			continue
		}
		for i := range p.ent {
			if p.ent[i] == stand {
				dst = append(dst, components.ID(uint64(pi)<<pageBits|uint64(i)))
			}
		}
	}
	return dst
}

// OpenRow records new row id: live with the stand-in entity, used, its
// cached hash h — SetEntity, MarkUsed and AdjustHash of a fresh id in one
// page visit. It reports whether id was not marked used before (the
// world counts created ids). The caller adds h to EntSum.
func (t *IDTable) OpenRow(id components.ID, stand arche.Entity, h uint64) (fresh bool) {
	p := t.pageFor(id)
	i := id & (PageSize - 1)
	if p.ent[i].IsZero() {
		p.live++
		t.live++
	}
	p.ent[i] = stand
	w, bit := &p.used[i>>6], uint64(1)<<(id&63)
	if fresh = *w&bit == 0; fresh {
		*w |= bit
		p.nused++
	}
	old := p.hash[i]
	p.hash[i] = old + h
	switch {
	case old == 0 && old+h != 0:
		p.nhash++
	case old != 0 && old+h == 0:
		p.nhash--
	}
	return fresh
}

// CloseRow records that live row id is closed, with hash 0 and not dirty
// — SetEntity to zero and Flushed(id, 0) in one page visit — and returns
// its old cached hash, which the caller subtracts from EntSum. If id was
// in the world's dirty list, its later flush finds it closed and clean:
// hash 0, nothing to change.
func (t *IDTable) CloseRow(id components.ID) (old uint64) {
	p := t.page(id)
	i := id & (PageSize - 1)
	if !p.ent[i].IsZero() {
		p.live--
		t.live--
	}
	p.ent[i] = arche.Entity{}
	old, p.hash[i] = p.hash[i], 0
	if old != 0 {
		p.nhash--
	}
	if w, bit := &p.dirty[i>>6], uint64(1)<<(id&63); *w&bit != 0 {
		*w &^= bit
		p.ndirt--
	}
	t.release(id, p)
	return old
}
