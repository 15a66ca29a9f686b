// Package components holds the plain data stored in the tickecon ECS world.
//
// Components carry no behaviour beyond small, allocation-free helpers that
// keep their invariants (sorted balances, compact stacks). Every entity that
// takes part in the economy carries a [Stable] component: logs, checksums and
// UIs name entities by that id, never by arche's recycled entity handle.
//
// Outline:
//
//   - components.go: [ID] and [Stable], [Name], the definitions
//     ([CurrencyDef], [ItemDef]), [Shop], [ShopListing] and the input
//     [PurchaseIntent] (what a player asks for; World.Submit).
//   - wallet.go: [Wallet] (a balance per currency, in int64 minor units,
//     every credit overflow-checked: CanCredit). inventory.go: [Inventory]
//     (stacks of items up to a max stack, Room/Fits before Add).
//   - commerce.go: the commerce compositions' data — [Receipt], [Cart],
//     [Account] and its [Charge]s, [Package], [Coupon], [Trade],
//     [PurchaseRecord] (a saga's escrow).
//   - math.go: overflow-checked int64 arithmetic ([AddInt64], [MulInt64])
//     and saturating helpers; total.go: [Total], an exact 128-bit sum for
//     supply totals.
//
// Read state through the world's typed reads (World.Balance, ItemCount,
// Holdings, Supply) rather than these structs where you can: they count
// every component that holds value.
package components
