package core

import "github.com/tickecon/tickecon/components"

// Bitset is a set of stable ids (ids ever created; ids touched this tick).
type Bitset struct{ Words []uint64 }

// Set adds id.
func (b *Bitset) Set(id components.ID) {
	i := int(id >> 6)
	for len(b.Words) <= i {
		b.Words = append(b.Words, 0)
	}
	b.Words[i] |= 1 << (id & 63)
}

// Has reports whether id is in the set.
func (b *Bitset) Has(id components.ID) bool {
	i := int(id >> 6)
	return i < len(b.Words) && b.Words[i]&(1<<(id&63)) != 0
}

// Clear removes id.
func (b *Bitset) Clear(id components.ID) {
	if i := int(id >> 6); i < len(b.Words) {
		b.Words[i] &^= 1 << (id & 63)
	}
}
