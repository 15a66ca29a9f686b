// Package dash is the demo's -dash flag: while a -record session is
// played, the live economy report of its log (report.Follow, as
// `tickecon dash` serves it) is served on an address. The follower runs
// in a child process (this program again, started by Follower and told so
// by Child), so the game pays nothing for it but its share of the cores:
// in the game's process it cost the game's thread 1–2% more instructions
// per tick (the follower's garbage collections, paid in part by the
// game). With -host, Feed serves the session's page from the host's
// world's events, counted in a child process too.
package dash

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
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

// childEnv names the log a child process started by Follower follows.
const childEnv = "TICKECON_DEMO_DASH_LOG"

// Follower serves the live report of the recording on addr, after next
// (nil: none) has set up its own following. The address it listens on is
// printed to stdout. The follower is a child process running this
// program's Child, handed the listening socket.
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
		var cmd *exec.Cmd
		var alive io.WriteCloser // the child's stdin: closing it stops the child
		setup := func(w *ecs.World, lw *ticklog.Writer) {
			nsetup(w, lw)
			// The log's header is on disk (ticklog.Create synced it).
			defer ln.Close() // the child has its own copy
			c, in, err := startChild(childEnv, path, ln)
			if err != nil {
				fmt.Fprintf(stdout, "-dash: %v\n", err)
				return
			}
			cmd, alive = c, in
			fmt.Fprintf(stdout, "live report of %s: http://%s/\n", path, ln.Addr())
		}
		stop := func() error {
			if cmd != nil {
				alive.Close()
				cmd.Wait() // the page is told, the socket closed
			} else {
				ln.Close()
			}
			return nstop()
		}
		return setup, stop, nil
	}
}

// startChild starts this program again as a dashboard child: env=arg
// says which (Child), the listening socket is its fd 3, and closing the
// returned stdin pipe stops it.
func startChild(env, arg string, ln net.Listener) (*exec.Cmd, io.WriteCloser, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), env+"="+arg)
	cmd.ExtraFiles = []*os.File{f} // fd 3
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("starting the dashboard process: %w", err)
	}
	return cmd, in, nil
}

// Child serves the dashboard if this process was started as one by
// Follower or NewFeed, and returns true when it is done (the caller
// exits); otherwise it returns false at once. Every main of a program
// that uses them calls it first.
func Child() bool {
	path, title := os.Getenv(childEnv), os.Getenv(feedEnv)
	if path == "" && title == "" {
		return false
	}
	os.Unsetenv(childEnv)
	os.Unsetenv(feedEnv)
	ln, err := net.FileListener(os.NewFile(3, "dash listener"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "-dash: %v\n", err)
		return true
	}
	if title != "" {
		feedChild(title, ln)
		return true
	}
	d, err := report.Follow(path, report.Options{}, time.Second)
	if err != nil {
		fmt.Fprintf(os.Stderr, "-dash: %v\n", err)
		ln.Close()
		return true
	}
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	io.Copy(io.Discard, os.Stdin) // until the game closes it, or exits
	d.Close()                     // ends the pages' event streams
	srv.Close()
	return true
}
