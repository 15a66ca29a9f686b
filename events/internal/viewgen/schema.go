package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// schemaVersion is the version of the events' JSON form and its schemas
// (cluster/bus.SchemaVersion): the folder docs/schema/v1/ and the $id of
// every schema. The compatibility rule that says when it rises is in
// docs/schema/README.md.
const schemaVersion = 1

var schemaDir = "v" + strconv.Itoa(schemaVersion)

// schemaBase is where the schemas are published: every $id is under it,
// so the envelope's relative $refs resolve to the files next to it.
var schemaBase = "https://raw.githubusercontent.com/tickecon/tickecon/main/docs/schema/" + schemaDir + "/"

const draft = "https://json-schema.org/draft/2020-12/schema"

// Patterns of the decimal strings every integer is written as.
const (
	uintPattern = `^(0|[1-9][0-9]{0,19})$`
	intPattern  = `^(0|-?[1-9][0-9]{0,18})$`
)

// obj is a JSON object that keeps its keys in the order given.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// enumNames are the names of Kind and Reason values, read from the
// kindNames and reasonNames tables of events.go.
type enumNames struct{ kinds, reasons []string }

func enums(f *ast.File) enumNames {
	var out enumNames
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		cl, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			return true
		}
		var names []string
		for _, e := range cl.Elts {
			if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
				s, _ := strconv.Unquote(bl.Value)
				names = append(names, s)
			}
		}
		switch vs.Names[0].Name {
		case "kindNames":
			out.kinds = names
		case "reasonNames":
			out.reasons = names
		}
		return false
	})
	return out
}

// typeSchema is the JSON Schema of an Event field's value, by its Go type.
func typeSchema(typ, doc string, en enumNames) (obj, error) {
	var o obj
	switch typ {
	case "components.ID", "uint64":
		o = obj{{"type", "string"}, {"pattern", uintPattern}}
	case "int64":
		o = obj{{"type", "string"}, {"pattern", intPattern}}
	case "string":
		o = obj{{"type", "string"}}
	case "Kind":
		o = obj{{"$ref", "defs.json#/$defs/Kind"}}
	case "Reason":
		o = obj{{"$ref", "defs.json#/$defs/Reason"}}
	default:
		return nil, fmt.Errorf("no JSON form for an Event field of type %s", typ)
	}
	if doc != "" {
		o = append(obj{{"description", doc}}, o...)
	}
	return o, nil
}

// genSchemas returns a data schema per kind (Kind.json), the CloudEvent
// envelope (cloudevent.json, which picks the data schema by type) and a
// batch (batch.json).
func genSchemas(views []view, evFields []eventField, en enumNames) (map[string][]byte, error) {
	if len(en.kinds) == 0 || len(en.reasons) == 0 {
		return nil, fmt.Errorf("events.go: kindNames or reasonNames not found")
	}
	byName := map[string]eventField{}
	for _, f := range evFields {
		byName[f.name] = f
	}
	out := map[string][]byte{}
	var types []string
	var dispatch []any
	for _, v := range views {
		used := map[string]bool{}
		var props obj
		var required []string
		for _, f := range v.fields {
			used[f.ev] = true
			doc := f.doc
			if doc == "" {
				doc = byName[f.ev].doc
			}
			s, err := typeSchema(byName[f.ev].typ, doc, en)
			if err != nil {
				return nil, fmt.Errorf("%sEvent.%s: %v", v.kind, f.name, err)
			}
			// The title names the Event field holding it (docs/events.md):
			// a reader finds the money fields (Amount, Rest) of any kind.
			s = append(obj{{"title", f.ev}}, s...)
			props = append(props, kv{f.name, s})
			required = append(required, f.name)
		}
		var other obj
		for _, f := range evFields {
			if used[f.name] || f.name == "Tick" || f.name == "Kind" || f.name == "Ticket" {
				continue
			}
			s, err := typeSchema(f.typ, f.doc, en)
			if err != nil {
				return nil, fmt.Errorf("Event.%s: %v", f.name, err)
			}
			other = append(other, kv{f.name, s})
		}
		props = append(props, kv{"Other", obj{
			{"description", "Event fields outside this kind's view, by Event field name (docs/events.md): in a CommandRejected, the refused command's; absent otherwise"},
			{"type", "object"}, {"properties", other}, {"additionalProperties", false}}})
		typ := "tickecon." + v.kind
		s := obj{{"$schema", draft}, {"$id", schemaBase + v.kind + ".json"},
			{"title", "data of a " + typ + " CloudEvent"}, {"description", v.doc},
			{"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}}
		b, err := indent(s)
		if err != nil {
			return nil, err
		}
		out[v.kind+".json"] = b
		types = append(types, typ)
		dispatch = append(dispatch, obj{{"if", obj{{"properties", obj{{"type", obj{{"const", typ}}}}}}},
			{"then", obj{{"properties", obj{{"data", obj{{"$ref", v.kind + ".json"}}}}}}}})
	}
	env := obj{{"$schema", draft}, {"$id", schemaBase + "cloudevent.json"},
		{"title", "a tickecon event as a CloudEvent 1.0 (JSON event format)"},
		{"description", "One event of a world's event stream; the data schema is picked by type. Schema version " + strconv.Itoa(schemaVersion) + " (docs/schema/README.md)."},
		{"type", "object"},
		{"properties", obj{
			{"specversion", obj{{"const", "1.0"}}},
			{"id", obj{{"description", "the event's stable id, tick/index: unique within source, the key to deduplicate by"}, {"type", "string"}, {"pattern", `^(0|[1-9][0-9]{0,19})/(0|[1-9][0-9]{0,9})$`}}},
			{"source", obj{{"description", "the world's name"}, {"type", "string"}, {"pattern", `^[A-Za-z0-9_-]{1,64}$`}}},
			{"type", obj{{"enum", types}}},
			{"ticket", obj{{"description", "extension attribute: the command that caused the event (absent: none)"}, {"type", "string"}, {"pattern", uintPattern}}},
			{"datacontenttype", obj{{"const", "application/json"}}},
			{"data", obj{{"type", "object"}}},
		}},
		{"required", []string{"specversion", "id", "source", "type", "data"}},
		{"allOf", dispatch}}
	b, err := indent(env)
	if err != nil {
		return nil, err
	}
	out["cloudevent.json"] = b
	batch := obj{{"$schema", draft}, {"$id", schemaBase + "batch.json"},
		{"title", "a message of a world's event stream in batch mode (application/cloudevents-batch+json)"},
		{"type", "array"}, {"minItems", 1}, {"items", obj{{"$ref", "cloudevent.json"}}}}
	if b, err = indent(batch); err != nil {
		return nil, err
	}
	out["batch.json"] = b
	defs := obj{{"$schema", draft}, {"$id", schemaBase + "defs.json"},
		{"title", "values the event schemas share: kind and rejection reason names"},
		{"$defs", obj{
			{"Kind", obj{{"description", "an event kind's name (events.Kind)"}, {"enum", en.kinds}}},
			{"Reason", obj{{"description", "a rejection reason's name (events.Reason)"}, {"enum", en.reasons}}},
		}}}
	if b, err = indent(defs); err != nil {
		return nil, err
	}
	out["defs.json"] = b
	return out, nil
}

func indent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// writeSchemas replaces the generated schemas in dir: every .json file
// there is generated, so a kind's file that is no longer generated goes.
func writeSchemas(dir string, schemas map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if _, ok := schemas[filepath.Base(p)]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, b := range schemas {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// staleSchemas compares the schemas with the .json files in dir and
// names those missing, different or no longer generated.
func staleSchemas(dir string, schemas map[string][]byte) []string {
	var stale []string
	have, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range have {
		if _, ok := schemas[filepath.Base(p)]; !ok {
			stale = append(stale, filepath.Base(p)+" (no longer generated)")
		}
	}
	for name, b := range schemas {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			stale = append(stale, name)
		}
	}
	slices.Sort(stale)
	return stale
}
