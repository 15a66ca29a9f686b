// Package ticklog is tickecon's durable replay log: a versioned binary
// file holding the session's content and setup, then one CRC-protected
// record per tick (its inputs, its events and the state checksum) and,
// every N ticks, a snapshot of the whole state.
//
// # Outline
//
//   - Writing: [Create] starts a log, [OpenAppend] goes on with one after
//     a crash (cutting a torn tail, refusing any other damage), and a
//     [Writer] appends ticks ([Writer.Append], or [Writer.Record] to follow
//     a world) and snapshots. [Writer.Durable] says which tick is on stable
//     storage; the first write error is kept and returned by every later
//     call and by [Writer.Close].
//   - Reading: [NewReader] checks the header and streams [Record]s;
//     [ReadAll] reads a whole file. A reader that is done with each tick
//     before the next turns on [Reader.SetReuse] (or rotates its own
//     records with [Reader.NextInto]): ticks then decode into reused
//     slices and reading allocates nothing per tick.
//     [Reader.SetRawSnapshots] leaves snapshots' JSON undecoded
//     ([Record.DecodeSnapshot] decodes it) for a verifier that compares
//     bytes first.
//   - Errors: [CorruptError] (damage, with its offset), [TornTailError] (a
//     crash's incomplete last record), [VersionError], [ContentHashError],
//     [LimitError] (a record over the [Limits]).
//   - JSON Lines: [ExportJSONL] and [ImportJSONL] for people and tools.
//
// # Format (version 5, little endian; version 4 logs are read too)
//
//	header:  "TICKECON" | version u16 | flags u16 | content hash u64 |
//	         setup length u32 | content length u32 | setup JSON |
//	         content JSON | CRC-32C of all of the above u32
//	record:  length u32 | CRC-32C(length) u32 | type u8 | payload |
//	         CRC-32C(type, payload) u32
//
// A tick payload is uvarint tick | checksum u64 | stages | commands |
// intents | events, each a uvarint count then varint-packed fields; stages
// are the per-stage checksums: a uvarint count, a uvarint bitmask of the
// stages equal to the next one (the last: to the tick's checksum), then a
// u64 for each other stage. A snapshot payload is the JSON of an
// ecs.Snapshot. The setup JSON is an [ecs.Setup]:
// which systems the session ran with, so tools rebuild the same world.
//
// # Damage and torn tails
//
// Each record's length carries its own check value, so a damaged length
// is a [CorruptError], never mistaken for the end of the log. A torn tail
// is reported only where nothing complete can follow: the file ends inside
// a record whose (checked) length runs past the end, or a record fails its
// check and only zero bytes follow it (space a crash allocated but never
// wrote; no record is all zeros). Anything else is corruption, and
// OpenAppend then leaves the file exactly as it was.
//
// # Limits
//
// Decoding memory stays proportional to the bytes read: every count is
// checked against the bytes left and against [DefaultLimits] (per tick
// 262,144 commands, 1,048,576 intents, 2,097,152 events; 128 MiB per
// snapshot record; 256 MiB per record) before anything is allocated.
package ticklog
