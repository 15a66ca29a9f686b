// Package multi is the demo shop's multiplayer mode, in a terminal: one
// process hosts the shop (its bots are everyone's) and others join it over
// NATS, each buying with its own wallet; every tick every peer's checksum
// is compared with the host's, and a desync report shows up live.
//
//	go run ./demo/headless -host                  # starts an embedded NATS server, prints its URL
//	go run ./demo/headless -join nats://127.0.0.1:PORT
//	go run ./demo/headless -join nats://127.0.0.1:PORT -skim 200   # this peer cheats at tick 200
//
// `go run ./demo -host` and `-join URL` do the same in the window (Open,
// window.go): the host's header shows its live peers and the last tick
// they all agreed on, a joiner's the last tick it applied; the player
// buys with the peer's own wallet.
package multi

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// Session is the demo's session id.
const Session = "demo"

// Options are the multiplayer flags.
type Options struct {
	Host      bool
	Join      string // NATS URL of a host's server
	NATS      string // -host: use this server instead of starting one
	Peer      string // -join: peer id (default: from the process id)
	Ticks     uint64 // stop after this many ticks (0: until Ctrl-C)
	TPS       int
	Seed      uint64
	Skim      uint64 // -join: at this tick, take one coin from our own wallet without an event
	ReportDir string
	Halt      bool
	// Dash, with -host: serve the host's live economy page, with its peers
	// and desync reports, on this address (the mains' -dash flag).
	Dash string

	onTick func(*ecs.World, *ecs.TickRecord) // tests: a window joiner's OnTick
}

// Register adds the flags to fs.
func (o *Options) Register(fs *flag.FlagSet) {
	fs.BoolVar(&o.Host, "host", false, "host a multiplayer session (starts an embedded NATS server unless -nats)")
	fs.StringVar(&o.Join, "join", "", "join the multiplayer session at this NATS URL")
	fs.StringVar(&o.NATS, "nats", "", "with -host: the NATS server (JetStream on) to use")
	fs.StringVar(&o.Peer, "peer", "", "with -join: this peer's id (default p<pid>)")
	fs.IntVar(&o.TPS, "mtps", 20, "multiplayer ticks per second")
	fs.Uint64Var(&o.Skim, "skim", 0, "with -join, debugging: at this tick skim one coin from our wallet without an event (the host reports the desync)")
	fs.StringVar(&o.ReportDir, "reports", "desyncs", "with -host: folder for desync report files")
	fs.BoolVar(&o.Halt, "halt", false, "with -host: halt the session at a desync instead of dropping the peer")
}

// Enabled reports whether a multiplayer flag was given.
func (o *Options) Enabled() bool { return o.Host || o.Join != "" }

// NewWorld is the demo's world: the core systems, as the shop plays.
func NewWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// Main runs the mode the options name, for ticks ticks (0: until Ctrl-C)
// with the bots seeded by seed (the shop's -ticks and -seed). It returns
// the process exit code.
func Main(o Options, ticks, seed uint64, stdout, stderr io.Writer) int {
	o.Ticks, o.Seed = ticks, seed
	if o.TPS <= 0 {
		o.TPS = 20
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	switch {
	case o.Host && o.Join != "":
		err = errors.New("-host and -join exclude each other")
	case o.Host:
		err = host(ctx, o, stdout)
	default:
		err = join(ctx, o, stdout)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	return 0
}

func host(ctx context.Context, o Options, out io.Writer) error {
	m, closeHost, err := openHost(ctx, o, o.Seed, out)
	if err != nil {
		return err
	}
	defer closeHost()
	h := m.Net().(*hostNet).h
	tick := time.NewTicker(time.Second / time.Duration(o.TPS))
	defer tick.Stop()
	for o.Ticks == 0 || m.Ticks() <= o.Ticks {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		m.StepOnce() // hostNet readies the tick, the bots and the schedule act, the world steps, the frame goes out
		if err := m.NetErr(); err != nil {
			return err
		}
		if m.Ticks()%uint64(o.TPS) == 0 {
			fmt.Fprintf(out, "host tick %d checksum %016x | %s\n", m.LastTick(), m.Checksum(), peers(h.Peers()))
		}
	}
	return nil
}

func peers(ps []lockstep.PeerInfo) string {
	if len(ps) == 0 {
		return "no peers yet"
	}
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case p.Desynced:
			fmt.Fprintf(&b, "%s DESYNCED (resyncing)", p.ID)
		case !p.Live:
			fmt.Fprintf(&b, "%s away", p.ID)
		case p.Agreed == 0:
			fmt.Fprintf(&b, "%s joining", p.ID)
		default:
			fmt.Fprintf(&b, "%s agreed to tick %d", p.ID, p.Agreed-1)
		}
	}
	return b.String()
}

// skimming is a PurchaseSystem that, at tick at, takes one minor unit
// from the wallet named name without an event: the debugging bug.
type skimming struct {
	*systems.PurchaseSystem
	at   uint64
	name string
}

func (s *skimming) Update(w *ecs.World) {
	s.PurchaseSystem.Update(w)
	if w.NextTick() != s.at {
		return
	}
	if id, ok := findWallet(w, s.name); ok {
		e, _ := w.Lookup(id)
		if b := w.Maps.Wallet.Get(e).Balances; len(b) > 0 {
			b[0].Amount--
		}
	}
}

func findWallet(w *ecs.World, name string) (components.ID, bool) {
	for id := components.ID(1); id < w.NextID(); id++ {
		if e, st := w.Lookup(id); st == ecs.Alive && w.Maps.Name.Has(e) && w.Maps.Wallet.Has(e) && w.Maps.Name.Get(e).Text == name {
			return id, true
		}
	}
	return 0, false
}

func join(ctx context.Context, o Options, out io.Writer) error {
	id := o.Peer
	if id == "" {
		id = fmt.Sprintf("p%d", os.Getpid())
	}
	nc, err := nats.Connect(o.Join)
	if err != nil {
		return err
	}
	defer nc.Close()
	name := "peer:" + id
	newWorld := peerWorld(o, id, out)
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	var me components.ID
	var listings []components.ID
	req := uint64(0)
	var peer atomic.Pointer[lockstep.Peer] // set once Join returns; OnTick may run before
	done := make(chan struct{})
	cfg := lockstep.PeerConfig{Session: Session, ID: id, NewWorld: newWorld, Audit: 1,
		OnTick: func(w *ecs.World, r *ecs.TickRecord) {
			if me == 0 {
				me, _ = findWallet(w, name)
			}
			if listings == nil {
				for lid := components.ID(1); lid < w.NextID(); lid++ {
					if e, st := w.Lookup(lid); st == ecs.Alive && w.Maps.Listing.Has(e) {
						listings = append(listings, lid)
					}
				}
			}
			if p := peer.Load(); me != 0 && len(listings) > 0 && p != nil && rng.IntN(4) == 0 {
				req++
				p.Send([]components.PurchaseIntent{{Buyer: me, Listing: listings[rng.IntN(len(listings))],
					Quantity: 1 + rng.Int64N(2), RequestID: req}}, nil)
			}
			if r.Tick%uint64(o.TPS) == 0 {
				gold := int64(0)
				if e, st := w.Lookup(me); me != 0 && st == ecs.Alive {
					if b := w.Maps.Wallet.Get(e).Balances; len(b) > 0 {
						gold = b[0].Amount
					}
				}
				fmt.Fprintf(out, "%s tick %d checksum %016x | my gold %d\n", id, r.Tick, r.Checksum, gold)
			}
			if o.Ticks > 0 && r.Tick >= o.Ticks {
				select {
				case <-done:
				default:
					close(done)
				}
			}
		}}
	p, err := lockstep.Join(nc, cfg)
	if err != nil {
		return err
	}
	peer.Store(p)
	defer p.Close()
	fmt.Fprintf(out, "%s joined session %q at tick %d\n", id, Session, p.Tick())
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-done:
		return p.Err()
	}
}
