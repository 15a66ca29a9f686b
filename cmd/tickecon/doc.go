// Command tickecon records, verifies, diffs and dumps tickecon replay logs.
//
//	tickecon record [-ticks N] [-seed S] [-players P] [-intents I] [-commerce] [-snapshot-every N] [-sync-every N] FILE
//	tickecon verify [-from TICK] FILE      re-simulate and check every tick
//	tickecon replay [-from TICK] FILE      the same, printing every tick's checksum
//	tickecon diff A B                      where two peers' logs part
//	tickecon dump FILE                     every record, for humans
//	tickecon export FILE > FILE.jsonl      JSON Lines
//	tickecon import FILE.jsonl FILE        back to a binary log
//	tickecon report [-o OUT.html] [-force] FILE   an HTML economy report (charts, offline)
//	tickecon dash [-addr HOST:PORT] FILE           the same, live, while FILE is recorded
//	tickecon help [COMMAND]                usage (also -h, -help, --help)
//
// The relay to NATS JetStream is its own command, cmd/tickecon-relay, so
// that this one links no NATS (a game running it with go run or go tool
// gets no nats-server in its go.mod).
//
// Flags may come before or after the file arguments. Logs are replayed on
// the world their header's setup names (core systems, or commerce with its
// configuration), as recorded.
//
// To add a subcommand, register it from an init function in its own file
// (see record.go and verify.go): name, file arguments, summary and flags.
//
// Exit codes: 0 ok; 1 desync or difference found; 2 usage; 3 unreadable,
// corrupt or unwritable file; 4 torn tail (the complete ticks before it
// verified or were exported).
package main
