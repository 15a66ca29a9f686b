package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// FieldDiff is one field that differs between expected and actual state.
// Its JSON keys are lower case, like the rest of a desync report's; Go's
// encoding/json still reads reports written with the earlier capitalised
// keys, because it matches keys without regard to case.
type FieldDiff struct {
	ID        components.ID `json:"id"`        // stable id (0: the world itself)
	Component string        `json:"component"` // e.g. "components.Wallet" (the last element of the snapshot name), or "world", "system purchase"
	Field     string        `json:"field"`     // path inside the component, e.g. "Balances[1].Amount"
	Expected  string        `json:"expected"`  // "-" when absent
	Actual    string        `json:"actual"`
}

// String renders the diff on one line.
func (d FieldDiff) String() string {
	return fmt.Sprintf("entity %d %s %s: expected %s, actual %s", d.ID, d.Component, d.Field, d.Expected, d.Actual)
}

// DiffSnapshots lists every field that differs between two snapshots, in
// ascending stable id, then component type, then field path.
func DiffSnapshots(exp, act *ecs.Snapshot) []FieldDiff {
	var out []FieldDiff
	world := func(field string, e, a any) {
		es, as := fmt.Sprint(e), fmt.Sprint(a)
		if es != as {
			out = append(out, FieldDiff{Component: "world", Field: field, Expected: es, Actual: as})
		}
	}
	world("Tick", exp.Tick, act.Tick)
	world("NextID", exp.NextID, act.NextID)
	world("Currencies", exp.Currencies, act.Currencies)
	world("Used", exp.Used, act.Used)
	world("Pending", len(exp.Pending), len(act.Pending))
	world("Intents", exp.Intents, act.Intents)
	i, j := 0, 0
	for i < len(exp.Entities) || j < len(act.Entities) {
		switch {
		case j >= len(act.Entities) || i < len(exp.Entities) && exp.Entities[i].ID < act.Entities[j].ID:
			out = append(out, FieldDiff{ID: exp.Entities[i].ID, Component: "entity", Field: "alive", Expected: "true", Actual: "false"})
			i++
		case i >= len(exp.Entities) || act.Entities[j].ID < exp.Entities[i].ID:
			out = append(out, FieldDiff{ID: act.Entities[j].ID, Component: "entity", Field: "alive", Expected: "false", Actual: "true"})
			j++
		default:
			out = append(out, diffEntity(&exp.Entities[i], &act.Entities[j])...)
			i++
			j++
		}
	}
	for _, es := range exp.Systems {
		k := slices.IndexFunc(act.Systems, func(s ecs.SystemSnapshot) bool { return s.Name == es.Name })
		if k < 0 {
			out = append(out, FieldDiff{Component: "system " + es.Name, Field: "state", Expected: "present", Actual: "-"})
			continue
		}
		out = append(out, diffJSON(0, "system "+es.Name, "", es.State, act.Systems[k].State)...)
	}
	return out
}

func diffEntity(e, a *ecs.EntitySnapshot) []FieldDiff {
	var out []FieldDiff
	i, j := 0, 0
	for i < len(e.Components) || j < len(a.Components) {
		switch {
		case j >= len(a.Components) || i < len(e.Components) && e.Components[i].Type < a.Components[j].Type:
			out = append(out, FieldDiff{ID: e.ID, Component: shortName(e.Components[i].Type), Expected: "present", Actual: "-"})
			i++
		case i >= len(e.Components) || a.Components[j].Type < e.Components[i].Type:
			out = append(out, FieldDiff{ID: e.ID, Component: shortName(a.Components[j].Type), Expected: "-", Actual: "present"})
			j++
		default:
			out = append(out, diffJSON(e.ID, shortName(e.Components[i].Type), "", e.Components[i].Value, a.Components[j].Value)...)
			i++
			j++
		}
	}
	return out
}

// shortName drops the package path from a component name for display:
// "github.com/tickecon/tickecon/components.Wallet" → "components.Wallet".
func shortName(name string) string { return path.Base(name) }

func decodeJSON(raw []byte) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber() // int64 amounts stay exact
	var v any
	if d.Decode(&v) != nil {
		return string(raw)
	}
	return v
}

func diffJSON(id components.ID, comp, path string, e, a []byte) []FieldDiff {
	if bytes.Equal(e, a) {
		return nil
	}
	var out []FieldDiff
	walk(decodeJSON(e), decodeJSON(a), path, func(p, ev, av string) {
		out = append(out, FieldDiff{ID: id, Component: comp, Field: p, Expected: ev, Actual: av})
	})
	return out
}

func show(v any) string {
	if v == nil {
		return "-"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// walk compares two decoded JSON values, reporting leaves that differ.
// Object keys are visited in sorted order: output never depends on Go map
// iteration order.
func walk(e, a any, path string, report func(path, exp, act string)) {
	em, eok := e.(map[string]any)
	am, aok := a.(map[string]any)
	if eok && aok {
		keys := make([]string, 0, len(em)+len(am))
		for k := range em {
			keys = append(keys, k)
		}
		for k := range am {
			if _, ok := em[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			walk(em[k], am[k], join(path, k), report)
		}
		return
	}
	el, eok := e.([]any)
	al, aok := a.([]any)
	if eok && aok {
		for i := range max(len(el), len(al)) {
			var ev, av any
			if i < len(el) {
				ev = el[i]
			}
			if i < len(al) {
				av = al[i]
			}
			walk(ev, av, fmt.Sprintf("%s[%d]", path, i), report)
		}
		return
	}
	if !reflect.DeepEqual(e, a) {
		report(path, show(e), show(a))
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// EventDiff is the first difference between two event (or input) lists.
type EventDiff struct {
	List     string // "commands", "intents" or "events"
	Index    int    // position in the list
	Fields   []FieldDiff
	Expected string // the whole expected item ("-": missing)
	Actual   string
}

// String renders the diff.
func (d EventDiff) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s[%d]: expected %s, actual %s", d.List, d.Index, d.Expected, d.Actual)
	for _, f := range d.Fields {
		fmt.Fprintf(&b, "\n    %s: expected %s, actual %s", f.Field, f.Expected, f.Actual)
	}
	return b.String()
}

// firstDiff finds the first differing item of two lists, field by field.
// T is events.Event or components.PurchaseIntent (sameMemory's rule).
func firstDiff[T comparable](list string, exp, act []T) *EventDiff {
	if sameMemory(exp, act) {
		return nil // the usual case: one comparison of the whole list
	}
	for i := range max(len(exp), len(act)) {
		switch {
		case i >= len(act):
			return &EventDiff{List: list, Index: i, Expected: fmt.Sprintf("%+v", exp[i]), Actual: "-"}
		case i >= len(exp):
			return &EventDiff{List: list, Index: i, Expected: "-", Actual: fmt.Sprintf("%+v", act[i])}
		case exp[i] != act[i]:
			d := &EventDiff{List: list, Index: i, Expected: fmt.Sprintf("%+v", exp[i]), Actual: fmt.Sprintf("%+v", act[i])}
			ev, av := reflect.ValueOf(exp[i]), reflect.ValueOf(act[i])
			for f := range ev.NumField() {
				x, y := ev.Field(f).Interface(), av.Field(f).Interface()
				if !reflect.DeepEqual(x, y) {
					d.Fields = append(d.Fields, FieldDiff{Field: ev.Type().Field(f).Name, Expected: fmt.Sprint(x), Actual: fmt.Sprint(y)})
				}
			}
			return d
		}
	}
	return nil
}

// sameMemory reports whether two lists hold byte for byte the same items.
// Then every item is == its counterpart, for types without floats (where
// equal bits could differ under ==, NaN) whose strings are equal when
// their pointer and length are: events.Event and
// components.PurchaseIntent (TestSameMemoryTypesHaveNoFloats). Different
// bytes prove nothing (padding, equal strings at two addresses): the
// caller compares item by item then. A replayed tick's lists match the
// decoded ones byte for byte, so this one memory comparison replaces the
// field-by-field one that took ≈ 7% of a verification.
func sameMemory[T any](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	n := len(a) * int(unsafe.Sizeof(a[0]))
	x := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(a))), n)
	y := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), n)
	return bytes.Equal(x, y)
}

// DiffTicks compares two records of the same tick: inputs first (a
// different input explains everything after it), then events.
func DiffTicks(exp, act *ecs.TickRecord) *EventDiff {
	if d := firstDiff("commands", exp.Commands, act.Commands); d != nil {
		return d
	}
	if d := firstDiff("intents", exp.Intents, act.Intents); d != nil {
		return d
	}
	return firstDiff[events.Event]("events", exp.Events, act.Events)
}
