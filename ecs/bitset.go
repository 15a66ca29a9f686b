package ecs

import "github.com/tickecon/tickecon/components"

// bitset is a set of stable ids (ids ever created; ids touched this tick).
type bitset struct{ words []uint64 }

func (b *bitset) set(id components.ID) {
	i := int(id >> 6)
	for len(b.words) <= i {
		b.words = append(b.words, 0)
	}
	b.words[i] |= 1 << (id & 63)
}

func (b *bitset) has(id components.ID) bool {
	i := int(id >> 6)
	return i < len(b.words) && b.words[i]&(1<<(id&63)) != 0
}

func (b *bitset) clear(id components.ID) {
	if i := int(id >> 6); i < len(b.words) {
		b.words[i] &^= 1 << (id & 63)
	}
}
