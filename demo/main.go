// Command demo is the tickecon demo shop: a small ebiten game in which you
// buy items from two shops while four bot shoppers compete for the same
// limited stock. Every purchase is applied whole inside a deterministic tick
// or rejected with a reason, and the live event feed shows both.
//
//	go run ./demo                          # play (needs a display)
//	go run ./demo -record s.log            # play and record (-dash :8081: its economy live); then:
//	go run ./demo -replay s.log            # watch it again, checksums verified
//	go run ./demo -screenshot shot.png -ticks 120
//	go run ./demo -host                    # multiplayer: prints the URL for
//	go run ./demo -join nats://127.0.0.1:PORT  # each joiner's window
//	go run ./demo/headless -ticks 600      # no window, no display: a summary
//	go run ./demo/web                      # in the browser: http://localhost:8080
//
// Keys: ↑/↓ or click select a listing, ←/→ or +/- change the quantity,
// Enter or B buys, Space pauses, N steps one tick, R restocks, Esc quits.
//
// Exit codes (as `tickecon verify`): 0 ok, 1 replay desync, 2 usage,
// 3 unreadable or damaged log, 4 torn log tail.
package main

import (
	"flag"
	"fmt"
	"os"

	// First import: without a display it exits with one line, before
	// ebiten's package init would panic trying to open one.
	_ "github.com/tickecon/tickecon/demo/internal/display"

	"github.com/tickecon/tickecon/demo/multi"
	natspub "github.com/tickecon/tickecon/demo/publish"
	"github.com/tickecon/tickecon/demo/shop"
)

type options struct {
	shop.Options
	headless   bool
	screenshot string
	tps        int
}

func main() {
	if dashChild() { // this process is -dash's follower (demo/dash)
		return
	}
	var o options
	o.Register(flag.CommandLine)
	flag.BoolVar(&o.headless, "headless", false, "no window: run and print a summary (without a display use go run ./demo/headless)")
	flag.StringVar(&o.screenshot, "screenshot", "", "render the frame after -ticks ticks to this new PNG file and exit (an existing file only with -force)")
	flag.IntVar(&o.tps, "tps", 20, "simulation ticks per second in the window")
	dashAddr := flag.String("dash", "", "with -record: serve the live economy report of the log on this address (e.g. :8081); with -host: the session's, with its peers and desync reports")
	var mo multi.Options
	mo.Register(flag.CommandLine)
	if code, ok := shop.ParseFlags(flag.CommandLine, os.Args[1:], os.Stdout, os.Stderr); !ok {
		os.Exit(code)
	}
	if o.screenshot != "" {
		// Refused before the window opens and the ticks run.
		if err := shop.CheckNew(o.screenshot, o.Force); err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
			os.Exit(shop.ExitCorrupt)
		}
	}
	// -publish: relay the -record log to NATS (demo/publish).
	natspub.Hook(&o.Options, os.Stdout)
	// -dash: serve the recording's live report (demo/dash; not in the
	// browser), or with -host the session's: its economy and peers.
	if mo.Host {
		mo.Dash = *dashAddr
	} else if err := hookDash(&o.Options, *dashAddr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(shop.ExitUsage)
	}
	if mo.Enabled() && o.headless { // multiplayer, in the terminal (demo/multi)
		os.Exit(multi.Main(mo, o.Ticks, o.Seed, os.Stdout, os.Stderr))
	}
	if mo.Enabled() { // multiplayer, in the window
		os.Exit(playSession(mo, o))
	}
	if o.headless {
		os.Exit(shop.Headless(o.Options, os.Stdout, os.Stderr))
	}
	m, closeLog, err := openSession(o.Options)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(shop.OpenExitCode(err))
	}
	if err := play(m, o); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		closeLog()
		os.Exit(1)
	}
	os.Exit(m.Finish(closeLog, os.Stderr))
}
