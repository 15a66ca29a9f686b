package ecs

import "unsafe"

// EntityRecords returns where e's liveness record and location record (its
// archetype and row) are kept, without reading either, so that a caller
// can prefetch them before it calls Get (tickecon's purchase look-ahead).
// Both are nil for an id the world never had.
func (w *World) EntityRecords(e Entity) (alive, location unsafe.Pointer) {
	if int(e.id) >= len(w.entities) || int(e.id) >= len(w.entityPool.entities) {
		return nil, nil
	}
	return unsafe.Pointer(&w.entityPool.entities[e.id]), unsafe.Pointer(&w.entities[e.id])
}
