package shard

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Move is a player moving to another shard (its home changes): a new
// player is opened there and the directory points at it at once; then,
// round after round, each of the old player's money balances goes over
// as a transfer (a hold of Qty 0 on the old shard naming the new player)
// and each of its item stacks as goods given (a hold of Held 0 on the new
// shard naming the old player). Each line moves exactly once through the
// purchase protocol, so nothing is lost or doubled whatever the transport
// does; a line the player spent meanwhile is simply refused, and tried
// again with what is left. When the old player holds nothing and waits on
// nothing, it is closed. Step advances every move in progress.
type Move struct {
	Key      string
	From, To Addr
	Done     bool

	inFlight []moveLine // the holds of the round in progress
	closing  ecs.Ticket
}

type moveLine struct {
	shard uint16
	hold  components.ID
}

// Move starts moving the player key to shard to. Its purchases still in
// flight on the old shard end there, and their goods follow in a later
// round.
func (c *Cluster) Move(key string, to uint16) (*Move, error) {
	e, ok := c.Dir.Lookup(key)
	dst := c.Node(to)
	if !ok || dst == nil || dst.W == nil {
		return nil, &ClusterError{Msg: fmt.Sprintf("cannot move %q to shard %d", key, to)}
	}
	src := c.Node(e.Addr.Shard())
	if src == dst || src.W == nil {
		return nil, &ClusterError{Msg: fmt.Sprintf("cannot move %q from shard %d to shard %d", key, e.Addr.Shard(), to)}
	}
	inv, err := src.W.Inventory(e.Addr.ID(), nil)
	if err != nil {
		return nil, err
	}
	name := key
	if e, st := src.W.Lookup(e.Addr.ID()); st == ecs.Alive {
		if n := src.W.Maps.Name.Get(e); n != nil {
			name = n.Text
		}
	}
	t := dst.W.Command(events.OpenPlayer(name, int64(inv.Capacity)))
	m := &Move{Key: key, From: e.Addr, To: AddrOf(to, t.ID)}
	if _, err := c.Dir.Place(key, m.To); err != nil {
		return nil, err
	}
	c.moves = append(c.moves, m)
	return m, nil
}

// advanceMoves runs after a round: a move whose lines of the last round
// all ended sends the next lines, or closes the old player.
func (c *Cluster) advanceMoves() {
	keep := c.moves[:0]
	for _, m := range c.moves {
		c.advance(m)
		if !m.Done {
			keep = append(keep, m)
		}
	}
	c.moves = keep
}

func (c *Cluster) advance(m *Move) {
	src, dst := c.Node(m.From.Shard()), c.Node(m.To.Shard())
	if src.W == nil || dst.W == nil {
		return // a shard is down: wait
	}
	if m.closing.Seq != 0 {
		if _, st := src.W.Lookup(m.From.ID()); st != ecs.Alive {
			m.Done = true
		}
		return
	}
	if _, st := dst.W.Lookup(m.To.ID()); st != ecs.Alive {
		return // the new player opens with the next round
	}
	for _, l := range m.inFlight {
		nd := c.Node(l.shard)
		if h, ok := nd.Sys.Hold(nd.W, l.hold); ok && h.State == components.SagaPending {
			return
		}
	}
	m.inFlight = m.inFlight[:0]
	if src.Sys.buyerPending(src.W, m.From.ID()) {
		return // its own purchases end first: their goods move next
	}
	var buf [16]ecs.Holding
	held, err := src.W.Holdings(m.From.ID(), buf[:0])
	if err != nil {
		return
	}
	cur := components.ID(0)
	if cs := src.W.Currencies(); len(cs) > 0 {
		cur = cs[0]
	}
	sent := false
	for _, h := range held {
		if h.Amount <= 0 {
			continue
		}
		sent = true
		if h.Kind == ecs.Money {
			t := src.W.Command(Buy(m.From.ID(), m.To, 0, h.What, 0, h.Amount, 0))
			m.inFlight = append(m.inFlight, moveLine{shard: src.N, hold: t.ID})
		} else {
			t := dst.W.Command(Buy(m.To.ID(), m.From, h.What, cur, h.Amount, 0, 0))
			m.inFlight = append(m.inFlight, moveLine{shard: dst.N, hold: t.ID})
		}
	}
	if !sent {
		m.closing = src.W.Command(events.Close(m.From.ID()))
	}
}

// buyerPending reports whether buyer has a hold waiting for its answer.
func (s *System) buyerPending(w *ecs.World, buyer components.ID) bool {
	q := w.ECS().Query(&s.holdF)
	for q.Next() {
		if h := (*Hold)(q.Get(s.holds.ID())); h.Buyer == buyer && h.State == components.SagaPending {
			q.Close()
			return true
		}
	}
	return false
}

// Moves returns the moves in progress.
func (c *Cluster) Moves() []*Move { return c.moves }
