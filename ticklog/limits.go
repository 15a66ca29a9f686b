package ticklog

import "fmt"

// Limits bound what one record may hold. The Reader checks them before it
// allocates anything for the record, and the Writer refuses to write a
// record over them, so a log this package writes is one it can read back.
// Together with the rule that every listed item takes at least one byte
// per field, they keep a reader's memory proportional to the bytes it has
// read, whatever a crafted file claims.
type Limits struct {
	Commands int   // commands per tick
	Intents  int   // purchase intents per tick
	Events   int   // events per tick
	Snapshot int64 // bytes of one snapshot record
}

// DefaultLimits are the limits of NewReader, DecodeTick, Create and
// OpenAppend: above a game's busiest tick (the benchmarks' largest tick is
// 1M intents), and low enough that the worst tick decodes to ~0.4 GB
// (2M events of 136 bytes, 1M intents of 72, 256k commands) — and never
// to more than ~8x the bytes read.
var DefaultLimits = Limits{Commands: 1 << 18, Intents: 1 << 20, Events: 1 << 21, Snapshot: 128 << 20}

// LimitError is a record that holds more than the Limits allow.
type LimitError struct {
	Offset int64  // the record's offset (-1 when writing)
	What   string // "commands", "intents", "events" or "snapshot bytes"
	Count  uint64 // what the record holds (or claims to)
	Limit  uint64
}

// Error implements error.
func (e *LimitError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("replay log: record of %d %s exceeds the limit of %d", e.Count, e.What, e.Limit)
	}
	return fmt.Sprintf("replay log record at byte %d holds %d %s, over the limit of %d", e.Offset, e.Count, e.What, e.Limit)
}

// SetLimits replaces the Reader's limits (DefaultLimits unless set).
func (r *Reader) SetLimits(l Limits) { r.limits = l }

// checkTick reports the first list of a tick over the limits (nil: none).
func (l *Limits) checkTick(commands, intents, events int) *LimitError {
	switch {
	case commands > l.Commands:
		return &LimitError{Offset: -1, What: "commands", Count: uint64(commands), Limit: uint64(l.Commands)}
	case intents > l.Intents:
		return &LimitError{Offset: -1, What: "intents", Count: uint64(intents), Limit: uint64(l.Intents)}
	case events > l.Events:
		return &LimitError{Offset: -1, What: "events", Count: uint64(events), Limit: uint64(l.Events)}
	}
	return nil
}
