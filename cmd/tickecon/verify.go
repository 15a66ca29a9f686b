package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

func init() {
	verifyFlags := func(verbose bool) func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			from := fs.Uint64("from", 0, "start at the nearest snapshot at or before this tick (it must be in the log)")
			all := fs.Bool("all", false, fmt.Sprintf("at a desync, print every state difference (without it, the first %d)", stateLines))
			return func(files []string, stdout, stderr io.Writer) int {
				return verify(files[0], *from, verbose, *all, stdout, stderr)
			}
		}
	}
	register(command{name: "verify", args: []string{"FILE"}, summary: "re-simulate a log and check every tick", flags: verifyFlags(false)})
	register(command{name: "replay", args: []string{"FILE"}, summary: "like verify, printing each tick as it passes", flags: verifyFlags(true)})
	register(command{name: "diff", args: []string{"A", "B"}, summary: "the first tick where two peers' logs differ",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			all := fs.Bool("all", false, fmt.Sprintf("print every state difference (without it, the first %d)", stateLines))
			return func(files []string, stdout, stderr io.Writer) int { return diff(files, *all, stdout, stderr) }
		}})
	register(command{name: "dump", args: []string{"FILE"}, summary: "print every record for humans",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return dump }})
	register(command{name: "export", args: []string{"FILE"}, summary: "write a log as JSON Lines to stdout",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return export }})
	register(command{name: "import", args: []string{"IN.jsonl", "OUT"}, summary: "JSON Lines back to a new binary log (an existing OUT only with -force, and only on success)",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			force := fs.Bool("force", false, "replace OUT if it exists (it is replaced only once every line imported)")
			return func(files []string, stdout, stderr io.Writer) int { return importJSONL(files, *force, stdout, stderr) }
		}})
}

// named prefixes err with the file's name unless its text names the file
// already (os errors and replay.FileSource's header errors do), so no
// message says the name twice.
func named(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// readErr reports an error met while reading a log: a torn tail is exit
// 4, a range error usage, anything else a bad file.
func readErr(stderr io.Writer, path string, err error, good string) int {
	var torn *ticklog.TornTailError
	var re *replay.RangeError
	switch {
	case errors.As(err, &torn):
		// The cure named is one a user of this tool can run: a game cuts
		// the tail when it resumes with ticklog.OpenAppend.
		if path == "" {
			fmt.Fprintf(stderr, "tickecon: warning: %v; %s\n", torn, good)
			return exitTorn
		}
		fmt.Fprintf(stderr, "tickecon: warning: %s: %v; %s (a copy without the tail: tickecon export %s > x.jsonl, then tickecon import x.jsonl NEW.log)\n", path, torn, good, path)
		return exitTorn
	case errors.As(err, &re):
		fmt.Fprintf(stderr, "tickecon: %v\n", named(path, err))
		return exitUsage
	}
	return badFile(stderr, err)
}

// stateLines caps the state differences diff and verify print: two
// sessions that part early differ in most entities (273 lines for two
// 1,200-tick records), which buries the first difference. -all prints all.
const stateLines = 20

// capState keeps the first stateLines of state unless all, and returns
// the line that says how many were left out and how to see them ("" if
// none were).
func capState(state *[]replay.FieldDiff, all bool, command string) string {
	n := len(*state)
	if all || n <= stateLines {
		return ""
	}
	*state = (*state)[:stateLines]
	return fmt.Sprintf("    … %d more state differences (%d in all); %s -all prints every one\n", n-stateLines, n, command)
}

func verify(path string, from uint64, verbose, all bool, stdout, stderr io.Writer) int {
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
	start, cpu0 := time.Now(), cpuTime()
	// A nil world factory: the log's header says which systems to run.
	res, err := replay.Verify(replay.FileSource(path), nil, opts)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		if res != nil && res.Ticks > 0 {
			err = fmt.Errorf("%w (after %d good ticks)", err, res.Ticks)
		}
		if res != nil && res.Mismatch != nil {
			more := capState(&res.Mismatch.State, all, "tickecon verify")
			fmt.Fprint(stdout, res.Mismatch.String()+more)
		}
		return readErr(stderr, path, named(path, err), "")
	}
	el, cpu := time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	if res.Mismatch != nil {
		more := capState(&res.Mismatch.State, all, "tickecon verify")
		fmt.Fprint(stdout, res.Mismatch.String()+more)
		return exitMismatch
	}
	// The rate depends on the machine and on what else runs on it: the
	// CPU time next to the wall time shows how much of the wall time this
	// process had (a busy machine gives a lower rate, the same CPU time).
	rate := float64(res.Ticks) / max(el, 1e-9)
	cpuNote := ""
	if cpu > 0 {
		cpuNote = fmt.Sprintf(", %.0f ticks per CPU second", float64(res.Ticks)/cpu)
	}
	fmt.Fprintf(stdout, "%s: %d ticks from tick %d, %d events, %d snapshots verified (%s systems, %.0f ticks/s = %.0f× real time at 60 ticks/s; %.2f s wall, %.2f s CPU%s)\n",
		path, res.Ticks, res.StartTick, res.Events, res.Snapshots, res.Header.Setup.Systems, rate, rate/60, el, cpu, cpuNote)
	if res.TornTail != nil {
		return readErr(stderr, path, res.TornTail, "every complete tick before it verified")
	}
	return exitOK
}

func diff(files []string, all bool, stdout, stderr io.Writer) int {
	d, err := replay.DiffLogs(replay.FileSource(files[0]), replay.FileSource(files[1]), 0)
	if err != nil {
		var le *replay.LogError
		if errors.As(err, &le) {
			path := files[0]
			if le.Log == "B" {
				path = files[1]
			}
			return badFile(stderr, named(path, le.Err))
		}
		return badFile(stderr, err)
	}
	if d == nil {
		fmt.Fprintln(stdout, "logs agree on every tick")
		return exitOK
	}
	if w, err := mustHeader(files[0]).Worlds(); err == nil {
		d.StageNames = w().StageNames()
	}
	more := capState(&d.State, all, "tickecon diff")
	fmt.Fprint(stdout, d.String()+more)
	return exitMismatch
}

// mustHeader returns a log's Setup (zero if unreadable: the caller has
// read the log already).
func mustHeader(path string) ecs.Setup {
	r, c, err := replay.FileSource(path)()
	if err != nil {
		return ecs.Setup{}
	}
	defer c.Close()
	return r.Header().Setup
}

func dump(files []string, stdout, stderr io.Writer) int {
	path := files[0]
	r, c, err := replay.FileSource(path)()
	if err != nil {
		return badFile(stderr, err)
	}
	defer c.Close()
	r.SetReuse(true) // each record is printed before the next is read
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	h := r.Header()
	// Currencies and items by name, as the content's tick 0 defined them;
	// an event names only ids.
	names := map[components.ID]string{}
	name := func(id components.ID) string { return names[id] }
	fmt.Fprintf(out, "tickecon replay log v%d, %s systems, content hash %016x, %d bytes of content\n", h.Version, h.Setup.Systems, h.ContentHash, len(h.Content))
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return exitOK
		}
		if err != nil {
			out.Flush()
			return readErr(stderr, path, named(path, err), "every record before it is printed")
		}
		if s := rec.Snapshot; s != nil {
			fmt.Fprintf(out, "@%d snapshot before tick %d: %d entities, checksum %016x\n", rec.Offset, s.Tick, len(s.Entities), s.Checksum)
			continue
		}
		t := rec.Tick
		fmt.Fprintf(out, "@%d tick %d checksum %016x: %d commands, %d intents, %d events\n",
			rec.Offset, t.Tick, t.Checksum, len(t.Commands), len(t.Intents), len(t.Events))
		for _, ev := range t.Events {
			if (ev.Kind == events.CurrencyDefined || ev.Kind == events.ItemDefined) && ev.Name != "" {
				names[ev.Subject] = ev.Name
			}
			fmt.Fprintf(out, "    %s\n", ev.Named(name))
		}
	}
}

func export(files []string, stdout, stderr io.Writer) int {
	if err := ticklog.ExportJSONL(files[0], stdout); err != nil {
		return readErr(stderr, files[0], err, "every complete record before it was exported")
	}
	return exitOK
}

func importJSONL(files []string, force bool, _, stderr io.Writer) int {
	f, err := os.Open(files[0])
	if err != nil {
		return badFile(stderr, err)
	}
	defer f.Close()
	imp := ticklog.ImportJSONLNew
	if force {
		imp = ticklog.ImportJSONL
	}
	if err := imp(f, files[1]); err != nil {
		var ee *ticklog.ExistsError
		if errors.As(err, &ee) {
			return createErr(stderr, err)
		}
		return badFile(stderr, fmt.Errorf("%s: %w (%s left as it was)", files[0], err, files[1]))
	}
	return exitOK
}
