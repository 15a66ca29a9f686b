package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Due is money a purchase owes one till in one currency. Amount is what
// the payment source pays; Coupon is the part a coupon already covers.
type Due struct {
	Till     components.ID
	Currency components.ID
	Amount   int64
	Coupon   int64
}

// Goods is a number of units of one item type a purchase delivers, with
// the item's max stack (the shape components.Inventory.Fits takes).
type Goods = components.Load

// Payment is what a PaymentSource checks and commits: who pays what.
// Dues has one entry per (Till, Currency), sorted by (Till, Currency).
// Slices are the PurchaseSystem's reused buffers: do not keep them.
type Payment struct {
	Buyer   components.ID
	Payer   components.ID // the paying entity (the buyer, an Account…)
	Entity  arche.Entity  // Payer's live entity
	Request uint64
	Dues    []Due
}

// DueIn returns what p pays in currency c over all its dues (they are per
// till), and whether the sum fits an int64: what a source checks funds or
// a credit limit against.
func (p *Payment) DueIn(c components.ID) (int64, bool) {
	var n int64
	for _, d := range p.Dues {
		if d.Currency == c {
			var ok bool
			if n, ok = components.AddInt64(n, d.Amount); !ok {
				return 0, false
			}
		}
	}
	return n, true
}

// Delivery is what a DeliveryTarget checks and commits: who receives what.
// Goods has one entry per item, sorted by item id.
type Delivery struct {
	Buyer  components.ID
	Target components.ID // the receiving entity (the buyer, a Package…)
	Entity arche.Entity
	Goods  []Goods
}

// PaymentSource is a port: where the money of a purchase comes from. The
// shop only knows prices; the source decides how a Due is settled (a
// wallet pays the till at once, an account records a receivable…).
//
// Check must write nothing and return events.ReasonNone only if Commit can
// then apply the whole payment — checking the sum of all credits it makes
// to one wallet, not each alone (Payment.DueIn sums a currency's dues); Commit must not fail and may Emit events
// describing its own changes. Both run in the tick, so they must be
// deterministic and should not allocate. Neither may make structural
// changes (create or remove entities or components): the plan holds
// component pointers until the purchase is applied. State a port keeps
// belongs in components, hashed with w.AddEntityHasher, and Commit calls
// w.Touch for every entity it changes (the checksum rehashes only touched
// entities; w.StaleEntities finds a forgotten Touch).
type PaymentSource interface {
	// Accepts reports whether the live entity e can pay through this source.
	Accepts(w *ecs.World, e arche.Entity) bool
	// Check validates p against the current state (including that p.Buyer
	// may use p.Payer).
	Check(w *ecs.World, p *Payment) events.Reason
	// Commit applies p.
	Commit(w *ecs.World, p *Payment)
}

// DeliveryTarget is a port: where the goods of a purchase go. Same
// contract as PaymentSource.
type DeliveryTarget interface {
	Accepts(w *ecs.World, e arche.Entity) bool
	Check(w *ecs.World, d *Delivery) events.Reason
	Commit(w *ecs.World, d *Delivery)
}

// RegisterPayment adds a payment source. When an intent is processed, the
// payer entity (PurchaseIntent.PayVia, or the buyer) is offered to the
// sources in registration order; the first that Accepts it pays. The
// defaults are registered by NewPurchaseSystem (Wallet) and InstallCommerce
// (Account, first). Register before the first Step: the order is part of
// what replays must reproduce.
func (s *PurchaseSystem) RegisterPayment(src PaymentSource) {
	s.sources = append(s.sources, src)
}

// RegisterDelivery adds a delivery target, resolved like RegisterPayment
// from PurchaseIntent.ShipTo (or the buyer).
func (s *PurchaseSystem) RegisterDelivery(t DeliveryTarget) {
	s.targets = append(s.targets, t)
}

func (s *PurchaseSystem) source(w *ecs.World, e arche.Entity) PaymentSource {
	for _, src := range s.sources {
		if src.Accepts(w, e) {
			return src
		}
	}
	return nil
}

func (s *PurchaseSystem) target(w *ecs.World, e arche.Entity) DeliveryTarget {
	for _, t := range s.targets {
		if t.Accepts(w, e) {
			return t
		}
	}
	return nil
}

// TillWallet returns the live wallet of a till, or nil.
func TillWallet(w *ecs.World, till components.ID) *components.Wallet {
	e, st := w.Lookup(till)
	if st != ecs.Alive {
		return nil
	}
	return w.Maps.Wallet.Get(e)
}

// WalletSource pays from the payer's own Wallet, at once: debit the payer,
// credit each till. Only the buyer may spend its wallet.
type WalletSource struct{}

// Accepts implements PaymentSource: entities with a Wallet.
func (WalletSource) Accepts(w *ecs.World, e arche.Entity) bool { return w.Maps.Wallet.Has(e) }

// Check implements PaymentSource: InsufficientFunds (per currency, over all
// dues), then TillGone and TillOverflow per due.
func (WalletSource) Check(w *ecs.World, p *Payment) events.Reason {
	if p.Payer != p.Buyer {
		return events.ReasonNotYours
	}
	wal := w.Maps.Wallet.Get(p.Entity)
	for _, d := range p.Dues {
		if need, ok := p.DueIn(d.Currency); !ok || wal.Balance(d.Currency) < need {
			return events.ReasonInsufficientFunds
		}
	}
	for _, d := range p.Dues {
		till := TillWallet(w, d.Till)
		if till == nil {
			return events.ReasonTillGone
		}
		// Buying from one's own till moves nothing net; only a real credit can overflow.
		if till != wal && !till.CanCredit(d.Currency, d.Amount) {
			return events.ReasonTillOverflow
		}
	}
	return events.ReasonNone
}

// Commit implements PaymentSource.
func (WalletSource) Commit(w *ecs.World, p *Payment) {
	wal := w.Maps.Wallet.Get(p.Entity)
	w.Touch(p.Payer)
	for _, d := range p.Dues {
		wal.Debit(d.Currency, d.Amount)
		TillWallet(w, d.Till).Credit(d.Currency, d.Amount)
		w.Touch(d.Till)
	}
}

// InventoryTarget puts goods in the target's own Inventory. Only the buyer
// may fill its inventory (no one fills another player's bag).
type InventoryTarget struct{}

// Accepts implements DeliveryTarget: entities with an Inventory.
func (InventoryTarget) Accepts(w *ecs.World, e arche.Entity) bool {
	return w.Maps.Inventory.Has(e)
}

// Check implements DeliveryTarget: InventoryFull unless every line fits at
// once (components.Inventory.Fits: stacks topped up first, then new slots,
// as Add does).
func (InventoryTarget) Check(w *ecs.World, d *Delivery) events.Reason {
	if d.Target != d.Buyer {
		return events.ReasonNotYours
	}
	if !w.Maps.Inventory.Get(d.Entity).Fits(d.Goods) {
		return events.ReasonInventoryFull
	}
	return events.ReasonNone
}

// Commit implements DeliveryTarget.
func (InventoryTarget) Commit(w *ecs.World, d *Delivery) {
	inv := w.Maps.Inventory.Get(d.Entity)
	w.Touch(d.Target)
	for _, g := range d.Goods {
		inv.Add(g.Item, g.Qty, g.MaxStack)
	}
}
