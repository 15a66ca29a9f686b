package core

import (
	"math"
	"unsafe"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
	"github.com/tickecon/tickecon/third_party/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// State is the part of an ecs.World that package systems reaches below the
// public API: the id table with every entity's cached hash, the running
// sum of those hashes, the bookkeeping of which of the tick's events have
// touched their entities, and the tick's intents. Every ecs.World holds one
// (package ecs keeps it up to date); Of finds it.
type State struct {
	// IDs maps stable ids to their live entity and cached hash.
	IDs IDTable
	// EntSum is the wrapping sum of every cached entity hash: the
	// entities' part of the state checksum.
	EntSum uint64
	// Touched: the tick's events[:Touched] have touched what they name.
	Touched int
	// Adjusted holds the ascending indexes of the tick's events from
	// SubjectAdjusted not yet touched: their Subjects' hashes are exact.
	// An index with NamesHashed set comes from EventHashed: none of the
	// event's entities is touched.
	Adjusted []int32
	// Hashers is the number of the world's EntityHashers (ecs keeps it):
	// a system that sets the hash of an entity it creates must know every
	// term of it.
	Hashers int
	// SpawnUntouched makes ecs.World.SpawnBatch leave the entities it
	// creates untouched: the caller sets their hashes itself (AdjustHash
	// from 0, for a new entity the whole hash). Set only around that call.
	SpawnUntouched bool
	// FoldFromLive and FoldEvery are FoldTouched's thresholds (SetFolding).
	FoldFromLive, FoldEvery int
	// Submitted holds the intents submitted for the next tick (ecs's
	// Submit), not yet entities (FlushIntents).
	Submitted []components.PurchaseIntent
	// Taker is the system that takes every tick's intents first thing in
	// its Update (the PurchaseSystem sets itself). When it is the world's
	// first system, Step leaves the submitted intents where they are
	// (Deferred) and TakeIntents hands them over without turning them into
	// entities and back: no system could have seen those entities before it.
	Taker any
	// Deferred: Step skipped FlushIntents this tick because Taker runs
	// first; the next TakeIntents takes Submitted as the flush would have
	// made it (ecs clears it after the systems ran).
	Deferred bool
	// flushed: a flush has made intent entities once, so their archetype
	// exists. Until then a deferred tick flushes as before, so that the
	// archetype is created at the same point of the world's history as
	// without deferring (it decides the order in which queries, hence
	// TakeIntents and snapshots, visit intent entities of several
	// archetypes).
	flushed bool
	// IntentFilter matches the PurchaseIntent entities (cached: uncached
	// arche queries allocate).
	IntentFilter arche.CachedFilter
	// HashSeed keys the hash tables fed with client-chosen keys (the
	// idempotency window's, SeededHash); Link draws it at random (see
	// hashseed.go). Tests set it to make table layouts reproducible;
	// systems pick a new seed up at their next Update.
	HashSeed uint64
	// Rows are the world's row ids, if any (EnableRows, rows.go).
	Rows Rows
	// CloseRow closes live row id as the Close command does — the
	// world's OnClose functions, the owner's Close, its hash out of
	// EntSum — but emits nothing (ecs sets it): for a command that closes
	// many rows under one event of its own.
	CloseRow func(id components.ID)
	// Closers is the number of the world's OnClose functions (ecs keeps
	// it): with none, closing a row is its owner's Close and CloseRow's
	// hash out of EntSum, which a system may do itself.
	Closers int

	// What Link points at: the world's parts that stay package ecs's.
	world      *arche.World
	intents    *generic.Map[components.PurchaseIntent]
	events     *[]events.Event
	recIntents *[]components.PurchaseIntent
	flush      func()
	nextID     *components.ID // the world's next stable id (LinkIDs)
	created    *uint64        // the world's count of ids marked used
}

// LinkIDs points s at the world's id counters, which NewRow advances (ecs
// calls it once, in New).
func (s *State) LinkIDs(nextID *components.ID, created *uint64) {
	s.nextID, s.created = nextID, created
}

// NewRow takes the next stable id for a row: marked used and live with the
// rows' stand-in entity, with cached hash h (added to EntSum): the row's
// whole hash, or 0 when an event will touch it for the checksum to hash.
// (A method, not a function ecs sets: the call through a func value cost
// a receipt as much as the id table's work.)
func (s *State) NewRow(h uint64) components.ID {
	id := *s.nextID
	*s.nextID++
	if s.IDs.OpenRow(id, s.Rows.Entity, h) {
		*s.created++
	}
	s.EntSum += h
	return id
}

// Of returns the State of w, which must be an *ecs.World (package core
// cannot name that type). Package ecs sets it in its init. It costs a
// call: callers fetch the State once per Update, never per purchase.
var Of func(w any) *State

// Default thresholds of FoldTouched (see SetFolding): off. Since purchases
// adjust their buyers' hashes term by term (AdjustHash), a fold only
// rehashes listings and tills, which stay cached anyway: with folding on,
// a 1M-player Step took 1.00-1.16× (median 1.09×) the time of one without
// (in-process A/B, alternate ticks, 5 runs).
const (
	foldFromLive = math.MaxInt
	foldEvery    = 2048
)

// Link connects s to the parts of its world that package ecs keeps: the
// arche world, the PurchaseIntent map, the tick record's events and
// intents, and flush, which folds the touched entities' hashes into EntSum
// (FoldTouched calls it). ecs.New calls it once; it also sets the default
// fold thresholds and draws the hash seed.
func (s *State) Link(world *arche.World, intents *generic.Map[components.PurchaseIntent],
	evs *[]events.Event, recIntents *[]components.PurchaseIntent, flush func()) {
	s.world, s.intents, s.events, s.recIntents, s.flush = world, intents, evs, recIntents, flush
	s.FoldFromLive, s.FoldEvery = foldFromLive, foldEvery
	s.HashSeed = newHashSeed()
	s.IntentFilter = world.Cache().Register(arche.All(intents.ID()))
}

// AdjustHash adds delta — the new terms of the fields a system changed
// minus their old terms (BalanceTerm, SlotTerm) — to live entity id's
// cached hash and to the running checksum, so that the entity need not be
// read back and rehashed whole. Terms and deltas are wrapping uint64
// arithmetic, like the checksum; an id that is not live is ignored. Only
// balances and slots have term functions; anything else a system changes
// must go through Emit or Touch. Emit (or Touch) is always right and costs
// one rehash of each changed entity per tick; this pays off for a system
// that changes one or two fields of many large entities, each once or
// twice a tick (the PurchaseSystem in a world of a million players). The
// system then emits its event and calls SubjectAdjusted, so that the event
// touches its other entities but not its Subject. Exactness is the
// caller's contract: an audit (ecs.World.SetChecksumAudit) reports a wrong
// delta as drift; and if the entity is also touched in the tick it is
// rehashed from scratch anyway, which is always right.
func (s *State) AdjustHash(id components.ID, delta uint64) {
	p := s.IDs.page(id)
	if p == nil || delta == 0 {
		return
	}
	i := id & (PageSize - 1)
	if p.ent[i].IsZero() { // closed (or never created): hash 0, nothing to adjust
		return
	}
	old := p.hash[i]
	h := old + delta
	p.hash[i] = h
	switch {
	case old == 0 && h != 0:
		p.nhash++
	case old != 0 && h == 0:
		p.nhash--
	}
	s.EntSum += delta
}

// SubjectAdjusted marks the event just emitted (the last of the tick's
// events) as one whose Subject's hash the caller kept up to date itself
// (AdjustHash): only the event's other entities are touched for the
// checksum. Call it right after the ecs.World.Emit, in the same system
// run; an event marked without an exact AdjustHash leaves the running
// checksum wrong until an audit or a later touch of the Subject corrects
// it, so when in doubt do not mark.
func (s *State) SubjectAdjusted() {
	i := len(*s.events) - 1
	s.dropStale(i)
	s.Adjusted = append(s.Adjusted, int32(i))
}

// NamesHashed flags an index in Adjusted from EventHashed; EventIndex
// masks it off.
const (
	NamesHashed int32 = 1 << 30
	EventIndex  int32 = NamesHashed - 1
)

// EventHashed marks the event just emitted as one that touches none of the
// entities it names: it changed nothing but an entity whose hash the
// caller sets itself (a receipt the PurchaseSystem creates with its hash,
// SpawnUntouched), and the others it names (the buyer, the listing) are
// changed and touched by events of their own. Call it right after the
// ecs.World.Emit, in the same system run, as SubjectAdjusted.
func (s *State) EventHashed() {
	i := len(*s.events) - 1
	s.dropStale(i)
	s.Adjusted = append(s.Adjusted, int32(i)|NamesHashed)
}

// DropStale forgets what Touched and Adjusted say about events that are
// gone: the record was emptied behind their back (a harness that runs a
// system without Step). ecs calls it before it reads them.
func (s *State) DropStale() { s.dropStale(len(*s.events)) }

// dropStale is DropStale for a record of n events.
func (s *State) dropStale(n int) {
	if k := len(s.Adjusted); s.Touched > n || k > 0 && int(s.Adjusted[k-1]&EventIndex) >= n {
		s.Touched, s.Adjusted = 0, s.Adjusted[:0]
	}
}

// Events returns the tick record's event list, for a system that emits
// many events: appending an events.Event with Tick set to the tick being
// stepped (and no Ticket: systems run outside commands) is what
// ecs.World.Emit does, without building the event twice (the purchase
// loop's emission was ≈ 8% of its instructions at 10k players).
func (s *State) Events() *[]events.Event { return s.events }

// IDSlots returns where the world reads id's entity and where id's cached
// hash is kept (AdjustHash writes it), without reading either, for a
// look-ahead that prefetches them (both nil when id has no table page). It
// is a hint only: the slots may move or be dropped at the next Step.
func (s *State) IDSlots(id components.ID) (entity, hash unsafe.Pointer) {
	if p := s.IDs.page(id); p != nil {
		i := id & (PageSize - 1)
		return unsafe.Pointer(&p.ent[i]), unsafe.Pointer(&p.hash[i])
	}
	return nil, nil
}

// FoldTouched folds the hashes of the entities changed so far this tick
// into the running checksum now, once the world holds enough live
// entities and enough events passed since the last fold (both set by
// SetFolding; off by default); it does nothing otherwise. A system that
// changes many entities calls it between units of work whose changes are
// all made and emitted — the PurchaseSystem does between two buyers — so
// that their rows are hashed while they are still cached, instead of being
// read back from memory for the tick's checksum (it saved ≈ 15% of a
// 1M-player tick before purchases adjusted their buyers' hashes term by
// term; now it costs ≈ 9%, so it is off unless SetFolding turns it on).
// The checksum is the same whether and wherever it is called at such
// points (an entity changed again later is hashed again); calling it while
// a change is half made, or before the event naming it, would record a
// stale hash, which an audit reports as drift.
func (s *State) FoldTouched() {
	if len(*s.events)-s.Touched >= s.FoldEvery && s.IDs.live >= s.FoldFromLive {
		s.flush()
	}
}

// SetFolding sets when FoldTouched folds: in worlds of at least minLive
// live entities, once everyEvents events passed since the last fold (by
// default it never folds: minLive is math.MaxInt; everyEvents is 2048).
// Tests force folding with (0, 1) to check that a system calls FoldTouched
// only where every change is made and emitted.
func (s *State) SetFolding(minLive, everyEvents int) {
	s.FoldFromLive, s.FoldEvery = minLive, everyEvents
}

// FlushIntents turns the submitted intents into PurchaseIntent entities,
// all in one batch, instead of one entity creation per Submit. When the
// last tick's intents were all consumed, the buffer Submit filled becomes
// the new entities' column as it is, and the column's old storage becomes
// the next tick's buffer (arche's Batch.NewColumnSwap): no copy at all.
// Otherwise they are copied in one piece, after the older intents. Step
// calls it after the tick's commands and before the systems; code that
// runs a system's Update itself calls it first.
func (s *State) FlushIntents() {
	s.flushed = s.flushed || len(s.Submitted) > 0
	s.Submitted = s.intents.NewBatchSwap(s.Submitted)
}

// BeginSystems is what Step does with the submitted intents before its
// systems run, first being its first system (nil: none): it defers them
// (Deferred) when first is the Taker, and flushes them into entities
// otherwise. Code that runs a system's Update itself calls it first.
func (s *State) BeginSystems(first any) {
	if s.Taker != nil && first == s.Taker {
		s.Deferred = true
		return
	}
	s.FlushIntents()
}

// EndSystems is what Step does after its systems ran: intents still
// deferred (a Taker that did not take them) become entities, as they would
// have been before the systems.
func (s *State) EndSystems() {
	if s.Deferred {
		s.Deferred = false
		s.FlushIntents()
	}
}

// TakeIntents appends the intent of every PurchaseIntent entity to dst, in
// storage order (the order a query over IntentFilter visits them), removes
// those entities, and returns dst. It is how the PurchaseSystem consumes a
// tick's intents: one copy per archetype and one batch removal instead of a
// read per entity (arche's CopyColumn, RemoveEntities).
//
// When Step deferred the flush (Deferred), no intent entity is alive and
// one was made before (their archetype exists), the submitted intents are exactly what the flush would have made into
// entities and this would have copied back, in the same order: they are
// handed over as they are. An empty dst swaps buffers with Submitted (no
// copy); the caller must then treat the returned slice as its own and not
// use dst again. With intent entities alive (a snapshot's, an odd
// archetype's) the flush runs here and the entities are taken as before.
func (s *State) TakeIntents(dst []components.PurchaseIntent) []components.PurchaseIntent {
	if s.Deferred {
		s.Deferred = false
		if s.flushed && s.world.CountMatching(&s.IntentFilter) == 0 {
			if len(dst) == 0 {
				in := s.Submitted
				s.Submitted = dst[:0]
				return in
			}
			dst = append(dst, s.Submitted...)
			s.Submitted = s.Submitted[:0]
			return dst
		}
		s.FlushIntents()
	}
	n := len(dst)
	dst = s.intents.AppendAll(dst, &s.IntentFilter)
	if len(dst) > n {
		s.world.Batch().RemoveEntities(&s.IntentFilter)
	}
	return dst
}

// SwapRecordIntents records in as the intents the tick consumed (the tick
// record's Intents), without copying them when none were recorded yet
// this tick: the record takes in over, and the caller gets the record's
// previous buffer back, emptied, to reuse on a later tick. The caller must
// not change in afterwards (it may read it during the tick).
func (s *State) SwapRecordIntents(in []components.PurchaseIntent) []components.PurchaseIntent {
	rec := s.recIntents
	if len(*rec) > 0 {
		*rec = append(*rec, in...)
		return in[:0]
	}
	old := (*rec)[:0]
	*rec = in
	return old
}
