// Package baseline holds the designs tickecon is measured against, fed the
// same scenarios and intents (package benchmarks):
//
//   - the floor (Floor): the raw arche component reads and writes one
//     purchase needs, with no validation, ordering or events — the cost no
//     design on this ECS can beat;
//   - the plain-Go floor (Flat): the same writes on flat Go arrays, no ECS
//     at all — the distance to the machine's limit;
//   - the plain-Go design with tickecon's semantics (FlatFull): sort,
//     duplicates, full validation, one event per intent, dirty marks, and
//     for commerce a receipt and an idempotency entry per purchase, on flat
//     Go arrays — what the rules cost apart from the engine;
//   - the naive design (Naive): what a reader of the DDD seed documents
//     writes first — aggregates as Go structs in maps, one repository per
//     aggregate, and a unit of work that logs the old value of what it
//     changes and rolls back on rejection — with the same purchase rules as
//     tickecon.
//
// None is part of the library; they exist so that the benchmark ratios
// compare like with like (tests check that Naive and FlatFull reach the
// same outcome as tickecon on the same inputs, event for event, and that
// Floor and Flat write what tickecon writes).
package baseline

import (
	"errors"
	"sort"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// ErrNotFound is returned by a repository that has no aggregate for an id.
var ErrNotFound = errors.New("baseline: aggregate not found")

// Wallet is the wallet aggregate: balances per currency.
type Wallet struct {
	ID       components.ID
	Balances map[components.ID]int64
}

// Inventory is the inventory aggregate of one player. It reuses the
// component's slot rules so that both designs fill slots identically.
type Inventory struct {
	Owner components.ID
	Bag   components.Inventory
}

// Listing is one listing inside the Shop aggregate. Its sales are paid
// into the wallet Till (usually the shop's own, but not always).
type Listing struct {
	ID       components.ID
	Item     components.ID
	Currency components.ID
	Till     components.ID
	Price    int64
	Stock    int64
}

// Shop is the shop aggregate: its listings. The shop's own till is the
// wallet with the shop's id.
type Shop struct {
	ID       components.ID
	Listings map[components.ID]*Listing
}

// WalletRepository stores wallets by id.
type WalletRepository struct{ byID map[components.ID]*Wallet }

// Get returns the wallet with id, or ErrNotFound.
func (r *WalletRepository) Get(id components.ID) (*Wallet, error) {
	if w, ok := r.byID[id]; ok {
		return w, nil
	}
	return nil, ErrNotFound
}

// Save stores w under its id.
func (r *WalletRepository) Save(w *Wallet) { r.byID[w.ID] = w }

// InventoryRepository stores inventories by owner id.
type InventoryRepository struct{ byOwner map[components.ID]*Inventory }

// Get returns the inventory of owner, or ErrNotFound.
func (r *InventoryRepository) Get(owner components.ID) (*Inventory, error) {
	if inv, ok := r.byOwner[owner]; ok {
		return inv, nil
	}
	return nil, ErrNotFound
}

// Save stores inv under its owner.
func (r *InventoryRepository) Save(inv *Inventory) { r.byOwner[inv.Owner] = inv }

// ShopRepository stores shops by id and finds the shop of a listing.
type ShopRepository struct {
	byID      map[components.ID]*Shop
	byListing map[components.ID]components.ID
}

// Get returns the shop with id, or ErrNotFound.
func (r *ShopRepository) Get(id components.ID) (*Shop, error) {
	if s, ok := r.byID[id]; ok {
		return s, nil
	}
	return nil, ErrNotFound
}

// ShopOfListing returns the shop that owns listing, or ErrNotFound.
func (r *ShopRepository) ShopOfListing(listing components.ID) (*Shop, error) {
	id, ok := r.byListing[listing]
	if !ok {
		return nil, ErrNotFound
	}
	return r.Get(id)
}

// Save stores s under its id and indexes its listings.
func (r *ShopRepository) Save(s *Shop) {
	r.byID[s.ID] = s
	for id := range s.Listings { // index only: order does not matter
		r.byListing[id] = s.ID
	}
}

// UnitOfWork tracks what one purchase changes. Before a field is written
// its old value is logged; Rollback writes the logged values back (newest
// first), Commit drops them and publishes the purchase's events. It copies
// only what it changes — a balance, a listing's stock, the buyer's slots —
// never a whole aggregate.
type UnitOfWork struct {
	store    *Naive
	balances []balanceUndo
	stocks   []stockUndo
	bags     []bagUndo
	pending  []events.Event
}

type balanceUndo struct {
	w        *Wallet
	currency components.ID
	amount   int64
	had      bool
}

type stockUndo struct {
	l     *Listing
	stock int64
}

type bagUndo struct {
	inv   *Inventory
	slots []components.Stack
}

// setBalance writes a balance, logging its old value.
func (u *UnitOfWork) setBalance(w *Wallet, c components.ID, amount int64) {
	old, had := w.Balances[c]
	u.balances = append(u.balances, balanceUndo{w, c, old, had})
	w.Balances[c] = amount
}

// setStock writes a listing's stock, logging its old value.
func (u *UnitOfWork) setStock(l *Listing, stock int64) {
	u.stocks = append(u.stocks, stockUndo{l, l.Stock})
	l.Stock = stock
}

// addItems puts items in a bag, logging its old slots.
func (u *UnitOfWork) addItems(inv *Inventory, item components.ID, qty, maxStack int64) {
	u.bags = append(u.bags, bagUndo{inv, append([]components.Stack(nil), inv.Bag.Slots...)})
	inv.Bag.Add(item, qty, maxStack)
}

// Record queues an event to publish on Commit.
func (u *UnitOfWork) Record(ev events.Event) { u.pending = append(u.pending, ev) }

// Commit keeps the changes and publishes the recorded events.
func (u *UnitOfWork) Commit() {
	u.store.Outbox = append(u.store.Outbox, u.pending...)
}

// Rollback writes every logged old value back, newest first.
func (u *UnitOfWork) Rollback() {
	for i := len(u.bags) - 1; i >= 0; i-- {
		b := u.bags[i]
		b.inv.Bag.Slots = append(b.inv.Bag.Slots[:0], b.slots...)
	}
	for i := len(u.stocks) - 1; i >= 0; i-- {
		u.stocks[i].l.Stock = u.stocks[i].stock
	}
	for i := len(u.balances) - 1; i >= 0; i-- {
		b := u.balances[i]
		if b.had {
			b.w.Balances[b.currency] = b.amount
		} else {
			delete(b.w.Balances, b.currency)
		}
	}
}

// Naive is the naive design's whole state: three repositories, the item
// definitions, the id registry and the outbox of the current tick.
type Naive struct {
	Wallets     *WalletRepository
	Inventories *InventoryRepository
	Shops       *ShopRepository
	MaxStack    map[components.ID]int64 // item type → max stack
	NextID      components.ID           // ids below it were allocated
	Outbox      []events.Event
}

// NewNaive builds the naive design's state for a built scenario.
func NewNaive(sc *benchmarks.Scenario) *Naive {
	n := &Naive{
		Wallets:     &WalletRepository{byID: map[components.ID]*Wallet{}},
		Inventories: &InventoryRepository{byOwner: map[components.ID]*Inventory{}},
		Shops:       &ShopRepository{byID: map[components.ID]*Shop{}, byListing: map[components.ID]components.ID{}},
		MaxStack:    map[components.ID]int64{},
		NextID:      sc.NextID,
	}
	for _, it := range sc.Items {
		n.MaxStack[it] = sc.MaxStack
	}
	for i, id := range sc.ShopIDs {
		w := &Wallet{ID: id, Balances: map[components.ID]int64{}}
		if i == 0 && sc.RichTill {
			w.Balances[sc.Gold] = 1<<63 - 1
		}
		n.Wallets.Save(w)
		s := &Shop{ID: id, Listings: map[components.ID]*Listing{}}
		for _, l := range sc.Listings {
			if l.Shop == id {
				s.Listings[l.ID] = &Listing{ID: l.ID, Item: l.Item, Currency: sc.Gold, Till: l.Till,
					Price: l.Price, Stock: l.Stock}
			}
		}
		n.Shops.Save(s)
	}
	for i := range sc.Players {
		id := sc.Player(i)
		n.Wallets.Save(&Wallet{ID: id, Balances: map[components.ID]int64{sc.Gold: sc.Funds}})
		n.Inventories.Save(&Inventory{Owner: id, Bag: components.Inventory{Capacity: sc.Capacity}})
	}
	return n
}

type requestKey struct {
	buyer components.ID
	req   uint64
}

// Tick processes one tick's intents with tickecon's rules — ascending
// (Buyer, RequestID, Listing, Quantity), one unit of work per intent — and
// returns the tick's events (valid until the next Tick).
func (n *Naive) Tick(intents []components.PurchaseIntent) []events.Event {
	n.Outbox = n.Outbox[:0]
	sorted := append([]components.PurchaseIntent(nil), intents...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Buyer != b.Buyer {
			return a.Buyer < b.Buyer
		}
		if a.RequestID != b.RequestID {
			return a.RequestID < b.RequestID
		}
		if a.Listing != b.Listing {
			return a.Listing < b.Listing
		}
		return a.Quantity < b.Quantity
	})
	seen := map[requestKey]bool{}
	for _, it := range sorted {
		k := requestKey{it.Buyer, it.RequestID}
		if seen[k] {
			n.reject(it, events.ReasonDuplicateRequest)
			continue
		}
		seen[k] = true
		n.purchase(it)
	}
	return n.Outbox
}

func (n *Naive) reject(it components.PurchaseIntent, why events.Reason) {
	n.Outbox = append(n.Outbox, events.Event{Kind: events.PurchaseRejected, Reason: why,
		Subject: it.Buyer, Object: it.Listing, Qty: it.Quantity, Request: it.RequestID})
}

// known reports whether id was ever allocated (the naive design's entity
// registry; the benchmark scenarios close nothing, so known means alive).
func (n *Naive) known(id components.ID) bool { return id != 0 && id < n.NextID }

// purchase runs one intent in its own unit of work: load the aggregates,
// mutate them as the rules are checked, and roll back at the first failed
// rule.
func (n *Naive) purchase(it components.PurchaseIntent) {
	if it.Quantity <= 0 {
		n.reject(it, events.ReasonBadQuantity)
		return
	}
	if !n.known(it.Buyer) {
		n.reject(it, events.ReasonUnknownBuyer)
		return
	}
	u := &UnitOfWork{store: n}
	fail := func(why events.Reason) {
		u.Rollback()
		n.reject(it, why)
	}
	buyer, err := n.Wallets.Get(it.Buyer)
	if err != nil {
		fail(events.ReasonNotACustomer)
		return
	}
	bag, err := n.Inventories.Get(it.Buyer)
	if err != nil {
		fail(events.ReasonNotACustomer)
		return
	}
	if !n.known(it.Listing) {
		fail(events.ReasonUnknownListing)
		return
	}
	shop, err := n.Shops.ShopOfListing(it.Listing)
	if err != nil {
		fail(events.ReasonUnknownListing)
		return
	}
	l := shop.Listings[it.Listing]
	if l.Stock < it.Quantity {
		fail(events.ReasonOutOfStock)
		return
	}
	u.setStock(l, l.Stock-it.Quantity)
	total, ok := components.MulInt64(l.Price, it.Quantity)
	if !ok {
		fail(events.ReasonPriceOverflow)
		return
	}
	if buyer.Balances[l.Currency] < total {
		fail(events.ReasonInsufficientFunds)
		return
	}
	u.setBalance(buyer, l.Currency, buyer.Balances[l.Currency]-total)
	till, err := n.Wallets.Get(l.Till)
	if err != nil {
		fail(events.ReasonTillGone)
		return
	}
	sum, ok := components.AddInt64(till.Balances[l.Currency], total)
	if !ok && till != buyer {
		fail(events.ReasonTillOverflow)
		return
	}
	u.setBalance(till, l.Currency, sum)
	maxStack := n.MaxStack[l.Item]
	if bag.Bag.Room(l.Item, maxStack) < it.Quantity {
		fail(events.ReasonInventoryFull)
		return
	}
	u.addItems(bag, l.Item, it.Quantity, maxStack)
	u.Record(events.Event{Kind: events.PurchaseCompleted, Subject: it.Buyer, Object: it.Listing,
		Item: l.Item, Currency: l.Currency, Till: l.Till, Qty: it.Quantity, Amount: total,
		Request: it.RequestID})
	u.Commit()
}
