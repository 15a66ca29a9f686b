package generic

import (
	"slices"
	"unsafe"

	"github.com/tickecon/tickecon/third_party/arche/ecs"
)

// Typed bulk column paths (tickecon patch, not in upstream arche v0.15.3);
// see [ecs.Batch.NewColumn] and [ecs.World.CopyColumn].

// NewBatchFrom creates len(values) entities that have only the Map's
// component, in one batch, and sets their components to values in order,
// with one copy of the whole slice. The new entities take ids from the
// entity pool as [ecs.Batch.New] does. An empty slice does nothing.
//
// Panics when called on a locked world.
func (m *Map[T]) NewBatchFrom(values []T) {
	if len(values) == 0 {
		return
	}
	m.world.Batch().NewColumn(m.id, unsafe.Pointer(unsafe.SliceData(values)), len(values))
}

// AppendAll appends the Map's component of every entity matching filter to
// dst, in the order a query over filter visits them, with one copy per
// archetype, and returns the extended slice (grown only if dst lacks the
// room). Use a cached filter: resolving an uncached one allocates.
//
// Panics if an entity matching filter has no such component.
func (m *Map[T]) AppendAll(dst []T, filter ecs.Filter) []T {
	n := m.world.CountMatching(filter)
	if n == 0 {
		return dst
	}
	dst = slices.Grow(dst, n)
	var zero T
	end := unsafe.Add(unsafe.Pointer(unsafe.SliceData(dst)), uintptr(len(dst))*unsafe.Sizeof(zero))
	got := m.world.CopyColumn(filter, m.id, end)
	return dst[:len(dst)+got]
}

// NewBatchSwap is [Map.NewBatchFrom] without the copy, for a buffer that is
// filled and turned into entities over and over (see
// [ecs.Batch.NewColumnSwap]): when no entity with exactly the Map's
// component is alive, the world takes values' array over as their storage
// and returns its previous one, empty, for the caller to fill next time;
// otherwise it copies and returns values[:0]. Either way the caller keeps
// only the returned slice and must not use values again.
//
// Panics when called on a locked world.
func (m *Map[T]) NewBatchSwap(values []T) []T {
	var zero T
	if len(values) == 0 || unsafe.Sizeof(zero) == 0 {
		m.NewBatchFrom(values)
		return values[:0]
	}
	p, c := m.world.Batch().NewColumnSwap(m.id, unsafe.Pointer(unsafe.SliceData(values)), cap(values), len(values))
	return unsafe.Slice((*T)(p), c)[:0]
}
