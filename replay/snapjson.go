package replay

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/tickecon/tickecon/ecs"
)

// sameSnapshotJSON reports whether raw, a snapshot record's JSON, is
// exactly what the log's writer (json.Marshal) writes for act. Equal bytes
// decode to equal snapshots, so a verifier that finds them equal need not
// decode raw, which costs several times more than this comparison.
//
// Everything but the entities is encoded by json.Marshal; the entities
// (nearly all of the bytes) are encoded here one at a time and compared
// as they go: their component values are already JSON, and re-checking
// them is what made json.Marshal of a whole snapshot slow. Whatever this
// writes decodes to act (values verbatim, ids and type names as JSON
// writes them), so a match can never hide a difference; an encoding that
// differs from json.Marshal's in some byte only costs the fast path (the
// caller decodes and diffs as before). Any difference is "not the same":
// so is the "hash_seed" field of logs written before snapshots left the
// seed out, which sends such a snapshot down the slow path (decoding
// ignores the field).
func sameSnapshotJSON(raw []byte, act *ecs.Snapshot) bool {
	c := *act
	c.Entities = nil
	js, err := json.Marshal(&c)
	if err != nil {
		return false
	}
	// Strings escape their quotes, so this is the field itself.
	const marker = `,"entities":null,`
	i := bytes.Index(js, []byte(marker))
	if i < 0 || js[len(js)-1] != '}' {
		return false
	}
	head := js[:i+len(`,"entities":`)]
	tail := js[i+len(marker)-1 : len(js)-1] // from the comma after the entities, without the closing brace
	if !bytes.HasPrefix(raw, head) {
		return false
	}
	rest, ok := matchEntities(raw[len(head):], act.Entities)
	if !ok || !bytes.HasPrefix(rest, tail) {
		return false
	}
	return string(rest[len(tail):]) == "}"
}

// matchEntities checks that raw starts with the JSON of ents and returns
// what follows it.
func matchEntities(raw []byte, ents []ecs.EntitySnapshot) ([]byte, bool) {
	if ents == nil {
		return bytes.CutPrefix(raw, []byte("null"))
	}
	raw, ok := bytes.CutPrefix(raw, []byte("["))
	if !ok {
		return nil, false
	}
	var buf []byte
	names := map[string][]byte{} // component type → its JSON string
	for i := range ents {
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendEntity(buf, &ents[i], names)
		if raw, ok = bytes.CutPrefix(raw, buf); !ok {
			return nil, false
		}
	}
	return bytes.CutPrefix(raw, []byte("]"))
}

// appendEntity appends e as json.Marshal writes an ecs.EntitySnapshot.
func appendEntity(b []byte, e *ecs.EntitySnapshot, names map[string][]byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(e.ID), 10)
	b = append(b, `,"components":`...)
	if e.Components == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for j := range e.Components {
		c := &e.Components[j]
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		name, ok := names[c.Type]
		if !ok {
			name = jsonString(c.Type)
			names[c.Type] = name
		}
		b = append(b, name...)
		b = append(b, `,"value":`...)
		if len(c.Value) == 0 {
			b = append(b, "null"...)
		} else {
			b = append(b, c.Value...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// jsonString is s as a JSON string, as json.Marshal writes it.
func jsonString(s string) []byte {
	q, err := json.Marshal(s)
	if err != nil {
		return nil
	}
	return q
}
