package ecs

import (
	"reflect"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
	"github.com/tickecon/tickecon/third_party/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// Package systems reaches a world's core state (internal/core) through
// core.Of, once per Update.
func init() { core.Of = func(w any) *core.State { return &w.(*World).core } }

// System is one stage of a tick. Systems run in the order they were added,
// every tick, after the tick's commands were applied.
type System interface {
	// Name identifies the system in logs and errors.
	Name() string
	// Update runs the system for the world's current tick. It may mutate
	// components and must Emit an event for every change it makes.
	Update(w *World)
}

// StateHasher is implemented by systems that keep economic state outside
// components (an idempotency window, pending sagas). Its hash is added to
// the tick checksum so that a desync in that state is caught too.
type StateHasher interface {
	StateHash() uint64
}

// TickRecord is everything one tick consumed and produced: replaying the
// inputs against the same prior state reproduces the events and checksum.
// A record passed to a subscriber is only valid during the call; copy what
// you keep (see Clone).
type TickRecord struct {
	Tick     uint64
	Commands []events.Event              // authoring/admin inputs, in submission order
	Intents  []components.PurchaseIntent // purchase inputs, in processing order
	Events   []events.Event              // every change and rejection, in order
	Checksum uint64                      // state checksum after the tick
	// Stages holds the state checksum after each stage of the tick: the
	// commands, then every system in order (names: World.StageNames). The
	// first stage whose value differs between two peers is where they
	// parted. The last equals Checksum.
	Stages []uint64
}

// Clone returns a deep copy of r that stays valid after the tick.
func (r *TickRecord) Clone() TickRecord {
	c := *r
	c.Commands = append([]events.Event(nil), r.Commands...)
	c.Intents = append([]components.PurchaseIntent(nil), r.Intents...)
	c.Events = append([]events.Event(nil), r.Events...)
	c.Stages = append([]uint64(nil), r.Stages...)
	return c
}

// Status says whether a stable id names a live entity.
type Status uint8

const (
	// Unknown: the id was never allocated (or is zero).
	Unknown Status = iota
	// Gone: the id was allocated but its entity is closed or not yet created.
	Gone
	// Alive: the id names a live entity.
	Alive
)

// CoreMaps gives typed access to the core economy components (package
// systems has its own for the commerce components). Pointers obtained
// from a Map must not be kept across structural changes (arche's rule).
type CoreMaps struct {
	Stable    generic.Map[components.Stable]
	Name      generic.Map[components.Name]
	Currency  generic.Map[components.CurrencyDef]
	Item      generic.Map[components.ItemDef]
	Shop      generic.Map[components.Shop]
	Wallet    generic.Map[components.Wallet]
	Inventory generic.Map[components.Inventory]
	Listing   generic.Map[components.ShopListing]
	Intent    generic.Map[components.PurchaseIntent]
}

// World is a deterministic, tick-driven economy stored in an arche world.
type World struct {
	ecs  arche.World
	Maps CoreMaps

	tick   uint64          // the tick the next Step runs
	nextID components.ID   // next stable id to allocate
	currs  []components.ID // currencies in definition order (= id order)
	// core holds the id table (stable id → entity, cached hash, used and
	// dirty marks), the running sum of the cached hashes, which events have
	// touched their entities, and the intents submitted for the next tick
	// (Submit): what package systems reaches directly (internal/core).
	core core.State

	pending []events.Event // commands for the next tick
	// lastTicket is the last ticket Command gave out; applying is the
	// ticket of the command being applied, which Emit stamps on events.
	lastTicket, applying events.Ticket
	systems              []System
	subs                 subscribers // subscribe.go
	hashers              []func(*World) uint64
	// stateHashers are the systems that are StateHashers, in system order.
	stateHashers []StateHasher
	rec          TickRecord

	// Incremental checksum (checksum.go): the id table caches the hash of
	// every entity, core.EntSum is their sum; dirty lists the ids touched
	// this tick (and the table marks them).
	dirty      []components.ID
	entHashers []EntityHasher
	audit      uint64
	noStages   bool // SetStageChecksums(false)
	sync       *syncTest
	driftN     uint64
	driftTick  uint64

	created      uint64             // ids marked used in the id table (closed ids stay closed)
	stableFilter arche.CachedFilter // cached: uncached arche queries allocate

	handlers map[events.Kind]CommandHandler // extension commands (extend.go)
	names    map[reflect.Type]string        // RegisterComponent names (names.go)
	closers  []func(*World, components.ID, arche.Entity)
	holdings []HoldingsFunc // value-holding extension components (holdings.go)
	scratch  []Holding      // reused by the typed reads
	spawnBuf []arche.ID
	warmSink int64 // keeps warmHashes' loads (hashwarm.go)
	// SpawnBatch's filters, one per component set (extend.go).
	spawnFilters []spawnFilter
	rowBuf       []components.ID // reused: the live row ids (audits, FullChecksum)
}

// New returns an empty world at tick 0.
func New() *World {
	w := &World{ecs: arche.NewWorld(), nextID: 1}
	e := &w.ecs
	w.Maps = CoreMaps{
		Stable:    generic.NewMap[components.Stable](e),
		Name:      generic.NewMap[components.Name](e),
		Currency:  generic.NewMap[components.CurrencyDef](e),
		Item:      generic.NewMap[components.ItemDef](e),
		Shop:      generic.NewMap[components.Shop](e),
		Wallet:    generic.NewMap[components.Wallet](e),
		Inventory: generic.NewMap[components.Inventory](e),
		Listing:   generic.NewMap[components.ShopListing](e),
		Intent:    generic.NewMap[components.PurchaseIntent](e),
	}
	w.core.Link(e, &w.Maps.Intent, &w.rec.Events, &w.rec.Intents, w.flushHashes)
	w.core.LinkIDs(&w.nextID, &w.created)
	w.core.CloseRow = w.closeRowQuiet
	w.stableFilter = e.Cache().Register(arche.All(w.Maps.Stable.ID()))
	return w
}

// ECS returns the underlying arche world, for systems and read-only UIs.
// Mutating economy components outside a System bypasses the event log and
// is detected by replay as a desync.
func (w *World) ECS() *arche.World { return &w.ecs }

// NextTick returns the number of the tick the next Step will run, which is also
// the number of ticks completed so far.
func (w *World) NextTick() uint64 { return w.tick }

// NextID returns the stable id the next created entity will get.
func (w *World) NextID() components.ID { return w.nextID }

// AddSystem appends s to the fixed system order. Add systems before the
// first Step; the order is part of what replays must reproduce.
func (w *World) AddSystem(s System) {
	w.systems = append(w.systems, s)
	// Asserted once here, not every tick: the runtime fills a type
	// assertion's cache at random moments, an allocation in a steady tick.
	if h, ok := s.(StateHasher); ok {
		w.stateHashers = append(w.stateHashers, h)
	}
}

// Systems returns the systems in their run order.
func (w *World) Systems() []System { return w.systems }

// AddHasher adds fn's value to every tick's checksum. Packages that add
// their own components (receipts, coupons…) register a hasher for them,
// built from FieldHash so that the sum stays order-independent.
func (w *World) AddHasher(fn func(*World) uint64) { w.hashers = append(w.hashers, fn) }

// Lookup returns the live entity for a stable id, and its status.
func (w *World) Lookup(id components.ID) (arche.Entity, Status) {
	if id == 0 || id >= w.nextID {
		return arche.Entity{}, Unknown
	}
	e := w.core.IDs.Entity(id)
	if e.IsZero() {
		return e, Gone
	}
	return e, Alive
}

// Currencies returns the defined currencies in definition order.
func (w *World) Currencies() []components.ID { return w.currs }

// Submit queues a purchase intent for the next tick and returns its
// ticket, which TickRecord.Outcome answers as it does a command's. It
// never fails: a bad intent is rejected by the tick with a typed reason,
// and changes nothing. Submit only appends to a buffer; Step turns the
// tick's intents into PurchaseIntent entities in one batch.
func (w *World) Submit(in components.PurchaseIntent) Ticket {
	w.core.Submitted = append(w.core.Submitted, in)
	return Ticket{ID: in.Buyer, Request: in.RequestID, intent: true}
}

// PendingIntents returns the intents submitted for the next tick and not
// yet turned into entities, in submission order. Valid until the next
// Submit or Step.
func (w *World) PendingIntents() []components.PurchaseIntent { return w.core.Submitted }

// StableFilter matches every entity that has a stable id.
func (w *World) StableFilter() arche.Filter { return &w.stableFilter }

// Emit appends ev to the current tick's log, stamped with the tick number
// and, while a command is applied, with its ticket (0 from systems).
// Systems call it in the same frame as the change it describes.
func (w *World) Emit(ev events.Event) {
	ev.Tick, ev.Ticket = w.tick, w.applying
	w.rec.Events = append(w.rec.Events, ev)
	// The entities an event names are the ones it changed; they are
	// touched in bulk before the next checksum (touchEvents), which keeps
	// Emit small enough to inline into the purchase loop.
}

// touchEvents touches the entities named by the events emitted since the
// last call: their hashes are recomputed for the checksum (over-marking
// only costs time). Every reader of the dirty marks calls it first.
func (w *World) touchEvents() {
	c := &w.core
	c.DropStale()
	t := &c.IDs
	evs, adj := w.rec.Events, c.Adjusted // adj: ascending indexes of events whose Subject is up to date
	for i := c.Touched; i < len(evs); i++ {
		ev := &evs[i]
		subject := ev.Subject
		switch {
		case len(adj) > 0 && int(adj[0]&core.EventIndex) == i:
			all := adj[0]&core.NamesHashed != 0
			adj = adj[1:]
			if all {
				continue // EventHashed: its entities' hashes are kept by the system
			}
			subject = 0
		case refusal(ev.Kind):
			// A refusal changed nothing by its definition, so the entities
			// it names keep their hashes: rehashing every refused buyer was
			// most of the checksum's cost in busy ticks. Audits still find
			// a system that changes state and then emits a refusal.
			continue
		}
		// Most names are touched already (the till and listing of every
		// purchase, a buyer's next purchase): that test is inlined here,
		// only the rest calls Touch.
		if id := subject; id != 0 && !t.IsDirty(id) {
			w.Touch(id)
		}
		if id := ev.Object; id != 0 && !t.IsDirty(id) {
			w.Touch(id)
		}
		if id := ev.Till; id != 0 && !t.IsDirty(id) {
			w.Touch(id)
		}
		if id := ev.Ref; id != 0 && !t.IsDirty(id) {
			w.Touch(id)
		}
	}
	c.Touched = len(evs)
	c.Adjusted = c.Adjusted[:0]
}

// refusal reports whether events of kind k say, by their definition, that
// nothing changed: a refused intent or command, or a retried intent
// answered from the idempotency window.
func refusal(k events.Kind) bool {
	return k == events.PurchaseRejected || k == events.CommandRejected || k == events.PurchaseDuplicate
}

// Step runs one tick: the queued commands in submission order, then every
// system in its fixed order, then the state checksum (also taken after
// each stage, see TickRecord.Stages). Subscribers are
// called after that, when the tick has committed. The returned record is
// valid until the next Step.
func (w *World) Step() *TickRecord {
	if w.sync != nil {
		return w.syncStep()
	}
	return w.step()
}

func (w *World) step() *TickRecord {
	r := &w.rec
	r.Tick = w.tick
	r.Events = r.Events[:0]
	w.core.Touched, w.core.Adjusted = 0, w.core.Adjusted[:0]
	r.Intents = r.Intents[:0]
	r.Stages = r.Stages[:0]
	// Swap buffers: commands submitted from subscribers go to the next tick.
	r.Commands, w.pending = w.pending, r.Commands[:0]
	for i := range r.Commands {
		w.applying = r.Commands[i].Ticket
		w.apply(&r.Commands[i])
	}
	w.applying = 0
	// The intents become entities before the first system runs, unless
	// that system is the one that takes them all first thing (TakeIntents
	// then hands them over as they are: the round trip through entities
	// was ≈ 10% of a 100k-intent purchase tick).
	var first System
	if len(w.systems) > 0 {
		first = w.systems[0]
	}
	w.core.BeginSystems(first)
	audit := w.audit > 0 && w.tick%w.audit == 0
	drift := w.stage(audit)
	for _, s := range w.systems {
		s.Update(w)
		drift = w.stage(audit) || drift
	}
	w.core.EndSystems()
	if audit && w.noStages && !w.rehash() {
		drift = true
	}
	if drift {
		w.driftN, w.driftTick = w.driftN+1, w.tick
	}
	r.Checksum = w.Checksum()
	w.tick++
	w.notify(r)
	return r
}
