package components

// Receipt is the proof of one completed purchase (a listing bought or a
// cart checked out). It is created by the purchase, in the same frame, and
// is never changed; closing it (EntityClosed) only discards the proof.
type Receipt struct {
	Buyer   ID     // who bought
	Request uint64 // the intent's request id
	Tick    uint64 // tick of the purchase
	What    ID     // listing or cart bought
	Lines   int64  // purchase lines (1 for a single listing)
	Amount  int64  // total paid, in minor units, summed over lines
}

// CartLine is one line of a cart: Qty units of a listing.
type CartLine struct {
	Listing ID
	Qty     int64
}

// Cart is a multi-line purchase (a basket or a bundle) that is checked out
// whole or not at all, once only.
type Cart struct {
	Owner   ID         // the only buyer who may check it out
	Lines   []CartLine // in the order they were added
	Receipt ID         // receipt of the checkout; non-zero: checked out
}

// Charge is money owed by a customer account to one till.
type Charge struct {
	Till     ID
	Currency ID
	Amount   int64
}

// Account is a customer account billed later: purchases paid through it
// move no money at once but add a Charge (a receivable of the till). A
// settlement system bills the Holder's wallet for every charge in one
// batch at the end of the day. Owed is sorted by (Till, Currency).
type Account struct {
	Holder ID       // wallet entity billed at settlement; the only buyer who may charge it
	Limit  int64    // credit line: most that may be owed per currency
	Owed   []Charge // receivables, sorted by (Till, Currency)
}

// OwedIn returns the total owed in currency c over all tills.
func (a *Account) OwedIn(c ID) int64 {
	var n int64
	for _, ch := range a.Owed {
		if ch.Currency == c {
			n = SatAdd(n, ch.Amount)
		}
	}
	return n
}

// Charge adds amount owed to till in currency c, keeping Owed sorted. The
// caller checks the limit first.
func (a *Account) Charge(till, c ID, amount int64) {
	i := 0
	for i < len(a.Owed) && (a.Owed[i].Till < till || a.Owed[i].Till == till && a.Owed[i].Currency < c) {
		i++
	}
	if i < len(a.Owed) && a.Owed[i].Till == till && a.Owed[i].Currency == c {
		a.Owed[i].Amount += amount
		return
	}
	a.Owed = append(a.Owed, Charge{})
	copy(a.Owed[i+1:], a.Owed[i:])
	a.Owed[i] = Charge{Till: till, Currency: c, Amount: amount}
}

// Package is a parcel entity that receives goods for a recipient; the
// goods count towards their item's total until they are delivered.
// Goods is sorted by item id, one stack per item, no capacity limit.
type Package struct {
	Recipient ID
	Goods     []Stack
}

// Count returns the units of item in the parcel.
func (p *Package) Count(item ID) int64 {
	for _, s := range p.Goods {
		if s.Item == item {
			return s.Qty
		}
	}
	return 0
}

// Add puts qty units of item in (the caller checks overflow).
func (p *Package) Add(item ID, qty int64) {
	i := 0
	for i < len(p.Goods) && p.Goods[i].Item < item {
		i++
	}
	if i < len(p.Goods) && p.Goods[i].Item == item {
		p.Goods[i].Qty += qty
		return
	}
	p.Goods = append(p.Goods, Stack{})
	copy(p.Goods[i+1:], p.Goods[i:])
	p.Goods[i] = Stack{Item: item, Qty: qty}
}

// Coupon is a single-use voucher that holds money: issuing it debits the
// issuer's wallet, redeeming it pays tills and returns the unused rest to
// the issuer. Value counts towards its currency's total until redeemed.
type Coupon struct {
	Holder   ID // the only buyer who may redeem it; 0: anyone (bearer)
	Issuer   ID // wallet that funded it and gets the unused rest back
	Currency ID
	Value    int64 // money held; 0 once redeemed
	Used     bool  // redeemed: a coupon is used once only
}

// TradeSide is what one party of a trade gives.
type TradeSide struct {
	Items []Stack   // sorted by item, one stack per item
	Money []Balance // sorted by currency
}

// Trade is a player-to-player swap: both parties must accept the current
// offer; the swap is then applied whole or the trade is rejected whole.
type Trade struct {
	Parties  [2]ID
	Sides    [2]TradeSide
	Accepted [2]bool
	Closed   bool // completed or rejected: nothing more can happen
}

// SagaState is the phase of a purchase record.
type SagaState uint8

// Saga states.
const (
	SagaPending     SagaState = iota // waiting for payment and/or delivery
	SagaCompleted                    // paid and delivered
	SagaCompensated                  // refused, declined or timed out: undone
)

// PurchaseRecord is a purchase that pays and delivers over several ticks.
// Goods taken from stock and money received from the payment provider are
// held here (escrow) until both slots are filled (then they move to the
// buyer and the till) or the saga is compensated (goods back to stock,
// money refunded to the provider).
type PurchaseRecord struct {
	Buyer    ID
	Listing  ID
	Till     ID
	Item     ID
	Currency ID
	Qty      int64  // goods held
	Price    int64  // total due from the provider
	Paid     int64  // money held (minted on provider confirmation)
	Request  uint64 // the intent's request id
	Payment  uint64 // provider reference: 0 while pending
	Delivery uint64 // carrier reference: 0 while pending
	Deadline uint64 // last tick for both slots to be filled
	State    SagaState
	Target   ID // entity that receives the goods (the buyer, a Package…)
}
