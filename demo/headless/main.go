// Command headless runs the tickecon demo shop without a window: the bots
// shop for -ticks ticks and a summary is printed; -record writes the
// session to a replay log and -replay verifies one. It does not link
// ebiten, so it needs no display and no X or GL libraries: servers and CI
// run it.
//
//	go run ./demo/headless -ticks 600 -seed 7
//	go run ./demo/headless -record s.log -ticks 3000
//	go run ./demo/headless -replay s.log   # the whole log, every checksum
//	go run ./demo/headless -record s.log -publish  # and relay it to NATS (demo/publish)
//	go run ./demo/headless -host           # multiplayer over NATS (see demo/multi); -join URL
//	go run ./demo/headless -record s.log -dash :8081   # its economy live in a browser
//	go run ./demo/headless -host -dash :8081           # the session's economy, peers and desyncs
//	go run ./demo/headless -host -cluster 3  # a replicated world on a 3-node cluster; its host is killed every few seconds
//
// Exit codes (as `tickecon verify`): 0 ok, 1 replay desync, 2 usage,
// 3 unreadable or damaged log, 4 torn log tail.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tickecon/tickecon/demo/dash"
	"github.com/tickecon/tickecon/demo/multi"
	"github.com/tickecon/tickecon/demo/publish"
	"github.com/tickecon/tickecon/demo/shop"
)

func main() {
	if dash.Child() { // this process is -dash's follower
		return
	}
	var o shop.Options
	o.Register(flag.CommandLine)
	var mo multi.Options
	mo.Register(flag.CommandLine)
	dashAddr := flag.String("dash", "", "with -record: serve the live economy report of the log on this address (e.g. :8081); with -host: the session's, with its peers and desync reports")
	var fo failoverOptions
	flag.IntVar(&fo.Nodes, "cluster", 0, "with -host: run a replicated world on an embedded JetStream cluster of this many nodes (3) and kill its host every -kill-every")
	flag.IntVar(&fo.Kills, "kills", 5, "with -cluster: hosts to kill before the summary")
	flag.DurationVar(&fo.KillEvery, "kill-every", 3*time.Second, "with -cluster: time between kills")
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintln(out, "headless runs the tickecon demo shop without a window: bots shop for -ticks ticks, then a summary;")
		fmt.Fprintln(out, "-record writes a replay log, -replay verifies one. Exit codes: 0 ok, 1 desync, 2 usage, 3 damaged log, 4 torn tail.")
		fmt.Fprintln(out, "\nUsage: go run ./demo/headless [flags]")
		flag.PrintDefaults()
	}
	if code, ok := shop.ParseFlags(flag.CommandLine, os.Args[1:], os.Stdout, os.Stderr); !ok {
		os.Exit(code)
	}
	if fo.Nodes > 0 {
		if !mo.Host || fo.Nodes < 1 {
			fmt.Fprintln(os.Stderr, "demo: -cluster N needs -host and N >= 1 (3 survives a lost node)")
			os.Exit(shop.ExitUsage)
		}
		fo.Seed = o.Seed
		os.Exit(failoverMain(fo, os.Stdout, os.Stderr))
	}
	publish.Hook(&o, os.Stdout)
	if mo.Host {
		mo.Dash = *dashAddr
	} else if err := dash.Hook(&o, *dashAddr, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "headless:", err)
		os.Exit(shop.ExitUsage)
	}
	if mo.Enabled() {
		os.Exit(multi.Main(mo, o.Ticks, o.Seed, os.Stdout, os.Stderr))
	}
	os.Exit(shop.Headless(o, os.Stdout, os.Stderr))
}
