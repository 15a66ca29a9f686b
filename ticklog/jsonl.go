package ticklog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// line is one JSON Lines record as ExportJSONL writes it. 64-bit hashes
// are hex strings: JSON numbers lose precision above 2^53 in most tools.
type line struct {
	Type        string                      `json:"type"` // "header", "tick" or "snapshot"
	Version     uint16                      `json:"version,omitempty"`
	ContentHash string                      `json:"content_hash,omitempty"`
	Setup       *ecs.Setup                  `json:"setup,omitempty"`
	Content     json.RawMessage             `json:"content,omitempty"`
	Tick        *uint64                     `json:"tick,omitempty"`
	Checksum    string                      `json:"checksum,omitempty"`
	Stages      []string                    `json:"stages,omitempty"` // per-stage checksums, hex
	Commands    []events.Event              `json:"commands,omitempty"`
	Intents     []components.PurchaseIntent `json:"intents,omitempty"`
	Events      []events.Event              `json:"events,omitempty"`
	Snapshot    *ecs.Snapshot               `json:"snapshot,omitempty"`
}

// lineIn is a line as ImportJSONL reads it: the lists stay raw until their
// length is checked against the Limits, so a crafted line cannot make the
// importer allocate more than the limits allow.
type lineIn struct {
	Type        string          `json:"type"`
	Version     uint16          `json:"version,omitempty"`
	ContentHash string          `json:"content_hash,omitempty"`
	Setup       json.RawMessage `json:"setup,omitempty"`
	Content     json.RawMessage `json:"content,omitempty"`
	Tick        *uint64         `json:"tick,omitempty"`
	Checksum    string          `json:"checksum,omitempty"`
	Stages      json.RawMessage `json:"stages,omitempty"`
	Commands    json.RawMessage `json:"commands,omitempty"`
	Intents     json.RawMessage `json:"intents,omitempty"`
	Events      json.RawMessage `json:"events,omitempty"`
	Snapshot    json.RawMessage `json:"snapshot,omitempty"`
}

func hex64(v uint64) string { return fmt.Sprintf("%016x", v) }

// ExportJSONL writes a binary log as JSON Lines: a header line, then one
// line per tick or snapshot. A torn tail ends the export after the last
// good record, which is written and flushed, and the *TornTailError is
// returned so the caller can say the log was cut short; other damage is
// returned too, after the good records before it.
func ExportJSONL(path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.SetReuse(true) // each record is written out before the next is read
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	h := r.Header()
	if err := enc.Encode(line{Type: "header", Version: h.Version, ContentHash: hex64(h.ContentHash), Setup: &h.Setup, Content: h.Content}); err != nil {
		return err
	}
	for {
		rec, rerr := r.Next()
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if err := bw.Flush(); err != nil {
				return err
			}
			return fmt.Errorf("%s: %w", path, rerr)
		}
		l := line{Type: "snapshot", Snapshot: rec.Snapshot}
		if t := rec.Tick; t != nil {
			l = line{Type: "tick", Tick: &t.Tick, Checksum: hex64(t.Checksum), Commands: t.Commands, Intents: t.Intents, Events: t.Events}
			for _, st := range t.Stages {
				l.Stages = append(l.Stages, hex64(st))
			}
		}
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// MinJSONLVersion is the oldest format whose JSON Lines ImportJSONL takes.
// Lines name their fields, so an export of an older binary log imports
// into the current format (fields it lacks take their zero value: no stage
// checksums, the core systems): that is the way to keep an old log. A
// change of what a field means must raise this: version 4 gave event
// fields one meaning in every kind, so lines of versions 1–3 would be
// misread and are refused.
const MinJSONLVersion = 4

// maxLine bounds one JSON line of an import: the bytes one record may take
// as JSON (about ten times its binary size).
const maxLine = 1 << 30

// ImportJSONL turns JSON Lines (as ExportJSONL writes them, by this or an
// older version down to MinJSONLVersion) back into a binary log at path,
// in the current format, replacing any file there (ImportJSONLNew refuses
// one). Errors name the line. The log is written to a temporary file in
// path's folder, synced and renamed over path only when every line was
// imported: on any error path is left as it was and no partial file
// remains.
func ImportJSONL(in io.Reader, path string) error {
	return importJSONL(in, path, true)
}

func importJSONL(in io.Reader, path string, replace bool) (err error) {
	if err := checkTarget(path, replace); err != nil {
		return err // before reading a line: refused at once
	}
	f, err := createTemp(path, ".import*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	w := newWriter(f, Options{})
	defer func() {
		if err != nil {
			w.Close()
			os.Remove(tmp)
		}
	}()
	if err := importLines(in, w); err != nil {
		return err
	}
	if err := w.Close(); err != nil { // syncs
		return err
	}
	return place(tmp, path, replace)
}

func importLines(in io.Reader, w *Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<16), maxLine)
	lim := DefaultLimits
	n := 0
	var lastTick, lastSum uint64 // the last tick imported and its checksum
	hasLast := false
	for sc.Scan() {
		n++
		var l lineIn
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		if err := knownKeys(sc.Bytes(), 1, lineKeys); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		if err := l.onlyItsFields(); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case n == 1 && l.Type == "header":
			if l.Version < MinJSONLVersion || l.Version > Version {
				return fmt.Errorf("line 1: %w", &VersionError{Found: l.Version, Supported: Version})
			}
			hash, err := strconv.ParseUint(l.ContentHash, 16, 64)
			if err != nil {
				return fmt.Errorf("line 1: content_hash: %w", err)
			}
			if got := contentHash(l.Content); got != hash {
				return fmt.Errorf("line 1: %w", &ContentHashError{Recorded: hash, Actual: got})
			}
			var setup ecs.Setup
			if len(l.Setup) > 0 && string(l.Setup) != "null" {
				if err := strictJSON(l.Setup, &setup); err != nil {
					return fmt.Errorf("line 1: setup: %w", err)
				}
			}
			hdr, err := encodeHeader(l.Content, hash, setup)
			if err != nil {
				return fmt.Errorf("line 1: %w", err)
			}
			if _, err := w.bw.Write(hdr); err != nil {
				return err
			}
		case n == 1:
			return errors.New("line 1: expected the header line")
		case l.Type == "tick" && l.Tick != nil:
			sum, err := strconv.ParseUint(l.Checksum, 16, 64)
			if err != nil {
				return fmt.Errorf("line %d: checksum: %w", n, err)
			}
			rec := ecs.TickRecord{Tick: *l.Tick, Checksum: sum}
			if err := decodeList(l.Commands, "commands", lim.Commands, &rec.Commands); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			if err := decodeList(l.Intents, "intents", lim.Intents, &rec.Intents); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			if err := decodeList(l.Events, "events", lim.Events, &rec.Events); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			var stages []string
			if err := decodeList(l.Stages, "stages", maxStages, &stages); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			for i, h := range stages {
				st, err := strconv.ParseUint(h, 16, 64)
				if err != nil {
					return fmt.Errorf("line %d: stages[%d]: %w", n, i, err)
				}
				rec.Stages = append(rec.Stages, st)
			}
			// An event's tick is the line's (the binary log stores it once
			// per record); a command has none. A tick that disagrees was
			// edited, and would be dropped without a word: refuse it.
			for i := range rec.Commands {
				if t := rec.Commands[i].Tick; t != 0 {
					return fmt.Errorf("line %d: commands[%d]: tick %d: a command has no tick of its own (its line's tick %d applies)", n, i, t, rec.Tick)
				}
			}
			for i := range rec.Events {
				if t := rec.Events[i].Tick; t != 0 && t != rec.Tick {
					return fmt.Errorf("line %d: events[%d]: tick %d disagrees with the line's tick %d", n, i, t, rec.Tick)
				}
				rec.Events[i].Tick = rec.Tick
			}
			if err := w.Append(&rec); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
			lastTick, lastSum, hasLast = rec.Tick, rec.Checksum, true
		case l.Type == "snapshot" && len(l.Snapshot) > 0:
			if int64(len(l.Snapshot)) > lim.Snapshot {
				return fmt.Errorf("line %d: %w", n, &LimitError{Offset: -1, What: "snapshot bytes", Count: uint64(len(l.Snapshot)), Limit: uint64(lim.Snapshot)})
			}
			var in snapshotIn
			if err := strictJSON(l.Snapshot, &in); err != nil {
				return fmt.Errorf("line %d: snapshot: %w", n, err)
			}
			s := &in.Snapshot
			// A snapshot is taken after the tick before it: its tick is the
			// next one and its checksum that tick's.
			if hasLast && (s.Tick != lastTick+1 || s.Checksum != lastSum) {
				return fmt.Errorf("line %d: snapshot of tick %d, checksum %016x disagrees with the tick before it (tick %d, checksum %016x)",
					n, s.Tick, s.Checksum, lastTick, lastSum)
			}
			if err := w.AppendSnapshot(s); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
		case l.Type == "tick":
			return fmt.Errorf("line %d: a tick line without its tick", n)
		case l.Type == "snapshot":
			return fmt.Errorf("line %d: a snapshot line without its snapshot", n)
		case l.Type == "header":
			return fmt.Errorf("line %d: a second header line", n)
		default:
			return fmt.Errorf("line %d: unknown record type %q", n, l.Type)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	if n == 0 {
		return errors.New("empty input: no header line")
	}
	return nil
}

// decodeList decodes a JSON array into out after counting its elements
// against limit, so nothing is allocated for a list over the limit.
func decodeList[T any](raw json.RawMessage, what string, limit int, out *[]T) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if n := countElems(raw); n > limit {
		return &LimitError{Offset: -1, What: what, Count: uint64(n), Limit: uint64(limit)}
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := knownKeys(raw, 2, jsonKeys(reflect.TypeFor[T]())); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// lineKeys are the fields a line may have.
var lineKeys = jsonKeys(reflect.TypeFor[lineIn]())

// jsonKeys lists the JSON names of a struct type's fields (nil for other
// types: they have no keys to check).
func jsonKeys(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		keys = append(keys, name)
	}
	return keys
}

// knownKeys refuses a key, in the objects at the given depth of valid
// JSON raw (1: the value itself, 2: the elements of an array), that is
// not in keys. encoding/json drops unknown fields without a word, so a
// field misspelt or added by hand would import as if it were not there.
// Keys match case-insensitively, as encoding/json matches them. It scans
// the bytes in place (Decoder.DisallowUnknownFields would copy a line of
// up to a gigabyte into its buffer first).
func knownKeys(raw []byte, depth int, keys []string) error {
	d, inStr, esc, start := 0, false, false, 0
	for i, c := range raw {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
				if d == depth && isKey(raw[i+1:]) && !known(raw[start:i+1], keys) {
					return fmt.Errorf("unknown field %s", raw[start:i+1])
				}
			}
			continue
		}
		switch c {
		case '"':
			inStr, start = true, i
		case '[', '{':
			d++
		case ']', '}':
			d--
		}
	}
	return nil
}

// isKey: the string just closed is followed by a colon, so it is a key.
func isKey(rest []byte) bool {
	for _, c := range rest {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == ':'
	}
	return false
}

// known reports whether the quoted key q is one of keys.
func known(q []byte, keys []string) bool {
	k := q[1 : len(q)-1]
	if bytes.IndexByte(k, '\\') >= 0 {
		var s string
		if json.Unmarshal(q, &s) != nil {
			return false
		}
		k = []byte(s)
	}
	for _, key := range keys {
		if bytes.EqualFold(k, []byte(key)) {
			return true
		}
	}
	return false
}

// snapshotIn is a snapshot line as import reads it: an ecs.Snapshot, and
// the "hash_seed" that snapshots carried before they left it out (see
// ecs.Snapshot), accepted and dropped so that older exports import.
type snapshotIn struct {
	ecs.Snapshot
	HashSeed uint64 `json:"hash_seed,omitempty"`
}

// strictJSON is json.Unmarshal that refuses fields v does not have: a
// field misspelt or added by hand would otherwise be dropped without a
// word, and the import would look identical to the original.
func strictJSON(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// onlyItsFields refuses a field that belongs to another type of line
// (a header's fields on a tick line, ...): it would be dropped.
func (l *lineIn) onlyItsFields() error {
	var extra []string
	add := func(set bool, name string) {
		if set {
			extra = append(extra, name)
		}
	}
	header := l.Type == "header"
	tick := l.Type == "tick"
	add(!header && l.Version != 0, "version")
	add(!header && l.ContentHash != "", "content_hash")
	add(!header && len(l.Setup) > 0, "setup")
	add(!header && len(l.Content) > 0, "content")
	add(!tick && l.Tick != nil, "tick")
	add(!tick && l.Checksum != "", "checksum")
	add(!tick && len(l.Stages) > 0, "stages")
	add(!tick && len(l.Commands) > 0, "commands")
	add(!tick && len(l.Intents) > 0, "intents")
	add(!tick && len(l.Events) > 0, "events")
	add(l.Type != "snapshot" && len(l.Snapshot) > 0, "snapshot")
	if len(extra) > 0 {
		return fmt.Errorf("a %q line has no field %s", l.Type, strings.Join(extra, ", "))
	}
	return nil
}

// countElems counts the elements of a JSON array without decoding them
// (commas at depth 1, outside strings). Malformed input gives some count;
// json.Unmarshal reports the error after.
func countElems(raw []byte) int {
	depth, n, inStr, esc, seen := 0, 0, false, false, false
	for _, c := range raw {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 1 {
				n++
			}
		}
		if depth >= 1 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && !(depth == 1 && (c == '[' || c == ',')) {
			seen = true
		}
	}
	if seen {
		n++
	}
	return n
}
