// Command tickecon records, verifies, diffs and dumps tickecon replay logs.
//
//	tickecon record [-ticks N] [-seed S] [-players P] [-intents I] [-commerce] [-snapshot-every N] [-sync-every N] [-force] FILE
//	tickecon verify [-from TICK] [-all] FILE  re-simulate and check every tick
//	tickecon replay [-from TICK] [-all] FILE  the same, printing every tick's checksum
//	tickecon diff [-all] A B                  where two peers' logs part
//	tickecon dump FILE                        every record, for humans (currencies and items by name too)
//	tickecon export FILE > FILE.jsonl         JSON Lines
//	tickecon import [-force] FILE.jsonl FILE  back to a binary log
//	tickecon report [-o OUT.html] [-force] FILE  an HTML economy report (charts, offline)
//	tickecon dash [-addr HOST:PORT] FILE          the same, live, while FILE is recorded
//	tickecon audit SHARD.log MORE.log...      conservation across the logs of a sharded economy (package shard)
//	tickecon help [COMMAND]                   usage (also -h, -help, --help)
//
// The relay to NATS JetStream is its own command, cmd/tickecon-relay, so
// that this one links no NATS (a game running it with go run or go tool
// gets no nats-server in its go.mod).
//
// Flags may come before or after the file arguments. Logs are replayed on
// the world their header's setup names (core systems, or commerce with its
// configuration), as recorded.
//
// No command replaces a file unless asked: record and import refuse an
// existing FILE (exit 3, the file untouched) unless -force, and a folder
// always. import writes a temporary file, syncs it and moves it into place
// only when every line imported; record writes the header that way and
// appends the ticks to it. record -ticks is 1 to 1,000,000 (a million
// ticks at the defaults is a log of about 1.75 GB), -players 1 to
// 1,000,000, -intents 0 to 1,048,576; on a terminal it shows its progress.
// Every usage error is one line and exit 2. A desync or a diff prints the first 20 state differences;
// -all prints them all.
//
// To add a subcommand, register it from an init function in its own file
// (see record.go and verify.go): name, file arguments, summary and flags.
//
// audit exits 0 when the shards together balance (purchases in flight are
// listed and accounted), 1 when value was created or lost across them, 3
// when a log is of another economy than the first.
//
// Exit codes: 0 ok; 1 desync or difference found; 2 usage; 3 unreadable,
// corrupt or unwritable file; 4 torn tail (the complete ticks before it
// verified or were exported).
package main
