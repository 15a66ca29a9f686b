// Command demo is the tickecon demo shop: a small ebiten game in which you
// buy items from two shops while four bot shoppers compete for the same
// limited stock. Every purchase is applied whole inside a deterministic tick
// or rejected with a typed reason, and the live event feed shows both.
//
//	go run ./demo                          # play (needs a display)
//	go run ./demo -headless -ticks 600     # simulate with bots, print a summary
//	go run ./demo -screenshot shot.png -ticks 120
//	go run ./demo -record s.log            # play and record; then:
//	go run ./demo -replay s.log            # watch it again, checksums verified
//
// Keys: ↑/↓ or click select a listing, ←/→ or +/- change the quantity,
// Enter or B buys, Space pauses, N steps one tick, R restocks, Esc quits.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tickecon/tickecon/demo/shop"
)

type options struct {
	headless   bool
	ticks      uint64
	seed       uint64
	screenshot string
	record     string
	replay     string
	tps        int
}

func main() {
	var o options
	flag.BoolVar(&o.headless, "headless", false, "run the simulation without a window and print a summary")
	flag.Uint64Var(&o.ticks, "ticks", 600, "ticks to run with -headless or before -screenshot")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the bot shoppers' random streams")
	flag.StringVar(&o.screenshot, "screenshot", "", "render the frame after -ticks ticks to this PNG file and exit")
	flag.StringVar(&o.record, "record", "", "record the session's inputs to this replay log")
	flag.StringVar(&o.replay, "replay", "", "play back a recorded replay log")
	flag.IntVar(&o.tps, "tps", 20, "simulation ticks per second in the window")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// run dispatches on the flags. The headless path never touches ebiten, so
// it runs without a display (CI runs it).
func run(o options, out io.Writer) error {
	m, closeLog, err := newModel(o)
	if err != nil {
		return err
	}
	if o.headless {
		m.Run(o.ticks)
		err = m.WriteSummary(out)
	} else {
		err = play(m, o)
	}
	if cerr := closeLog(); err == nil {
		err = cerr
	}
	if err == nil && m.Err() != nil {
		err = m.Err()
	}
	if err == nil && m.Desync() != "" {
		err = fmt.Errorf("replay desync: %s", m.Desync())
	}
	return err
}

// newModel builds a live or replaying model, with a recorder if asked.
func newModel(o options) (*shop.Model, func() error, error) {
	if o.replay != "" && o.record != "" {
		return nil, nil, fmt.Errorf("-record and -replay cannot be combined")
	}
	if o.replay != "" {
		return shop.OpenReplay(o.replay)
	}
	if o.record != "" {
		return shop.Record(o.record, o.seed)
	}
	m, err := shop.New(nil, o.seed)
	return m, func() error { return nil }, err
}
