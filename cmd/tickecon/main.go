// Command tickecon records, verifies, diffs and dumps tickecon replay logs.
//
//	tickecon record [-ticks N] [-seed S] [-players P] [-intents I] [-snapshot-every N] [-sync-every N] FILE
//	tickecon verify [-from TICK] FILE      re-simulate and check every tick
//	tickecon replay [-from TICK] FILE      the same, printing every tick's checksum
//	tickecon diff A B                      where two peers' logs part
//	tickecon dump FILE                     every record, for humans
//	tickecon export FILE > FILE.jsonl      JSON Lines
//	tickecon import FILE.jsonl FILE        back to a binary log
//
// Logs are replayed on worlds with the core systems (systems.Install), as
// the demo and the record command make them.
//
// Exit codes: 0 ok; 1 desync or difference found; 2 usage; 3 unreadable or
// corrupt file; 4 torn tail (the complete ticks before it verified).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events/replay"
	"github.com/tickecon/tickecon/events/replaylog"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// Exit codes.
const (
	exitOK       = 0
	exitMismatch = 1
	exitUsage    = 2
	exitBadFile  = 3
	exitTorn     = 4
)

const usage = `usage: tickecon <command> [flags] FILE...

commands:
  record   record a busy random session:  record [-ticks N] [-seed S] FILE
  verify   re-simulate a log and check every tick:  verify [-from TICK] FILE
  replay   like verify, printing each tick's checksum
  diff     first tick where two logs differ:  diff A B
  dump     print every record
  export   write JSON Lines to stdout:  export FILE
  import   JSON Lines to a binary log:  import IN.jsonl OUT

exit codes: 0 ok, 1 desync/difference, 2 usage, 3 bad file, 4 torn tail
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func coreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	ticks := fs.Int("ticks", 1000, "record: ticks to record")
	seed := fs.Uint64("seed", 1, "record: random seed")
	players := fs.Int("players", 100, "record: players")
	intents := fs.Int("intents", 50, "record: purchase intents per tick")
	snapEvery := fs.Uint64("snapshot-every", 1000, "record: snapshot every N ticks (0: none)")
	syncEvery := fs.Int("sync-every", 100, "record: fsync every N ticks (0: only at the end)")
	from := fs.Uint64("from", 0, "verify/replay: start at the nearest snapshot at or before this tick")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	files := fs.Args()
	need := func(n int) bool {
		if len(files) != n {
			fmt.Fprintf(stderr, "tickecon %s: want %d file argument(s), got %d\n\n%s", args[0], n, len(files), usage)
			return false
		}
		return true
	}
	switch args[0] {
	case "record":
		if !need(1) {
			return exitUsage
		}
		return record(files[0], *ticks, *seed, *players, *intents, replaylog.Options{SnapshotEvery: *snapEvery, SyncEvery: *syncEvery}, stdout, stderr)
	case "verify", "replay":
		if !need(1) {
			return exitUsage
		}
		return verify(files[0], *from, args[0] == "replay", stdout, stderr)
	case "diff":
		if !need(2) {
			return exitUsage
		}
		d, err := replay.DiffLogs(replay.FileSource(files[0]), replay.FileSource(files[1]), 0)
		if err != nil {
			return badFile(stderr, err)
		}
		if d == nil {
			fmt.Fprintln(stdout, "logs agree on every tick")
			return exitOK
		}
		d.StageNames = coreWorld().StageNames()
		fmt.Fprint(stdout, d)
		return exitMismatch
	case "dump":
		if !need(1) {
			return exitUsage
		}
		return dump(files[0], stdout, stderr)
	case "export":
		if !need(1) {
			return exitUsage
		}
		if err := replaylog.ExportJSONL(files[0], stdout); err != nil {
			return badFile(stderr, err)
		}
		return exitOK
	case "import":
		if !need(2) {
			return exitUsage
		}
		f, err := os.Open(files[0])
		if err != nil {
			return badFile(stderr, err)
		}
		defer f.Close()
		if err := replaylog.ImportJSONL(f, files[1]); err != nil {
			return badFile(stderr, err)
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "tickecon: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

func badFile(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "tickecon: %v\n", err)
	return exitBadFile
}

func record(path string, ticks int, seed uint64, players, intents int, opts replaylog.Options, stdout, stderr io.Writer) int {
	if ticks < 1 || players < 1 || intents < 0 {
		fmt.Fprintln(stderr, "tickecon record: -ticks and -players must be ≥ 1, -intents ≥ 0")
		return exitUsage
	}
	c := session.Content(seed, players)
	s, err := session.New(seed, c)
	if err != nil {
		return badFile(stderr, err)
	}
	lw, err := replaylog.Create(path, c, opts)
	if err != nil {
		return badFile(stderr, err)
	}
	lw.Record(s.World)
	var sum uint64
	for range ticks {
		sum = s.Step(intents).Checksum
	}
	if err := lw.Close(); err != nil {
		return badFile(stderr, err)
	}
	fmt.Fprintf(stdout, "recorded %d ticks to %s; final checksum %016x\n", ticks, path, sum)
	return exitOK
}

func verify(path string, from uint64, verbose bool, stdout, stderr io.Writer) int {
	st, err := os.Stat(path)
	if err != nil {
		return badFile(stderr, err)
	}
	opts := replay.Options{From: from}
	var bar *progressbar.ProgressBar
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && !verbose {
		bar = progressbar.DefaultBytes(st.Size(), "verifying")
		opts.Progress = func(_ uint64, off int64) { bar.Set64(off) }
	}
	if verbose {
		// The replayed record is checked against the log by Verify; here we
		// only show each tick as it passes.
		opts.Progress = func(tick uint64, off int64) { fmt.Fprintf(stdout, "tick %d ok (byte %d)\n", tick, off) }
	}
	start := time.Now()
	res, err := replay.Verify(replay.FileSource(path), coreWorld, opts)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		var ce *replaylog.CorruptError
		if errors.As(err, &ce) && res != nil {
			fmt.Fprintf(stderr, "tickecon: %v (after %d good ticks)\n", err, res.Ticks)
			return exitBadFile
		}
		return badFile(stderr, err)
	}
	el := time.Since(start).Seconds()
	if res.Mismatch != nil {
		fmt.Fprint(stdout, res.Mismatch)
		return exitMismatch
	}
	fmt.Fprintf(stdout, "%s: %d ticks from tick %d, %d events, %d snapshots verified (%.0f ticks/s)\n",
		path, res.Ticks, res.StartTick, res.Events, res.Snapshots, float64(res.Ticks)/max(el, 1e-9))
	if res.TornTail != nil {
		fmt.Fprintf(stdout, "warning: %v (reopening for append truncates it)\n", res.TornTail)
		return exitTorn
	}
	return exitOK
}

func dump(path string, stdout, stderr io.Writer) int {
	f, err := os.Open(path)
	if err != nil {
		return badFile(stderr, err)
	}
	defer f.Close()
	r, err := replaylog.NewReader(f)
	if err != nil {
		return badFile(stderr, err)
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	h := r.Header()
	fmt.Fprintf(out, "tickecon replay log v%d, content hash %016x, %d bytes of content\n", h.Version, h.ContentHash, len(h.Content))
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return exitOK
		}
		var torn *replaylog.TornTailError
		if errors.As(err, &torn) {
			fmt.Fprintf(out, "%v\n", torn)
			return exitTorn
		}
		if err != nil {
			out.Flush()
			return badFile(stderr, err)
		}
		if s := rec.Snapshot; s != nil {
			fmt.Fprintf(out, "@%d snapshot before tick %d: %d entities, checksum %016x\n", rec.Offset, s.Tick, len(s.Entities), s.Checksum)
			continue
		}
		t := rec.Tick
		fmt.Fprintf(out, "@%d tick %d checksum %016x: %d commands, %d intents, %d events\n",
			rec.Offset, t.Tick, t.Checksum, len(t.Commands), len(t.Intents), len(t.Events))
		for _, ev := range t.Events {
			fmt.Fprintf(out, "    %s\n", ev)
		}
	}
}
