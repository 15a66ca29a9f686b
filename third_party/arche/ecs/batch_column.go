package ecs

import (
	"reflect"
	"unsafe"
)

// Bulk column paths: a tickecon patch, not part of upstream arche v0.15.3.
// They create or read a whole component column with one copy per
// archetype instead of one call per entity, for worlds that turn a buffer
// of values into entities every frame and consume them again.

// NewColumn creates count entities that have exactly the component id, in
// one batch, and sets their components to the count values stored one
// after the other at src, in order: the whole column is filled by one copy
// (through reflect when the component type holds pointers, so that the
// garbage collector sees every copied pointer). The new entities take ids
// from the entity pool exactly as [Batch.New] does (recycled ones first),
// and listeners are notified as for [Batch.New], after the values are set.
// count 0 does nothing.
//
// src must point to count consecutive values of the component's type; a
// typed wrapper is [github.com/mlange-42/arche/generic.Map.NewBatchFrom].
//
// Panics when called on a locked world, with a negative count, or with a
// component id that is not registered.
func (b *Batch) NewColumn(id ID, src unsafe.Pointer, count int) {
	if count == 0 {
		return
	}
	w := b.world
	comps := [1]ID{id}
	arch, start := w.newEntitiesNoNotify(count, ID{}, false, Entity{}, comps[:]...)
	if lay := arch.getLayout(id); lay.itemSize > 0 {
		lay.copyItems(src, lay.Get(start), uint32(count))
	}
	w.notifyNewEntities(arch, start, count, arch.node.Ids) // = comps, which must not escape
}

// CopyColumn copies the component id of every entity matching filter to
// dst, archetype by archetype in the order a [Query] over filter visits
// them (entity order within an archetype), one copy per archetype, and
// returns how many values it copied. Use a cached filter (see [Cache]):
// resolving an uncached one allocates.
//
// dst must have room for [Query.Count] values of the component's type; a
// typed wrapper is [github.com/mlange-42/arche/generic.Map.AppendAll].
//
// Panics if an archetype matching filter has no component id.
func (w *World) CopyColumn(filter Filter, id ID, dst unsafe.Pointer) int {
	var n uint32
	for _, arch := range w.getArchetypes(filter) {
		ln := arch.Len()
		if ln == 0 {
			continue
		}
		lay := arch.getLayout(id)
		if lay.pointer == nil {
			panic("can't copy a component column from an archetype without that component")
		}
		if lay.itemSize > 0 {
			lay.copyItems(lay.pointer, unsafe.Add(dst, uintptr(n)*uintptr(lay.itemSize)), ln)
		}
		n += ln
	}
	return int(n)
}

// CountMatching returns how many entities match filter, like
// [Query.Count] without creating a query (and without locking the world).
// Use a cached filter (see [Cache]): resolving an uncached one allocates.
func (w *World) CountMatching(filter Filter) int {
	var n int
	for _, arch := range w.getArchetypes(filter) {
		n += int(arch.Len())
	}
	return n
}

// NewColumnSwap is [Batch.NewColumn] without the copy, for a buffer that is
// filled and turned into entities over and over. arr points to an array of
// capacity values of the component's type whose first count are the new
// entities' values (a slice's backing array). When the archetype of exactly
// {id} is empty, the archetype takes that array over as its column (no
// copy; the rows from count to capacity are cleared) and hands back its
// previous column, every row of it zero, as (old, oldCap) for the caller to
// fill next time. Otherwise — entities of the archetype still alive, or a
// buffer far larger than count, whose clearing would cost more than the
// copy — it copies like NewColumn and returns arr and capacity: the caller
// keeps its buffer. After a swap the caller must not touch arr again.
// Entity ids and listener notification are as for NewColumn. count 0 does
// nothing and returns arr.
//
// A typed wrapper is [github.com/mlange-42/arche/generic.Map.NewBatchSwap].
//
// Panics when called on a locked world, or if count > capacity.
func (b *Batch) NewColumnSwap(id ID, arr unsafe.Pointer, capacity, count int) (old unsafe.Pointer, oldCap int) {
	if count == 0 {
		return arr, capacity
	}
	if count < 0 || count > capacity {
		panic("count out of the buffer's range")
	}
	w := b.world
	w.checkLocked()
	comps := [1]ID{id}
	arch := w.findOrCreateArchetype(w.archetypes.Get(0), comps[:], nil, Entity{})
	lay := arch.getLayout(id)
	if arch.Len() != 0 || len(arch.node.Ids) != 1 || lay.itemSize == 0 || capacity > 2*count+1024 {
		b.NewColumn(id, arr, count)
		return arr, capacity
	}
	var buf reflect.Value
	if l := arch.lent; l.IsValid() && l.Len() == capacity && l.Addr().UnsafePointer() == arr {
		buf = l
	} else {
		tp, _ := w.registry.ComponentType(id.id)
		buf = reflect.NewAt(reflect.ArrayOf(capacity, tp), arr).Elem()
	}
	if count < capacity { // arche keeps rows beyond the length zero
		if lay.typ == nil {
			clear(unsafe.Slice((*byte)(unsafe.Add(arr, uintptr(count)*uintptr(lay.itemSize))), uintptr(capacity-count)*uintptr(lay.itemSize)))
		} else {
			for i := count; i < capacity; i++ {
				lay.zeroItem(arch, unsafe.Add(arr, uintptr(i)*uintptr(lay.itemSize)))
			}
		}
	}
	prev := arch.swapColumn(id, buf)
	arch.lent = prev
	start := arch.Len()
	w.createEntities(arch, uint32(count))
	w.notifyNewEntities(arch, start, count, arch.node.Ids) // = comps, which must not escape
	return prev.Addr().UnsafePointer(), prev.Len()
}
