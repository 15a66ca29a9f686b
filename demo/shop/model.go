// Package shop is the window-free game state of the tickecon demo shop: the
// world, the player's selection and quantity, the bot shoppers, the event
// feed, the run statistics and the replay verdict. The ebiten layer in
// package main only turns keys and clicks into [Input] and draws what the
// [Model] exposes, so all of the game logic is testable without a display,
// and the headless command (demo/headless) runs it without linking ebiten.
//
// The model never writes economy components. It reads state through the
// world's read API, and changes the economy only by submitting purchase
// intents and authoring commands, so every change is a logged event.
//
// Files, one concept each: model.go (the model and its tick loop),
// input.go (player actions), bots.go and schedule.go (the simulated
// shoppers and the shops' calendar), replay.go (playing a recording and
// its verdict), record.go (the replay log on disk), feed.go, stats.go,
// history.go (what the HUD shows), views.go and reads.go (the rows the UI
// draws), reasons.go (rejections in words), cli.go (the command line shared
// by the window and the headless binary).
package shop

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
)

// DefaultContent is the demo's economy: two currencies, eight items, two
// shops with limited stock, the player and four bot shoppers.
//
//go:embed content.json
var DefaultContent []byte

// PlayerKey is the content key of the human player; every other player in
// the content is a bot.
const PlayerKey = "player"

// MaxQty is the largest quantity the player can choose.
const MaxQty = 99

// Mode says where a model's inputs come from.
type Mode uint8

const (
	// Live: the player and the bots submit inputs.
	Live Mode = iota
	// Replay: inputs come from a recorded session; the player only watches.
	Replay
)

// Model is the demo's game state. It is not safe for concurrent use; the
// game loop owns it.
type Model struct {
	w    *ecs.World
	mode Mode

	player   components.ID
	bots     []*bot
	shoppers []components.ID // every player entity, by id
	shops    []components.ID
	listings []components.ID
	items    []components.ID
	restock  []int64 // per listing: units a restock adds (its initial stock)

	sel     int
	qty     int64
	paused  bool
	nextReq uint64 // the player's next request id
	pending uint64 // the player's request awaiting its outcome, 0 if none
	// restocking is the player's restock command awaiting its outcome.
	restocking ecs.Ticket
	status     string
	statusKind FeedKind

	feed    feed
	stats   Stats
	history history
	replay  replayer
	holdBuf []ecs.Holding // reused by holdings
	supply  ecs.Supply    // reused by moneySupply
	last    uint64        // checksum after the last tick
	recErr  func() error  // the recorder's first write error, if recording

	net Net // multiplayer session, nil: none (net.go)
	// The money supply after tick nowTick (history.go), measured by Now
	// if nowStale.
	now      Sample
	nowTick  uint64
	nowStale bool
	netErr   error             // the session's first error
	build    func() *ecs.World // a joiner's world builder (AttachWorld)
	stale    bool              // the entity lists predate the world's state
}

// newModel makes a model on a world from newWorld (nil: a world with the
// core systems, as the demo plays and records).
func newModel(mode Mode, newWorld func() *ecs.World) *Model {
	if newWorld == nil {
		newWorld = coreWorld
	}
	m := &Model{mode: mode, qty: 1, nextReq: 1}
	m.feed.lines = make([]FeedLine, FeedSize)
	m.stats.Rejections = make([]uint64, len(events.Reasons())+1)
	m.attach(newWorld())
	return m
}

// attach makes w the model's world and watches its ticks.
func (m *Model) attach(w *ecs.World) {
	m.w = w
	m.last = 0
	m.stale = true // a joiner's world is restored from a snapshot after this: refresh at its first tick
	m.w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		if m.w == w { // a replaced world (a joiner's resync) is no longer shown
			m.observe(r)
		}
		return nil
	})
	m.refresh()
}

// New starts a live session of content (DefaultContent when nil) with bots
// seeded from seed. setup functions see the world before tick 0, in which
// the content is created (a recorder subscribes there), then New runs
// tick 0.
func New(content []byte, seed uint64, setup ...func(*ecs.World)) (*Model, error) {
	if content == nil {
		content = DefaultContent
	}
	c, err := ecs.ParseContent(content)
	if err != nil {
		return nil, err
	}
	m := newModel(Live, nil)
	for _, fn := range setup {
		fn(m.w)
	}
	ids, err := c.Apply(m.w)
	if err != nil {
		return nil, err
	}
	pid, ok := ids.Lookup(PlayerKey)
	if !ok {
		return nil, fmt.Errorf("shop: content has no player %q", PlayerKey)
	}
	m.player = pid
	m.bots = newBots(c, ids, seed)
	m.step()
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			if i := slices.Index(m.listings, ids.MustID(l.Key)); i >= 0 {
				m.restock[i] = max(l.Stock, 1)
			}
		}
	}
	return m, nil
}

// coreWorld is the demo's world: the core systems (systems.Install).
func coreWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// World returns the model's world, for reading only.
func (m *Model) World() *ecs.World { return m.w }

// Mode returns whether the model is live or replaying.
func (m *Model) Mode() Mode { return m.mode }

// Player returns the player's stable id.
func (m *Model) Player() components.ID { return m.player }

// LastTick is the number of the last completed tick (0 is the content tick).
func (m *Model) LastTick() uint64 { return m.w.NextTick() - 1 }

// Ticks is the number of ticks run, tick 0 included: LastTick()+1. It is
// what `tickecon verify` counts for the same log.
func (m *Model) Ticks() uint64 { return m.w.NextTick() }

// Checksum is the state checksum after the last tick.
func (m *Model) Checksum() uint64 { return m.last }

// Stats returns the counters of the session so far.
func (m *Model) Stats() *Stats { return &m.stats }

// RecordErr is the first error of the session's recorder (nil when not
// recording or all is well): a full disk shows in the window at once, not
// only when the demo exits.
func (m *Model) RecordErr() error {
	if m.recErr == nil {
		return nil
	}
	return m.recErr()
}

// StepOnce runs one tick, paused or not, and returns its record (nil when
// a replay has ended).
func (m *Model) StepOnce() *ecs.TickRecord {
	if m.mode == Replay {
		return m.replayTick()
	}
	if m.net != nil && !m.netTick() {
		return nil
	}
	m.botsAct()
	m.schedule()
	return m.step()
}

// Run advances the model until its last completed tick is ticks (tick 0,
// the content, is already done), or until a replay ends.
func (m *Model) Run(ticks uint64) {
	for m.LastTick() < ticks && !m.replay.done && m.netErr == nil {
		m.StepOnce()
	}
}

// RunAll runs a replay to the end of its recording (or its first desync
// or damage). A live session has no end; RunAll leaves it alone.
func (m *Model) RunAll() {
	for m.mode == Replay && !m.replay.done {
		m.StepOnce()
	}
}

// step runs one world tick.
func (m *Model) step() *ecs.TickRecord {
	rec := m.w.Step()
	m.last = rec.Checksum
	return rec
}

// observe is the world subscriber: it updates the entity lists, the feed,
// the statistics, the chart and the player's status after every committed
// tick.
func (m *Model) observe(rec *ecs.TickRecord) {
	if m.stale || slices.ContainsFunc(rec.Events, changesEntities) {
		m.stale = false
		m.refresh()
	}
	for _, ev := range rec.Events {
		m.stats.count(ev, m.player)
		if k, ok := feedKind(ev.Kind); ok {
			text, who := m.describe(ev)
			m.feed.push(FeedLine{Tick: ev.Tick, Kind: k, Text: text, Player: m.player != 0 && who == m.player})
		}
	}
	m.settle(rec)
	m.sample(rec.Tick)
	m.last = rec.Checksum
}

// changesEntities reports whether ev creates or closes an entity.
func changesEntities(ev events.Event) bool {
	return ev.Kind.Creates() || ev.Kind == events.EntityClosed
}
