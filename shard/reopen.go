package shard

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/ticklog"
)

// ConflictError is shards whose logs disagree on where a player lives:
// two posted handovers name the same old player (it would be open on two
// shards: the old shard accepts one handover per player, so its log must
// be older than one of them — restored from a copy, or another run's),
// two shards' content define the same key, or a handover names a player
// no key leads to.
type ConflictError struct {
	Key   string // the content key ("": no key leads to From)
	From  Addr   // the old player the handovers name (0: a key in two contents)
	Addrs []Addr // where the logs place it, in address order
}

// Error implements error.
func (e *ConflictError) Error() string {
	switch {
	case e.From == 0:
		return fmt.Sprintf("shard: the logs disagree: key %q is in the content of shards %d and %d", e.Key, e.Addrs[0].Shard(), e.Addrs[1].Shard())
	case e.Key == "":
		return fmt.Sprintf("shard: the logs disagree: a handover to %v names %v, a player no content key leads to", e.Addrs[0], e.From)
	}
	return fmt.Sprintf("shard: the logs disagree: player %q (%v) moved to both %v and %v: open on two shards", e.Key, e.From, e.Addrs[0], e.Addrs[1])
}

// OpenCluster reopens the cluster whose logs OpenLogs wrote in dir, after
// the whole process stopped or crashed: every shard resumes from its log
// (ticklog.OpenAppend, a torn tail cut; replay.ResumeLog: the last
// snapshot and the ticks after it) and records on with opts (its Setup is
// the header's). The directory is rebuilt from the shards' state
// (RebuildDirectory), so a moved player is found where it went; moves
// that had not finished go on (a player with two handovers waiting, from
// two processes, stays where it is until its shard accepts one); and
// every shard resends the messages of its pending holds in the first
// round, since what the dead process had not sent is lost. The round
// count goes on from the furthest shard.
// Logs that are not one cluster's (another economy, a shard missing or
// twice) are a *ClusterError; logs that disagree on a player, a
// *ConflictError.
func OpenCluster(dir string, opts ticklog.Options, t Transport) (*Cluster, error) {
	c := &Cluster{t: t}
	c.att, _ = t.(Attacher)
	fail := func(err error) (*Cluster, error) {
		if a := c.attacher(); a != nil {
			for _, nd := range c.nodes {
				a.Detach(nd.N)
			}
		}
		c.Close()
		return nil, err
	}
	var base Config
	for n := uint16(1); n == 1 || n <= base.Shards; n++ {
		path := filepath.Join(dir, fmt.Sprintf("shard-%d.log", n))
		lw, rec, err := ticklog.OpenAppend(path, opts)
		if err != nil {
			return fail(err)
		}
		nd := &Node{N: n, Path: path, lw: lw, opts: opts}
		nd.opts.Setup = rec.Header.Setup
		c.nodes = append(c.nodes, nd) // closed by fail from here on
		var cfg Config
		d := json.NewDecoder(bytes.NewReader(rec.Header.Setup.Config))
		d.DisallowUnknownFields()
		if rec.Header.Setup.Systems != SetupName || d.Decode(&cfg) != nil {
			return fail(&ClusterError{Msg: path + ": not a shard's log"})
		}
		same := cfg
		same.Shard = 0
		switch {
		case cfg.Shard != n:
			return fail(&ClusterError{Msg: fmt.Sprintf("%s: the log of shard %d", path, cfg.Shard)})
		case n == 1 && cfg.Shards == 0:
			return fail(&ClusterError{Msg: path + ": its setup names no shard count (not NewCluster's)"})
		case n == 1:
			base = same
		case same != base:
			return fail(&ClusterError{Msg: fmt.Sprintf("%s: shard %d is of another economy or configuration than shard 1", path, n)})
		}
		content, err := rec.Header.ParseContent()
		if err != nil {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
		w, err := replay.ResumeLog(rec, func() *ecs.World { w, _, _ := NewWorld(cfg); return w })
		if err != nil {
			return fail(fmt.Errorf("%s: %w", path, err))
		}
		fresh, _, err := NewWorld(cfg)
		if err != nil {
			return fail(err)
		}
		ids, err := content.Apply(fresh) // the same ids NewCluster's worlds gave the keys
		if err != nil {
			return fail(err)
		}
		for _, s := range w.Systems() {
			if sys, ok := s.(*System); ok {
				nd.Sys = sys
			}
		}
		lw.Record(w)
		nd.W, nd.IDs, nd.Content = w, ids, content
		c.round = max(c.round, w.NextTick())
	}
	c.cfg = base
	dir2, moves, err := c.rebuild()
	if err != nil {
		return fail(err)
	}
	c.Dir, c.moves = dir2, moves
	for _, nd := range c.nodes {
		if a := c.attacher(); a != nil {
			if err := a.Attach(nd.N, nd.W, nd.lw); err != nil {
				return fail(err)
			}
		}
		c.out = nd.Sys.Resend(nd.W, c.out[:0])
		for _, m := range c.out {
			nd.outbox = append(nd.outbox, outgoing{tick: nd.W.NextTick() - 1, m: m})
		}
		if err := c.release(nd); err != nil {
			return fail(err)
		}
	}
	return c, nil
}

// RebuildDirectory derives the directory from the running shards' state
// alone, as OpenCluster does after a restart: every key at the address
// its shard's content gave it, then each player followed along its
// handovers (Hold.Handover: the new shard's record that the player moved
// there, kept in its log and its snapshots) to where it lives now. The
// same state gives the same directory, entry for entry and version for
// version: keys are placed in content order, shard by shard, then moved
// players in key order, one placement per move, and nothing is decided
// by a map's order. Version counts those placements: the version before
// the restart, unless a move failed there (it placed the key twice). An
// entry's own version may differ (moves are replayed in key order, not in
// the order they happened). Every shard must be running.
func (c *Cluster) RebuildDirectory() (*Directory, error) {
	d, _, err := c.rebuild()
	return d, err
}

// arrival is a handover not voided: the player From moved to To.
type arrival struct {
	From, To Addr
	hold     components.ID // the handover on To's shard
	posted   bool
	used     bool
}

func (c *Cluster) rebuild() (*Directory, []*Move, error) {
	d := NewDirectory(uint16(len(c.nodes)))
	var players []Entry // content players, placed, in key order below
	var arr []arrival
	for _, nd := range c.nodes {
		if nd.W == nil {
			return nil, nil, &ClusterError{Msg: fmt.Sprintf("shard %d is not running", nd.N)}
		}
		place := func(key string, player bool) error {
			a := AddrOf(nd.N, nd.IDs.MustID(key))
			if e, ok := d.Lookup(key); ok {
				return &ConflictError{Key: key, Addrs: []Addr{e.Addr, a}}
			}
			if _, err := d.Place(key, a); err != nil {
				return err
			}
			if player {
				players = append(players, Entry{Key: key, Addr: a})
			}
			return nil
		}
		for _, sh := range nd.Content.Shops {
			if err := place(sh.Key, false); err != nil {
				return nil, nil, err
			}
			for _, l := range sh.Listings {
				if err := place(l.Key, false); err != nil {
					return nil, nil, err
				}
			}
		}
		for _, p := range nd.Content.Players {
			if err := place(p.Key, true); err != nil {
				return nil, nil, err
			}
		}
		arr = nd.Sys.arrivals(nd.W, arr)
	}
	slices.SortFunc(arr, func(a, b arrival) int {
		if c := cmp.Compare(a.From, b.From); c != 0 {
			return c
		}
		return cmp.Compare(a.To, b.To)
	})
	slices.SortFunc(players, func(a, b Entry) int { return cmp.Compare(a.Key, b.Key) })
	find := func(from Addr) int {
		i, ok := slices.BinarySearchFunc(arr, from, func(a arrival, f Addr) int { return cmp.Compare(a.From, f) })
		if !ok {
			return -1
		}
		return i
	}
	var moves []*Move
	for _, p := range players {
		addr := p.Addr
		for range len(arr) { // each step uses an arrival: bounded
			i := find(addr)
			if i < 0 {
				break
			}
			// The handovers naming addr: arr[i:j]. The old shard accepts
			// one; the others wait for its refusal.
			j, won := i, -1
			for ; j < len(arr) && arr[j].From == addr; j++ {
				arr[j].used = true
				if m := c.resumeMove(p.Key, &arr[j]); m != nil {
					moves = append(moves, m)
				}
				if !arr[j].posted {
					continue
				}
				if won >= 0 {
					return nil, nil, &ConflictError{Key: p.Key, From: addr, Addrs: []Addr{arr[won].To, arr[j].To}}
				}
				won = j
			}
			if j-i > 1 && won < 0 {
				break // all waiting: the player stays where it is until its shard answers
			}
			if won < 0 {
				won = i
			}
			if _, err := d.Place(p.Key, arr[won].To); err != nil { // one version per move, as Move counts
				return nil, nil, err
			}
			addr = arr[won].To
		}
	}
	for _, a := range arr {
		if !a.used {
			return nil, nil, &ConflictError{From: a.From, Addrs: []Addr{a.To}}
		}
	}
	return d, moves, nil
}

// resumeMove returns the move a's handover started, if it has not ended
// (its old player is still open), with the holds of its lines in flight.
func (c *Cluster) resumeMove(key string, a *arrival) *Move {
	src, dst := c.Node(a.From.Shard()), c.Node(a.To.Shard())
	if src == nil || dst == nil {
		return nil
	}
	if _, st := src.W.Lookup(a.From.ID()); st != ecs.Alive {
		return nil
	}
	m := &Move{Key: key, From: a.From, To: a.To, handover: ecs.Ticket{ID: a.hold}, accepted: a.posted}
	for _, id := range src.Sys.pendingOf(src.W, a.From.ID(), 0, nil) {
		m.inFlight = append(m.inFlight, moveLine{shard: src.N, hold: id})
	}
	for _, id := range dst.Sys.pendingOf(dst.W, a.To.ID(), src.N, nil) {
		m.inFlight = append(m.inFlight, moveLine{shard: dst.N, hold: id})
	}
	return m
}

// arrivals appends this shard's handovers not voided (Hold.Handover), in
// hold id order.
func (s *System) arrivals(w *ecs.World, buf []arrival) []arrival {
	start := len(buf)
	st := w.Maps.Stable.ID()
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		h := (*Hold)(q.Get(s.holds.ID()))
		if h.Handover() && !h.Voided() {
			id := (*components.Stable)(q.Get(st)).ID
			buf = append(buf, arrival{From: h.Listing, To: AddrOf(s.shard, h.Buyer), hold: id, posted: h.Posted()})
		}
	}
	slices.SortFunc(buf[start:], func(a, b arrival) int { return cmp.Compare(a.hold, b.hold) })
	return buf
}

// pendingOf appends, in id order, the pending holds of buyer (naming a
// listing or player on shard seller; 0: any).
func (s *System) pendingOf(w *ecs.World, buyer components.ID, seller uint16, buf []components.ID) []components.ID {
	start := len(buf)
	st := w.Maps.Stable.ID()
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		h := (*Hold)(q.Get(s.holds.ID()))
		if h.Buyer == buyer && h.Pending() && (seller == 0 || h.Listing.Shard() == seller) {
			buf = append(buf, (*components.Stable)(q.Get(st)).ID)
		}
	}
	slices.Sort(buf[start:])
	return buf
}
