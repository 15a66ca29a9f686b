package main

// In a file named after report.go: files register their commands in name
// order, and the command list reads record, report, dash, verify….

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tickecon/tickecon/report"
)

func init() {
	register(command{name: "dash", args: []string{"FILE"}, summary: "serve the report of a log being recorded, live (updates every second)",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer, io.Writer) int {
			addr := fs.String("addr", "127.0.0.1:8081", "address to serve the page on")
			points := fs.Int("points", 2000, "at most this many points per chart series")
			every := fs.Duration("every", time.Second, "how often open pages update")
			return func(files []string, stdout, stderr io.Writer) int {
				stop := make(chan os.Signal, 1)
				signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
				defer signal.Stop(stop)
				return dash(files[0], *addr, report.Options{MaxPoints: *points}, *every, stop, stdout, stderr)
			}
		}})
}

// dash follows the log at path and serves its live report on addr until
// a signal arrives on stop.
func dash(path, addr string, opts report.Options, every time.Duration, stop <-chan os.Signal, stdout, stderr io.Writer) int {
	if _, err := os.Stat(path); err != nil {
		return badFile(stderr, err)
	}
	d, err := report.Follow(path, opts, every)
	if err != nil {
		return readErr(stderr, path, named(path, err), "")
	}
	defer d.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "tickecon dash: %v\n", err)
		return exitUsage
	}
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	fmt.Fprintf(stdout, "following %s: http://%s/ (Ctrl-C stops)\n", path, ln.Addr())
	select {
	case <-d.Done():
		// A damaged or desynced log: the page shows the ticks before it
		// and why it stopped; the server stays up to show it.
		fmt.Fprintf(stderr, "tickecon: %v (the page shows the ticks before it)\n", named(path, d.Err()))
		<-stop
	case <-stop:
	}
	d.Close() // ends the event streams, so srv.Close returns at once
	srv.Close()
	return exitOK
}
