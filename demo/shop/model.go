// Package shop is the window-free game state of the tickecon demo shop: the
// world, the player's selection and quantity, the bot shoppers, the event
// feed and the run statistics. The ebiten layer in package main only turns
// keys and clicks into [Input] and draws what the [Model] exposes, so all of
// the game logic is testable without a display.
//
// The model never writes economy components. It reads them through the
// world's maps, and changes the economy only by submitting purchase intents
// and authoring commands, so every change is a logged event.
package shop

import (
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	arche "github.com/mlange-42/arche/ecs"

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

// Gameplay constants. They are part of what a seed reproduces.
const (
	MaxQty        = 99  // largest quantity the player can choose
	FeedSize      = 256 // feed lines kept
	botBuyPercent = 30  // chance per tick that a bot tries to buy
	botMaxQty     = 3   // a bot buys 1..botMaxQty units
	// botStubbornPercent: chance that a bot asks for more than it can
	// afford, so that InsufficientFunds rejections show up too.
	botStubbornPercent = 15
	botUsePercent      = 5    // chance per tick that a bot uses (burns) an item
	paydayEvery        = 100  // ticks between wage mints to every shopper
	paydayGold         = 1500 // minor units of the first currency per payday
	upkeepEvery        = 100  // ticks between shop upkeep burns
	upkeepGold         = 500  // minor units burned from each shop till (at most)
	deliveryEvery      = 150  // ticks between supplier restocks of empty listings
)

// Mode says where a model's inputs come from.
type Mode uint8

const (
	// Live: the player and the bots submit inputs.
	Live Mode = iota
	// Replay: inputs come from a recorded session; the player only watches.
	Replay
)

// Input is one frame of player input, already decoded from keys and mouse.
type Input struct {
	Select      int   // listing index clicked, or -1 for none
	Move        int   // selection change: -1 up, +1 down
	QtyDelta    int64 // quantity change
	Buy         bool
	TogglePause bool
	Step        bool // run one tick while paused
	Restock     bool
}

// NoInput is the Input of a frame in which the player did nothing.
var NoInput = Input{Select: -1}

// TickInputs is what one recorded tick consumed: enough to replay it.
type TickInputs struct {
	Tick     uint64
	Commands []events.Event
	Intents  []components.PurchaseIntent
	Checksum uint64 // the checksum the recording saw after the tick
}

// Source yields recorded ticks in order, for replay. Next returns false
// when the recording ends; Err then says whether it ended cleanly.
type Source interface {
	Next() (TickInputs, bool)
	Err() error
}

// Stats counts what a session did, for the headless summary and the HUD.
type Stats struct {
	Purchases       uint64
	PlayerPurchases uint64
	Rejections      []uint64 // indexed by events.Reason
	CommandRejected uint64
	Minted          uint64 // Minted events
	Burned          uint64 // Burned events
	Granted         uint64 // ItemsGranted events (restocks and starting items)
	ItemsBurned     uint64 // ItemsBurned events (items used up)
}

// TotalRejections is the number of rejected purchases.
func (s *Stats) TotalRejections() uint64 {
	var n uint64
	for _, c := range s.Rejections {
		n += c
	}
	return n
}

// FeedKind classifies a feed line, so the UI can colour it.
type FeedKind uint8

// Feed line kinds.
const (
	FeedOther FeedKind = iota
	FeedPurchase
	FeedRejection
	FeedMint
	FeedBurn
)

// FeedLine is one event of the live feed, rendered with entity names.
type FeedLine struct {
	Tick   uint64
	Kind   FeedKind
	Player bool // the event concerns the player
	Text   string
}

// ListingView is one row of the shop table.
type ListingView struct {
	ID       components.ID
	Shop     string
	Item     components.ID
	ItemName string
	ItemIdx  int // index of the item type, for its sprite
	Currency string
	Decimals uint8
	Price    int64
	Stock    int64
}

// PriceText is the listing's unit price with its currency, e.g. "2.50 Gold".
func (l ListingView) PriceText() string {
	return FormatAmount(l.Price, l.Decimals) + " " + l.Currency
}

// BalanceView is one currency balance of a wallet.
type BalanceView struct {
	Currency string
	Decimals uint8
	Amount   int64
}

// Text renders the balance, e.g. "50.00 Gold".
func (b BalanceView) Text() string { return FormatAmount(b.Amount, b.Decimals) + " " + b.Currency }

// SlotView is one inventory slot.
type SlotView struct {
	Item     components.ID
	ItemName string
	ItemIdx  int
	Qty      int64
}

type bot struct {
	id      components.ID
	name    string
	rng     *rand.Rand
	nextReq uint64
}

// Model is the demo's game state. It is not safe for concurrent use; the
// game loop owns it.
type Model struct {
	w    *ecs.World
	mode Mode
	src  Source

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
	status  string

	feed     []FeedLine // ring buffer of FeedSize
	feedNext int
	feedLen  int
	stats    Stats
	last     uint64 // checksum after the last tick
	desync   string // replay: first checksum mismatch
	done     bool   // replay: the recording ended
	err      error
	onCommit []func(*ecs.TickRecord)
}

func newModel(mode Mode) *Model {
	m := &Model{w: ecs.New(), mode: mode, qty: 1, nextReq: 1,
		feed: make([]FeedLine, FeedSize)}
	m.stats.Rejections = make([]uint64, len(events.Reasons())+1)
	systems.Install(m.w)
	m.w.Subscribe(m.observe)
	return m
}

// New starts a live session of content (DefaultContent when nil) with bots
// seeded from seed. It runs tick 0, in which the content is created.
// onCommit functions (a recorder) see every committed tick, tick 0 included.
func New(content []byte, seed uint64, onCommit ...func(*ecs.TickRecord)) (*Model, error) {
	if content == nil {
		content = DefaultContent
	}
	c, err := ecs.ParseContent(content)
	if err != nil {
		return nil, err
	}
	m := newModel(Live)
	m.onCommit = onCommit
	ids, err := c.Apply(m.w)
	if err != nil {
		return nil, err
	}
	pid, ok := ids[PlayerKey]
	if !ok {
		return nil, fmt.Errorf("shop: content has no player %q", PlayerKey)
	}
	m.player = pid
	for i, p := range c.Players {
		if p.Key == PlayerKey {
			continue
		}
		// One PCG stream per bot: a bot's choices depend only on the seed
		// and its own position in the content, never on global state.
		m.bots = append(m.bots, &bot{id: ids[p.Key], name: p.Name, nextReq: 1,
			rng: rand.New(rand.NewPCG(seed, uint64(i)))})
	}
	m.step()
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			i := slices.Index(m.listings, ids[l.Key])
			if i >= 0 {
				m.restock[i] = max(l.Stock, 1)
			}
		}
	}
	return m, nil
}

// NewReplay starts a replay of src. It replays the first recorded tick
// (tick 0, the content) immediately; the player is the first wallet.
func NewReplay(src Source) (*Model, error) {
	m := newModel(Replay)
	m.src = src
	if m.replayTick() == nil {
		if m.err != nil {
			return nil, m.err
		}
		return nil, errors.New("shop: empty recording")
	}
	if len(m.shoppers) > 0 {
		m.player = m.shoppers[0]
	}
	return m, m.err
}

// World returns the model's world, for reading only.
func (m *Model) World() *ecs.World { return m.w }

// Mode returns whether the model is live or replaying.
func (m *Model) Mode() Mode { return m.mode }

// Player returns the player's stable id.
func (m *Model) Player() components.ID { return m.player }

// LastTick is the number of the last completed tick (0 is the content tick).
func (m *Model) LastTick() uint64 { return m.w.Tick() - 1 }

// Checksum is the state checksum after the last tick.
func (m *Model) Checksum() uint64 { return m.last }

// Stats returns the counters of the session so far.
func (m *Model) Stats() *Stats { return &m.stats }

// Paused reports whether the simulation is paused.
func (m *Model) Paused() bool { return m.paused }

// Pause stops the simulation; StepOnce still advances it.
func (m *Model) Pause() { m.paused = true }

// Resume restarts the simulation.
func (m *Model) Resume() { m.paused = false }

// TogglePause pauses a running simulation or resumes a paused one.
func (m *Model) TogglePause() { m.paused = !m.paused }

// Status is the outcome of the player's last action, for the HUD.
func (m *Model) Status() string { return m.status }

// Desync is the first checksum mismatch of a replay, or "".
func (m *Model) Desync() string { return m.desync }

// Done reports whether a replay has reached the end of its recording.
func (m *Model) Done() bool { return m.done }

// Err is the error that stopped a replay, if any.
func (m *Model) Err() error { return m.err }

// Selected returns the index of the selected listing.
func (m *Model) Selected() int { return m.sel }

// Select selects listing i, clamped to the listings shown.
func (m *Model) Select(i int) {
	m.sel = max(0, min(i, len(m.listings)-1))
}

// Qty returns the quantity the next Buy asks for.
func (m *Model) Qty() int64 { return m.qty }

// SetQty sets the quantity, clamped to 1..MaxQty.
func (m *Model) SetQty(n int64) { m.qty = max(1, min(n, MaxQty)) }

// Buy submits the player's purchase intent for the selected listing and
// quantity; the next tick completes or rejects it. It returns the request id.
func (m *Model) Buy() (uint64, error) {
	if m.mode != Live {
		return 0, errors.New("shop: cannot buy during a replay")
	}
	if len(m.listings) == 0 {
		return 0, errors.New("shop: nothing to buy")
	}
	req := m.nextReq
	m.nextReq++
	m.w.Submit(components.PurchaseIntent{Buyer: m.player, Listing: m.listings[m.sel],
		Quantity: m.qty, RequestID: req})
	m.pending = req
	l := m.Listing(m.sel)
	m.status = fmt.Sprintf("Buying %d× %s (request %d)…", m.qty, l.ItemName, req)
	return req, nil
}

// Restock queues a command granting the selected listing its initial stock
// again: the items are created by a logged ItemsGranted event.
func (m *Model) Restock() error {
	if m.mode != Live {
		return errors.New("shop: cannot restock during a replay")
	}
	if len(m.listings) == 0 {
		return errors.New("shop: nothing to restock")
	}
	l := m.Listing(m.sel)
	m.w.Command(events.Event{Kind: events.ItemsGranted, Subject: l.ID, Item: l.Item, Qty: m.restock[m.sel]})
	m.status = fmt.Sprintf("Restocking %s with %d…", l.ItemName, m.restock[m.sel])
	return nil
}

// StepOnce runs one tick, paused or not, and returns its record (nil when
// a replay has ended).
func (m *Model) StepOnce() *ecs.TickRecord {
	if m.mode == Replay {
		return m.replayTick()
	}
	m.botsAct()
	return m.step()
}

// Update applies one frame of input, then runs one tick unless paused (or
// one tick anyway if in.Step asks for it).
func (m *Model) Update(in Input) {
	if in.Select >= 0 {
		m.Select(in.Select)
	}
	if in.Move != 0 {
		m.Select(m.sel + in.Move)
	}
	if in.QtyDelta != 0 {
		m.SetQty(m.qty + in.QtyDelta)
	}
	if in.Buy {
		_, _ = m.Buy() // the error only says "replay", which the HUD shows
	}
	if in.Restock {
		_ = m.Restock()
	}
	if in.TogglePause {
		m.TogglePause()
	}
	if !m.paused || in.Step {
		m.StepOnce()
	}
}

// step runs one world tick and refreshes the entity lists if it created or
// closed entities.
func (m *Model) step() *ecs.TickRecord {
	rec := m.w.Step()
	m.last = rec.Checksum
	return rec
}

// replayTick feeds the next recorded tick to the world and checks that it
// reproduces the recorded checksum. It returns nil at the end.
func (m *Model) replayTick() *ecs.TickRecord {
	if m.done {
		return nil
	}
	in, ok := m.src.Next()
	if !ok {
		m.done = true
		m.err = m.src.Err()
		return nil
	}
	if in.Tick != m.w.Tick() && m.desync == "" {
		m.desync = fmt.Sprintf("recording has tick %d where tick %d was expected", in.Tick, m.w.Tick())
	}
	for _, c := range in.Commands {
		m.w.Command(c)
	}
	for _, it := range in.Intents {
		m.w.Submit(it)
	}
	rec := m.step()
	if rec.Checksum != in.Checksum && m.desync == "" {
		m.desync = fmt.Sprintf("tick %d: checksum %016x, recording has %016x", rec.Tick, rec.Checksum, in.Checksum)
	}
	return rec
}

// botsAct lets every bot decide, from its own random stream and the state
// it can read, whether to buy or use an item, and queues the shop
// schedule (paydays, upkeep, deliveries) for the coming tick.
func (m *Model) botsAct() {
	tick := m.w.Tick()
	for _, b := range m.bots {
		if len(m.listings) > 0 && b.rng.IntN(100) < botBuyPercent {
			i := b.rng.IntN(len(m.listings))
			q := 1 + b.rng.Int64N(botMaxQty)
			stubborn := b.rng.IntN(100) < botStubbornPercent
			// A bot reads its wallet like a player reads the screen: it
			// buys what it can afford, and only sometimes tries anyway.
			if n := m.affordable(b.id, i); n < q && !stubborn {
				q = n
			}
			if q > 0 {
				m.w.Submit(components.PurchaseIntent{Buyer: b.id, Listing: m.listings[i], Quantity: q, RequestID: b.nextReq})
				b.nextReq++
			}
		}
		if b.rng.IntN(100) < botUsePercent {
			if e, st := m.w.Lookup(b.id); st == ecs.Alive {
				if inv := m.w.Maps.Inventory.Get(e); inv != nil && len(inv.Slots) > 0 {
					s := inv.Slots[b.rng.IntN(len(inv.Slots))]
					m.w.Command(events.Event{Kind: events.ItemsBurned, Subject: b.id, Item: s.Item, Qty: 1})
				}
			}
		}
	}
	cur := m.w.Currencies()
	if len(cur) == 0 {
		return
	}
	if tick%paydayEvery == 0 {
		for _, p := range m.shoppers {
			m.w.Command(events.Event{Kind: events.Minted, Subject: p, Currency: cur[0], Amount: paydayGold})
		}
	}
	if tick%upkeepEvery == upkeepEvery/2 {
		for _, s := range m.shops {
			e, _ := m.w.Lookup(s)
			if wal := m.w.Maps.Wallet.Get(e); wal != nil {
				if amt := min(wal.Balance(cur[0]), upkeepGold); amt > 0 {
					m.w.Command(events.Event{Kind: events.Burned, Subject: s, Currency: cur[0], Amount: amt})
				}
			}
		}
	}
	if tick%deliveryEvery == 0 {
		for i := range m.listings {
			if l := m.Listing(i); l.Stock == 0 {
				m.w.Command(events.Event{Kind: events.ItemsGranted, Subject: l.ID, Item: l.Item, Qty: m.restock[i]})
			}
		}
	}
}

// affordable returns how many units of listing i the shopper's balance
// pays for (capped at botMaxQty), reading the state before the tick.
func (m *Model) affordable(id components.ID, i int) int64 {
	e, st := m.w.Lookup(id)
	le, lst := m.w.Lookup(m.listings[i])
	if st != ecs.Alive || lst != ecs.Alive {
		return 0
	}
	wal, l := m.w.Maps.Wallet.Get(e), m.w.Maps.Listing.Get(le)
	if wal == nil || l == nil {
		return 0
	}
	if l.Price == 0 {
		return botMaxQty
	}
	return min(wal.Balance(l.Currency)/l.Price, botMaxQty)
}

// observe is the world subscriber: it updates the entity lists, the feed,
// the statistics and the player's status after every committed tick.
func (m *Model) observe(rec *ecs.TickRecord) {
	if slices.ContainsFunc(rec.Events, changesEntities) {
		m.refresh()
	}
	for _, ev := range rec.Events {
		m.count(ev)
		if k, ok := feedKind(ev.Kind); ok {
			m.push(FeedLine{Tick: ev.Tick, Kind: k, Text: m.describe(ev),
				Player: m.player != 0 && (ev.Subject == m.player)})
		}
		if m.pending != 0 && ev.Subject == m.player && ev.Request == m.pending {
			switch ev.Kind {
			case events.PurchaseCompleted:
				m.status = "Bought " + m.describePurchase(ev)
				m.pending = 0
			case events.PurchaseRejected:
				m.status = fmt.Sprintf("Rejected: %s (%d× %s)", ev.Reason, ev.Qty, m.listingItemName(ev.Object))
				m.pending = 0
			}
		}
		if ev.Kind == events.CommandRejected && m.mode == Live {
			m.status = "Command rejected: " + ev.Reason.String()
		}
	}
	for _, fn := range m.onCommit {
		fn(rec)
	}
}

// changesEntities reports whether ev creates or closes an entity.
func changesEntities(ev events.Event) bool {
	switch ev.Kind {
	case events.CurrencyDefined, events.ItemDefined, events.ShopOpened,
		events.ListingPosted, events.WalletOpened, events.EntityClosed:
		return true
	}
	return false
}

func feedKind(k events.Kind) (FeedKind, bool) {
	switch k {
	case events.PurchaseCompleted:
		return FeedPurchase, true
	case events.PurchaseRejected, events.CommandRejected:
		return FeedRejection, true
	case events.Minted, events.ItemsGranted:
		return FeedMint, true
	case events.Burned, events.ItemsBurned:
		return FeedBurn, true
	case events.EntityClosed:
		return FeedOther, true
	}
	return FeedOther, false
}

func (m *Model) count(ev events.Event) {
	s := &m.stats
	switch ev.Kind {
	case events.PurchaseCompleted:
		s.Purchases++
		if ev.Subject == m.player {
			s.PlayerPurchases++
		}
	case events.PurchaseRejected:
		if int(ev.Reason) < len(s.Rejections) {
			s.Rejections[ev.Reason]++
		}
	case events.CommandRejected:
		s.CommandRejected++
	case events.Minted:
		s.Minted++
	case events.Burned:
		s.Burned++
	case events.ItemsGranted:
		s.Granted++
	case events.ItemsBurned:
		s.ItemsBurned++
	}
}

func (m *Model) push(l FeedLine) {
	m.feed[m.feedNext] = l
	m.feedNext = (m.feedNext + 1) % len(m.feed)
	m.feedLen = min(m.feedLen+1, len(m.feed))
}

// Feed returns up to n of the latest feed lines, oldest first.
func (m *Model) Feed(n int) []FeedLine {
	n = min(n, m.feedLen)
	out := make([]FeedLine, 0, n)
	for i := n; i > 0; i-- {
		out = append(out, m.feed[(m.feedNext-i+len(m.feed))%len(m.feed)])
	}
	return out
}

// refresh rebuilds the sorted entity lists from the world. Sorting by
// stable id gives content order, on every machine.
func (m *Model) refresh() {
	mp := &m.w.Maps
	collect := func(dst []components.ID, comps ...arche.ID) []components.ID {
		dst = dst[:0]
		q := m.w.ECS().Query(arche.All(comps...))
		for q.Next() {
			dst = append(dst, mp.Stable.Get(q.Entity()).ID)
		}
		slices.Sort(dst)
		return dst
	}
	m.listings = collect(m.listings, mp.Listing.ID(), mp.Stable.ID())
	m.shoppers = collect(m.shoppers, mp.Wallet.ID(), mp.Inventory.ID(), mp.Stable.ID())
	m.shops = collect(m.shops, mp.Shop.ID(), mp.Stable.ID())
	m.items = collect(m.items, mp.Item.ID(), mp.Stable.ID())
	for len(m.restock) < len(m.listings) {
		m.restock = append(m.restock, 1)
	}
	m.Select(m.sel)
}

// Name returns an entity's display name, or "#id" if it has none.
func (m *Model) Name(id components.ID) string {
	if e, st := m.w.Lookup(id); st == ecs.Alive {
		if n := m.w.Maps.Name.Get(e); n != nil && n.Text != "" {
			return n.Text
		}
	}
	return fmt.Sprintf("#%d", id)
}

func (m *Model) currency(id components.ID) (string, uint8) {
	if e, st := m.w.Lookup(id); st == ecs.Alive {
		if c := m.w.Maps.Currency.Get(e); c != nil {
			return m.Name(id), c.Decimals
		}
	}
	return m.Name(id), 0
}

// ItemIndex returns the position of an item type in definition order (for
// its sprite), or -1.
func (m *Model) ItemIndex(id components.ID) int { return slices.Index(m.items, id) }

// Listings returns the number of listings shown.
func (m *Model) Listings() int { return len(m.listings) }

// Listing returns the row of listing i (0 ≤ i < Listings()).
func (m *Model) Listing(i int) ListingView {
	id := m.listings[i]
	v := ListingView{ID: id}
	e, st := m.w.Lookup(id)
	if st != ecs.Alive {
		return v
	}
	l := m.w.Maps.Listing.Get(e)
	v.Shop, v.Item, v.ItemName, v.ItemIdx = m.Name(l.Shop), l.Item, m.Name(l.Item), m.ItemIndex(l.Item)
	v.Currency, v.Decimals = m.currency(l.Currency)
	v.Price, v.Stock = l.Price, l.Stock
	return v
}

// Shoppers returns every player entity (the player first), by id.
func (m *Model) Shoppers() []components.ID { return m.shoppers }

// Wallet returns the balances of a wallet, one per currency, in currency
// definition order.
func (m *Model) Wallet(id components.ID) []BalanceView {
	var out []BalanceView
	e, st := m.w.Lookup(id)
	if st != ecs.Alive {
		return out
	}
	wal := m.w.Maps.Wallet.Get(e)
	if wal == nil {
		return out
	}
	for _, c := range m.w.Currencies() {
		name, dec := m.currency(c)
		out = append(out, BalanceView{Currency: name, Decimals: dec, Amount: wal.Balance(c)})
	}
	return out
}

// Inventory returns the slots of a player's inventory and its capacity.
func (m *Model) Inventory(id components.ID) ([]SlotView, int) {
	e, st := m.w.Lookup(id)
	if st != ecs.Alive {
		return nil, 0
	}
	inv := m.w.Maps.Inventory.Get(e)
	if inv == nil {
		return nil, 0
	}
	out := make([]SlotView, 0, len(inv.Slots))
	for _, s := range inv.Slots {
		out = append(out, SlotView{Item: s.Item, ItemName: m.Name(s.Item), ItemIdx: m.ItemIndex(s.Item), Qty: s.Qty})
	}
	return out, inv.Capacity
}

func (m *Model) listingItemName(listing components.ID) string {
	if e, st := m.w.Lookup(listing); st == ecs.Alive {
		if l := m.w.Maps.Listing.Get(e); l != nil {
			return m.Name(l.Item)
		}
	}
	return m.Name(listing)
}

func (m *Model) describePurchase(ev events.Event) string {
	name, dec := m.currency(ev.Currency)
	shop := ""
	if e, st := m.w.Lookup(ev.Object); st == ecs.Alive {
		if l := m.w.Maps.Listing.Get(e); l != nil {
			shop = " at " + m.Name(l.Shop)
		}
	}
	return fmt.Sprintf("%d× %s%s for %s %s", ev.Qty, m.Name(ev.Item), shop, FormatAmount(ev.Amount, dec), name)
}

// describe renders an event with entity names for the feed.
func (m *Model) describe(ev events.Event) string {
	switch ev.Kind {
	case events.PurchaseCompleted:
		return m.Name(ev.Subject) + " bought " + m.describePurchase(ev)
	case events.PurchaseRejected:
		return fmt.Sprintf("%s: %d× %s rejected, %s", m.Name(ev.Subject), ev.Qty, m.listingItemName(ev.Object), ev.Reason)
	case events.CommandRejected:
		return fmt.Sprintf("%s on %s rejected, %s", ev.Of, m.Name(ev.Subject), ev.Reason)
	case events.Minted, events.Burned:
		name, dec := m.currency(ev.Currency)
		verb := "minted"
		if ev.Kind == events.Burned {
			verb = "burned"
		}
		return fmt.Sprintf("%s %s %s for %s", verb, FormatAmount(ev.Amount, dec), name, m.Name(ev.Subject))
	case events.ItemsGranted:
		if e, st := m.w.Lookup(ev.Subject); st == ecs.Alive && m.w.Maps.Listing.Has(e) {
			return fmt.Sprintf("restocked %d× %s", ev.Qty, m.Name(ev.Item))
		}
		return fmt.Sprintf("granted %d× %s to %s", ev.Qty, m.Name(ev.Item), m.Name(ev.Subject))
	case events.ItemsBurned:
		return fmt.Sprintf("%s used %d× %s", m.Name(ev.Subject), ev.Qty, m.Name(ev.Item))
	}
	return ev.String()
}
