package events

import "github.com/tickecon/tickecon/components"

// Command constructors: the events a game queues with World.Command, built
// from named arguments so that game code never fills raw fields. A command
// that creates an entity leaves Subject 0; Command allocates the id and
// returns it in its ticket. Each returns the same Event its typed view's
// Event method does.

// DefineCurrency defines a currency shown with decimals minor-unit digits (0–18).
func DefineCurrency(name string, decimals int64) Event {
	return CurrencyDefinedEvent{Name: name, Decimals: decimals}.Event()
}

// DefineItem defines an item type that stacks up to maxStack per slot.
func DefineItem(name string, maxStack int64) Event {
	return ItemDefinedEvent{Name: name, MaxStack: maxStack}.Event()
}

// OpenShop opens a shop with its own till wallet.
func OpenShop(name string) Event { return ShopOpenedEvent{Name: name}.Event() }

// OpenPlayer opens a player: a wallet and an inventory with that many slots
// (the event is a WalletOpened; its Capacity is the slot count).
func OpenPlayer(name string, slots int64) Event {
	return WalletOpenedEvent{Name: name, Capacity: slots}.Event()
}

// PostListing offers stock units of item at price (minor units of
// currency) in shop; sales pay the shop's till. For another till, set
// ListingPostedEvent.Till and call its Event method.
func PostListing(shop, item, currency components.ID, price, stock int64) Event {
	return ListingPostedEvent{Shop: shop, Item: item, Currency: currency, Price: price, Stock: stock}.Event()
}

// Reprice sets the unit price of listing (minor units of its currency,
// ≥ 0) and raises its version, so that purchases that expect the old
// version are refused instead of paying a price their buyer never saw.
func Reprice(listing components.ID, price int64) Event {
	return ListingRepricedEvent{Listing: listing, Price: price}.Event()
}

// Mint creates amount of currency in holder's wallet.
func Mint(holder, currency components.ID, amount int64) Event {
	return MintedEvent{Holder: holder, Currency: currency, Amount: amount}.Event()
}

// Burn destroys amount of currency from holder's wallet.
func Burn(holder, currency components.ID, amount int64) Event {
	return BurnedEvent{Holder: holder, Currency: currency, Amount: amount}.Event()
}

// Grant creates qty units of item in holder's inventory, or in a listing's
// stock (a restock).
func Grant(holder, item components.ID, qty int64) Event {
	return ItemsGrantedEvent{Holder: holder, Item: item, Qty: qty}.Event()
}

// BurnItems destroys qty units of item held by holder (inventory or listing).
func BurnItems(holder, item components.ID, qty int64) Event {
	return ItemsBurnedEvent{Holder: holder, Item: item, Qty: qty}.Event()
}

// Close removes an entity after burning, with events, everything it holds.
func Close(id components.ID) Event { return EntityClosedEvent{Entity: id}.Event() }

// CloseReceipts closes every open receipt with an id from first to last,
// both included, in one command (commerce): the range may hold other ids,
// which it leaves alone, and spans at most MaxReceiptsClosed ids.
func CloseReceipts(first, last components.ID) Event {
	return ReceiptsClosedEvent{First: first, Last: last}.Event()
}

// MaxReceiptsClosed is the widest id range one CloseReceipts may span: the
// command's work is bounded by its range, and a tick's receipts span about
// as many ids as the tick has purchases.
const MaxReceiptsClosed = 1 << 17

// OpenCart opens a cart for owner (commerce).
func OpenCart(owner components.ID) Event { return CartOpenedEvent{Owner: owner}.Event() }

// AddCartLine adds qty units of listing to a cart (commerce).
func AddCartLine(cart, listing components.ID, qty int64) Event {
	return CartLineAddedEvent{Cart: cart, Listing: listing, Qty: qty}.Event()
}

// OpenAccount opens a customer account billed to holder's wallet, with a
// credit limit per currency (commerce).
func OpenAccount(holder components.ID, limit int64) Event {
	return AccountOpenedEvent{Holder: holder, Limit: limit}.Event()
}

// OpenPackage opens a parcel for recipient (commerce).
func OpenPackage(recipient components.ID) Event {
	return PackageOpenedEvent{Recipient: recipient}.Event()
}

// DeliverPackage moves a parcel's goods into its recipient's inventory (commerce).
func DeliverPackage(parcel components.ID) Event {
	return PackageDeliveredEvent{Parcel: parcel}.Event()
}

// IssueCoupon moves value of currency from issuer's wallet into a new
// coupon that holder (0: anyone) can spend (commerce).
func IssueCoupon(issuer, holder, currency components.ID, value int64) Event {
	return CouponIssuedEvent{Issuer: issuer, Holder: holder, Currency: currency, Value: value}.Event()
}

// OpenTrade opens a trade between players a and b (commerce).
func OpenTrade(a, b components.ID) Event { return TradeOpenedEvent{A: a, B: b}.Event() }

// OfferItems adds qty units of item to party's side of a trade (commerce).
func OfferItems(trade, party, item components.ID, qty int64) Event {
	return TradeOfferedEvent{Trade: trade, Party: party, Item: item, Qty: qty}.Event()
}

// OfferMoney adds amount of currency to party's side of a trade (commerce).
func OfferMoney(trade, party, currency components.ID, amount int64) Event {
	return TradeOfferedEvent{Trade: trade, Party: party, Currency: currency, Amount: amount}.Event()
}

// AcceptTrade accepts the trade's current offer for party (commerce).
func AcceptTrade(trade, party components.ID) Event {
	return TradeAcceptedEvent{Trade: trade, Party: party}.Event()
}

// ConfirmPayment reports the provider's payment of amount (the record's
// price) for a saga's purchase record, under the provider's reference ≠ 0.
func ConfirmPayment(record components.ID, reference uint64, amount int64) Event {
	return PaymentConfirmedEvent{Record: record, Reference: reference, Amount: amount}.Event()
}

// DeclinePayment reports that the provider declined a saga's payment.
func DeclinePayment(record components.ID, reference uint64) Event {
	return PaymentDeclinedEvent{Record: record, Reference: reference}.Event()
}

// AcceptDelivery reports that the carrier took a saga's goods (reference ≠ 0).
func AcceptDelivery(record components.ID, reference uint64) Event {
	return DeliveryAcceptedEvent{Record: record, Reference: reference}.Event()
}

// RefuseDelivery reports that a saga's delivery was refused.
func RefuseDelivery(record components.ID, reference uint64) Event {
	return DeliveryRefusedEvent{Record: record, Reference: reference}.Event()
}
