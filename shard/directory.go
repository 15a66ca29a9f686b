package shard

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
)

// Directory maps an entity's key (a content key: "alice", "potions") to
// its address, versioned: every change raises Version, and a lookup says
// at which version the answer was set, so a router that cached an older
// answer can tell it is stale. It is a sorted slice, never a Go map: every
// walk over it is in key order, so two processes building it from the
// same placements agree entry for entry.
type Directory struct {
	shards  uint16
	version uint64
	entries []Entry // sorted by Key
}

// Entry is one key's placement.
type Entry struct {
	Key     string
	Addr    Addr
	Version uint64 // the directory version that set it
}

// DirectoryError is a placement the directory refuses.
type DirectoryError struct {
	Key string
	Msg string
}

// Error implements error.
func (e *DirectoryError) Error() string { return fmt.Sprintf("shard: directory: %q: %s", e.Key, e.Msg) }

// NewDirectory returns an empty directory over shards 1…n.
func NewDirectory(n uint16) *Directory { return &Directory{shards: n} }

// Shards returns how many shards the directory spreads keys over.
func (d *Directory) Shards() uint16 { return d.shards }

// Version returns the number of changes made so far.
func (d *Directory) Version() uint64 { return d.version }

// Home returns the shard a new key is placed on: FNV-1a of the key modulo
// the shard count, plus one. It depends on the key alone, so every
// process places a new player the same way.
func (d *Directory) Home(key string) uint16 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return uint16(h.Sum64()%uint64(d.shards)) + 1
}

func (d *Directory) find(key string) (int, bool) {
	return slices.BinarySearchFunc(d.entries, key, func(e Entry, k string) int { return cmp.Compare(e.Key, k) })
}

// Lookup returns key's entry.
func (d *Directory) Lookup(key string) (Entry, bool) {
	i, ok := d.find(key)
	if !ok {
		return Entry{}, false
	}
	return d.entries[i], true
}

// Place records key at a (a new key, or a move: a player whose home
// changed) and returns the new version. An address outside the
// directory's shards is a *DirectoryError and changes nothing.
func (d *Directory) Place(key string, a Addr) (uint64, error) {
	if !a.Valid() || a.Shard() > d.shards {
		return d.version, &DirectoryError{Key: key, Msg: fmt.Sprintf("address %v is not on shards 1–%d", a, d.shards)}
	}
	d.version++
	e := Entry{Key: key, Addr: a, Version: d.version}
	if i, ok := d.find(key); ok {
		d.entries[i] = e
	} else {
		d.entries = slices.Insert(d.entries, i, e)
	}
	return d.version, nil
}

// Entries returns every placement, in key order (the caller must not
// change it).
func (d *Directory) Entries() []Entry { return d.entries }
