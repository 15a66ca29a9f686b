package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

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
			force := fs.Bool("force", false, "replace FILE if it exists (without it an existing FILE is refused and left alone)")
			return func(files []string, stdout, stderr io.Writer) int {
				return record(files[0], *ticks, *seed, *players, *intents, *commerce, *force,
					ticklog.Options{SnapshotEvery: *snapEvery, SyncEvery: *syncEvery}, stdout, stderr)
			}
		}})
}

// maxRecordTicks bounds record -ticks: a million ticks (4.6 hours of play
// at 60 ticks/s) make a log of about 1.75 GB at the default settings and
// take about half an hour on one core. A typo such as -ticks 1000000000000
// is refused at once instead of filling the disk without a word.
const maxRecordTicks = 1_000_000

// maxPlayers bounds record -players: every player is an entity with a
// wallet and an inventory made before tick 0.
const maxPlayers = 1_000_000

// bytesPerTick is what one tick of the default session (100 players, 50
// intents) takes in the log, measured: 17,495,196 bytes for 10,000 ticks.
const bytesPerTick = 1750

func record(path string, ticks int, seed uint64, players, intents int, commerce, force bool, opts ticklog.Options, stdout, stderr io.Writer) int {
	// Each count is checked on its own, so the one line names the one at
	// fault; none is taken silently, none runs away.
	var bad string
	switch {
	case ticks < 1 || ticks > maxRecordTicks:
		bad = fmt.Sprintf("-ticks %d: must be 1 to %d (a million ticks at the defaults is a log of about %.2f GB)",
			ticks, maxRecordTicks, float64(maxRecordTicks)*bytesPerTick/1e9)
	case players < 1 || players > maxPlayers:
		bad = fmt.Sprintf("-players %d: must be 1 to %d", players, maxPlayers)
	case intents < 0 || intents > ticklog.DefaultLimits.Intents:
		bad = fmt.Sprintf("-intents %d: must be 0 to %d (a log's limit per tick)", intents, ticklog.DefaultLimits.Intents)
	case opts.SyncEvery < 0:
		bad = fmt.Sprintf("-sync-every %d: must be 0 (only at the end) or more", opts.SyncEvery)
	}
	if bad != "" {
		fmt.Fprintln(stderr, "tickecon record:", bad)
		return exitUsage
	}
	// Refused before a million players are made; CreateNew checks again
	// as it links the log into place.
	if st, err := os.Stat(path); err == nil && (st.IsDir() || !force) {
		return createErr(stderr, &ticklog.ExistsError{Path: path, Dir: st.IsDir()})
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
	create := ticklog.CreateNew
	if force {
		create = ticklog.Create
	}
	lw, err := create(path, c, opts)
	if err != nil {
		return createErr(stderr, err)
	}
	lw.Record(w)
	// On a terminal a bar shows the ticks done; piped or in a test,
	// nothing is added to the output.
	var bar *progressbar.ProgressBar
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && ticks >= 10_000 {
		bar = progressbar.NewOptions64(int64(ticks), progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("recording "+path), progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond))
	}
	var sum uint64
	for i := 0; i < ticks && lw.Err() == nil; i++ {
		sum = s.Step(intents).Checksum
		if bar != nil && i%1000 == 999 {
			bar.Set(i + 1)
		}
	}
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
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

// createErr reports a target a command refused to write: an existing
// file (unless -force) or a folder, named as the readers name it.
func createErr(stderr io.Writer, err error) int {
	var ee *ticklog.ExistsError
	if errors.As(err, &ee) && !ee.Dir && errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "tickecon: %s: exists; left as it is (-force replaces it)\n", ee.Path)
		return exitBadFile
	}
	return badFile(stderr, err)
}
