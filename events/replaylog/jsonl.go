package replaylog

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"os"
	"strconv"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// line is one JSON Lines record. 64-bit hashes are hex strings: JSON
// numbers lose precision above 2^53 in most tools.
type line struct {
	Type        string                      `json:"type"` // "header", "tick" or "snapshot"
	Version     uint16                      `json:"version,omitempty"`
	ContentHash string                      `json:"content_hash,omitempty"`
	Content     json.RawMessage             `json:"content,omitempty"`
	Tick        *uint64                     `json:"tick,omitempty"`
	Checksum    string                      `json:"checksum,omitempty"`
	Stages      []string                    `json:"stages,omitempty"` // per-stage checksums, hex
	Commands    []events.Event              `json:"commands,omitempty"`
	Intents     []components.PurchaseIntent `json:"intents,omitempty"`
	Events      []events.Event              `json:"events,omitempty"`
	Snapshot    *ecs.Snapshot               `json:"snapshot,omitempty"`
}

func hex64(v uint64) string { return fmt.Sprintf("%016x", v) }

// ExportJSONL writes a binary log as JSON Lines: a header line, then one
// line per tick or snapshot. A torn tail ends the export without error
// after the last good record; other damage is returned.
func ExportJSONL(path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	h := r.Header()
	if err := enc.Encode(line{Type: "header", Version: h.Version, ContentHash: hex64(h.ContentHash), Content: h.Content}); err != nil {
		return err
	}
	for {
		rec, err := r.Next()
		var torn *TornTailError
		if err == io.EOF || errors.As(err, &torn) {
			break
		}
		if err != nil {
			return err
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

// ImportJSONL turns JSON Lines (as ExportJSONL writes them) back into a
// binary log at path. Errors name the line.
func ImportJSONL(in io.Reader, path string) (err error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), MaxRecord)
	var w *Writer
	defer func() {
		if w != nil {
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
	}()
	n := 0
	for sc.Scan() {
		n++
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case n == 1 && l.Type == "header":
			hash, err := strconv.ParseUint(l.ContentHash, 16, 64)
			if err != nil {
				return fmt.Errorf("line 1: content_hash: %w", err)
			}
			if got := crc64.Checksum(l.Content, crc64.MakeTable(crc64.ECMA)); got != hash {
				return fmt.Errorf("line 1: content hash %016x does not match the content (%016x)", hash, got)
			}
			f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			w = &Writer{f: f, bw: bufio.NewWriterSize(f, 1<<16)}
			if _, err := w.bw.Write(encodeHeader(l.Content, hash)); err != nil {
				return err
			}
		case n == 1:
			return errors.New("line 1: expected the header line")
		case l.Type == "tick" && l.Tick != nil:
			sum, err := strconv.ParseUint(l.Checksum, 16, 64)
			if err != nil {
				return fmt.Errorf("line %d: checksum: %w", n, err)
			}
			rec := ecs.TickRecord{Tick: *l.Tick, Checksum: sum, Commands: l.Commands, Intents: l.Intents, Events: l.Events}
			for i, h := range l.Stages {
				st, err := strconv.ParseUint(h, 16, 64)
				if err != nil {
					return fmt.Errorf("line %d: stages[%d]: %w", n, i, err)
				}
				rec.Stages = append(rec.Stages, st)
			}
			for i := range rec.Events {
				rec.Events[i].Tick = rec.Tick
			}
			if err := w.Append(&rec); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
		case l.Type == "snapshot" && l.Snapshot != nil:
			if err := w.AppendSnapshot(l.Snapshot); err != nil {
				return fmt.Errorf("line %d: %w", n, err)
			}
		default:
			return fmt.Errorf("line %d: unknown record type %q", n, l.Type)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("empty input: no header line")
	}
	return nil
}
