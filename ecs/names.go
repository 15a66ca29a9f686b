package ecs

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
)

// Snapshots name each component type, so that a snapshot restores into a
// world whose arche ids were assigned in another order. The name of a
// named Go type is its full package path and type name
// ("github.com/tickecon/tickecon/components.Wallet"): two packages both
// called components do not collide. A type can instead be given a name of
// its own with RegisterComponent — to keep snapshots valid across a
// package move, or for a type without a unique path name (an unnamed
// struct, or types declared inside functions, which share their package's
// path and name).

// ComponentNameError reports a component name given to two types, or a
// component type that has no unique name.
type ComponentNameError struct {
	Name  string
	Types []reflect.Type // the types involved
	Msg   string
}

// Error implements error.
func (e *ComponentNameError) Error() string {
	return fmt.Sprintf("component name %q: %s %v", e.Name, e.Msg, e.Types)
}

// ComponentName is the default snapshot name of component type t: its
// package path and name, or "" for an unnamed type.
func ComponentName(t reflect.Type) string {
	if t.Name() == "" || t.PkgPath() == "" {
		return ""
	}
	return t.PkgPath() + "." + t.Name()
}

// RegisterComponent registers T as a component of w (as arche.ComponentID
// does) under the snapshot name name. It fails, changing nothing, if name
// is empty, already names another registered type (by registration or by
// default), or T was already given another name.
func RegisterComponent[T any](w *World, name string) (arche.ID, error) {
	t := reflect.TypeFor[T]()
	if name == "" {
		return arche.ID{}, &ComponentNameError{Name: name, Types: []reflect.Type{t}, Msg: "is empty"}
	}
	if prev, ok := w.names[t]; ok && prev != name {
		return arche.ID{}, &ComponentNameError{Name: name, Types: []reflect.Type{t},
			Msg: fmt.Sprintf("type already registered as %q", prev)}
	}
	for _, cid := range arche.ComponentIDs(&w.ecs) {
		info, _ := arche.ComponentInfo(&w.ecs, cid)
		if info.Type != t && w.componentName(info.Type) == name {
			return arche.ID{}, &ComponentNameError{Name: name, Types: []reflect.Type{info.Type, t}, Msg: "already names another type"}
		}
	}
	for other, n := range w.names { // a name check: order does not matter
		if other != t && n == name {
			return arche.ID{}, &ComponentNameError{Name: name, Types: []reflect.Type{other, t}, Msg: "already names another type"}
		}
	}
	if w.names == nil {
		w.names = map[reflect.Type]string{}
	}
	w.names[t] = name
	return arche.ComponentID[T](&w.ecs), nil
}

// componentName is the snapshot name of t in w.
func (w *World) componentName(t reflect.Type) string {
	if n, ok := w.names[t]; ok {
		return n
	}
	return ComponentName(t)
}

// componentTable maps every registered component type's snapshot name to
// its id. A name shared by two types (or a type without one) is an error
// only when such a component has to be saved or restored: it is marked
// ambiguous here.
func (w *World) componentTable() (byName map[string]arche.ID, ambiguous map[string][]reflect.Type) {
	byName = map[string]arche.ID{} // looked up by name, never iterated
	ambiguous = map[string][]reflect.Type{}
	for _, cid := range arche.ComponentIDs(&w.ecs) {
		info, _ := arche.ComponentInfo(&w.ecs, cid)
		n := w.componentName(info.Type)
		if prev, dup := byName[n]; dup && len(ambiguous[n]) == 0 {
			pi, _ := arche.ComponentInfo(&w.ecs, prev)
			ambiguous[n] = append(ambiguous[n], pi.Type)
		}
		if _, dup := byName[n]; dup || n == "" {
			ambiguous[n] = append(ambiguous[n], info.Type)
			continue
		}
		byName[n] = cid
	}
	for n := range ambiguous { // deletes are order-independent
		delete(byName, n)
		slices.SortFunc(ambiguous[n], func(a, b reflect.Type) int { return cmp.Compare(a.String(), b.String()) })
	}
	return byName, ambiguous
}

// saveName returns the snapshot name of component cid, or an error if it
// has none or shares it with another type.
func (w *World) saveName(cid arche.ID, ambiguous map[string][]reflect.Type) (string, error) {
	info, _ := arche.ComponentInfo(&w.ecs, cid)
	n := w.componentName(info.Type)
	if n == "" {
		return "", &ComponentNameError{Name: n, Types: []reflect.Type{info.Type},
			Msg: "unnamed component type: give it a name with ecs.RegisterComponent"}
	}
	if types, ok := ambiguous[n]; ok {
		return "", &ComponentNameError{Name: n, Types: types,
			Msg: "names several component types: give them distinct names with ecs.RegisterComponent"}
	}
	return n, nil
}
