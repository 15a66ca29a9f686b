package generic

import (
	"slices"
	"unsafe"

	"github.com/mlange-42/arche/ecs"
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
