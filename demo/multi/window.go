package multi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/demo/dash"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
	"github.com/tickecon/tickecon/report/lockstepdash"
	"github.com/tickecon/tickecon/systems"
)

// Open makes the shop model of the mode the options name, for a game loop
// (the window) that calls its StepOnce: -host serves the session from the
// model's own world, -join follows a host's frames with a Manual peer.
// Everything runs on the caller's goroutine; NATS callbacks only queue.
// close ends the session.
func Open(ctx context.Context, o Options, seed uint64, out io.Writer) (m *shop.Model, close func(), err error) {
	switch {
	case o.Host && o.Join != "":
		return nil, nil, errors.New("-host and -join exclude each other")
	case o.Host:
		return openHost(ctx, o, seed, out)
	case o.Join != "":
		return openJoin(o, out)
	}
	return nil, nil, errors.New("multi: neither -host nor -join")
}

// hostNet readies every tick of the host's model: it prepares the
// session's inputs, opens a wallet for every new peer and shows new
// desync reports.
type hostNet struct {
	ctx     context.Context
	h       *lockstep.Host
	wallets map[string]components.ID // peer → its wallet; looked up, never iterated
	seen    uint64                   // desync reports shown
	// feed is the -dash page (nil: no -dash); its lockstep panel is
	// renewed from this goroutine (Peers is the host goroutine's) every
	// dashEvery ticks and at each new desync report.
	feed    *dash.Feed
	renewed bool
}

// dashEvery is how often (in ticks) the -dash page's peers are renewed.
const dashEvery = 10

func (n *hostNet) Tick(m *shop.Model) (bool, error) {
	if err := n.h.Err(); err != nil {
		return false, err
	}
	if err := n.h.Prepare(n.ctx); err != nil {
		return false, err
	}
	w := m.World()
	peers := n.h.Peers()
	for _, p := range peers { // a new peer gets a wallet with some gold
		if _, ok := n.wallets[p.ID]; !ok {
			id := w.Command(events.OpenPlayer("peer:"+p.ID, 8)).ID
			w.Command(events.Mint(id, w.Currencies()[0], 5000))
			n.wallets[p.ID] = id
			n.h.Allow(p.ID, id)
		}
	}
	renew := w.NextTick()%dashEvery == 0
	if st := n.h.Stats(); st.Mismatches > n.seen {
		n.seen = st.Mismatches
		if reps := n.h.Reports(); len(reps) > 0 {
			r := reps[len(reps)-1]
			m.Alert(fmt.Sprintf("DESYNC: peer %s at tick %d (%s) — %s", r.Peer, r.Tick, r.Stage, r.Action))
		}
		renew = true
	}
	if n.feed != nil && (renew || !n.renewed) {
		n.renewed = true
		n.feed.SetSession(&report.Session{Name: Session, Peers: lockstepdash.Peers(peers),
			Desyncs: lockstepdash.Desyncs(n.h.Reports(), lockstepdash.MaxDesyncs),
			Note:    "Peers as this host sees them (renewed every " + fmt.Sprint(dashEvery) + " ticks); the economy is the host's world's events."})
	}
	return true, nil
}

func (n *hostNet) Submit(components.PurchaseIntent) bool { return false }

// Header: the live peers and the last tick every live peer agreed on.
func (n *hostNet) Header() string {
	live, desynced, agreed := 0, 0, uint64(0)
	for _, p := range n.h.Peers() {
		switch {
		case p.Desynced:
			desynced++
		case p.Live:
			if live == 0 || p.Agreed < agreed {
				agreed = p.Agreed
			}
			live++
		}
	}
	s := "HOST · no peers yet"
	switch {
	case live > 0 && agreed == 0:
		s = fmt.Sprintf("HOST · %d peers · joining", live)
	case live > 0:
		s = fmt.Sprintf("HOST · %d peers · agreed to tick %d", live, agreed-1)
	}
	if desynced > 0 {
		s += fmt.Sprintf(" · %d desynced", desynced)
	}
	return s
}

func openHost(ctx context.Context, o Options, seed uint64, out io.Writer) (*shop.Model, func(), error) {
	var undo []func()
	cleanup := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	url := o.NATS
	if url == "" {
		dir, err := os.MkdirTemp("", "tickecon-nats-")
		if err != nil {
			return nil, nil, err
		}
		undo = append(undo, func() { os.RemoveAll(dir) })
		box, err := natsbox.Start(natsbox.Options{StoreDir: dir})
		if err != nil {
			cleanup()
			return nil, nil, err
		}
		undo = append(undo, box.Shutdown)
		url = box.URL()
	}
	nc, err := nats.Connect(url)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	undo = append(undo, nc.Close)
	// -dash: the host's economy and peers, live. The page is fed by a
	// world subscriber from tick 0 on, so it is attached before shop.New
	// steps the content's tick.
	var setups []func(*ecs.World)
	var feed *dash.Feed
	if o.Dash != "" {
		if feed, err = dash.NewFeed(o.Dash, "lockstep session "+Session+" (host)", out); err != nil {
			cleanup()
			return nil, nil, err
		}
		undo = append(undo, feed.Close)
		setups = append(setups, feed.Attach)
	}
	m, err := shop.New(nil, seed, setups...)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	policy := lockstep.Drop
	if o.Halt {
		policy = lockstep.Halt
	}
	h, err := lockstep.NewHost(nc, lockstep.Config{Session: Session, NewWorld: NewWorld, World: m.World(),
		ReportDir: o.ReportDir, Console: out, Policy: policy})
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	undo = append(undo, h.Close)
	m.SetNet(&hostNet{ctx: ctx, h: h, wallets: map[string]components.ID{}, feed: feed})
	fmt.Fprintf(out, "hosting session %q at tick %d; join with:\n  go run ./demo -join %s   (or ./demo/headless -join)\n", Session, m.World().NextTick(), url)
	return m, cleanup, nil
}

// joinNet applies the host's frames at the model's tick boundary and
// sends the player's purchases to the host.
type joinNet struct {
	p       *lockstep.Peer
	id      string
	me      components.ID
	resyncs int
}

func (n *joinNet) Tick(m *shop.Model) (bool, error) {
	if n.p == nil {
		return false, nil
	}
	if n.p.Pump(0) == 0 {
		time.Sleep(time.Millisecond) // a loop that waits for a tick (RunTo) does not spin
	}
	if r := n.p.Resyncs(); r != n.resyncs { // the model now shows the snapshot's world
		n.resyncs = r
		n.me = 0
		m.Alert("Resynced from the host's snapshot after a desync")
	}
	if n.me == 0 {
		if id, ok := findWallet(m.World(), "peer:"+n.id); ok {
			n.me = id
			m.SetPlayer(id)
		}
	}
	return false, n.p.Err()
}

func (n *joinNet) Submit(in components.PurchaseIntent) bool {
	if n.p != nil {
		in.Buyer = n.me
		n.p.Send([]components.PurchaseIntent{in}, nil)
	}
	return true
}

// Header: this peer and the last tick it applied. Whether the host agreed
// is not on the wire to peers; the host's window and console say it.
func (n *joinNet) Header() string {
	if n.p == nil {
		return "PEER " + n.id
	}
	s := fmt.Sprintf("PEER %s · applied tick %d", n.id, n.p.Tick()-1)
	if n.resyncs > 0 {
		s += fmt.Sprintf(" · %d resyncs", n.resyncs)
	}
	return s
}

func openJoin(o Options, out io.Writer) (*shop.Model, func(), error) {
	id := o.Peer
	if id == "" {
		id = fmt.Sprintf("p%d", os.Getpid())
	}
	nc, err := nats.Connect(o.Join)
	if err != nil {
		return nil, nil, err
	}
	n := &joinNet{id: id}
	m := shop.Joined(peerWorld(o, id, out), n)
	p, err := lockstep.Join(nc, lockstep.PeerConfig{Session: Session, ID: id, NewWorld: m.AttachWorld,
		Audit: 1, Manual: true, OnTick: o.onTick})
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	n.p = p
	fmt.Fprintf(out, "%s joined session %q at tick %d\n", id, Session, p.Tick())
	return m, func() { p.Close(); nc.Close() }, nil
}

// peerWorld builds a joiner's worlds; with -skim the purchase system
// skims a coin from the peer's own wallet at that tick (the demo's bug).
func peerWorld(o Options, id string, out io.Writer) func() *ecs.World {
	if o.Skim == 0 {
		return NewWorld
	}
	fmt.Fprintf(out, "debug: this peer skims a coin from its own wallet at tick %d, without an event\n", o.Skim)
	return func() *ecs.World {
		w := NewWorld()
		w.WrapSystem("purchase", func(s ecs.System) ecs.System {
			return &skimming{PurchaseSystem: s.(*systems.PurchaseSystem), at: o.Skim, name: "peer:" + id}
		})
		return w
	}
}
