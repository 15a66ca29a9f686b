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

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

func init() {
	verifyFlags := func(verbose bool) func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
		return func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			from := fs.Uint64("from", 0, "start at the nearest snapshot at or before this tick (it must be in the log)")
			return func(files []string, stdout, stderr io.Writer) int {
				return verify(files[0], *from, verbose, stdout, stderr)
			}
		}
	}
	register(command{name: "verify", args: []string{"FILE"}, summary: "re-simulate a log and check every tick", flags: verifyFlags(false)})
	register(command{name: "replay", args: []string{"FILE"}, summary: "like verify, printing each tick as it passes", flags: verifyFlags(true)})
	register(command{name: "diff", args: []string{"A", "B"}, summary: "the first tick where two peers' logs differ",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return diff }})
	register(command{name: "dump", args: []string{"FILE"}, summary: "print every record for humans",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return dump }})
	register(command{name: "export", args: []string{"FILE"}, summary: "write a log as JSON Lines to stdout",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return export }})
	register(command{name: "import", args: []string{"IN.jsonl", "OUT"}, summary: "JSON Lines back to a binary log (OUT is replaced only on success)",
		flags: func(*flag.FlagSet) func([]string, io.Writer, io.Writer) int { return importJSONL }})
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
		fmt.Fprintf(stderr, "tickecon: warning: %s: %v; %s (reopening it for append cuts the tail)\n", path, torn, good)
		return exitTorn
	case errors.As(err, &re):
		fmt.Fprintf(stderr, "tickecon: %v\n", named(path, err))
		return exitUsage
	}
	return badFile(stderr, err)
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
			fmt.Fprint(stdout, res.Mismatch)
		}
		return readErr(stderr, path, named(path, err), "")
	}
	el := time.Since(start).Seconds()
	if res.Mismatch != nil {
		fmt.Fprint(stdout, res.Mismatch)
		return exitMismatch
	}
	rate := float64(res.Ticks) / max(el, 1e-9)
	fmt.Fprintf(stdout, "%s: %d ticks from tick %d, %d events, %d snapshots verified (%s systems, %.0f ticks/s = %.0f× real time at 60 ticks/s)\n",
		path, res.Ticks, res.StartTick, res.Events, res.Snapshots, res.Header.Setup.Systems, rate, rate/60)
	if res.TornTail != nil {
		return readErr(stderr, path, res.TornTail, "every complete tick before it verified")
	}
	return exitOK
}

func diff(files []string, stdout, stderr io.Writer) int {
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
	fmt.Fprint(stdout, d)
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
			fmt.Fprintf(out, "    %s\n", ev)
		}
	}
}

func export(files []string, stdout, stderr io.Writer) int {
	if err := ticklog.ExportJSONL(files[0], stdout); err != nil {
		return readErr(stderr, files[0], err, "every complete record before it was exported")
	}
	return exitOK
}

func importJSONL(files []string, _, stderr io.Writer) int {
	f, err := os.Open(files[0])
	if err != nil {
		return badFile(stderr, err)
	}
	defer f.Close()
	if err := ticklog.ImportJSONL(f, files[1]); err != nil {
		return badFile(stderr, fmt.Errorf("%s: %w (%s left as it was)", files[0], err, files[1]))
	}
	return exitOK
}
