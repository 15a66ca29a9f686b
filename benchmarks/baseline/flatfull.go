package baseline

import (
	"cmp"
	"slices"

	"github.com/tickecon/tickecon/benchmarks"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// FlatFull is tickecon's purchase semantics on plain Go arrays: what the
// rules cost apart from the engine (no ECS, no ports, no checksum). Per
// tick it sorts the intents into the PurchaseSystem's processing order
// (by buyer, counting; then each buyer's run by the whole key), refuses a
// repeated (buyer, request id), validates every intent fully in
// tickecon's order — quantity, buyer, customer, listing, stock, price
// overflow, funds, till overflow, room, and an intent's preconditions
// (listing version, max total) — applies it, emits one events.Event per
// intent exactly as tickecon does, and marks the entities it changed dirty
// (a bit per stable id, the input of an incremental checksum).
//
// With commerce (NewFlatFullCommerce) it also keeps tickecon's
// idempotency window — a retried (buyer, request id) within the window's
// ticks gets a PurchaseDuplicate with the original outcome — as fixed
// rows (an open-addressing table of row indexes, a ring of per-tick
// buckets), and issues a receipt per completed purchase into a ring of
// receipt rows, with tickecon's receipt ids and ReceiptIssued events.
//
// It handles the shapes of the benchmark scenarios (one currency, Wallet
// and Inventory buyers); carts, coupons, sagas and other ports are out of
// its scope. Tests check that it emits tickecon's events, in order, on
// hostile and busy inputs, plain and commerce.
type FlatFull struct {
	kind      []idKind // per stable id below static: what it is
	row       []int32  // per stable id below static: its row in its kind's table
	static    components.ID
	nextID    components.ID // receipts take ids from static on
	capacity  int32
	balance   []int64            // per wallet row (players first, then shops)
	slots     []components.Stack // capacity slots per player row
	filled    []int32            // used slots per player row
	listings  []fullListing
	dirty     []uint64        // bit per stable id: changed this tick
	dirtyIDs  []components.ID // the ids marked, to clear them next tick
	sorted    []components.PurchaseIntent
	counts    []int32
	keys, tmp []sortKey // radix passes
	events    []events.Event
	commerce  bool
	win       fullWindow
	receipts  receiptRing
}

type idKind uint8

const (
	idUnknown idKind = iota // never allocated (id 0)
	idPlayer                // Wallet and Inventory: a customer
	idShop                  // Wallet only (a till)
	idListing
	idOther // alive, neither wallet nor listing: items, the currency
)

type fullListing struct {
	till     int32 // wallet row
	tillID   components.ID
	item     components.ID
	currency components.ID
	price    int64
	stock    int64
	maxStack int64
	version  uint64 // the listing's version (Revision+1): never repriced here
}

// NewFlatFull mirrors a built scenario's economy for plain purchases
// (systems.Install).
func NewFlatFull(sc *benchmarks.Scenario) *FlatFull {
	n := int(sc.NextID)
	f := &FlatFull{
		kind:     make([]idKind, n),
		row:      make([]int32, n),
		static:   sc.NextID,
		nextID:   sc.NextID,
		capacity: int32(sc.Capacity),
		balance:  make([]int64, sc.Players+len(sc.ShopIDs)),
		slots:    make([]components.Stack, sc.Players*sc.Capacity),
		filled:   make([]int32, sc.Players),
		listings: make([]fullListing, len(sc.Listings)),
		dirty:    make([]uint64, (n+63)/64),
	}
	for id := 1; id < n; id++ {
		f.kind[id] = idOther // the currency, item types
	}
	for i := range sc.Players {
		id := sc.Player(i)
		f.kind[id], f.row[id] = idPlayer, int32(i)
		f.balance[i] = sc.Funds
	}
	for i, shop := range sc.ShopIDs {
		f.kind[shop], f.row[shop] = idShop, int32(sc.Players+i)
		if i == 0 && sc.RichTill {
			f.balance[sc.Players+i] = 1<<63 - 1
		}
	}
	for i, l := range sc.Listings {
		f.kind[l.ID], f.row[l.ID] = idListing, int32(i)
		f.listings[i] = fullListing{till: f.row[l.Till], tillID: l.Till, item: l.Item, currency: sc.Gold,
			price: l.Price, stock: l.Stock, maxStack: sc.MaxStack, version: 1}
	}
	return f
}

// NewFlatFullCommerce is NewFlatFull for a world with systems.InstallCommerce:
// an idempotency window of window ticks and a receipt per purchase.
func NewFlatFullCommerce(sc *benchmarks.Scenario, window uint64) *FlatFull {
	f := NewFlatFull(sc)
	f.commerce = true
	f.win.init(window)
	f.receipts.first = sc.NextID
	return f
}

// lookup returns what id is: kind (idUnknown: never allocated), its row,
// and gone (it was, and is closed). Receipts are alive until closed and
// are nothing a purchase can use.
func (f *FlatFull) lookup(id components.ID) (k idKind, row int32, gone bool) {
	if id < f.static {
		return f.kind[id], f.row[id], false
	}
	if id < f.nextID {
		return idOther, 0, f.receipts.closed(id)
	}
	return idUnknown, 0, false
}

// markDirty records that id changed this tick.
func (f *FlatFull) markDirty(id components.ID) {
	w, bit := &f.dirty[id>>6], uint64(1)<<(id&63)
	if *w&bit == 0 {
		*w |= bit
		f.dirtyIDs = append(f.dirtyIDs, id)
	}
}

// Dirty reports whether id was changed by the last tick.
func (f *FlatFull) Dirty(id components.ID) bool {
	return id < f.static && f.dirty[id>>6]&(1<<(id&63)) != 0
}

// Tick processes one tick's intents (tick is the tick number tickecon
// stamps on events and window entries) and returns its events, valid until
// the next Tick. intents is not changed.
func (f *FlatFull) Tick(intents []components.PurchaseIntent, tick uint64) []events.Event {
	for _, id := range f.dirtyIDs {
		f.dirty[id>>6] = 0
	}
	f.dirtyIDs = f.dirtyIDs[:0]
	f.events = f.events[:0]
	if f.commerce {
		f.win.begin(tick)
	}
	sorted := f.sort(intents)
	for i := range sorted {
		it := &sorted[i]
		if f.commerce {
			if o, dup := f.win.lookup(it.Buyer, it.RequestID); dup {
				f.events = append(f.events, events.Event{Tick: tick, Kind: events.PurchaseDuplicate,
					Subject: it.Buyer, Request: it.RequestID, Of: o.kind, Reason: o.reason, Ref: o.receipt, At: o.tick})
				continue
			}
		} else if i > 0 && sorted[i-1].Buyer == it.Buyer && sorted[i-1].RequestID == it.RequestID {
			f.reject(it, tick, events.ReasonDuplicateRequest)
			continue
		}
		o := f.purchase(it, tick)
		if f.commerce {
			f.win.add(it.Buyer, it.RequestID, o)
		}
	}
	return f.events
}

// reject emits a PurchaseRejected event.
func (f *FlatFull) reject(it *components.PurchaseIntent, tick uint64, why events.Reason) outcomeRow {
	f.events = append(f.events, events.Event{Tick: tick, Kind: events.PurchaseRejected, Reason: why,
		Subject: it.Buyer, Object: it.Listing, Ref: it.Cart, Qty: it.Quantity, Request: it.RequestID})
	return outcomeRow{kind: events.PurchaseRejected, reason: why, tick: tick}
}

// purchase validates one intent and applies it whole or rejects it, in
// the order of tickecon's checks (systems.Validate and the slim path).
func (f *FlatFull) purchase(it *components.PurchaseIntent, tick uint64) outcomeRow {
	if it.Cart != 0 || it.Quantity <= 0 || it.MaxTotal < 0 {
		return f.reject(it, tick, events.ReasonBadQuantity)
	}
	bk, b, gone := f.lookup(it.Buyer)
	switch {
	case bk == idUnknown:
		return f.reject(it, tick, events.ReasonUnknownBuyer)
	case gone:
		return f.reject(it, tick, events.ReasonBuyerGone)
	case bk != idPlayer, it.PayVia != 0 && it.PayVia != it.Buyer, it.ShipTo != 0 && it.ShipTo != it.Buyer,
		it.Coupon != 0, it.Saga:
		return f.reject(it, tick, events.ReasonNotACustomer) // other ports: out of scope
	}
	lk, li, gone := f.lookup(it.Listing)
	switch {
	case lk == idUnknown:
		return f.reject(it, tick, events.ReasonUnknownListing)
	case gone:
		return f.reject(it, tick, events.ReasonListingGone)
	case lk != idListing:
		return f.reject(it, tick, events.ReasonUnknownListing)
	}
	l := &f.listings[li]
	qty := it.Quantity
	if l.stock < qty {
		return f.reject(it, tick, events.ReasonOutOfStock)
	}
	total, ok := components.MulInt64(l.price, qty)
	if !ok {
		return f.reject(it, tick, events.ReasonPriceOverflow)
	}
	if it.ListingVersion != 0 && it.ListingVersion != l.version || it.MaxTotal != 0 && total > it.MaxTotal {
		return f.reject(it, tick, events.ReasonPriceChanged)
	}
	if f.balance[b] < total {
		return f.reject(it, tick, events.ReasonInsufficientFunds)
	}
	if l.till != b {
		if _, ok := components.AddInt64(f.balance[l.till], total); !ok {
			return f.reject(it, tick, events.ReasonTillOverflow)
		}
	}
	if !f.add(b, l.item, qty, l.maxStack) {
		return f.reject(it, tick, events.ReasonInventoryFull)
	}
	f.balance[b] -= total
	f.balance[l.till] += total
	l.stock -= qty
	f.markDirty(it.Buyer)
	f.markDirty(it.Listing)
	f.markDirty(l.tillID)
	f.events = append(f.events, events.Event{Tick: tick, Kind: events.PurchaseCompleted, Subject: it.Buyer,
		Object: it.Listing, Till: l.tillID, Item: l.item, Currency: l.currency, Qty: qty, Amount: total,
		Request: it.RequestID})
	o := outcomeRow{kind: events.PurchaseCompleted, tick: tick}
	if f.commerce {
		o.receipt = f.issue(it, tick, total)
	}
	return o
}

// add puts qty units of item in player row's slots if they fit, as
// components.Inventory.Add places them (existing stacks topped up first,
// then new slots), and reports whether they did; otherwise it changes
// nothing.
func (f *FlatFull) add(row int32, item components.ID, qty, maxStack int64) bool {
	base := row * f.capacity
	used := f.filled[row]
	slots := f.slots[base : base+used]
	// Room: free slots first (the usual answer), then the item's stacks.
	need := qty
	if free := int64(f.capacity - used); free > 0 {
		need -= components.SatMul(free, maxStack)
	}
	if need > 0 {
		for _, s := range slots {
			if s.Item == item && s.Qty < maxStack {
				if need -= maxStack - s.Qty; need <= 0 {
					break
				}
			}
		}
		if need > 0 {
			return false
		}
	}
	for i := range slots {
		if s := &slots[i]; s.Item == item && s.Qty < maxStack {
			n := min(maxStack-s.Qty, qty)
			s.Qty += n
			if qty -= n; qty == 0 {
				return true
			}
		}
	}
	all := f.slots[base : base+f.capacity]
	for qty > 0 {
		n := min(maxStack, qty)
		all[used] = components.Stack{Item: item, Qty: n}
		used++
		qty -= n
	}
	f.filled[row] = used
	return true
}

// sort returns intents in tickecon's processing order, in a reused buffer:
// stably by buyer — counting when the buyers span a narrow id range, LSD
// radix otherwise — then each buyer's run by the whole key.
func (f *FlatFull) sort(intents []components.PurchaseIntent) []components.PurchaseIntent {
	n := len(intents)
	f.sorted = slices.Grow(f.sorted[:0], n)[:n]
	out := f.sorted
	if n == 0 {
		return out
	}
	lo, hi := intents[0].Buyer, intents[0].Buyer
	for i := range intents {
		lo, hi = min(lo, intents[i].Buyer), max(hi, intents[i].Buyer)
	}
	span := uint64(hi - lo)
	if span >= min(max(2*uint64(n), 1<<16), 1<<18) {
		f.radix(intents, out, lo, span)
	} else {
		f.count(intents, out, lo, span)
	}
	for a := 0; a < n; {
		b := a + 1
		for b < n && out[b].Buyer == out[a].Buyer {
			b++
		}
		if b-a > 1 {
			// Insertion sort: a run is a buyer's few intents of the tick.
			run := out[a:b]
			for i := 1; i < len(run); i++ {
				for j := i; j > 0 && compareFull(run[j-1], run[j]) > 0; j-- {
					run[j-1], run[j] = run[j], run[j-1]
				}
			}
		}
		a = b
	}
	return out
}

// sortKey is what the radix passes move: a buyer's offset and the
// position of its intent.
type sortKey struct {
	k  uint64
	at int
}

// radix puts intents in out in buyer order, stably: LSD passes of 8 bits
// over (buyer - lo) on (key, position) pairs, then one gather.
func (f *FlatFull) radix(intents, out []components.PurchaseIntent, lo components.ID, span uint64) {
	n := len(intents)
	f.keys = slices.Grow(f.keys[:0], n)[:n]
	f.tmp = slices.Grow(f.tmp[:0], n)[:n]
	src, dst := f.keys, f.tmp
	for i := range intents {
		src[i] = sortKey{uint64(intents[i].Buyer - lo), i}
	}
	for shift := uint(0); shift < 64 && span>>shift != 0; shift += 8 {
		var pos [256]int
		for i := range src {
			pos[(src[i].k>>shift)&0xff]++
		}
		sum := 0
		for b, c := range pos {
			pos[b], sum = sum, sum+c
		}
		for i := range src {
			b := (src[i].k >> shift) & 0xff
			dst[pos[b]] = src[i]
			pos[b]++
		}
		src, dst = dst, src
	}
	for i, k := range src {
		out[i] = intents[k.at]
	}
}

// count puts intents in out in buyer order, stably, by counting (buyers in
// a narrow id range).
func (f *FlatFull) count(intents, out []components.PurchaseIntent, lo components.ID, span uint64) {
	f.counts = slices.Grow(f.counts[:0], int(span)+2)[:span+2]
	counts := f.counts
	clear(counts)
	for i := range intents {
		counts[intents[i].Buyer-lo+1]++
	}
	for i := 1; i < len(counts); i++ {
		counts[i] += counts[i-1]
	}
	for i := range intents {
		k := intents[i].Buyer - lo
		out[counts[k]] = intents[i]
		counts[k]++
	}
}

// compareFull is tickecon's processing order of intents.
func compareFull(a, b components.PurchaseIntent) int {
	if c := cmp.Compare(a.Buyer, b.Buyer); c != 0 {
		return c
	}
	if c := cmp.Compare(a.RequestID, b.RequestID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Listing, b.Listing); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Quantity, b.Quantity); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Cart, b.Cart); c != 0 {
		return c
	}
	if c := cmp.Compare(a.PayVia, b.PayVia); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ShipTo, b.ShipTo); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Coupon, b.Coupon); c != 0 {
		return c
	}
	if a.Saga != b.Saga {
		if b.Saga {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(a.MaxTotal, b.MaxTotal); c != 0 {
		return c
	}
	return cmp.Compare(a.ListingVersion, b.ListingVersion)
}

// Balance returns the gold of the wallet with stable id (0 if none).
func (f *FlatFull) Balance(id components.ID) int64 {
	if k, r, _ := f.lookup(id); k == idPlayer || k == idShop {
		return f.balance[r]
	}
	return 0
}

// Slots returns the filled inventory slots of the player with stable id.
func (f *FlatFull) Slots(id components.ID) []components.Stack {
	r := f.row[id]
	return f.slots[r*f.capacity : r*f.capacity+f.filled[r]]
}

// Stock returns the stock of the listing with stable id.
func (f *FlatFull) Stock(id components.ID) int64 { return f.listings[f.row[id]].stock }

// outcomeRow is what became of a request: what a retry is answered with.
type outcomeRow struct {
	kind    events.Kind
	reason  events.Reason
	receipt components.ID
	tick    uint64
}

// windowRow is one remembered request, in the bucket of its tick.
type windowRow struct {
	buyer components.ID
	req   uint64
	out   outcomeRow
	h     uint64 // table hash
}

// windowSlot is one position of the open-addressing table: the key's hash
// (0: empty) and its row (bucket, index).
type windowSlot struct {
	hash   uint64
	bucket uint32
	at     uint32
}

// fullWindow remembers (buyer, request id) → outcome for size ticks: a
// ring of per-tick buckets of rows, reused tick after tick, and a linear
// probing table of slots pointing at them (backward-shift deletion, no
// tombstones); a tick leaving the window is purged at the start of a tick.
type fullWindow struct {
	size    uint64
	now     uint64
	buckets [][]windowRow
	table   []windowSlot
	live    int
}

func (win *fullWindow) init(size uint64) {
	*win = fullWindow{size: size, buckets: make([][]windowRow, size), table: make([]windowSlot, 1024)}
}

// windowSeed keys the table's hash; a server would draw it at random.
const windowSeed = 0x9e3779b97f4a7c15

func windowHash(buyer components.ID, req uint64) uint64 {
	h := uint64(buyer)*0xbf58476d1ce4e5b9 ^ req ^ windowSeed
	h ^= h >> 31
	h *= 0x94d049bb133111eb
	h ^= h >> 29
	return h | 1
}

// begin moves the window to tick now: the rows of tick now-size leave.
func (win *fullWindow) begin(now uint64) {
	win.now = now
	bi := uint32(now % win.size)
	b := win.buckets[bi]
	for at := range b {
		win.remove(bi, uint32(at), b[at].h)
	}
	win.buckets[bi] = b[:0]
}

func (win *fullWindow) lookup(buyer components.ID, req uint64) (outcomeRow, bool) {
	h := windowHash(buyer, req)
	mask := len(win.table) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := &win.table[i]
		if s.hash == 0 {
			return outcomeRow{}, false
		}
		if s.hash == h {
			if r := &win.buckets[s.bucket][s.at]; r.buyer == buyer && r.req == req {
				return r.out, true
			}
		}
	}
}

// add remembers a request processed at tick now (not remembered yet).
func (win *fullWindow) add(buyer components.ID, req uint64, o outcomeRow) {
	if 2*(win.live+1) > len(win.table) {
		win.grow()
	}
	h := windowHash(buyer, req)
	bi := uint32(win.now % win.size)
	win.buckets[bi] = append(win.buckets[bi], windowRow{buyer: buyer, req: req, out: o, h: h})
	mask := len(win.table) - 1
	i := int(h) & mask
	for win.table[i].hash != 0 {
		i = (i + 1) & mask
	}
	win.table[i] = windowSlot{hash: h, bucket: bi, at: uint32(len(win.buckets[bi]) - 1)}
	win.live++
}

func (win *fullWindow) grow() {
	win.table = make([]windowSlot, 2*len(win.table))
	mask := len(win.table) - 1
	for bi, b := range win.buckets {
		for at := range b {
			i := int(b[at].h) & mask
			for win.table[i].hash != 0 {
				i = (i + 1) & mask
			}
			win.table[i] = windowSlot{hash: b[at].h, bucket: uint32(bi), at: uint32(at)}
		}
	}
}

// remove deletes row at of bucket bi (hash h) from the table, shifting
// the later slots of its probe run back.
func (win *fullWindow) remove(bi, at uint32, h uint64) {
	mask := len(win.table) - 1
	i := int(h) & mask
	for s := &win.table[i]; s.bucket != bi || s.at != at || s.hash == 0; s = &win.table[i] {
		i = (i + 1) & mask
	}
	win.live--
	for j := (i + 1) & mask; win.table[j].hash != 0; j = (j + 1) & mask {
		home := int(win.table[j].hash) & mask
		if i <= j && i < home && home <= j || i > j && (i < home || home <= j) {
			continue
		}
		win.table[i] = win.table[j]
		i = j
	}
	win.table[i] = windowSlot{}
}

// receiptRow is one receipt: what tickecon's Receipt component holds.
type receiptRow struct {
	buyer   components.ID
	request uint64
	tick    uint64
	what    components.ID
	lines   int64
	amount  int64
	closed  bool
}

// receiptRing holds the receipts not yet closed, by id: row id-first-base
// of a power-of-two ring; the oldest closed ones leave from its front, and
// it doubles only when every row holds an open receipt.
type receiptRing struct {
	first components.ID // id of the first receipt ever issued
	base  components.ID // id of the ring's oldest row
	n     int           // rows in use, ids base..base+n-1
	rows  []receiptRow
}

// closed reports whether receipt id (issued) is closed.
func (r *receiptRing) closed(id components.ID) bool {
	if id < r.base {
		return true
	}
	return r.rows[int(id-r.first)&(len(r.rows)-1)].closed
}

// issue adds a completed purchase's receipt and emits ReceiptIssued,
// returning its id (the next stable id, as tickecon gives it).
func (f *FlatFull) issue(it *components.PurchaseIntent, tick uint64, total int64) components.ID {
	r := &f.receipts
	if r.n == len(r.rows) {
		r.grow()
	}
	id := f.nextID
	f.nextID++
	if r.n == 0 {
		r.base = id
	}
	r.rows[int(id-r.first)&(len(r.rows)-1)] = receiptRow{buyer: it.Buyer, request: it.RequestID, tick: tick,
		what: it.Listing, lines: 1, amount: total}
	r.n++
	f.events = append(f.events, events.Event{Tick: tick, Kind: events.ReceiptIssued, Subject: id,
		Object: it.Buyer, Ref: it.Listing, Amount: total, Size: 1, Request: it.RequestID})
	return id
}

func (r *receiptRing) grow() {
	rows := make([]receiptRow, max(1024, 2*len(r.rows)))
	for k := range r.n {
		id := r.base + components.ID(k)
		rows[int(id-r.first)&(len(rows)-1)] = r.rows[int(id-r.first)&(len(r.rows)-1)]
	}
	r.rows = rows
}

// Close closes receipt id (what a client's Close command does); it
// reports false if id is no open receipt.
func (f *FlatFull) Close(id components.ID) bool {
	r := &f.receipts
	if !f.commerce || id < r.base || id >= f.nextID || r.n == 0 {
		return false
	}
	row := &r.rows[int(id-r.first)&(len(r.rows)-1)]
	if row.closed {
		return false
	}
	row.closed = true
	for r.n > 0 && r.rows[int(r.base-r.first)&(len(r.rows)-1)].closed {
		r.base++
		r.n--
	}
	return true
}

// OpenReceipts returns how many receipts are issued and not closed.
func (f *FlatFull) OpenReceipts() int {
	open := 0
	for k := range f.receipts.n {
		if !f.receipts.closed(f.receipts.base + components.ID(k)) {
			open++
		}
	}
	return open
}

// Forget drops the window's requests of tick (commerce): what tickecon's
// window does when a tick's PurchaseSystem runs a second time (a benchmark
// that calls Update and then Step on one tick).
func (f *FlatFull) Forget(tick uint64) {
	if f.commerce {
		f.win.begin(tick)
	}
}
