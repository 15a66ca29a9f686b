// Package events defines the typed events of a tickecon session.
//
// Every state change a tick makes is described by exactly one Event appended
// to that tick's log in the same frame; nothing changes without an event.
// Events are flat values (no interfaces, no pointers) so that appending one
// never allocates and encoding one is a fixed-width copy.
package events

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
)

// Kind says what an Event records and which of its fields are used.
type Kind uint8

// Event kinds. The numeric values are part of the replay log format: append
// new kinds at the end, never renumber.
const (
	KindInvalid Kind = iota
	// CurrencyDefined: Subject = currency, Name, Qty = decimals.
	CurrencyDefined
	// ItemDefined: Subject = item type, Name, Qty = max stack.
	ItemDefined
	// ShopOpened: Subject = shop (which owns the till wallet), Name.
	ShopOpened
	// ListingPosted: Subject = listing, Object = shop, Item, Currency,
	// Amount = unit price, Qty = initial stock (minted into the listing).
	ListingPosted
	// WalletOpened: Subject = player, Name, Qty = inventory capacity.
	WalletOpened
	// Minted: money created. Subject = wallet, Currency, Amount.
	Minted
	// Burned: money destroyed. Subject = wallet, Currency, Amount.
	Burned
	// ItemsGranted: items created. Subject = inventory owner or listing
	// (restock), Item, Qty.
	ItemsGranted
	// ItemsBurned: items destroyed. Subject = inventory owner or listing, Item, Qty.
	ItemsBurned
	// EntityClosed: Subject removed from the world (after its holdings were
	// burned by the events just before it).
	EntityClosed
	// PurchaseCompleted: Subject = buyer, Object = listing, Item, Qty,
	// Currency, Amount = total paid, Till = receiving wallet, Request.
	PurchaseCompleted
	// PurchaseRejected: Subject = buyer, Object = listing, Qty, Request, Reason.
	// Nothing changed.
	PurchaseRejected
	// CommandRejected: an authoring/admin command was refused; Subject is
	// the command's target, Reason says why. Nothing changed.
	CommandRejected

	// Commerce kinds (systems.InstallCommerce). Subjects named "new" are
	// created by the command (a fresh id when zero).

	// PurchaseDuplicate: a retried intent whose (buyer, request id) was
	// processed within the idempotency window; nothing changed. Subject =
	// buyer, Request, Of = the original outcome kind (PurchaseCompleted,
	// PurchaseRejected or SagaStarted), Reason = the original reason, Object
	// = the original receipt or purchase record (0 if none), Qty = the tick
	// of the original outcome.
	PurchaseDuplicate
	// ReceiptIssued: Subject = the new receipt, Object = buyer, Request,
	// Item = listing or cart bought, Qty = lines, Amount = total paid.
	ReceiptIssued
	// CartOpened: Subject = new cart, Object = owner.
	CartOpened
	// CartLineAdded: Subject = cart, Object = listing, Qty > 0.
	CartLineAdded
	// CartCheckedOut: Subject = cart, Object = receipt, Request. The cart is
	// closed for further lines and checkouts.
	CartCheckedOut
	// AccountOpened: Subject = new customer account, Object = holder (a
	// wallet entity billed at settlement), Amount = credit limit per currency.
	AccountOpened
	// AccountCharged: a purchase billed later. Subject = account, Till =
	// wallet to be paid at settlement, Currency, Amount, Request.
	AccountCharged
	// AccountSettled: settlement moved Amount of Currency from the account
	// holder's wallet (Object) to Till; Qty = amount still owed after it;
	// Reason = why not all was paid (InsufficientFunds, TillGone…) or None.
	AccountSettled
	// PackageOpened: Subject = new parcel, Object = recipient.
	PackageOpened
	// PackageDelivered: Subject = parcel, Object = recipient; every unit it
	// held moved to the recipient's inventory and the parcel is emptied.
	PackageDelivered
	// CouponIssued: Subject = new coupon, Object = holder (0: bearer), Till =
	// issuer wallet (debited: the coupon holds the money), Currency, Amount.
	CouponIssued
	// CouponRedeemed: Subject = coupon, Object = buyer, Currency, Amount =
	// paid to tills, Qty = unused value returned to the issuer (Till),
	// Request.
	CouponRedeemed
	// TradeOpened: Subject = new trade, Object = party A, Till = party B.
	TradeOpened
	// TradeOffered: Subject = trade, Object = offering party, and either
	// Item + Qty or Currency + Amount added to its side. Acceptances reset.
	TradeOffered
	// TradeAccepted: Subject = trade, Object = accepting party.
	TradeAccepted
	// TradeCompleted: Subject = trade, Object = A, Till = B; both sides
	// moved atomically (one TradeMoved per line before it).
	TradeCompleted
	// TradeRejected: Subject = trade, Object = the party short, Reason. The
	// trade is closed and nothing moved.
	TradeRejected
	// TradeMoved: one line of a completed trade. Subject = trade, Object =
	// from, Till = to, Item + Qty or Currency + Amount.
	TradeMoved
	// SagaStarted: Subject = new purchase record, Object = listing, Till =
	// buyer, Item, Qty (taken from stock into the record), Currency, Amount =
	// total price, Request.
	SagaStarted
	// PaymentConfirmed: Subject = record, Request = provider reference,
	// Amount (minted into the record: money entering from outside).
	PaymentConfirmed
	// PaymentDeclined: Subject = record, Request = provider reference.
	PaymentDeclined
	// DeliveryAccepted: Subject = record, Request = carrier reference.
	DeliveryAccepted
	// DeliveryRefused: Subject = record, Request = carrier reference.
	DeliveryRefused
	// SagaCompleted: Subject = record; goods delivered to the delivery
	// target (Till: the buyer or its parcel), money paid to the shop's till
	// (Object), Item, Qty, Currency, Amount, Request. A ReceiptIssued follows.
	SagaCompleted
	// SagaCompensated: Subject = record; goods returned to stock (Object =
	// listing, Item, Qty) and any money refunded to the provider (Burned
	// from the record, Currency, Amount). Reason = why (Declined, Refused,
	// Timeout).
	SagaCompensated
	kindCount
)

var kindNames = [...]string{
	"Invalid", "CurrencyDefined", "ItemDefined", "ShopOpened", "ListingPosted",
	"WalletOpened", "Minted", "Burned", "ItemsGranted", "ItemsBurned",
	"EntityClosed", "PurchaseCompleted", "PurchaseRejected", "CommandRejected",
	"PurchaseDuplicate", "ReceiptIssued", "CartOpened", "CartLineAdded", "CartCheckedOut",
	"AccountOpened", "AccountCharged", "AccountSettled", "PackageOpened", "PackageDelivered",
	"CouponIssued", "CouponRedeemed", "TradeOpened", "TradeOffered", "TradeAccepted",
	"TradeCompleted", "TradeRejected", "TradeMoved", "SagaStarted", "PaymentConfirmed",
	"PaymentDeclined", "DeliveryAccepted", "DeliveryRefused", "SagaCompleted", "SagaCompensated",
}

// String returns the kind's name.
func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText writes the kind's name (JSON Lines logs are for humans).
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name, or "Kind(n)".
func (k *Kind) UnmarshalText(b []byte) error {
	for i := range kindCount {
		if kindNames[i] == string(b) {
			*k = i
			return nil
		}
	}
	var n uint8
	if _, err := fmt.Sscanf(string(b), "Kind(%d)", &n); err != nil {
		return fmt.Errorf("unknown event kind %q", b)
	}
	*k = Kind(n)
	return nil
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k > KindInvalid && k < kindCount }

// Reason says why an intent or command was rejected.
type Reason uint8

// Rejection reasons. Values are part of the log format: append only.
// Purchase validation checks them in the order listed, except that
// DuplicateRequest (the idempotency key) comes first (see
// systems.PurchaseSystem.Validate and the README); the first failing check
// names the reason.
const (
	ReasonNone Reason = iota
	// ReasonBadQuantity: quantity ≤ 0.
	ReasonBadQuantity
	// ReasonDuplicateRequest: (buyer, request id) was already processed.
	ReasonDuplicateRequest
	// ReasonUnknownBuyer: buyer id was never allocated.
	ReasonUnknownBuyer
	// ReasonBuyerGone: buyer existed but was closed.
	ReasonBuyerGone
	// ReasonNotACustomer: buyer has no Wallet or no Inventory.
	ReasonNotACustomer
	// ReasonUnknownListing: listing id was never allocated or is not a listing.
	ReasonUnknownListing
	// ReasonListingGone: listing existed but was closed.
	ReasonListingGone
	// ReasonOutOfStock: stock < quantity.
	ReasonOutOfStock
	// ReasonPriceOverflow: unit price × quantity overflows int64.
	ReasonPriceOverflow
	// ReasonInsufficientFunds: buyer's balance < total.
	ReasonInsufficientFunds
	// ReasonTillGone: the wallet receiving the money does not exist.
	ReasonTillGone
	// ReasonTillOverflow: crediting the till would overflow int64.
	ReasonTillOverflow
	// ReasonInventoryFull: not enough room in the buyer's inventory.
	ReasonInventoryFull
	// ReasonBadCommand: a command's fields are malformed (negative amount,
	// unknown kind, empty name…).
	ReasonBadCommand
	// ReasonUnknownEntity: a command names an id that is not there or has
	// the wrong components.
	ReasonUnknownEntity
	// ReasonIDInUse: a command tries to create an entity with an id that
	// already exists.
	ReasonIDInUse
	// ReasonInsufficientHoldings: a burn asks for more than is held.
	ReasonInsufficientHoldings
	// ReasonOverflow: a mint or grant would overflow a balance or stock.
	ReasonOverflow
	// ReasonNotYours: the buyer may not use that payer, cart or coupon.
	ReasonNotYours
	// ReasonUnknownCart: the intent's cart is not a live cart.
	ReasonUnknownCart
	// ReasonCartCheckedOut: the cart was already checked out (once only).
	ReasonCartCheckedOut
	// ReasonCartEmpty: the cart has no lines.
	ReasonCartEmpty
	// ReasonUnknownCoupon: the intent's coupon is not a live coupon.
	ReasonUnknownCoupon
	// ReasonCouponUsed: the coupon was already redeemed (single use).
	ReasonCouponUsed
	// ReasonCreditLimit: an account charge would exceed its credit limit.
	ReasonCreditLimit
	// ReasonNoDelivery: the delivery target cannot receive goods.
	ReasonNoDelivery
	// ReasonTradeClosed: the trade already completed or was rejected.
	ReasonTradeClosed
	// ReasonDeclined: the payment provider declined (saga compensation).
	ReasonDeclined
	// ReasonRefused: the delivery was refused (saga compensation).
	ReasonRefused
	// ReasonTimeout: a saga slot stayed pending past its deadline.
	ReasonTimeout
	// ReasonSagaClosed: an outcome arrived for a finished purchase record.
	ReasonSagaClosed
	// ReasonIDOutOfRange: a creating command names an id so far beyond the
	// next free one that reserving it would exceed the world's id slack
	// (ecs.ReserveSlack).
	ReasonIDOutOfRange
	reasonCount
)

var reasonNames = [...]string{
	"None", "BadQuantity", "DuplicateRequest", "UnknownBuyer", "BuyerGone",
	"NotACustomer", "UnknownListing", "ListingGone", "OutOfStock",
	"PriceOverflow", "InsufficientFunds", "TillGone", "TillOverflow",
	"InventoryFull", "BadCommand", "UnknownEntity", "IDInUse",
	"InsufficientHoldings", "Overflow", "NotYours", "UnknownCart", "CartCheckedOut",
	"CartEmpty", "UnknownCoupon", "CouponUsed", "CreditLimit", "NoDelivery", "TradeClosed",
	"Declined", "Refused", "Timeout", "SagaClosed", "IDOutOfRange",
}

// String returns the reason's name.
func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// MarshalText writes the reason's name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a reason's name, or "Reason(n)".
func (r *Reason) UnmarshalText(b []byte) error {
	for i := range reasonCount {
		if reasonNames[i] == string(b) {
			*r = i
			return nil
		}
	}
	var n uint8
	if _, err := fmt.Sscanf(string(b), "Reason(%d)", &n); err != nil {
		return fmt.Errorf("unknown rejection reason %q", b)
	}
	*r = Reason(n)
	return nil
}

// Valid reports whether r is a known reason (ReasonNone included).
func (r Reason) Valid() bool { return r < reasonCount }

// Reasons returns every rejection reason (ReasonNone excluded), in order.
func Reasons() []Reason {
	out := make([]Reason, 0, reasonCount-1)
	for r := ReasonBadQuantity; r < reasonCount; r++ {
		out = append(out, r)
	}
	return out
}

// Event is one state change (or one rejection) in one tick. Which fields
// are meaningful depends on Kind; unused fields are zero.
type Event struct {
	Tick     uint64        `json:"tick,omitempty"`
	Kind     Kind          `json:"kind"`
	Reason   Reason        `json:"reason,omitempty"`
	Subject  components.ID `json:"subject,omitempty"` // the entity the event is about
	Object   components.ID `json:"object,omitempty"`  // second party (listing, shop)
	Item     components.ID `json:"item,omitempty"`
	Currency components.ID `json:"currency,omitempty"`
	Till     components.ID `json:"till,omitempty"`
	Qty      int64         `json:"qty,omitempty"`
	Amount   int64         `json:"amount,omitempty"`
	Request  uint64        `json:"request,omitempty"`
	Of       Kind          `json:"of,omitempty"`   // CommandRejected only: the kind of the refused command
	Name     string        `json:"name,omitempty"` // authoring events only: display name
}

// String renders the event for logs and UIs.
func (e Event) String() string {
	switch e.Kind {
	case PurchaseCompleted:
		return fmt.Sprintf("t%d buyer %d bought %d× item %d from listing %d for %d (cur %d) req %d",
			e.Tick, e.Subject, e.Qty, e.Item, e.Object, e.Amount, e.Currency, e.Request)
	case PurchaseRejected:
		return fmt.Sprintf("t%d buyer %d rejected on listing %d ×%d req %d: %s",
			e.Tick, e.Subject, e.Object, e.Qty, e.Request, e.Reason)
	case CommandRejected:
		return fmt.Sprintf("t%d %s on %d rejected: %s", e.Tick, e.Of, e.Subject, e.Reason)
	case Minted, Burned:
		return fmt.Sprintf("t%d %s %d of currency %d in %d", e.Tick, e.Kind, e.Amount, e.Currency, e.Subject)
	case ItemsGranted, ItemsBurned:
		return fmt.Sprintf("t%d %s %d× item %d in %d", e.Tick, e.Kind, e.Qty, e.Item, e.Subject)
	}
	if e.Kind == PurchaseDuplicate {
		return fmt.Sprintf("t%d buyer %d retried req %d: already %s %s at t%d (receipt %d)",
			e.Tick, e.Subject, e.Request, e.Of, e.Reason, e.Qty, e.Object)
	}
	if e.Kind > PurchaseDuplicate && e.Kind < kindCount { // commerce kinds: the fields they use
		return fmt.Sprintf("t%d %s %d obj %d item %d ×%d cur %d amount %d till %d req %d %s",
			e.Tick, e.Kind, e.Subject, e.Object, e.Item, e.Qty, e.Currency, e.Amount, e.Till, e.Request, e.Reason)
	}
	return fmt.Sprintf("t%d %s %d %q", e.Tick, e.Kind, e.Subject, e.Name)
}
