package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// Config sets up the commerce systems.
type Config struct {
	// IdempotencyWindow is how many ticks a (buyer, request id) is
	// remembered; a retry inside it yields the original outcome.
	IdempotencyWindow uint64
	// SettlementEvery is the length of a "day" in ticks: customer accounts
	// are billed on every tick t with (t+1) % SettlementEvery == 0.
	// 0 disables settlement (charges accumulate).
	SettlementEvery uint64
	// SagaTimeout is how many ticks after its start a purchase record may
	// stay pending before it is compensated (≥ 1).
	SagaTimeout uint64
	// ChecksumVersion says how receipts are hashed into the state
	// checksum (hash.go): 0 or 1 the original terms, which every log
	// recorded before version 2 has, 2 the cheaper chain (DefaultConfig);
	// a value above 2 means 2. It is part of the world's setup, so a log
	// records it in its header (CommerceSetup; left out when 0, so an old
	// log's header reads as before) and verifies with the terms it was
	// recorded with. Peers must use the same.
	ChecksumVersion uint8 `json:",omitempty"`
}

// CurrentChecksumVersion is the newest Config.ChecksumVersion.
const CurrentChecksumVersion = 2

// DefaultConfig is a 60-tick idempotency window, a 600-tick day, a
// 300-tick saga timeout (10 s, 10 min, 5 min at 60 ticks per second) and
// the current checksum version.
var DefaultConfig = Config{IdempotencyWindow: 60, SettlementEvery: 600, SagaTimeout: 300,
	ChecksumVersion: CurrentChecksumVersion}

// Commerce is the set of commerce systems installed in one world.
type Commerce struct {
	Purchase   *PurchaseSystem
	Settlement *SettlementSystem
	Sagas      *SagaSystem
	Maps       *CommerceMaps // typed access to the commerce components
}

// InstallCommerce adds the PurchaseSystem with every composition (Wallet or
// customer Account payment, Inventory or Package delivery, coupons, carts,
// receipts, the idempotency window), the saga system and the settlement
// system, in that fixed order, plus their commands (carts, accounts,
// packages, coupons, trades, saga outcomes) and their state in the
// checksum. Call it instead of Install, before the first Step.
func InstallCommerce(w *ecs.World, cfg Config) *Commerce {
	p := NewPurchaseSystem()
	m := newCommerceMaps(w)
	m.terms = cfg.ChecksumVersion
	c0 := core.Of(w)
	c0.EnableRows(m.receipt.ID(), &m.rows)
	m.stand = c0.Rows.Entity
	p.m = m
	p.Receipts = true
	p.SetIdempotencyWindow(cfg.IdempotencyWindow)
	// Accounts first: an account entity never has a wallet, but a third
	// party's entity might have both; the explicit account is the intent.
	p.sources = append([]PaymentSource{AccountSource{M: m}}, p.sources...)
	p.RegisterDelivery(PackageTarget{M: m})
	c := &Commerce{Purchase: p, Maps: m}
	c.Sagas = &SagaSystem{m: m, p: p, timeout: max(1, cfg.SagaTimeout)}
	p.sagas = c.Sagas
	c.Settlement = &SettlementSystem{m: m, every: cfg.SettlementEvery}
	w.AddSystem(p)
	w.AddSystem(c.Sagas)
	w.AddSystem(c.Settlement)
	registerCommands(w, m)
	c.Sagas.register(w)
	w.AddEntityHasher(m.hash)
	w.AddHoldings(m.holdings)
	return c
}

// cmd adapts three functions to ecs.CommandHandler.
type cmd struct {
	creates bool
	check   func(w *ecs.World, c *events.Event) events.Reason
	apply   func(w *ecs.World, c *events.Event)
}

// Creates says whether the command creates an entity (it gets a new ID).
func (h cmd) Creates() bool { return h.creates }

// Check validates the command without changing anything.
func (h cmd) Check(w *ecs.World, c *events.Event) events.Reason { return h.check(w, c) }

// Apply carries out a command that passed Check.
func (h cmd) Apply(w *ecs.World, c *events.Event) { h.apply(w, c) }

// alive returns id's live entity.
func alive(w *ecs.World, id components.ID) (arche.Entity, bool) {
	e, st := w.Lookup(id)
	return e, st == ecs.Alive
}

// objectAlive checks that a creating command's Object (owner, recipient)
// is a live entity.
func objectAlive(w *ecs.World, c *events.Event) events.Reason {
	if _, ok := alive(w, c.Object); !ok {
		return events.ReasonUnknownEntity
	}
	return events.ReasonNone
}

// registerCommands adds the commerce commands, one concept per file:
// carts, accounts, packages, coupons, trades, receipts (saga outcomes:
// SagaSystem).
func registerCommands(w *ecs.World, m *CommerceMaps) {
	registerCarts(w, m)
	registerAccounts(w, m)
	registerPackages(w, m)
	registerCoupons(w, m)
	registerTrades(w, m)
	registerReceipts(w, m)
}
