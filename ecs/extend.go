package ecs

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// CommandHandler applies a command kind the core does not know (carts,
// coupons, trades… added by systems.InstallCommerce or a third party).
// Such commands are ordinary events.Event inputs: queued with Command,
// applied in submission order in the command phase of a tick, recorded in
// TickRecord.Commands and replayed like any other command.
type CommandHandler interface {
	// Creates reports whether the command creates an entity whose stable id
	// is the command's Subject (allocated by Command when zero).
	Creates() bool
	// Check validates c against the current state without changing it.
	// For a creating command the core has already checked that Subject is
	// a free id.
	Check(w *World, c *events.Event) events.Reason
	// Apply makes the change and emits its events (usually c itself). It is
	// only called after Check returned ReasonNone and must not fail.
	Apply(w *World, c *events.Event)
}

// HandleCommand routes commands of kind k to h. Kinds the core handles
// itself cannot be overridden. Register handlers before the first Step.
func (w *World) HandleCommand(k events.Kind, h CommandHandler) {
	if w.handlers == nil {
		w.handlers = map[events.Kind]CommandHandler{} // looked up, never iterated
	}
	w.handlers[k] = h
}

func (w *World) handler(k events.Kind) CommandHandler {
	if coreKind(k) {
		return nil
	}
	return w.handlers[k]
}

// OnClose registers fn to run when an entity is closed, after the core
// burned its wallet, inventory and listing stock and before it is removed:
// an extension burns (with events) whatever its own components hold there,
// so that closing never loses value silently.
func (w *World) OnClose(fn func(w *World, id components.ID, e arche.Entity)) {
	w.closers = append(w.closers, fn)
	w.core.Closers = len(w.closers)
}

// Spawn creates an entity with a fresh stable id and the given components
// (Stable is added), from a system or a command handler. It is a structural
// change: pointers from Maps.Get obtained before it are invalid after it,
// and it must not run inside a query. Amortized allocation-free.
func (w *World) Spawn(comps ...arche.ID) (components.ID, arche.Entity) {
	id := w.nextID
	w.reserve(id)
	return id, w.SpawnAs(id, comps...)
}

// SpawnBatch creates n entities with comps (Stable is added) and the fresh
// consecutive stable ids first … first+n-1, where first is NextID before
// the call, in one arche batch: one archetype lookup and one allocation
// for all of them instead of one per entity. fill is called once per
// entity, in id order (i = id - first), to set its components; the world
// is locked meanwhile, so fill must not make structural changes. Like
// Spawn, it is a structural change itself and must not run inside a
// query. Amortized allocation-free.
func (w *World) SpawnBatch(n int, comps []arche.ID, fill func(i int, e arche.Entity)) (first components.ID) {
	first = w.nextID
	if n <= 0 {
		return first
	}
	w.spawnBuf = append(append(w.spawnBuf[:0], comps...), w.Maps.Stable.ID())
	f := w.exclusiveFilter(w.spawnBuf)
	w.ecs.Batch().New(n, w.spawnBuf...)
	w.nextID += components.ID(n) // ids taken in order, as Spawn takes them
	// The new entities are the last n of their archetype (exactly these
	// components): step over the older ones instead of visiting them.
	q := w.ecs.Query(f)
	if skip := q.Count() - n; skip > 0 {
		q.Step(skip)
	}
	sid := w.Maps.Stable.ID()
	for i := 0; q.Next(); i++ {
		id, e := first+components.ID(i), q.Entity()
		(*components.Stable)(q.Get(sid)).ID = id
		w.core.IDs.SetEntity(id, e)
		w.markUsed(id)
		if !w.core.SpawnUntouched { // else the caller sets the hashes (internal/core)
			w.Touch(id)
		}
		fill(i, e)
	}
	return first
}

// spawnFilter is a registered filter matching exactly one set of components.
type spawnFilter struct {
	mask   arche.Mask
	filter arche.CachedFilter
}

// exclusiveFilter returns the cached filter matching entities with exactly
// comps, registering it the first time (one per component set ever
// batch-spawned: a handful).
func (w *World) exclusiveFilter(comps []arche.ID) *arche.CachedFilter {
	mask := arche.All(comps...)
	for i := range w.spawnFilters {
		if w.spawnFilters[i].mask == mask {
			return &w.spawnFilters[i].filter
		}
	}
	ex := mask.Exclusive()
	w.spawnFilters = append(w.spawnFilters, spawnFilter{mask: mask, filter: w.ecs.Cache().Register(&ex)})
	return &w.spawnFilters[len(w.spawnFilters)-1].filter
}

// SpawnAs creates an entity for an id already reserved by Command (a
// creating CommandHandler's Subject). It adds the Stable component.
func (w *World) SpawnAs(id components.ID, comps ...arche.ID) arche.Entity {
	w.spawnBuf = append(append(w.spawnBuf[:0], comps...), w.Maps.Stable.ID())
	e := w.ecs.NewEntity(w.spawnBuf...)
	w.Maps.Stable.Get(e).ID = id
	w.core.IDs.SetEntity(id, e)
	w.markUsed(id)
	w.Touch(id)
	return e
}
