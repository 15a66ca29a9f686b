package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/report"
	"github.com/tickecon/tickecon/ticklog"
)

func init() {
	register(command{name: "report", args: []string{"FILE"}, summary: "write an HTML economy report of a log (charts; opens offline)",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			out := fs.String("o", "", "the HTML file to write (default: FILE with .html); never replaced unless -force")
			force := fs.Bool("force", false, "replace the -o file if it exists")
			points := fs.Int("points", 2000, "at most this many points per chart series (longer logs are downsampled, min/max kept)")
			top := fs.Int("top", 10, "rows of the top items and top sellers tables")
			at := fs.String("wealth-at", "", "comma-separated ticks to show the wealth distribution at (default: first, quartiles, last)")
			return func(files []string, stdout, stderr io.Writer) int {
				var ticks []uint64
				for _, s := range strings.Split(*at, ",") {
					if s = strings.TrimSpace(s); s == "" {
						continue
					}
					t, err := strconv.ParseUint(s, 10, 64)
					if err != nil {
						fmt.Fprintf(stderr, "tickecon report: -wealth-at: %q is not a tick\n", s)
						return exitUsage
					}
					ticks = append(ticks, t)
				}
				return reportCmd(files[0], *out, *force, report.Options{MaxPoints: *points, Top: *top, WealthAt: ticks}, stdout, stderr)
			}
		}})
}

func reportCmd(path, out string, force bool, opts report.Options, stdout, stderr io.Writer) int {
	if out == "" {
		out = strings.TrimSuffix(path, filepath.Ext(path)) + ".html"
	}
	in, err := os.Stat(path)
	if err != nil {
		return badFile(stderr, err)
	}
	if o, err := os.Stat(out); err == nil && os.SameFile(in, o) {
		// Even with -force: the log would be lost.
		return badFile(stderr, fmt.Errorf("%s is the log itself; not replacing it with its report", out))
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return badFile(stderr, fmt.Errorf("%s: is a directory", out))
	}
	if !force {
		if _, err := os.Lstat(out); err == nil {
			return createErr(stderr, &ticklog.ExistsError{Path: out}) // as record and import say it
		}
	}
	start := time.Now()
	rep, err := report.Build(replay.FileSource(path), opts)
	if err != nil {
		var de *report.DesyncError
		switch {
		case errors.As(err, &de):
			fmt.Fprint(stdout, de.Mismatch)
			fmt.Fprintf(stderr, "tickecon: %v\n", named(path, err))
			return exitMismatch
		case errors.Is(err, report.ErrNoTicks):
			return badFile(stderr, named(path, err))
		}
		return readErr(stderr, path, named(path, err), "")
	}
	size, err := writeNew(out, force, func(w io.Writer) error { return rep.WriteHTML(w, filepath.Base(path)) })
	if err != nil {
		return createErr(stderr, err)
	}
	var sup []string
	for _, c := range rep.Check {
		sup = append(sup, c.Currency.Name+" "+c.Currency.Format(c.Issued))
	}
	check := "supply cross-check ok"
	if !rep.OK() {
		check = "SUPPLY CROSS-CHECK FAILED (see the page)"
	}
	fmt.Fprintf(stdout, "%s: report of %s written (%d KB, %d charts): ticks %d–%d, %d events; supply at the last tick: %s; %s (%.2f s)\n",
		out, path, (size+1023)/1024, len(rep.Charts), rep.FirstTick, rep.LastTick, rep.Events, strings.Join(sup, ", "), check,
		time.Since(start).Seconds())
	if rep.TornTail != nil {
		return readErr(stderr, path, rep.TornTail, "the report covers every complete tick before it")
	}
	if !rep.OK() {
		return exitMismatch
	}
	return exitOK
}

// writeNew writes a file whole or not at all: into a temporary file in
// the same directory, synced, then linked to path (which fails if path
// exists: nothing is replaced) or, with force, renamed over it. It returns
// the bytes written.
func writeNew(path string, force bool, write func(io.Writer) error) (int64, error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // it names the temporary file, which the user never asked for
		}
		return 0, &os.PathError{Op: "create", Path: path, Err: err}
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a link or rename only the temporary name goes
	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	st, serr := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = serr
	}
	if err != nil {
		return 0, fmt.Errorf("writing %s: %w", path, err)
	}
	if force {
		err = os.Rename(tmp, path)
	} else if err = os.Link(tmp, path); errors.Is(err, os.ErrExist) {
		return 0, &ticklog.ExistsError{Path: path} // it appeared meanwhile
	}
	if err != nil {
		return 0, err
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable
		d.Sync()
		d.Close()
	}
	return st.Size(), nil
}
