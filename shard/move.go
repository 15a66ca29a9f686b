package shard

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Move is a player moving to another shard (its home changes): a new
// player is opened there, with a handover hold naming the old player
// (Hold.Handover), and the directory points at it at once. The old
// player's shard accepts one handover per player, so a player cannot be
// moved to two shards (a second move, say from a process with a stale
// directory, is refused as DuplicateRequest and fails with Err set).
// Once the handover is accepted, round after round, each of the old
// player's money balances goes over as a transfer (a hold of Qty 0 on the
// old shard naming the new player), each of its item stacks as goods
// given (a hold of Held 0 on the new shard naming the old player), and
// the goods waiting in its posted holds for room in its inventory as
// goods given from those holds. Each line moves exactly once through the
// purchase protocol, so nothing is lost or doubled whatever the transport
// does; a line the player spent meanwhile (or that was delivered from a
// hold into its inventory) is simply refused, and tried again with what
// is left. Goods that do not fit the new player's inventory wait in the
// new shard's hold and go in as room appears, as they did on the old
// shard. When the old player holds nothing, waits on nothing and has no
// goods waiting, it is closed. Step advances every move in progress.
type Move struct {
	Key      string
	From, To Addr
	Done     bool
	// Err is why a move failed (Done is then true too): the old player's
	// shard refused the handover (*MoveError). The directory points at
	// the old player again; the new one stays open, empty.
	Err error

	handover  ecs.Ticket // the handover hold on the new shard
	accepted  bool       // the handover was posted: the lines may go
	inFlight  []moveLine // the holds of the round in progress
	openAt    uint64     // the new shard's tick that opens the new player
	closing   ecs.Ticket
	closingAt uint64 // the old shard's tick that closes the old player
}

// MoveError is a move the old player's shard refused: the player is not
// a player there any more, or it was handed over to another shard already
// (events.ReasonDuplicateRequest).
type MoveError struct {
	Key    string
	From   Addr
	Reason events.Reason
}

// Error implements error.
func (e *MoveError) Error() string {
	return fmt.Sprintf("shard: move of %q from %v refused: %v", e.Key, e.From, e.Reason)
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
	for _, m := range c.moves {
		if m.Key == key {
			return nil, &ClusterError{Msg: fmt.Sprintf("%q is still moving from %v to %v", key, m.From, m.To), Err: ErrMoving}
		}
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
	m := &Move{Key: key, From: e.Addr, To: AddrOf(to, t.ID), openAt: dst.W.NextTick()}
	if _, err := c.Dir.Place(key, m.To); err != nil {
		return nil, err
	}
	m.handover = dst.W.Command(Buy(t.ID, m.From, 0, 0, 0, 0, 0))
	m.inFlight = append(m.inFlight, moveLine{shard: to, hold: m.handover.ID})
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
	_, from := src.W.Lookup(m.From.ID())
	if from != ecs.Alive {
		m.Done = true // closed: by this move, or by the game (what it held burned with events)
		return
	}
	if m.closing.Seq != 0 && src.W.NextTick() > m.closingAt {
		m.closing = ecs.Ticket{} // its tick ran and the player is open: the close was lost with a restart
	}
	if m.closing.Seq != 0 {
		return
	}
	if _, st := dst.W.Lookup(m.To.ID()); st != ecs.Alive {
		if dst.W.NextTick() > m.openAt {
			// Closed by the game, or its opening lost with a restart of
			// its shard: what is left stays with the old player.
			c.fail(m, src, events.ReasonBuyerGone)
		}
		return // the new player opens with the next round
	}
	for _, l := range m.inFlight {
		nd := c.Node(l.shard)
		if h, ok := nd.Sys.Hold(nd.W, l.hold); ok && h.State == components.SagaPending {
			return
		}
	}
	m.inFlight = m.inFlight[:0]
	if !m.accepted && !c.handedOver(m, src, dst) {
		return
	}
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
	var wbuf [8]components.ID
	for _, id := range src.Sys.waitingFor(src.W, m.From.ID(), wbuf[:0]) {
		h, _ := src.Sys.Hold(src.W, id)
		sent = true
		t := dst.W.Command(Buy(m.To.ID(), AddrOf(src.N, id), h.Item, cur, h.Waiting, 0, 0))
		m.inFlight = append(m.inFlight, moveLine{shard: dst.N, hold: t.ID})
	}
	if !sent {
		m.closing, m.closingAt = src.W.Command(events.Close(m.From.ID())), src.W.NextTick()
	}
}

// handedOver reports whether m's handover was accepted (the lines may
// go), placing it again if it timed out before the old shard saw it, or
// ending the move with Err if the old shard refused it.
func (c *Cluster) handedOver(m *Move, src, dst *Node) bool {
	h, ok := dst.Sys.Hold(dst.W, m.handover.ID)
	switch {
	case ok && h.Posted():
		m.accepted = true
		if e, ok := c.Dir.Lookup(m.Key); ok && e.Addr == m.From {
			// A move reopened while another handover of the player also
			// waited (OpenCluster left the key at home): this one won.
			c.Dir.Place(m.Key, m.To) // a valid address: cannot fail
		}
		return true
	case ok && h.Voided() && h.Reason == events.ReasonTimeout:
		// The old shard had not seen it when the cancel came: ask again.
		m.handover = dst.W.Command(Buy(m.To.ID(), m.From, 0, 0, 0, 0, 0))
		m.inFlight = append(m.inFlight, moveLine{shard: dst.N, hold: m.handover.ID})
		return false
	}
	why := events.ReasonUnknownEntity // the hold itself was refused: the new player is gone
	if ok {
		why = h.Reason
	}
	c.fail(m, src, why)
	return false
}

// fail ends m with a *MoveError, the directory pointing back at the old
// player, or at where another move took it (a process with a stale
// directory moved it too).
func (c *Cluster) fail(m *Move, src *Node, why events.Reason) {
	m.Err, m.Done = &MoveError{Key: m.Key, From: m.From, Reason: why}, true
	if e, ok := c.Dir.Lookup(m.Key); ok && e.Addr == m.To {
		back := m.From
		if to, ok := src.Sys.MovedTo(src.W, m.From.ID()); ok && to != m.To {
			back = to
		}
		c.Dir.Place(m.Key, back) // a valid address: cannot fail
	}
}

// MovedTo returns where player, of this shard, moved: the new player its
// accepted handover names (ok false: it has not been handed over).
func (s *System) MovedTo(w *ecs.World, player components.ID) (Addr, bool) {
	s.rebuild(w)
	id, ok := s.handedOver[player]
	if !ok {
		return 0, false
	}
	e, _ := w.Lookup(id)
	r := s.sales.Get(e)
	if r == nil {
		return 0, false
	}
	return r.Buyer, true
}

// waitingFor appends to buf, in id order, buyer's posted holds with goods
// waiting for room in its inventory.
func (s *System) waitingFor(w *ecs.World, buyer components.ID, buf []components.ID) []components.ID {
	s.rebuild(w)
	for _, id := range s.waiting {
		if h, ok := s.Hold(w, id); ok && h.Buyer == buyer && h.Waiting > 0 {
			buf = append(buf, id)
		}
	}
	return buf
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
