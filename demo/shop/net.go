package shop

import (
	"errors"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// Net is a multiplayer session a live model takes part in. Package
// demo/multi implements it over NATS; shop stays transport-free. The
// model calls it only from its own goroutine (the game loop).
type Net interface {
	// Tick runs at the model's tick boundary. A host readies the tick and
	// returns step true: the model then runs its bots, the schedule and
	// the world step. A joiner applies the frames that arrived and
	// returns false: its world is stepped by the host's frames only.
	Tick(m *Model) (step bool, err error)
	// Submit sends the player's intent on a joiner (true); false: the
	// model queues it in its own world, as the host does.
	Submit(in components.PurchaseIntent) bool
	// Header is the session's state for the window's header.
	Header() string
}

// SetNet makes the model take part in a multiplayer session.
func (m *Model) SetNet(n Net) { m.net = n }

// Net returns the model's session (nil: single player).
func (m *Model) Net() Net { return m.net }

// NetErr is the session's first error (the host halted, a transport
// failure); the model stops stepping after it.
func (m *Model) NetErr() error { return m.netErr }

// Joined makes a live model for a joiner: it shows worlds that the
// session's frames step. It has no bots and no schedule (they are the
// host's). AttachWorld builds each world with build.
func Joined(build func() *ecs.World, n Net) *Model {
	if build == nil {
		build = coreWorld
	}
	m := newModel(Live, build)
	m.build, m.net = build, n
	return m
}

// AttachWorld builds a new world for a joiner (its first, and one after
// every resync, which restarts from the host's snapshot) and watches it
// instead of the old one. Use it as lockstep.PeerConfig.NewWorld.
func (m *Model) AttachWorld() *ecs.World {
	m.attach(m.build())
	return m.w
}

// SetPlayer makes the model's player the wallet id: a joiner's own wallet,
// which the host opens for it once it joined.
func (m *Model) SetPlayer(id components.ID) { m.player = id }

// Alert shows a session event (a desync) as the status line.
func (m *Model) Alert(s string) { m.setStatus(s, FeedRejection) }

// errJoinedRestock: restocking is the host's; a joiner's command would
// change only its own world and desync it.
var errJoinedRestock = errors.New("shop: only the host restocks")

// netTick runs the session's hook; false: the model must not step.
func (m *Model) netTick() bool {
	if m.netErr != nil {
		return false
	}
	step, err := m.net.Tick(m)
	if err != nil {
		m.netErr = err
		m.Alert("Session stopped: " + err.Error())
		return false
	}
	return step
}
