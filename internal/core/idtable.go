package core

import (
	"math/bits"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
)

// The page size of the id table: 1024 ids per page. PageSize is exported
// for tests that fill whole pages.
const (
	pageBits  = 10
	PageSize  = 1 << pageBits
	pageWords = PageSize / 64
)

// idPage holds, for PageSize consecutive stable ids, what the world keeps
// per id: the live entity, the cached state hash, and whether the id was
// ever used (created, so never handed out again) or touched this tick.
type idPage struct {
	ent   [PageSize]arche.Entity
	hash  [PageSize]uint64
	used  [pageWords]uint64
	dirty [pageWords]uint64
	live  int32 // ids with a live entity
	nused int32 // ids marked used
	ndirt int32 // ids marked dirty
	nhash int32 // ids whose cached hash is not 0
}

// IDTable maps stable ids to their per-id state, in pages allocated on
// first use. A page whose every id was used and is closed again — and
// whose cached hashes are flushed — holds nothing that can change (a
// closed id is never reused) and is dropped: only a bit says it is spent.
// So the table is bounded by the pages that still hold a live or unused
// id, not by history: a server that creates and closes receipts for days
// keeps the same memory, while replays and checksums see the same state
// (a spent id answers Gone, used, hash 0 and clean, as before).
type IDTable struct {
	pages []*idPage // page i: ids [i·PageSize, (i+1)·PageSize); nil: none yet, or spent
	spent Bitset    // page indexes whose ids are all used and closed
	free  []*idPage // dropped pages kept for reuse, so a steady stream of ids allocates nothing
	live  int       // ids with a live entity, over all pages
}

// maxFreePages bounds the pages kept for reuse. Ids are handed out in
// order, so a steady stream of created and closed entities needs about
// one page per 1,024 ids created between a page's first id and its
// release: a commerce tick of 10k purchases creates 10k receipts, and
// with 4 pages kept it allocated 6 new pages every tick. 64 pages (≈ 1 MB
// at most, whatever the history) cover 64k receipts a tick.
const maxFreePages = 64

// page returns id's page, or nil (never allocated, or spent).
func (t *IDTable) page(id components.ID) *idPage {
	if i := uint64(id) >> pageBits; i < uint64(len(t.pages)) {
		return t.pages[i]
	}
	return nil
}

// pageFor returns id's page, allocating it (and the directory) if needed.
// It must not be called for an id of a spent page.
func (t *IDTable) pageFor(id components.ID) *idPage {
	i := int(uint64(id) >> pageBits)
	for len(t.pages) <= i {
		t.pages = append(t.pages, nil)
	}
	p := t.pages[i]
	if p == nil {
		if n := len(t.free); n > 0 {
			p, t.free = t.free[n-1], t.free[:n-1]
		} else {
			p = new(idPage)
		}
		t.pages[i] = p
	}
	return p
}

// Entity returns id's live entity, or the zero entity.
func (t *IDTable) Entity(id components.ID) arche.Entity {
	if p := t.page(id); p != nil {
		return p.ent[id&(PageSize-1)]
	}
	return arche.Entity{}
}

// SetEntity records id's live entity (the zero entity: closed).
func (t *IDTable) SetEntity(id components.ID, e arche.Entity) {
	p := t.pageFor(id)
	slot := &p.ent[id&(PageSize-1)]
	switch {
	case slot.IsZero() && !e.IsZero():
		p.live++
		t.live++
	case !slot.IsZero() && e.IsZero():
		p.live--
		t.live--
	}
	*slot = e
	t.release(id, p)
}

// Used reports whether id was ever used.
func (t *IDTable) Used(id components.ID) bool {
	if p := t.page(id); p != nil {
		return p.used[(id&(PageSize-1))>>6]&(1<<(id&63)) != 0
	}
	return t.spent.Has(components.ID(uint64(id) >> pageBits))
}

// MarkUsed records that id was used; it reports false if it already was.
func (t *IDTable) MarkUsed(id components.ID) bool {
	if t.Used(id) {
		return false
	}
	p := t.pageFor(id)
	p.used[(id&(PageSize-1))>>6] |= 1 << (id & 63)
	p.nused++
	return true
}

// Hash returns id's cached state hash (0 for ids without a page).
func (t *IDTable) Hash(id components.ID) uint64 {
	if p := t.page(id); p != nil {
		return p.hash[id&(PageSize-1)]
	}
	return 0
}

// IsDirty reports whether id is marked touched (false for ids without a
// page).
func (t *IDTable) IsDirty(id components.ID) bool {
	p := t.page(id)
	return p != nil && p.dirty[(id&(PageSize-1))>>6]&(1<<(id&63)) != 0
}

// MarkDirty marks id touched; it reports false if it already was, or if
// id has no page (a spent id or one never created: hash 0, nothing to
// recompute).
func (t *IDTable) MarkDirty(id components.ID) bool {
	p := t.page(id)
	if p == nil {
		return false
	}
	w, bit := &p.dirty[(id&(PageSize-1))>>6], uint64(1)<<(id&63)
	if *w&bit != 0 {
		return false
	}
	*w |= bit
	p.ndirt++
	return true
}

// Flushed stores id's new hash and clears its dirty mark; it returns the
// old hash.
func (t *IDTable) Flushed(id components.ID, h uint64) (old uint64) {
	p := t.page(id)
	if p == nil {
		return 0
	}
	i := id & (PageSize - 1)
	old, p.hash[i] = p.hash[i], h
	switch {
	case old == 0 && h != 0:
		p.nhash++
	case old != 0 && h == 0:
		p.nhash--
	}
	if w, bit := &p.dirty[i>>6], uint64(1)<<(id&63); *w&bit != 0 {
		*w &^= bit
		p.ndirt--
	}
	t.release(id, p)
	return old
}

// release drops id's page once it is spent: every id used, none alive,
// none waiting for its hash to be flushed, every cached hash 0 (a closed
// id's hash is 0 once flushed).
func (t *IDTable) release(id components.ID, p *idPage) {
	if p.nused == PageSize && p.live == 0 && p.ndirt == 0 && p.nhash == 0 {
		i := uint64(id) >> pageBits
		t.pages[i] = nil
		t.spent.Set(components.ID(i))
		if len(t.free) < maxFreePages {
			*p = idPage{}
			t.free = append(t.free, p)
		}
	}
}

// ClearHashes zeroes every cached hash (a full rehash follows).
func (t *IDTable) ClearHashes() {
	for _, p := range t.pages {
		if p != nil {
			clear(p.hash[:])
			p.nhash = 0
		}
	}
}

// UsedWords returns the used ids as Bitset words (bit id%64 of word
// id/64), without trailing zero words: the snapshot format.
func (t *IDTable) UsedWords() []uint64 {
	var out []uint64
	for i, p := range t.pages {
		for j := range pageWords {
			var word uint64
			switch {
			case p != nil:
				word = p.used[j]
			case t.spent.Has(components.ID(i)):
				word = ^uint64(0)
			}
			out = append(out, word)
		}
	}
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// LoadUsed marks the ids of Bitset words used (a restored snapshot).
func (t *IDTable) LoadUsed(words []uint64) {
	for wi, word := range words {
		for word != 0 {
			b := uint64(bits.TrailingZeros64(word))
			word &^= 1 << b
			t.MarkUsed(components.ID(uint64(wi)<<6 | b))
		}
	}
}

// ReleaseAll drops every page that is spent (after a restore).
func (t *IDTable) ReleaseAll() {
	for i, p := range t.pages {
		if p != nil {
			t.release(components.ID(uint64(i)<<pageBits), p)
		}
	}
}

// Live returns how many stable ids name a live entity: the size of the
// world's state, unlike the next id, which also counts every closed id (a
// server that issues and closes receipts has ids in the millions and a few
// thousand live entities).
func (t *IDTable) Live() int { return t.live }

// Pages returns how many pages the table holds (not spent, not dropped).
func (t *IDTable) Pages() int {
	n := 0
	for _, p := range t.pages {
		if p != nil {
			n++
		}
	}
	return n
}
