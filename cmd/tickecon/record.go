package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

func init() {
	register(command{name: "record", args: []string{"FILE"}, summary: "record a busy random session to a new log",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			ticks := fs.Int("ticks", 1000, "ticks to record")
			seed := fs.Uint64("seed", 1, "random seed")
			players := fs.Int("players", 100, "players")
			intents := fs.Int("intents", 50, "purchase intents per tick")
			commerce := fs.Bool("commerce", false, "run the commerce systems (systems.InstallCommerce, default config) instead of the core ones")
			snapEvery := fs.Uint64("snapshot-every", 1000, "snapshot every N ticks (0: none)")
			syncEvery := fs.Int("sync-every", 100, "fsync every N ticks (0: only at the end)")
			return func(files []string, stdout, stderr io.Writer) int {
				return record(files[0], *ticks, *seed, *players, *intents, *commerce,
					ticklog.Options{SnapshotEvery: *snapEvery, SyncEvery: *syncEvery}, stdout, stderr)
			}
		}})
}

func record(path string, ticks int, seed uint64, players, intents int, commerce bool, opts ticklog.Options, stdout, stderr io.Writer) int {
	if ticks < 1 || players < 1 || intents < 0 {
		fmt.Fprintln(stderr, "tickecon record: -ticks and -players must be ≥ 1, -intents ≥ 0")
		return exitUsage
	}
	w := ecs.New()
	opts.Setup = systems.CoreSetup()
	if commerce {
		systems.InstallCommerce(w, systems.DefaultConfig)
		opts.Setup = systems.CommerceSetup(systems.DefaultConfig)
	} else {
		systems.Install(w)
	}
	c := session.Content(seed, players)
	s, err := session.Attach(w, seed, c)
	if err != nil {
		return badFile(stderr, err)
	}
	lw, err := ticklog.Create(path, c, opts)
	if err != nil {
		return badFile(stderr, err)
	}
	lw.Record(w)
	var sum uint64
	for i := 0; i < ticks && lw.Err() == nil; i++ {
		sum = s.Step(intents).Checksum
	}
	// Close returns the writer's first error: a recording that stopped
	// early says so here, never silently.
	if err := lw.Close(); err != nil {
		d, ok := lw.Durable()
		fmt.Fprintf(stderr, "tickecon record: writing %s: %v (durable up to tick %d: %v)\n", path, err, d, ok)
		return exitBadFile
	}
	fmt.Fprintf(stdout, "recorded %d ticks to %s (%s systems); final checksum %016x\n", ticks, path, opts.Setup.Systems, sum)
	return exitOK
}
