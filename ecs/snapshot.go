package ecs

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// StateSaver is implemented by systems that keep state outside components
// (the PurchaseSystem's idempotency window), so that snapshots carry it.
type StateSaver interface {
	System
	// SaveState encodes the system's state deterministically.
	SaveState() ([]byte, error)
	// LoadState replaces the system's state with a saved one.
	LoadState([]byte) error
}

// SnapshotFormat is the version of the Snapshot layout this build writes
// and reads. Format 2 names component types by package path (names.go)
// and carries submitted intents; format 1 (no "format" field) named them
// by package name only and is refused with a *SnapshotError.
const SnapshotFormat = 2

// Snapshot is the whole state of a World between two ticks: enough to
// resume the simulation there and get the same events and checksums as
// the original run. Components are stored generically (by component name,
// as JSON), so components added by extensions are included without any
// code. Commands queued and intents submitted for the next tick are part
// of it: a snapshot taken between Submit and Step restores the same next
// tick.
type Snapshot struct {
	Format     int             `json:"format"`
	Tick       uint64          `json:"tick"` // the tick the next Step runs
	NextID     components.ID   `json:"next_id"`
	Used       []uint64        `json:"used"` // bitset of ids ever created
	Currencies []components.ID `json:"currencies"`
	Pending    []events.Event  `json:"pending,omitempty"`
	LastTicket events.Ticket   `json:"last_ticket,omitempty"` // the last command ticket given out
	// Intents submitted for the next tick, in submission order.
	Intents  []components.PurchaseIntent `json:"intents,omitempty"`
	Entities []EntitySnapshot            `json:"entities"` // ascending stable id
	Systems  []SystemSnapshot            `json:"systems,omitempty"`
	Checksum uint64                      `json:"checksum"` // Checksum() of the world at snapshot time
	// The world's HashSeed is deliberately not here: it decides no outcome,
	// a restored world keeps its own (hashseed.go), and leaving it out
	// keeps two recordings of one session byte-identical and the secret
	// out of logs that are shared. Snapshots written before carried a
	// "hash_seed" field; decoding ignores it.
}

// EntitySnapshot is one entity: its stable id and every component it has.
type EntitySnapshot struct {
	ID         components.ID       `json:"id"`
	Components []ComponentSnapshot `json:"components"` // sorted by Type
}

// ComponentSnapshot is one component value.
type ComponentSnapshot struct {
	Type  string          `json:"type"` // component name, e.g. "github.com/tickecon/tickecon/components.Wallet"
	Value json.RawMessage `json:"value"`
}

// SystemSnapshot is the saved state of one StateSaver system.
type SystemSnapshot struct {
	Name  string `json:"name"`
	State []byte `json:"state"`
}

// SnapshotError says why a snapshot cannot be taken or restored.
type SnapshotError struct {
	Msg string
	Err error // the underlying error, if any (a *ComponentNameError…)
}

// Error implements error.
func (e *SnapshotError) Error() string { return "snapshot: " + e.Msg }

// Unwrap returns the underlying error.
func (e *SnapshotError) Unwrap() error { return e.Err }

// TakeSnapshot captures w's state. Call it between ticks.
func (w *World) TakeSnapshot() (*Snapshot, error) {
	s := &Snapshot{Format: SnapshotFormat, Tick: w.tick, NextID: w.nextID, Checksum: w.Checksum()}
	s.Used = w.core.IDs.UsedWords()
	s.Currencies = slices.Clone(w.currs)
	s.Pending = slices.Clone(w.pending)
	s.LastTicket = w.lastTicket
	// Intents not consumed yet: entities left by a tick without a purchase
	// system (in storage order, which the flush keeps), then the ones
	// submitted since; restored as submitted, they flush in the same order.
	q := w.ecs.Query(&w.core.IntentFilter)
	for q.Next() {
		s.Intents = append(s.Intents, *(*components.PurchaseIntent)(q.Get(w.Maps.Intent.ID())))
	}
	s.Intents = append(s.Intents, w.core.Submitted...)
	_, ambiguous := w.componentTable()
	for id := components.ID(1); id < w.nextID; id++ {
		e := w.core.IDs.Entity(id)
		if e.IsZero() {
			continue
		}
		es := EntitySnapshot{ID: id}
		for _, cid := range w.ecs.Ids(e) {
			if cid == w.Maps.Stable.ID() {
				continue
			}
			name, err := w.saveName(cid, ambiguous)
			if err != nil {
				return nil, &SnapshotError{Msg: fmt.Sprintf("entity %d: %v", id, err), Err: err}
			}
			info, _ := arche.ComponentInfo(&w.ecs, cid)
			at := w.ecs.Get(e, cid)
			if w.core.IsRow(e) { // a row's value is its owner's, not the stand-in's
				at = w.core.Rows.Owner.Row(id)
			}
			v := reflect.NewAt(info.Type, at).Elem().Interface()
			raw, err := json.Marshal(v)
			if err != nil {
				return nil, &SnapshotError{Msg: fmt.Sprintf("entity %d: %v", id, err)}
			}
			es.Components = append(es.Components, ComponentSnapshot{Type: name, Value: raw})
		}
		slices.SortFunc(es.Components, func(a, b ComponentSnapshot) int { return cmp.Compare(a.Type, b.Type) })
		s.Entities = append(s.Entities, es)
	}
	for _, sys := range w.systems {
		if ss, ok := sys.(StateSaver); ok {
			st, err := ss.SaveState()
			if err != nil {
				return nil, &SnapshotError{Msg: fmt.Sprintf("system %s: %v", sys.Name(), err)}
			}
			s.Systems = append(s.Systems, SystemSnapshot{Name: sys.Name(), State: st})
		}
	}
	return s, nil
}

// Restore replaces the state of w — a new World with the same systems,
// extensions and component types installed, not yet stepped — with s.
// After it, w.Checksum() equals the original's at snapshot time.
//
// The whole snapshot is validated before anything changes (see
// checkSnapshot): a snapshot from a corrupt or hostile log yields a
// *SnapshotError, never a panic, and its memory use is bounded by the
// snapshot's own size. On any error w is left as it was, so Restore can be
// retried on it with another snapshot.
func (w *World) Restore(s *Snapshot) error {
	if err := w.checkFresh(); err != nil {
		return err
	}
	p, err := w.checkSnapshot(s)
	if err != nil {
		return err
	}
	prior, err := w.saveSystems()
	if err != nil {
		return err
	}
	w.build(s, p)
	for _, st := range p.states {
		if err := st.saver.LoadState(st.state); err != nil {
			w.rollback(prior)
			return &SnapshotError{Msg: fmt.Sprintf("system %s: %v", st.saver.Name(), err)}
		}
	}
	w.rehash()
	if got := w.Checksum(); got != s.Checksum {
		w.rollback(prior)
		return &SnapshotError{Msg: fmt.Sprintf("restored checksum %#x, snapshot says %#x", got, s.Checksum)}
	}
	w.core.Submitted = append(w.core.Submitted[:0], s.Intents...) // inputs of the next tick: not in the checksum
	return nil
}

// checkFresh reports whether w can take a snapshot: never stepped, nothing
// created, queued or submitted.
func (w *World) checkFresh() error {
	if w.tick != 0 || w.nextID != 1 || len(w.pending) != 0 || len(w.core.Submitted) != 0 || w.ecs.IsLocked() {
		return &SnapshotError{Msg: "restore needs a fresh world"}
	}
	q := w.ecs.Query(&w.core.IntentFilter)
	n := q.Count()
	q.Close()
	if n != 0 {
		return &SnapshotError{Msg: "restore needs a fresh world (intents were submitted)"}
	}
	return nil
}

// build creates the checked snapshot's entities and state in w. It cannot
// fail: checkSnapshot has decoded every value and checked every id.
func (w *World) build(s *Snapshot, p *restorePlan) {
	w.core.IDs = core.IDTable{}
	w.nextID = s.NextID
	for i, es := range s.Entities {
		ents := p.entities[i]
		if rows := &w.core.Rows; rows.Owner != nil && len(ents.comps) == 2 && ents.comps[1] == rows.Comp {
			// An entity of the rows' component alone was a row (a receipt).
			v := reflect.New(ents.values[0].Type())
			v.Elem().Set(ents.values[0])
			rows.Owner.Load(es.ID, v.UnsafePointer())
			w.core.IDs.SetEntity(es.ID, rows.Entity)
			continue
		}
		e := w.ecs.NewEntity(ents.comps...)
		w.Maps.Stable.Get(e).ID = es.ID
		w.core.IDs.SetEntity(es.ID, e)
		for j, v := range ents.values {
			if v.Type().Size() == 0 {
				continue // arche stores nothing for an empty struct
			}
			reflect.NewAt(v.Type(), w.ecs.Get(e, ents.comps[j+1])).Elem().Set(v)
		}
	}
	w.core.IDs.LoadUsed(s.Used)
	w.core.IDs.ReleaseAll()
	w.created = p.created
	w.currs = slices.Clone(s.Currencies)
	w.pending = slices.Clone(s.Pending)
	w.lastTicket = s.LastTicket
	for _, c := range w.pending { // never hand out a ticket a queued command holds
		w.lastTicket = max(w.lastTicket, c.Ticket)
	}
	w.tick = s.Tick
}

// saveSystems keeps the state of every StateSaver system, for rollback.
func (w *World) saveSystems() ([][]byte, error) {
	var prior [][]byte
	for _, sys := range w.systems {
		if ss, ok := sys.(StateSaver); ok {
			st, err := ss.SaveState()
			if err != nil {
				return nil, &SnapshotError{Msg: fmt.Sprintf("system %s: %v", sys.Name(), err)}
			}
			prior = append(prior, st)
		}
	}
	return prior, nil
}

// rollback undoes build: w is a fresh world again, its systems in their
// prior state.
func (w *World) rollback(prior [][]byte) {
	for id := components.ID(1); id < w.nextID; id++ {
		if e := w.core.IDs.Entity(id); !e.IsZero() && !w.core.IsRow(e) {
			w.ecs.RemoveEntity(e)
		}
	}
	if w.core.Rows.Owner != nil {
		w.core.Rows.Owner.Reset()
	}
	w.core.IDs = core.IDTable{}
	w.core.EntSum = 0
	w.dirty = w.dirty[:0]
	w.nextID, w.tick = 1, 0
	w.created, w.currs, w.pending, w.lastTicket = 0, nil, nil, 0
	i := 0
	for _, sys := range w.systems {
		if ss, ok := sys.(StateSaver); ok {
			_ = ss.LoadState(prior[i]) // its own saved state: loads as it was saved
			i++
		}
	}
}
