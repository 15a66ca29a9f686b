package baseline

import (
	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/components"
)

// Flat is the physical floor: the scenario's state in plain Go arrays (one
// balance per wallet, fixed-size inventory rows, one row per listing) and
// stable ids mapped to rows by two flat tables. Purchase does the writes
// of a completed purchase and nothing else — no validation beyond what
// keeps the arrays in bounds, no events, no dirty marks, no ECS — so its
// cost is what the memory accesses of a purchase cost on this machine.
type Flat struct {
	walletRow  []int32 // stable id → wallet row (players first, then tills), -1: none
	listingRow []int32 // stable id → listing row, -1: none
	players    int32   // wallet rows below it are players with an inventory
	capacity   int32
	balance    []int64            // per wallet row, the scenario's one currency
	slots      []components.Stack // capacity slots per player row
	filled     []int32            // used slots per player row
	listings   []flatListing
}

type flatListing struct {
	till     int32 // wallet row
	item     components.ID
	price    int64
	stock    int64
	maxStack int64
}

// NewFlat mirrors a built scenario's economy in flat arrays.
func NewFlat(sc *benchmarks.Scenario) *Flat {
	f := &Flat{
		walletRow:  make([]int32, sc.NextID),
		listingRow: make([]int32, sc.NextID),
		players:    int32(sc.Players),
		capacity:   int32(sc.Capacity),
		balance:    make([]int64, sc.Players+len(sc.ShopIDs)),
		slots:      make([]components.Stack, sc.Players*sc.Capacity),
		filled:     make([]int32, sc.Players),
		listings:   make([]flatListing, len(sc.Listings)),
	}
	for i := range f.walletRow {
		f.walletRow[i], f.listingRow[i] = -1, -1
	}
	for i := range sc.Players {
		f.walletRow[sc.Player(i)] = int32(i)
		f.balance[i] = sc.Funds
	}
	for i, shop := range sc.ShopIDs {
		f.walletRow[shop] = int32(sc.Players + i)
		if i == 0 && sc.RichTill {
			f.balance[sc.Players] = 1<<63 - 1
		}
	}
	for i, l := range sc.Listings {
		f.listingRow[l.ID] = int32(i)
		f.listings[i] = flatListing{till: f.walletRow[l.Till], item: l.Item, price: l.Price,
			stock: l.Stock, maxStack: sc.MaxStack}
	}
	return f
}

// Purchase applies intents in the order given (the benchmark gives it the
// PurchaseSystem's processing order) and returns how many it applied.
// Intents naming an id that is no player or no listing, or a quantity
// below one, are skipped; nothing else is checked.
func (f *Flat) Purchase(intents []components.PurchaseIntent) int {
	done := 0
	n := components.ID(len(f.walletRow))
	for _, it := range intents {
		if it.Buyer >= n || it.Listing >= n || it.Quantity <= 0 {
			continue
		}
		b, li := f.walletRow[it.Buyer], f.listingRow[it.Listing]
		if b < 0 || b >= f.players || li < 0 {
			continue
		}
		l := &f.listings[li]
		total := l.price * it.Quantity
		f.balance[b] -= total
		f.balance[l.till] += total
		l.stock -= it.Quantity
		f.add(b, l.item, it.Quantity, l.maxStack)
		done++
	}
	return done
}

// add is components.Inventory.Add on a fixed-size row: top up the item's
// stacks first, then open new slots while there is room.
func (f *Flat) add(row int32, item components.ID, qty, maxStack int64) {
	slots := f.slots[row*f.capacity : (row+1)*f.capacity]
	used := f.filled[row]
	for i := range slots[:used] {
		s := &slots[i]
		if s.Item == item && s.Qty < maxStack {
			n := min(maxStack-s.Qty, qty)
			s.Qty += n
			qty -= n
			if qty == 0 {
				return
			}
		}
	}
	for qty > 0 && used < f.capacity {
		n := min(maxStack, qty)
		slots[used] = components.Stack{Item: item, Qty: n}
		used++
		qty -= n
	}
	f.filled[row] = used
}

// Balance returns the gold of the wallet with stable id (0 if none).
func (f *Flat) Balance(id components.ID) int64 {
	if r := f.walletRow[id]; r >= 0 {
		return f.balance[r]
	}
	return 0
}

// Slots returns the filled inventory slots of the player with stable id.
func (f *Flat) Slots(id components.ID) []components.Stack {
	r := f.walletRow[id]
	return f.slots[r*f.capacity : r*f.capacity+f.filled[r]]
}

// Stock returns the stock of the listing with stable id.
func (f *Flat) Stock(id components.ID) int64 { return f.listings[f.listingRow[id]].stock }
