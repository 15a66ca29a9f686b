package events

import "github.com/tickecon/tickecon/components"

//go:generate go run ./internal/viewgen

// Typed views, one per kind. Each field's tag names the Event field that
// holds it; that tag is the whole field table: views_gen.go (the As… and
// Event methods) and docs/events.md are generated from these declarations
// by internal/viewgen, and its test fails when they are out of date. A view
// leaves out Tick and Ticket, which every event has.
//
// Every Event field has one meaning in every kind (see Event). Only the
// tagged fields of a kind are set; the others are zero.

// CurrencyDefinedEvent: a currency exists. Command: DefineCurrency.
type CurrencyDefinedEvent struct {
	Currency components.ID `ev:"Subject"` // the new currency (0 in a command: allocated)
	Name     string        `ev:"Name"`
	Decimals int64         `ev:"Size"` // minor-unit digits, 0–18 (display only)
}

// ItemDefinedEvent: an item type exists. Command: DefineItem.
type ItemDefinedEvent struct {
	Item     components.ID `ev:"Subject"` // the new item type
	Name     string        `ev:"Name"`
	MaxStack int64         `ev:"Qty"` // units per inventory slot, ≥ 1
}

// ShopOpenedEvent: a shop exists, with its own till wallet. Command: OpenShop.
type ShopOpenedEvent struct {
	Shop components.ID `ev:"Subject"`
	Name string        `ev:"Name"`
}

// ListingPostedEvent: a listing offers Stock units of Item at Price.
// Command: PostListing.
type ListingPostedEvent struct {
	Listing  components.ID `ev:"Subject"`
	Shop     components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"` // the wallet sales pay into (0 in a command: the shop)
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Price    int64         `ev:"Amount"` // per unit, minor units
	Stock    int64         `ev:"Qty"`    // initial stock, created with the listing
	Name     string        `ev:"Name"`
}

// ListingRepricedEvent: a listing's unit price changed; its version
// (ecs.ListingInfo.Version) is raised, so intents that expect the old one
// are refused (ReasonPriceChanged). Command: Reprice.
type ListingRepricedEvent struct {
	Listing  components.ID `ev:"Subject"`
	Currency components.ID `ev:"Currency"` // the listing's (0 in a command: filled in by the tick)
	Price    int64         `ev:"Amount"`   // the new unit price, minor units
	Version  int64         `ev:"Size"`     // the listing's version after the change (0 in a command: filled in; else it must be that)
}

// WalletOpenedEvent: a player exists, with a wallet and an inventory.
// Command: OpenPlayer.
type WalletOpenedEvent struct {
	Player   components.ID `ev:"Subject"`
	Name     string        `ev:"Name"`
	Capacity int64         `ev:"Size"` // inventory slots
}

// MintedEvent: money created in Holder (a wallet, or a coupon or purchase
// record). Command: Mint.
type MintedEvent struct {
	Holder   components.ID `ev:"Subject"`
	Currency components.ID `ev:"Currency"`
	Amount   int64         `ev:"Amount"`
}

// BurnedEvent: money destroyed in Holder. Command: Burn.
type BurnedEvent struct {
	Holder   components.ID `ev:"Subject"`
	Currency components.ID `ev:"Currency"`
	Amount   int64         `ev:"Amount"`
}

// ItemsGrantedEvent: items created in Holder (a player's inventory, or a
// listing's stock: a restock). Command: Grant.
type ItemsGrantedEvent struct {
	Holder components.ID `ev:"Subject"`
	Item   components.ID `ev:"Item"`
	Qty    int64         `ev:"Qty"`
}

// ItemsBurnedEvent: items destroyed in Holder. Command: BurnItems.
type ItemsBurnedEvent struct {
	Holder components.ID `ev:"Subject"`
	Item   components.ID `ev:"Item"`
	Qty    int64         `ev:"Qty"`
}

// EntityClosedEvent: Entity was removed, after its holdings were burned by
// the events just before it. Its id is never reused. Command: Close.
type EntityClosedEvent struct {
	Entity components.ID `ev:"Subject"`
}

// PurchaseCompletedEvent: one line of a purchase, applied whole: Total left
// the payer, reached Till, Qty left the listing's stock into the delivery
// target.
type PurchaseCompletedEvent struct {
	Buyer    components.ID `ev:"Subject"`
	Listing  components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"`
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Qty      int64         `ev:"Qty"`
	Total    int64         `ev:"Amount"`
	Request  uint64        `ev:"Request"`
}

// PurchaseRejectedEvent: an intent was refused; nothing changed.
type PurchaseRejectedEvent struct {
	Buyer   components.ID `ev:"Subject"`
	Listing components.ID `ev:"Object"` // 0 for a cart checkout
	Cart    components.ID `ev:"Ref"`    // the cart of a checkout
	Qty     int64         `ev:"Qty"`
	Request uint64        `ev:"Request"`
	Reason  Reason        `ev:"Reason"`
}

// CommandRejectedEvent: a command was refused; nothing changed. The other
// fields are the refused command's, as given (see Event.Rejected).
type CommandRejectedEvent struct {
	Command Kind          `ev:"Of"` // the refused command's kind
	Reason  Reason        `ev:"Reason"`
	Target  components.ID `ev:"Subject"` // the refused command's Subject
}

// PurchaseDuplicateEvent: a retried intent whose (Buyer, Request) was
// processed within the idempotency window; nothing changed.
type PurchaseDuplicateEvent struct {
	Buyer    components.ID `ev:"Subject"`
	Request  uint64        `ev:"Request"`
	Original Kind          `ev:"Of"`     // PurchaseCompleted, PurchaseRejected or SagaStarted
	Reason   Reason        `ev:"Reason"` // the original rejection's reason
	Receipt  components.ID `ev:"Ref"`    // the original receipt or purchase record (0 if none)
	At       uint64        `ev:"At"`     // the tick of the original outcome
}

// ReceiptIssuedEvent: a receipt entity was created for a purchase.
type ReceiptIssuedEvent struct {
	Receipt components.ID `ev:"Subject"`
	Buyer   components.ID `ev:"Object"`
	For     components.ID `ev:"Ref"` // the listing, cart or purchase record bought
	Total   int64         `ev:"Amount"`
	Lines   int64         `ev:"Size"`
	Request uint64        `ev:"Request"`
}

// CartOpenedEvent: a cart exists. Command: OpenCart.
type CartOpenedEvent struct {
	Cart  components.ID `ev:"Subject"`
	Owner components.ID `ev:"Object"`
}

// CartLineAddedEvent: Qty units of Listing added to a cart. Command: AddCartLine.
type CartLineAddedEvent struct {
	Cart    components.ID `ev:"Subject"`
	Listing components.ID `ev:"Object"`
	Qty     int64         `ev:"Qty"`
}

// CartCheckedOutEvent: a cart was bought (once only); Receipt records it.
type CartCheckedOutEvent struct {
	Cart    components.ID `ev:"Subject"`
	Buyer   components.ID `ev:"Object"`
	Receipt components.ID `ev:"Ref"`
	Request uint64        `ev:"Request"`
}

// AccountOpenedEvent: a customer account exists, billed to Holder's wallet
// at settlement. Command: OpenAccount.
type AccountOpenedEvent struct {
	Account components.ID `ev:"Subject"`
	Holder  components.ID `ev:"Object"`
	Limit   int64         `ev:"Amount"` // credit limit per currency
}

// AccountChargedEvent: a purchase billed later: Amount is owed to Till.
type AccountChargedEvent struct {
	Account  components.ID `ev:"Subject"`
	Buyer    components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"` // paid at settlement
	Currency components.ID `ev:"Currency"`
	Amount   int64         `ev:"Amount"`
	Request  uint64        `ev:"Request"`
}

// AccountSettledEvent: settlement moved Paid from Holder's wallet to Till.
type AccountSettledEvent struct {
	Account  components.ID `ev:"Subject"`
	Holder   components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"`
	Currency components.ID `ev:"Currency"`
	Paid     int64         `ev:"Amount"`
	Owed     int64         `ev:"Rest"`   // still owed after this payment
	Reason   Reason        `ev:"Reason"` // why not all was paid, or ReasonNone
}

// PackageOpenedEvent: a parcel for Recipient exists. Command: OpenPackage.
type PackageOpenedEvent struct {
	Parcel    components.ID `ev:"Subject"`
	Recipient components.ID `ev:"Object"`
}

// PackageDeliveredEvent: every unit in the parcel moved to Recipient's
// inventory. Command: DeliverPackage.
type PackageDeliveredEvent struct {
	Parcel    components.ID `ev:"Subject"`
	Recipient components.ID `ev:"Object"` // 0 in a command: the parcel's recipient
}

// CouponIssuedEvent: Value moved from Issuer's wallet into a new coupon.
// Command: IssueCoupon.
type CouponIssuedEvent struct {
	Coupon   components.ID `ev:"Subject"`
	Issuer   components.ID `ev:"Object"` // the wallet that funds it
	Holder   components.ID `ev:"Ref"`    // who may redeem it; 0: the bearer
	Currency components.ID `ev:"Currency"`
	Value    int64         `ev:"Amount"`
}

// CouponRedeemedEvent: a coupon paid Used to the purchase's tills and
// returned the rest to its issuer (Till; burned if the issuer is gone).
type CouponRedeemedEvent struct {
	Coupon   components.ID `ev:"Subject"`
	Buyer    components.ID `ev:"Object"`
	Issuer   components.ID `ev:"Till"`
	Currency components.ID `ev:"Currency"`
	Used     int64         `ev:"Amount"`
	Returned int64         `ev:"Rest"`
	Request  uint64        `ev:"Request"`
}

// TradeOpenedEvent: a trade between A and B exists. Command: OpenTrade.
type TradeOpenedEvent struct {
	Trade components.ID `ev:"Subject"`
	A     components.ID `ev:"Object"`
	B     components.ID `ev:"Ref"`
}

// TradeOfferedEvent: Party added Qty of Item or Amount of Currency to its
// side; both acceptances reset. Commands: OfferItems, OfferMoney.
type TradeOfferedEvent struct {
	Trade    components.ID `ev:"Subject"`
	Party    components.ID `ev:"Object"`
	Item     components.ID `ev:"Item"`
	Qty      int64         `ev:"Qty"`
	Currency components.ID `ev:"Currency"`
	Amount   int64         `ev:"Amount"`
}

// TradeAcceptedEvent: Party accepts the current offer. Command: AcceptTrade.
type TradeAcceptedEvent struct {
	Trade components.ID `ev:"Subject"`
	Party components.ID `ev:"Object"`
}

// TradeCompletedEvent: both sides moved (one TradeMoved per line before it).
type TradeCompletedEvent struct {
	Trade components.ID `ev:"Subject"`
	A     components.ID `ev:"Object"`
	B     components.ID `ev:"Ref"`
}

// TradeRejectedEvent: the trade is closed and nothing moved; Party is short.
type TradeRejectedEvent struct {
	Trade  components.ID `ev:"Subject"`
	Party  components.ID `ev:"Object"`
	Reason Reason        `ev:"Reason"`
}

// TradeMovedEvent: one line of a completed trade moved From → To.
type TradeMovedEvent struct {
	Trade    components.ID `ev:"Subject"`
	From     components.ID `ev:"Object"`
	To       components.ID `ev:"Ref"`
	Item     components.ID `ev:"Item"`
	Qty      int64         `ev:"Qty"`
	Currency components.ID `ev:"Currency"`
	Amount   int64         `ev:"Amount"`
}

// SagaStartedEvent: a saga intent passed validation; Qty left the listing's
// stock into a new purchase record, which waits for payment and delivery
// until Deadline.
type SagaStartedEvent struct {
	Record   components.ID `ev:"Subject"`
	Listing  components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"` // paid on completion
	Buyer    components.ID `ev:"Ref"`
	Item     components.ID `ev:"Item"`
	Qty      int64         `ev:"Qty"`
	Currency components.ID `ev:"Currency"`
	Price    int64         `ev:"Amount"`
	Request  uint64        `ev:"Request"`
	Deadline uint64        `ev:"At"` // compensated at the first tick after it
}

// PaymentConfirmedEvent: the provider paid Amount into the record (money
// entering from outside; a Minted follows). Command: ConfirmPayment.
type PaymentConfirmedEvent struct {
	Record    components.ID `ev:"Subject"`
	Reference uint64        `ev:"Request"` // the provider's reference, ≠ 0
	Amount    int64         `ev:"Amount"`  // must equal the record's price
}

// PaymentDeclinedEvent: the provider declined. Command: DeclinePayment.
type PaymentDeclinedEvent struct {
	Record    components.ID `ev:"Subject"`
	Reference uint64        `ev:"Request"`
}

// DeliveryAcceptedEvent: the carrier took the goods. Command: AcceptDelivery.
type DeliveryAcceptedEvent struct {
	Record    components.ID `ev:"Subject"`
	Reference uint64        `ev:"Request"` // the carrier's reference, ≠ 0
}

// DeliveryRefusedEvent: the delivery was refused. Command: RefuseDelivery.
type DeliveryRefusedEvent struct {
	Record    components.ID `ev:"Subject"`
	Reference uint64        `ev:"Request"`
}

// SagaCompletedEvent: the record's goods went to Target and its money to
// Till. A ReceiptIssued follows.
type SagaCompletedEvent struct {
	Record   components.ID `ev:"Subject"`
	Target   components.ID `ev:"Object"` // the buyer or its parcel
	Till     components.ID `ev:"Till"`
	Buyer    components.ID `ev:"Ref"`
	Item     components.ID `ev:"Item"`
	Qty      int64         `ev:"Qty"`
	Currency components.ID `ev:"Currency"`
	Paid     int64         `ev:"Amount"`
	Request  uint64        `ev:"Request"`
}

// SagaCompensatedEvent: the saga was undone: Qty back to the listing's
// stock (burned if it is gone), Refunded to the provider (Burned from the
// record).
type SagaCompensatedEvent struct {
	Record   components.ID `ev:"Subject"`
	Listing  components.ID `ev:"Object"`
	Buyer    components.ID `ev:"Ref"`
	Item     components.ID `ev:"Item"`
	Qty      int64         `ev:"Qty"`
	Currency components.ID `ev:"Currency"`
	Refunded int64         `ev:"Amount"`
	Request  uint64        `ev:"Request"`
	Reason   Reason        `ev:"Reason"` // Declined, Refused, Timeout, NoDelivery…
}

// Cross-shard views (package shard). A message id (Msg) is the buyer
// shard's address of the hold it is about (shard.Addr: the shard number in
// the top 16 bits, the hold's stable id below), so it is deterministic and
// names both the origin and the hold. A remote entity is named by its
// address too; a local one by its stable id.

// XHoldPlacedEvent: on the buyer's shard, Held left Buyer's wallet into a
// new hold (a pending debit) for Qty of Item from a listing on another
// shard. The frame's event is the outgoing request; its message id is the
// hold's address (the shard's number and Hold). Command: shard.Buy.
type XHoldPlacedEvent struct {
	Hold     components.ID `ev:"Subject"`  // the new hold (0 in a command: allocated)
	Listing  components.ID `ev:"Object"`   // the listing's address on its shard (a player's: a trade with it)
	Buyer    components.ID `ev:"Ref"`      // the paying player, local
	Item     components.ID `ev:"Item"`     // what the listing sells (checked by the seller)
	Currency components.ID `ev:"Currency"` // what the buyer pays in
	Qty      int64         `ev:"Qty"`      // units wanted
	Held     int64         `ev:"Amount"`   // the most the buyer pays (unit price × Qty as seen)
	Request  uint64        `ev:"Request"`  // the client's request id: a second hold with the same (Buyer, Request) is a DuplicateRequest (0: none)
	Deadline uint64        `ev:"At"`       // the buyer shard's tick after which it asks to cancel (0 in a command: filled in)
}

// XSaleRequestedEvent: on the seller's shard, a hold's request arrived (an
// input from the transport); its answer follows in the same frame.
type XSaleRequestedEvent struct {
	Listing  components.ID `ev:"Object"` // local: a listing, or a player trading
	Buyer    components.ID `ev:"Ref"`    // the buyer's address on its shard
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Qty      int64         `ev:"Qty"`
	Held     int64         `ev:"Amount"`
	Msg      uint64        `ev:"Request"`
}

// XSaleAcceptedEvent: on the seller's shard, Qty left the listing's stock
// (exported: an ItemsBurned of the listing precedes it) and Total reached
// Till (imported: a Minted of the till precedes it), on the strength of the
// buyer's hold. The frame's event is the answer to the buyer's shard.
type XSaleAcceptedEvent struct {
	Sale     components.ID `ev:"Subject"` // the record remembering the answer for Msg
	Listing  components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"`
	Buyer    components.ID `ev:"Ref"` // the buyer's address
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Qty      int64         `ev:"Qty"`
	Total    int64         `ev:"Amount"` // what the buyer pays: unit price × Qty, ≤ Held
	Msg      uint64        `ev:"Request"`
}

// XSaleRefusedEvent: on the seller's shard, nothing was sold; the reason is
// the answer to the buyer's shard (Timeout: a cancel arrived first).
type XSaleRefusedEvent struct {
	Sale    components.ID `ev:"Subject"`
	Listing components.ID `ev:"Object"`
	Buyer   components.ID `ev:"Ref"`
	Reason  Reason        `ev:"Reason"`
	Msg     uint64        `ev:"Request"`
}

// XSaleRepeatedEvent: on the seller's shard, a request or cancel for a
// message already answered: the first answer, sent again; nothing changed.
type XSaleRepeatedEvent struct {
	Answer   Kind          `ev:"Of"` // XSaleAccepted or XSaleRefused
	Sale     components.ID `ev:"Subject"`
	Listing  components.ID `ev:"Object"`
	Till     components.ID `ev:"Till"`
	Buyer    components.ID `ev:"Ref"`
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Qty      int64         `ev:"Qty"`
	Total    int64         `ev:"Amount"`
	Reason   Reason        `ev:"Reason"`
	Msg      uint64        `ev:"Request"`
}

// XCancelSentEvent: on the buyer's shard, a hold passed its deadline
// unanswered; the frame's event asks the seller's shard to refuse it. The
// hold stays until the answer: the seller may have sold already.
type XCancelSentEvent struct {
	Hold    components.ID `ev:"Subject"`
	Listing components.ID `ev:"Object"` // the listing's address: where the cancel goes
	Msg     uint64        `ev:"Request"`
}

// XCancelRequestedEvent: on the seller's shard, a cancel arrived (an input
// from the transport); the answer follows in the same frame.
type XCancelRequestedEvent struct {
	Msg uint64 `ev:"Request"`
}

// XHoldPostedEvent: on the buyer's shard, the seller's acceptance arrived:
// Total left the hold (exported: a Burned of the hold precedes it), Refund
// went back to Buyer, and Qty of Item entered Buyer's inventory (imported:
// an ItemsGranted precedes it; its Holder is the hold when the inventory
// had no room, and the goods wait there, going in as room appears).
type XHoldPostedEvent struct {
	Hold     components.ID `ev:"Subject"`
	Buyer    components.ID `ev:"Ref"` // 0 in a command: filled in
	Item     components.ID `ev:"Item"`
	Currency components.ID `ev:"Currency"`
	Qty      int64         `ev:"Qty"`
	Total    int64         `ev:"Amount"`
	Refund   int64         `ev:"Rest"` // 0 in a command: filled in
	Msg      uint64        `ev:"Request"`
}

// XHoldVoidedEvent: on the buyer's shard, the seller's refusal arrived:
// the held money went back to Buyer.
type XHoldVoidedEvent struct {
	Hold     components.ID `ev:"Subject"`
	Buyer    components.ID `ev:"Ref"`      // 0 in a command: filled in
	Currency components.ID `ev:"Currency"` // 0 in a command: filled in
	Refund   int64         `ev:"Amount"`   // 0 in a command: filled in
	Reason   Reason        `ev:"Reason"`
	Msg      uint64        `ev:"Request"`
}

// ReceiptsClosedEvent: every receipt of the ids First to Last (both
// included) that was open is closed, Closed of them, in ascending id; the
// other ids of the range are left as they were. One command and one event
// instead of an EntityClosed each: a client that closes every receipt it
// is issued closes a tick's in one go (their ids are ascending). It emits
// no EntityClosed. Command: CloseReceipts.
type ReceiptsClosedEvent struct {
	First  components.ID `ev:"Subject"`
	Last   components.ID `ev:"Ref"`
	Closed int64         `ev:"Size"` // 0 in a command: filled in
}
