// Package dash is the demo's -dash flag: while a -record session is
// played, the live economy report of its log (report.Follow, as
// `tickecon dash` serves it) is served on an address. It reads the log
// file as the recorder syncs it (every 20 ticks), so the game's own tick
// does no extra work.
package dash

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/report"
	"github.com/tickecon/tickecon/ticklog"
)

// ErrNoRecord is -dash without -record: there is no log to follow.
var ErrNoRecord = errors.New("-dash needs -record FILE (the dashboard follows that log)")

// Hook chains a dashboard on addr to o.Follow when addr is set (the demo's
// mains call it after parsing flags and after publish.Hook). Without
// -record it returns ErrNoRecord.
func Hook(o *shop.Options, addr string, stdout io.Writer) error {
	if addr == "" {
		return nil
	}
	if o.Record == "" {
		return ErrNoRecord
	}
	o.Follow = Follower(addr, o.Follow, stdout)
	return nil
}

// Follower serves the live report of the recording on addr, after next
// (nil: none) has set up its own following. The address it listens on is
// printed to stdout.
func Follower(addr string, next shop.Follower, stdout io.Writer) shop.Follower {
	return func(path string) (func(*ecs.World, *ticklog.Writer), func() error, error) {
		nsetup, nstop := func(*ecs.World, *ticklog.Writer) {}, func() error { return nil }
		if next != nil {
			var err error
			if nsetup, nstop, err = next(path); err != nil {
				return nil, nil, err
			}
		}
		// Listen before the log is created: a busy address refuses the
		// session before anything is written.
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			nstop()
			return nil, nil, fmt.Errorf("-dash: %w", err)
		}
		var d *report.Dash
		var srv *http.Server
		setup := func(w *ecs.World, lw *ticklog.Writer) {
			nsetup(w, lw)
			// The log's header is on disk (ticklog.Create synced it).
			var err error
			if d, err = report.Follow(path, report.Options{}, time.Second); err != nil {
				fmt.Fprintf(stdout, "-dash: %v\n", err)
				ln.Close()
				return
			}
			srv = &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
			go srv.Serve(ln)
			fmt.Fprintf(stdout, "live report of %s: http://%s/\n", path, ln.Addr())
		}
		stop := func() error {
			if d != nil {
				d.Close() // ends the pages' event streams
				srv.Close()
			} else {
				ln.Close()
			}
			return nstop()
		}
		return setup, stop, nil
	}
}
