package events

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
)

// Kind says what an Event records and which of its fields are used.
type Kind uint8

// Event kinds. The numeric values are part of the replay log format: append
// new kinds at the end, never renumber. Each kind's fields are those of its
// typed view (the type named kind + "Event", read with Event.As…); the
// table of all of them is docs/events.md.
const (
	KindInvalid       Kind = iota
	CurrencyDefined        // a currency exists (CurrencyDefinedEvent)
	ItemDefined            // an item type exists (ItemDefinedEvent)
	ShopOpened             // a shop and its till exist (ShopOpenedEvent)
	ListingPosted          // a listing exists, with its initial stock (ListingPostedEvent)
	WalletOpened           // a player with wallet and inventory exists (WalletOpenedEvent)
	Minted                 // money created (MintedEvent)
	Burned                 // money destroyed (BurnedEvent)
	ItemsGranted           // items created (ItemsGrantedEvent)
	ItemsBurned            // items destroyed (ItemsBurnedEvent)
	EntityClosed           // an entity removed (EntityClosedEvent)
	PurchaseCompleted      // one purchase line applied whole (PurchaseCompletedEvent)
	PurchaseRejected       // an intent refused, nothing changed (PurchaseRejectedEvent)
	CommandRejected        // a command refused, nothing changed (CommandRejectedEvent)

	// Commerce kinds (systems.InstallCommerce).

	PurchaseDuplicate // a retried intent: the original outcome (PurchaseDuplicateEvent)
	ReceiptIssued     // a receipt entity created (ReceiptIssuedEvent)
	CartOpened        // CartOpenedEvent
	CartLineAdded     // CartLineAddedEvent
	CartCheckedOut    // CartCheckedOutEvent
	AccountOpened     // AccountOpenedEvent
	AccountCharged    // a purchase billed later (AccountChargedEvent)
	AccountSettled    // a bill paid at settlement (AccountSettledEvent)
	PackageOpened     // PackageOpenedEvent
	PackageDelivered  // PackageDeliveredEvent
	CouponIssued      // CouponIssuedEvent
	CouponRedeemed    // CouponRedeemedEvent
	TradeOpened       // TradeOpenedEvent
	TradeOffered      // TradeOfferedEvent
	TradeAccepted     // TradeAcceptedEvent
	TradeCompleted    // TradeCompletedEvent
	TradeRejected     // TradeRejectedEvent
	TradeMoved        // one line of a completed trade (TradeMovedEvent)
	SagaStarted       // SagaStartedEvent
	PaymentConfirmed  // PaymentConfirmedEvent
	PaymentDeclined   // PaymentDeclinedEvent
	DeliveryAccepted  // DeliveryAcceptedEvent
	DeliveryRefused   // DeliveryRefusedEvent
	SagaCompleted     // SagaCompletedEvent
	SagaCompensated   // SagaCompensatedEvent
	ListingRepriced   // a listing's price changed, its version raised (ListingRepricedEvent)

	// Cross-shard kinds (package shard): one economy over several worlds.

	XHoldPlaced      // buyer's shard: funds held for a purchase on another shard (XHoldPlacedEvent)
	XSaleRequested   // seller's shard: the hold's request arrived (XSaleRequestedEvent)
	XSaleAccepted    // seller's shard: goods left stock, the till paid (XSaleAcceptedEvent)
	XSaleRefused     // seller's shard: nothing sold, with the reason (XSaleRefusedEvent)
	XSaleRepeated    // seller's shard: a repeated message answered with the first answer (XSaleRepeatedEvent)
	XCancelSent      // buyer's shard: a hold passed its deadline, cancel asked (XCancelSentEvent)
	XCancelRequested // seller's shard: the cancel arrived (XCancelRequestedEvent)
	XHoldPosted      // buyer's shard: the sale's answer arrived, the hold paid out (XHoldPostedEvent)
	XHoldVoided      // buyer's shard: the refusal arrived, the money back (XHoldVoidedEvent)
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
	"ListingRepriced",
	"XHoldPlaced", "XSaleRequested", "XSaleAccepted", "XSaleRefused", "XSaleRepeated",
	"XCancelSent", "XCancelRequested", "XHoldPosted", "XHoldVoided",
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
// systems.PurchaseSystem.Validate and docs/tick-rules.md); the first failing check
// names the reason.
const (
	ReasonNone Reason = iota
	// ReasonBadQuantity: quantity ≤ 0, or intent fields that do not go
	// together (a cart with a quantity, listing or listing version; a
	// negative MaxTotal).
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
	// ReasonOverflow: a mint or grant would overflow a balance or stock; a
	// purchase's units of one item (cart lines from several listings) or a
	// parcel's count would overflow int64.
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
	// ReasonPriceChanged: a precondition of the intent no longer holds —
	// the listing's version is not its ListingVersion (its terms changed
	// since the buyer saw them), or the lines cost more than its MaxTotal.
	ReasonPriceChanged
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
	"PriceChanged",
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

// Ticket numbers a command (World.Command assigns it): every event the
// command causes, or its CommandRejected, carries it, so a caller can match
// outcomes to commands. Events no command caused carry 0.
type Ticket uint64

// Event is one state change (or one rejection) in one tick. It is flat so
// that it is the wire and log format as it is; read it through its kind's
// typed view (AsPurchaseCompleted…) and build commands with the
// constructors (Mint, PostListing…). Every field has one meaning in every
// kind; a kind uses some of them and leaves the others zero (the table is
// docs/events.md, generated from the views):
type Event struct {
	Tick   uint64 `json:"tick,omitempty"`   // the tick it happened in (0 in a queued command)
	Kind   Kind   `json:"kind"`             // what happened
	Reason Reason `json:"reason,omitempty"` // why something was refused, cut short or undone
	Of     Kind   `json:"of,omitempty"`     // the kind this event answers: the refused command, the original outcome

	// Entities. Emit marks all four as changed for the checksum, so every
	// entity an event changes is named in one of them.
	Subject components.ID `json:"subject,omitempty"` // the entity the event is about: created, changed or closed (a purchase's buyer)
	Object  components.ID `json:"object,omitempty"`  // the counterparty or target: listing, owner, holder, recipient, paying party
	Till    components.ID `json:"till,omitempty"`    // the wallet that receives the money (or will: a listing's, an account charge's)
	Ref     components.ID `json:"ref,omitempty"`     // a third entity it names: a trade's other party, what a receipt is for, an original receipt

	Item     components.ID `json:"item,omitempty"`     // the item type
	Currency components.ID `json:"currency,omitempty"` // the currency
	Qty      int64         `json:"qty,omitempty"`      // a number of units of Item; never money, never a tick
	Amount   int64         `json:"amount,omitempty"`   // money, in minor units of Currency
	Rest     int64         `json:"rest,omitempty"`     // money left over: still owed, returned unused
	Size     int64         `json:"size,omitempty"`     // a count that is neither items nor money: decimals, slots, lines
	Request  uint64        `json:"request,omitempty"`  // the intent's request id, or an external provider's reference
	At       uint64        `json:"at,omitempty"`       // a tick it refers to: an original outcome's, a deadline
	Ticket   Ticket        `json:"ticket,omitempty"`   // the command that caused it (0: none)
	Name     string        `json:"name,omitempty"`     // display name of a defined or opened entity
}

// Rejected returns the command a CommandRejected event refused, as it was
// given (ok is false for any other kind).
func (e Event) Rejected() (Event, bool) {
	if e.Kind != CommandRejected {
		return Event{}, false
	}
	c := e
	c.Kind, c.Of, c.Reason, c.Tick = e.Of, KindInvalid, ReasonNone, 0
	return c, true
}

// String renders the event for logs and UIs: its tick, kind and the
// non-zero fields of its typed view, by the view's names
// ("t3 PurchaseCompleted Buyer=7 Listing=5 … Total=60 Request=1").
func (e Event) String() string { return e.Named(nil) }

// Named is String with the display name of each currency and item the
// event refers to (its Currency and Item fields) after the id, where name
// knows one: "Currency=1(\"Gold\")". The id stays, so that the text still
// matches String's; name returns "" for an id it does not know, and a nil
// name is String. Names come from the content (the CurrencyDefined and
// ItemDefined events of tick 0), which events do not carry after it.
func (e Event) Named(name func(components.ID) string) string {
	b := []byte(fmt.Sprintf("t%d %s", e.Tick, e.Kind))
	if !e.Kind.Valid() {
		return string(b)
	}
	for _, f := range layouts[e.Kind] {
		if v := e.field(f.event); v != "" {
			b = fmt.Appendf(b, " %s=%s", f.view, v)
			if name == nil || f.event != "Currency" && f.event != "Item" {
				continue
			}
			id := e.Currency
			if f.event == "Item" {
				id = e.Item
			}
			if n := name(id); n != "" {
				b = fmt.Appendf(b, "(%q)", n) // quoted, as Name is: a name is any text
			}
		}
	}
	return string(b)
}

// field renders one Event field by name, "" when it is zero.
func (e Event) field(name string) string {
	var v any
	switch name {
	case "Reason":
		v = e.Reason
	case "Of":
		v = e.Of
	case "Subject":
		v = e.Subject
	case "Object":
		v = e.Object
	case "Till":
		v = e.Till
	case "Ref":
		v = e.Ref
	case "Item":
		v = e.Item
	case "Currency":
		v = e.Currency
	case "Qty":
		v = e.Qty
	case "Amount":
		v = e.Amount
	case "Rest":
		v = e.Rest
	case "Size":
		v = e.Size
	case "Request":
		v = e.Request
	case "At":
		v = e.At
	case "Name":
		if e.Name != "" {
			return fmt.Sprintf("%q", e.Name)
		}
		return ""
	}
	if s := fmt.Sprint(v); s != "0" && s != "None" && s != "Invalid" {
		return s
	}
	return ""
}

// Conforms reports whether e sets only the fields of its kind's table
// (Kind.Fields; Tick, Kind and Ticket aside). A CommandRejected conforms if
// the command it carries does. The world rejects a command that does not
// conform (ReasonBadCommand): a field its kind does not use has no meaning.
func (e Event) Conforms() bool {
	if e.Kind != CommandRejected { // every applied command: no copies
		return e.conforms()
	}
	c, _ := e.Rejected()
	return c.conforms()
}

// Creates reports whether an event of kind k creates the entity named by
// its Subject (a command of such a kind gets a fresh id when Subject is 0).
func (k Kind) Creates() bool {
	switch k {
	case CurrencyDefined, ItemDefined, ShopOpened, ListingPosted, WalletOpened,
		ReceiptIssued, CartOpened, AccountOpened, PackageOpened, CouponIssued,
		TradeOpened, SagaStarted, XHoldPlaced:
		return true
	}
	return false
}

// fieldUse names one field of a typed view and the Event field holding it.
type fieldUse struct{ view, event string }

// Field is one entry of a kind's field table: the typed view's field and
// the Event field that holds it.
type Field struct{ View, Event string }

// Fields returns the field table of kind k (nil for an unknown kind): the
// Event fields its events use, named as in its typed view. Every other
// field except Tick, Kind and Ticket is zero in an event of that kind;
// CommandRejected also carries the refused command's fields.
func (k Kind) Fields() []Field {
	if !k.Valid() {
		return nil
	}
	out := make([]Field, len(layouts[k]))
	for i, f := range layouts[k] {
		out[i] = Field{View: f.view, Event: f.event}
	}
	return out
}
