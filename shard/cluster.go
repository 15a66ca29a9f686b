package shard

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// Cluster runs shards 1…n in one process: each a single-writer world with
// its own log, messages between them over a Transport, and a Directory of
// where every content key lives. A Step is one round: every running shard
// takes the messages waiting for it as inputs, steps once (in parallel
// when Parallel is set: the worlds share nothing), and then, in shard
// order, sends what its committed frame says. The round structure makes a
// loopback run deterministic whatever GOMAXPROCS is.
type Cluster struct {
	Dir *Directory
	// RetryEvery: every so many rounds each shard resends the messages of
	// its unanswered holds (0: never; a lossless transport needs none).
	RetryEvery uint64
	// Parallel steps the shards' worlds on their own goroutines.
	Parallel bool

	t     Transport
	cfg   Config
	nodes []*Node
	round uint64
	out   []Message
	moves []*Move

	// The transport's Attacher side, looked up once in NewCluster: a type
	// assertion in every round grows the runtime's assertion cache now
	// and then, an allocation in a steady round.
	att Attacher
}

func (c *Cluster) attacher() Attacher { return c.att }

// Transport returns the cluster's transport.
func (c *Cluster) Transport() Transport { return c.t }

// Node is one shard of a Cluster.
type Node struct {
	N       uint16
	W       *ecs.World // nil while the shard is down
	Sys     *System
	IDs     ecs.IDs // content key → stable id on this shard
	Content *ecs.Content
	Path    string // its log, once OpenLogs ran
	Paused  bool   // not stepped (it falls behind; its messages wait)

	lw     *ticklog.Writer
	opts   ticklog.Options
	in     []Message
	rec    *ecs.TickRecord
	outbox []outgoing // sent once their tick is durable in the log
}

// outgoing is a message waiting for its tick to be durable.
type outgoing struct {
	tick uint64
	m    Message
}

// ClusterError is a cluster that cannot be built or a call it refuses.
type ClusterError struct {
	Msg string
	Err error // ErrMoving, or nil
}

// Error implements error.
func (e *ClusterError) Error() string { return "shard: cluster: " + e.Msg }

// Unwrap returns Err.
func (e *ClusterError) Unwrap() error { return e.Err }

// ErrMoving is matched (errors.Is) by the *ClusterError of Move for a
// player whose previous move has not ended: one move at a time, since
// the lines of the first still go to the player the second would close.
var ErrMoving = errors.New("the player is still moving")

// NewCluster builds, over transport t, one shard per content (shard i+1 from contents[i]),
// each installed with cfg (its Shard field set to the shard's number),
// and places every content key in the directory. Currencies and items
// must be the same on every shard (same keys, same order: the same ids);
// any other key lives on one shard only.
func NewCluster(cfg Config, contents []*ecs.Content, t Transport) (*Cluster, error) {
	if len(contents) == 0 || len(contents) > 0xffff {
		return nil, &ClusterError{Msg: fmt.Sprintf("%d shards: want 1–65535", len(contents))}
	}
	cfg.Economy = economy(cfg, contents)
	c := &Cluster{Dir: NewDirectory(uint16(len(contents))), t: t, cfg: cfg}
	c.att, _ = t.(Attacher)
	shared := map[string]components.ID{} // looked up, never iterated
	for i, content := range contents {
		n := uint16(i + 1)
		cc := cfg
		cc.Shard, cc.Shards = n, uint16(len(contents))
		w, s, err := NewWorld(cc)
		if err != nil {
			return nil, err
		}
		ids, err := content.Apply(w)
		if err != nil {
			return nil, err
		}
		for _, d := range content.Currencies {
			if err := sameEverywhere(shared, i, d.Key, ids.MustID(d.Key)); err != nil {
				return nil, err
			}
		}
		for _, d := range content.Items {
			if err := sameEverywhere(shared, i, d.Key, ids.MustID(d.Key)); err != nil {
				return nil, err
			}
		}
		place := func(key string) error {
			if e, ok := c.Dir.Lookup(key); ok {
				return &ClusterError{Msg: fmt.Sprintf("key %q is on shard %d and shard %d", key, e.Addr.Shard(), n)}
			}
			_, err := c.Dir.Place(key, AddrOf(n, ids.MustID(key)))
			return err
		}
		for _, sh := range content.Shops {
			if err := place(sh.Key); err != nil {
				return nil, err
			}
			for _, l := range sh.Listings {
				if err := place(l.Key); err != nil {
					return nil, err
				}
			}
		}
		for _, p := range content.Players {
			if err := place(p.Key); err != nil {
				return nil, err
			}
		}
		c.nodes = append(c.nodes, &Node{N: n, W: w, Sys: s, IDs: ids, Content: content})
	}
	return c, nil
}

// economy is cfg.Economy for the shards of contents: the name given, if
// any, and a fingerprint of the configuration every shard shares and of
// each shard's content in shard order. The same cluster built again gets
// the same one (logs stay byte-identical run after run); another
// configuration or content, another.
func economy(cfg Config, contents []*ecs.Content) string {
	name := cfg.Economy
	cfg.Shard, cfg.Shards, cfg.Economy = 0, uint16(len(contents)), ""
	h := sha256.New()
	raw, _ := json.Marshal(cfg) // plain integers: cannot fail
	h.Write(raw)
	for _, c := range contents {
		h.Write(binary.BigEndian.AppendUint64(nil, c.Hash()))
	}
	fp := hex.EncodeToString(h.Sum(nil)[:8])
	if name == "" {
		return fp
	}
	return name + "/" + fp
}

func sameEverywhere(shared map[string]components.ID, shard int, key string, id components.ID) error {
	if prev, ok := shared[key]; ok && prev != id {
		return &ClusterError{Msg: fmt.Sprintf("%q is id %d on shard 1 but %d on shard %d: list currencies and items alike on every shard", key, prev, id, shard+1)}
	} else if !ok && shard > 0 {
		return &ClusterError{Msg: fmt.Sprintf("%q is on shard %d but not on shard 1", key, shard+1)}
	}
	shared[key] = id
	return nil
}

// Nodes returns the shards, in number order.
func (c *Cluster) Nodes() []*Node { return c.nodes }

// Node returns shard n (nil if there is none).
func (c *Cluster) Node(n uint16) *Node {
	if n == 0 || int(n) > len(c.nodes) {
		return nil
	}
	return c.nodes[n-1]
}

// Config returns shard n's configuration.
func (c *Cluster) Config(n uint16) Config {
	cc := c.cfg
	cc.Shard, cc.Shards = n, uint16(len(c.nodes))
	return cc
}

// OpenLogs starts a replay log per shard in dir (created if missing; shard-1.log, …; never
// replacing a file), recording from tick 0. Call it before the first Step.
// opts.Setup is set per shard.
func (c *Cluster) OpenLogs(dir string, opts ticklog.Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, nd := range c.nodes {
		o := opts
		o.Setup = Setup(c.Config(nd.N))
		nd.Path = filepath.Join(dir, fmt.Sprintf("shard-%d.log", nd.N))
		lw, err := ticklog.CreateNew(nd.Path, nd.Content, o)
		if err != nil {
			return err
		}
		lw.Record(nd.W)
		nd.lw, nd.opts = lw, o
		if a := c.attacher(); a != nil {
			if err := a.Attach(nd.N, nd.W, lw); err != nil {
				return err
			}
		}
	}
	return nil
}

// Round returns how many rounds ran.
func (c *Cluster) Round() uint64 { return c.round }

// Step runs one round. The first error (a log that cannot be written, a
// transport refusing a message) is returned; the round's other shards
// have stepped.
func (c *Cluster) Step() error {
	for _, nd := range c.nodes {
		if nd.W == nil || nd.Paused {
			continue
		}
		if a := c.attacher(); a != nil {
			a.Drain(nd.N, nd.W)
			continue
		}
		nd.in = c.t.Receive(nd.N, nd.in[:0])
		for _, m := range nd.in {
			nd.W.Command(m.Cmd)
		}
	}
	if c.Parallel {
		var wg sync.WaitGroup
		for _, nd := range c.nodes {
			if nd.W != nil && !nd.Paused {
				wg.Add(1)
				go func() { defer wg.Done(); nd.rec = nd.W.Step() }()
			}
		}
		wg.Wait()
	} else {
		for _, nd := range c.nodes {
			if nd.W != nil && !nd.Paused {
				nd.rec = nd.W.Step()
			}
		}
	}
	c.round++
	var first error
	for _, nd := range c.nodes {
		if nd.W == nil || nd.Paused {
			continue
		}
		if err := nd.W.Err(); err != nil && first == nil {
			first = err
		}
		c.out = Outgoing(nd.N, nd.rec, c.out[:0])
		if c.RetryEvery > 0 && c.round%c.RetryEvery == 0 {
			c.out = nd.Sys.Resend(nd.W, c.out)
		}
		for _, m := range c.out {
			nd.outbox = append(nd.outbox, outgoing{tick: nd.rec.Tick, m: m})
		}
		if err := c.release(nd); err != nil && first == nil {
			first = err
		}
	}
	c.advanceMoves()
	return first
}

// release sends the messages of nd's durable ticks: a message says what
// the shard's log says, so it must not leave before the tick that made it
// is on disk — a crash losing that tick would otherwise leave the other
// shard acting on a sale or a hold this shard no longer knows. Without a
// log, everything goes at once.
func (c *Cluster) release(nd *Node) error {
	n := len(nd.outbox)
	if nd.lw != nil {
		d, ok := nd.lw.Durable()
		n = 0
		for ok && n < len(nd.outbox) && nd.outbox[n].tick <= d {
			n++
		}
	}
	var first error
	for _, o := range nd.outbox[:n] {
		if err := c.t.Send(o.m); err != nil && first == nil {
			first = err
		}
	}
	nd.outbox = append(nd.outbox[:0], nd.outbox[n:]...)
	return first
}

// Attacher is a transport that delivers through an inbox of each shard's
// own (cluster/shardbus: a JetStream inbox acknowledged at the log's
// durable tick). The cluster attaches each shard's world and log to it
// when the logs open and when the shard restarts, detaches the shard when
// it is killed, and calls Drain instead of Receive.
type Attacher interface {
	Attach(n uint16, w *ecs.World, lw *ticklog.Writer) error
	Detach(n uint16)
	Drain(n uint16, w *ecs.World) int
}

// dropper is a transport that can lose a shard's inbox (Loopback).
type dropper interface{ Drop(to uint16) }

// Kill stops shard n as a crash would: its world is gone, its log closed
// after its last complete tick, and the messages waiting for it are lost
// if the transport is in-process.
func (c *Cluster) Kill(n uint16) error {
	nd := c.Node(n)
	if nd == nil || nd.W == nil {
		return &ClusterError{Msg: fmt.Sprintf("shard %d is not running", n)}
	}
	var err error
	if nd.lw != nil {
		err = nd.lw.Close()
		nd.lw = nil
	}
	nd.W, nd.Sys, nd.outbox = nil, nil, nd.outbox[:0] // its unsent messages die with it
	if d, ok := c.t.(dropper); ok {
		d.Drop(n)
	}
	if a := c.attacher(); a != nil {
		a.Detach(n)
	}
	return err
}

// Restart brings shard n back from its log (ticklog.OpenAppend, then
// replay.ResumeLog: the last snapshot and the ticks after it), recording
// on.
func (c *Cluster) Restart(n uint16) error {
	nd := c.Node(n)
	if nd == nil || nd.W != nil || nd.Path == "" {
		return &ClusterError{Msg: fmt.Sprintf("shard %d is running or has no log", n)}
	}
	lw, rec, err := ticklog.OpenAppend(nd.Path, nd.opts)
	if err != nil {
		return err
	}
	cfg := c.Config(n)
	w, err := replay.ResumeLog(rec, func() *ecs.World { w, _, _ := NewWorld(cfg); return w })
	if err != nil {
		lw.Close()
		return err
	}
	for _, s := range w.Systems() {
		if sys, ok := s.(*System); ok {
			nd.Sys = sys
		}
	}
	lw.Record(w)
	nd.W, nd.lw = w, lw
	if a := c.attacher(); a != nil {
		return a.Attach(n, w, lw)
	}
	return nil
}

// Close closes every log (the first error is returned).
func (c *Cluster) Close() error {
	var first error
	for _, nd := range c.nodes {
		if nd.lw != nil {
			if err := nd.lw.Close(); err != nil && first == nil {
				first = err
			}
			nd.lw = nil
		}
	}
	return first
}

// Purchase is a purchase Buy queued: local (an ordinary PurchaseIntent on
// the buyer's shard) or cross-shard (a hold on the buyer's shard).
type Purchase struct {
	Buyer   Addr
	Listing Addr
	Hold    components.ID // the hold on the buyer's shard (0: local)
	Ticket  ecs.Ticket
}

// Buy queues a purchase of qty units of listing for buyer (content keys),
// at the price the seller's shard shows now: a local purchase when both
// live on one shard, else a hold of price × qty on the buyer's shard.
func (c *Cluster) Buy(buyer, listing string, qty int64, request uint64) (Purchase, error) {
	be, ok := c.Dir.Lookup(buyer)
	le, ok2 := c.Dir.Lookup(listing)
	if !ok || !ok2 {
		return Purchase{}, &ClusterError{Msg: fmt.Sprintf("buyer %q or listing %q is not in the directory", buyer, listing)}
	}
	bn, ln := c.Node(be.Addr.Shard()), c.Node(le.Addr.Shard())
	if bn.W == nil || ln.W == nil {
		return Purchase{}, &ClusterError{Msg: "the buyer's or the seller's shard is down"}
	}
	if c.round == 0 {
		// The content's entities exist only once round 0 applied it; the
		// world's own error would say "entity closed".
		return Purchase{}, &ClusterError{Msg: "no round has run: Step once first (round 0 applies each shard's content)"}
	}
	info, err := ln.W.Listing(le.Addr.ID())
	if err != nil {
		return Purchase{}, err
	}
	p := Purchase{Buyer: be.Addr, Listing: le.Addr}
	if bn == ln {
		p.Ticket = bn.W.Submit(components.PurchaseIntent{Buyer: be.Addr.ID(), Listing: le.Addr.ID(),
			Quantity: qty, RequestID: request, ListingVersion: info.Version})
		return p, nil
	}
	held, ok := components.MulInt64(info.Price, qty)
	if !ok {
		return Purchase{}, &ClusterError{Msg: "price × quantity overflows"}
	}
	p.Ticket = bn.W.Command(Buy(be.Addr.ID(), le.Addr, info.Item, info.Currency, qty, held, request))
	p.Hold = p.Ticket.ID
	return p, nil
}

// Pending returns how many holds wait for an answer on running shards.
func (c *Cluster) Pending() int {
	n := 0
	for _, nd := range c.nodes {
		if nd.W != nil {
			n += nd.Sys.Pending(nd.W)
		}
	}
	return n
}
