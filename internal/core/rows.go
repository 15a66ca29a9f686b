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
