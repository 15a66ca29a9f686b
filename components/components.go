package components

// ID is a stable entity id. It is allocated once by the world, never reused,
// and is identical on every peer that replays the same inputs. Zero means
// "no entity".
type ID uint64

// Stable is the component that carries an entity's stable [ID].
type Stable struct {
	ID ID
}

// Name is the label a UI shows, e.g. "Health Potion". It is presentation
// only and not part of the state checksum.
type Name struct {
	Text string
}

// CurrencyDef marks a currency entity.
type CurrencyDef struct {
	// Decimals is how many minor-unit digits a UI shows (2: 1234 → "12.34").
	// Amounts are always integer minor units; Decimals is presentation only.
	Decimals uint8
}

// ItemDef marks an item type entity.
type ItemDef struct {
	// MaxStack is how many units fit in one inventory slot (≥ 1).
	MaxStack int64
}

// Shop marks a shop entity. A shop also carries a [Wallet]: its till, which
// receives the money of every sale.
type Shop struct{}

// ShopListing is one item offered by a shop at a fixed unit price.
// Stock is real items held by the shop: they count towards the item's total.
type ShopListing struct {
	Shop     ID    // the shop entity that posted the listing
	Item     ID    // item type sold
	Currency ID    // currency the price is in
	Price    int64 // unit price in minor units, ≥ 0
	Stock    int64 // units left, ≥ 0
	Till     ID    // wallet entity that receives the money (usually Shop)
	// Revision counts the changes of the listing's terms (its price:
	// ListingRepriced); 0 as posted. Stock changes leave it. Its public
	// form is the version Revision+1 (ecs.World.Listing), which a
	// PurchaseIntent may expect.
	Revision uint64 `json:",omitempty"`
}

// PurchaseIntent is a buyer's request to buy Quantity units of a listing.
// Intents are inputs: they are consumed by the tick that processes them, and
// every intent ends in exactly one completed or rejected event.
//
// The fields after RequestID are optional compositions (zero: the plain
// Wallet + Inventory purchase of the buyer itself); see systems.PaymentSource.
type PurchaseIntent struct {
	Buyer     ID     // entity with a Wallet and an Inventory
	Listing   ID     // entity with a ShopListing
	Quantity  int64  // units to buy; must be > 0
	RequestID uint64 // client-chosen id; (Buyer, RequestID) must be unique

	Cart   ID   // a Cart to check out instead of Listing×Quantity (both zero then)
	PayVia ID   // entity that pays (an Account of the buyer…); 0: the buyer
	ShipTo ID   // entity that receives the goods (a Package…); 0: the buyer
	Coupon ID   // a Coupon redeemed first, as full or partial payment
	Saga   bool // pay and deliver over later ticks through a purchase record

	// Preconditions, checked with the listing's current terms (seed 003's
	// optimistic check, HTTP's If-Match): when one no longer holds the
	// intent is rejected with ReasonPriceChanged and nothing changes.
	// Zero means "no expectation".
	MaxTotal       int64  `json:",omitempty"` // the most the lines may cost together (before coupons), minor units
	ListingVersion uint64 `json:",omitempty"` // the listing's version the buyer was shown (ecs.ListingInfo.Version); not with a Cart
}
