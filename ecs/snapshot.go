package ecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	arche "github.com/mlange-42/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
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

// Snapshot is the whole state of a World between two ticks: enough to
// resume the simulation there and get the same events and checksums as
// the original run. Components are stored generically (by Go type name, as
// JSON), so components added by extensions are included without any code.
type Snapshot struct {
	Tick       uint64           `json:"tick"` // the tick the next Step runs
	NextID     components.ID    `json:"next_id"`
	Used       []uint64         `json:"used"` // bitset of ids ever created
	Currencies []components.ID  `json:"currencies"`
	Pending    []events.Event   `json:"pending,omitempty"`
	Entities   []EntitySnapshot `json:"entities"` // ascending stable id
	Systems    []SystemSnapshot `json:"systems,omitempty"`
	Checksum   uint64           `json:"checksum"` // Checksum() of the world at snapshot time
}

// EntitySnapshot is one entity: its stable id and every component it has.
type EntitySnapshot struct {
	ID         components.ID       `json:"id"`
	Components []ComponentSnapshot `json:"components"` // sorted by Type
}

// ComponentSnapshot is one component value.
type ComponentSnapshot struct {
	Type  string          `json:"type"` // Go type, e.g. "components.Wallet"
	Value json.RawMessage `json:"value"`
}

// SystemSnapshot is the saved state of one StateSaver system.
type SystemSnapshot struct {
	Name  string `json:"name"`
	State []byte `json:"state"`
}

// SnapshotError says why a snapshot cannot be taken or restored.
type SnapshotError struct{ Msg string }

// Error implements error.
func (e *SnapshotError) Error() string { return "snapshot: " + e.Msg }

func typeName(t reflect.Type) string { return t.String() }

// TakeSnapshot captures w's state. Call it between ticks.
func (w *World) TakeSnapshot() (*Snapshot, error) {
	s := &Snapshot{Tick: w.tick, NextID: w.nextID, Checksum: w.Checksum()}
	s.Used = slices.Clone(w.used.words)
	s.Currencies = slices.Clone(w.currs)
	s.Pending = slices.Clone(w.pending)
	for id := components.ID(1); id < w.nextID; id++ {
		e := w.ids[id]
		if e.IsZero() {
			continue
		}
		es := EntitySnapshot{ID: id}
		for _, cid := range w.ecs.Ids(e) {
			if cid == w.Maps.Stable.ID() {
				continue
			}
			info, _ := arche.ComponentInfo(&w.ecs, cid)
			v := reflect.NewAt(info.Type, w.ecs.Get(e, cid)).Elem().Interface()
			raw, err := json.Marshal(v)
			if err != nil {
				return nil, &SnapshotError{fmt.Sprintf("entity %d: %v", id, err)}
			}
			es.Components = append(es.Components, ComponentSnapshot{Type: typeName(info.Type), Value: raw})
		}
		slices.SortFunc(es.Components, func(a, b ComponentSnapshot) int { return cmpString(a.Type, b.Type) })
		s.Entities = append(s.Entities, es)
	}
	for _, sys := range w.systems {
		if ss, ok := sys.(StateSaver); ok {
			st, err := ss.SaveState()
			if err != nil {
				return nil, &SnapshotError{fmt.Sprintf("system %s: %v", sys.Name(), err)}
			}
			s.Systems = append(s.Systems, SystemSnapshot{Name: sys.Name(), State: st})
		}
	}
	return s, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Restore replaces the state of w — a new World with the same systems,
// extensions and component types installed, not yet stepped — with s.
// After it, w.Checksum() equals the original's at snapshot time.
func (w *World) Restore(s *Snapshot) error {
	if w.tick != 0 || w.nextID != 1 || len(w.pending) != 0 {
		return &SnapshotError{"restore needs a fresh world"}
	}
	types := map[string]arche.ID{} // looked up by name, never iterated
	for _, cid := range arche.ComponentIDs(&w.ecs) {
		info, _ := arche.ComponentInfo(&w.ecs, cid)
		types[typeName(info.Type)] = cid
	}
	if s.NextID < 1 || s.NextID-1 > maxReserve*4 {
		return &SnapshotError{fmt.Sprintf("next id %d out of range", s.NextID)}
	}
	prev := components.ID(0)
	for _, es := range s.Entities {
		if es.ID <= prev || es.ID >= s.NextID {
			return &SnapshotError{fmt.Sprintf("entity id %d out of order or range", es.ID)}
		}
		prev = es.ID
	}
	w.ids = make([]arche.Entity, s.NextID)
	w.entHash = make([]uint64, s.NextID)
	w.nextID = s.NextID
	for _, es := range s.Entities {
		comps := []arche.ID{w.Maps.Stable.ID()}
		for _, c := range es.Components {
			cid, ok := types[c.Type]
			if !ok {
				return &SnapshotError{fmt.Sprintf("entity %d: component type %s is not registered in this world", es.ID, c.Type)}
			}
			comps = append(comps, cid)
		}
		e := w.ecs.NewEntity(comps...)
		w.Maps.Stable.Get(e).ID = es.ID
		w.ids[es.ID] = e
		for i, c := range es.Components {
			info, _ := arche.ComponentInfo(&w.ecs, comps[i+1])
			ptr := reflect.NewAt(info.Type, w.ecs.Get(e, comps[i+1])).Interface()
			dec := json.NewDecoder(bytes.NewReader(c.Value))
			dec.DisallowUnknownFields()
			if err := dec.Decode(ptr); err != nil {
				return &SnapshotError{fmt.Sprintf("entity %d %s: %v", es.ID, c.Type, err)}
			}
		}
	}
	w.used.words = slices.Clone(s.Used)
	w.currs = slices.Clone(s.Currencies)
	w.pending = slices.Clone(s.Pending)
	w.tick = s.Tick
	for _, ss := range s.Systems {
		found := false
		for _, sys := range w.systems {
			if saver, ok := sys.(StateSaver); ok && sys.Name() == ss.Name {
				if err := saver.LoadState(ss.State); err != nil {
					return &SnapshotError{fmt.Sprintf("system %s: %v", ss.Name, err)}
				}
				found = true
				break
			}
		}
		if !found {
			return &SnapshotError{fmt.Sprintf("system %s is not installed in this world", ss.Name)}
		}
	}
	w.rehash()
	if got := w.Checksum(); got != s.Checksum {
		return &SnapshotError{fmt.Sprintf("restored checksum %#x, snapshot says %#x", got, s.Checksum)}
	}
	return nil
}
