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
	kindCount
)

var kindNames = [...]string{
	"Invalid", "CurrencyDefined", "ItemDefined", "ShopOpened", "ListingPosted",
	"WalletOpened", "Minted", "Burned", "ItemsGranted", "ItemsBurned",
	"EntityClosed", "PurchaseCompleted", "PurchaseRejected", "CommandRejected",
}

// String returns the kind's name.
func (k Kind) String() string {
	if k < kindCount {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k > KindInvalid && k < kindCount }

// Reason says why an intent or command was rejected.
type Reason uint8

// Rejection reasons. Values are part of the log format: append only.
// Validation checks them in the order listed for purchases (see
// systems.PurchaseSystem); the first failing check names the reason.
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
	reasonCount
)

var reasonNames = [...]string{
	"None", "BadQuantity", "DuplicateRequest", "UnknownBuyer", "BuyerGone",
	"NotACustomer", "UnknownListing", "ListingGone", "OutOfStock",
	"PriceOverflow", "InsufficientFunds", "TillGone", "TillOverflow",
	"InventoryFull", "BadCommand", "UnknownEntity", "IDInUse",
	"InsufficientHoldings", "Overflow",
}

// String returns the reason's name.
func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
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
	Tick     uint64
	Kind     Kind
	Reason   Reason
	Subject  components.ID // the entity the event is about
	Object   components.ID // second party (listing, shop)
	Item     components.ID
	Currency components.ID
	Till     components.ID
	Qty      int64
	Amount   int64
	Request  uint64
	Of       Kind   // CommandRejected only: the kind of the refused command
	Name     string // authoring events only: display name
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
	default:
		return fmt.Sprintf("t%d %s %d %q", e.Tick, e.Kind, e.Subject, e.Name)
	}
}
