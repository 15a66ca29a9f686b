package systems

import (
	arche "github.com/mlange-42/arche/ecs"
	"github.com/mlange-42/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// CommerceMaps gives typed access to the commerce components of one world.
type CommerceMaps struct {
	Receipt generic.Map[components.Receipt]
	Cart    generic.Map[components.Cart]
	Account generic.Map[components.Account]
	Package generic.Map[components.Package]
	Coupon  generic.Map[components.Coupon]
	Trade   generic.Map[components.Trade]
	Record  generic.Map[components.PurchaseRecord]

	loads        []components.Load // reused by checkUnpack
	receiptComps []arche.ID        // pre-built: a variadic literal would allocate per receipt
	comps        []arche.ID        // hashed commerce components, in hash order
}

func newCommerceMaps(w *ecs.World) *CommerceMaps {
	e := w.ECS()
	m := &CommerceMaps{
		Receipt: generic.NewMap[components.Receipt](e),
		Cart:    generic.NewMap[components.Cart](e),
		Account: generic.NewMap[components.Account](e),
		Package: generic.NewMap[components.Package](e),
		Coupon:  generic.NewMap[components.Coupon](e),
		Trade:   generic.NewMap[components.Trade](e),
		Record:  generic.NewMap[components.PurchaseRecord](e),
	}
	m.receiptComps = []arche.ID{m.Receipt.ID()}
	m.comps = []arche.ID{m.Receipt.ID(), m.Cart.ID(), m.Account.ID(), m.Package.ID(),
		m.Coupon.ID(), m.Trade.ID(), m.Record.ID()}
	return m
}

// spawnReceipt creates a receipt entity and announces it.
func (s *PurchaseSystem) spawnReceipt(w *ecs.World, r components.Receipt) components.ID {
	id, e := w.Spawn(s.m.receiptComps...)
	*s.m.Receipt.Get(e) = r
	w.Emit(events.ReceiptIssuedEvent{Receipt: id, Buyer: r.Buyer, For: r.What, Total: r.Amount,
		Lines: r.Lines, Request: r.Request}.Event())
	return id
}

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
}

// DefaultConfig is a 60-tick idempotency window, a 600-tick day and a
// 300-tick saga timeout (10 s, 10 min, 5 min at 60 ticks per second).
var DefaultConfig = Config{IdempotencyWindow: 60, SettlementEvery: 600, SagaTimeout: 300}

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

// maxCartLines bounds a cart, so hostile commands cannot grow one forever.
const maxCartLines = 64

func registerCommands(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.CartOpened, cmd{creates: true, check: objectAlive,
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Cart.ID())
			m.Cart.Get(e).Owner = c.Object
			w.Emit(*c)
		}})
	w.HandleCommand(events.CartLineAdded, cmd{
		check: func(w *ecs.World, c *events.Event) events.Reason {
			e, ok := alive(w, c.Subject)
			if !ok || !m.Cart.Has(e) {
				return events.ReasonUnknownEntity
			}
			cart := m.Cart.Get(e)
			if cart.Receipt != 0 {
				return events.ReasonCartCheckedOut
			}
			if c.Qty <= 0 || len(cart.Lines) >= maxCartLines {
				return events.ReasonBadCommand
			}
			if le, ok := alive(w, c.Object); !ok || !w.Maps.Listing.Has(le) {
				return events.ReasonUnknownEntity
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			e, _ := w.Lookup(c.Subject)
			cart := m.Cart.Get(e)
			cart.Lines = append(cart.Lines, components.CartLine{Listing: c.Object, Qty: c.Qty})
			w.Emit(*c)
		}})
	w.HandleCommand(events.AccountOpened, cmd{creates: true,
		check: func(w *ecs.World, c *events.Event) events.Reason {
			if e, ok := alive(w, c.Object); !ok || !w.Maps.Wallet.Has(e) {
				return events.ReasonUnknownEntity
			}
			if c.Amount < 0 {
				return events.ReasonBadCommand
			}
			return events.ReasonNone
		},
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Account.ID())
			*m.Account.Get(e) = components.Account{Holder: c.Object, Limit: c.Amount}
			w.Emit(*c)
		}})
	w.HandleCommand(events.PackageOpened, cmd{creates: true, check: objectAlive,
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Package.ID())
			m.Package.Get(e).Recipient = c.Object
			w.Emit(*c)
		}})
	w.HandleCommand(events.PackageDelivered, cmd{check: m.checkUnpack, apply: m.unpack})
	w.HandleCommand(events.CouponIssued, cmd{creates: true, check: m.checkIssueCoupon, apply: m.issueCoupon})
	registerTrades(w, m)
}

// AccountSource charges a customer Account: no money moves at purchase
// time; each due becomes a receivable of its till, billed to the
// account's holder by the SettlementSystem. Only the holder may charge it.
type AccountSource struct{ M *CommerceMaps }

// Accepts implements PaymentSource: entities with an Account.
func (a AccountSource) Accepts(w *ecs.World, e arche.Entity) bool { return a.M.Account.Has(e) }

// Check implements PaymentSource: NotYours, TillGone, then CreditLimit
// (what is owed in a currency, over all tills, may not exceed Limit).
func (a AccountSource) Check(w *ecs.World, p *Payment) events.Reason {
	acc := a.M.Account.Get(p.Entity)
	if acc.Holder != p.Buyer {
		return events.ReasonNotYours
	}
	for _, d := range p.Dues {
		if TillWallet(w, d.Till) == nil {
			return events.ReasonTillGone
		}
	}
	for _, d := range p.Dues {
		due, ok := p.DueIn(d.Currency)
		if ok {
			due, ok = components.AddInt64(acc.OwedIn(d.Currency), due)
		}
		if !ok || due > acc.Limit {
			return events.ReasonCreditLimit
		}
	}
	return events.ReasonNone
}

// Commit implements PaymentSource: one AccountCharged event per due.
func (a AccountSource) Commit(w *ecs.World, p *Payment) {
	acc := a.M.Account.Get(p.Entity)
	for _, d := range p.Dues {
		if d.Amount == 0 {
			continue
		}
		acc.Charge(d.Till, d.Currency, d.Amount)
		w.Emit(events.AccountChargedEvent{Account: p.Payer, Buyer: p.Buyer, Till: d.Till,
			Currency: d.Currency, Amount: d.Amount, Request: p.Request}.Event())
	}
}

// PackageTarget puts goods in a parcel (a Package entity) for its
// recipient; anyone may send goods to a parcel. PackageDelivered later
// moves them into the recipient's inventory.
type PackageTarget struct{ M *CommerceMaps }

// Accepts implements DeliveryTarget: entities with a Package.
func (t PackageTarget) Accepts(w *ecs.World, e arche.Entity) bool { return t.M.Package.Has(e) }

// Check implements DeliveryTarget: Overflow if a count would overflow.
func (t PackageTarget) Check(w *ecs.World, d *Delivery) events.Reason {
	pk := t.M.Package.Get(d.Entity)
	for _, g := range d.Goods {
		if _, ok := components.AddInt64(pk.Count(g.Item), g.Qty); !ok {
			return events.ReasonOverflow
		}
	}
	return events.ReasonNone
}

// Commit implements DeliveryTarget.
func (t PackageTarget) Commit(w *ecs.World, d *Delivery) {
	pk := t.M.Package.Get(d.Entity)
	w.Touch(d.Target) // the purchase's events name the buyer, not the parcel
	for _, g := range d.Goods {
		pk.Add(g.Item, g.Qty)
	}
}

func (m *CommerceMaps) checkUnpack(w *ecs.World, c *events.Event) events.Reason {
	e, ok := alive(w, c.Subject)
	if !ok || !m.Package.Has(e) {
		return events.ReasonUnknownEntity
	}
	pk := m.Package.Get(e)
	re, ok := alive(w, pk.Recipient)
	if !ok || !w.Maps.Inventory.Has(re) {
		return events.ReasonUnknownEntity
	}
	m.loads = m.loads[:0] // Goods is sorted by item, one stack each: what Fits takes
	for _, g := range pk.Goods {
		ie, _ := w.Lookup(g.Item)
		m.loads = append(m.loads, components.Load{Item: g.Item, Qty: g.Qty, MaxStack: w.Maps.Item.Get(ie).MaxStack})
	}
	if !w.Maps.Inventory.Get(re).Fits(m.loads) {
		return events.ReasonInventoryFull
	}
	return events.ReasonNone
}

func (m *CommerceMaps) unpack(w *ecs.World, c *events.Event) {
	e, _ := w.Lookup(c.Subject)
	pk := m.Package.Get(e)
	re, _ := w.Lookup(pk.Recipient)
	inv := w.Maps.Inventory.Get(re)
	for _, g := range pk.Goods {
		ie, _ := w.Lookup(g.Item)
		inv.Add(g.Item, g.Qty, w.Maps.Item.Get(ie).MaxStack)
	}
	pk.Goods = pk.Goods[:0]
	c.Object = pk.Recipient
	w.Emit(*c)
}

// holdings reports what commerce entities hold (ecs.AddHoldings): a
// coupon's value, a parcel's goods, a purchase record's escrowed goods and
// money. Closing such an entity burns exactly these, with events; a closed
// account's receivables are forgiven (they are not money).
func (m *CommerceMaps) holdings(w *ecs.World, e arche.Entity, buf []ecs.Holding) []ecs.Holding {
	if c := m.Coupon.Get(e); c != nil {
		buf = append(buf, ecs.Holding{Kind: ecs.Money, What: c.Currency, Amount: c.Value})
	}
	if pk := m.Package.Get(e); pk != nil {
		for _, g := range pk.Goods {
			buf = append(buf, ecs.Holding{Kind: ecs.Items, What: g.Item, Amount: g.Qty})
		}
	}
	if r := m.Record.Get(e); r != nil {
		buf = append(buf, ecs.Holding{Kind: ecs.Items, What: r.Item, Amount: r.Qty},
			ecs.Holding{Kind: ecs.Money, What: r.Currency, Amount: r.Paid})
	}
	return buf
}
