// Package systems holds the tick systems of tickecon: the PurchaseSystem,
// which turns PurchaseIntent components into whole purchases or typed
// rejections, and the commerce compositions around it.
//
// Two ways to install them, before the first Step:
//
//	ps := systems.Install(w)                               // plain shop: Wallet pays, Inventory receives
//	com := systems.InstallCommerce(w, systems.DefaultConfig) // every composition below
//
// A replay log names the systems it was recorded with, so that a verifier
// rebuilds the same world: record an Install world with
// ticklog.Options{Setup: systems.CoreSetup()} and an InstallCommerce one
// with systems.CommerceSetup(cfg) of the same cfg.
//
// Outline (one concept per file):
//
//   - purchase.go: PurchaseSystem — the fixed processing order of a tick's
//     intents (sort.go), duplicates, then per intent validate → apply or
//     reject. plan.go: the Plan a purchase is validated into (Validate) and
//     written from (Apply). slim.go: the same checks for the common
//     one-listing wallet purchase without the Plan's slices.
//   - ports.go: where money comes from and goods go — PaymentSource
//     (WalletSource; AccountSource in account.go) and DeliveryTarget
//     (InventoryTarget; PackageTarget in package.go), picked per intent from
//     the paying and receiving entities (RegisterPayment, RegisterDelivery).
//   - commerce.go: InstallCommerce, Config and the command routing; maps.go:
//     CommerceMaps (typed access to the commerce components) and what they
//     hold; cart.go, account.go (and settlement.go: SettlementSystem bills
//     accounts), package.go, coupon.go, trade.go, saga.go (SagaSystem:
//     purchases paid and delivered by outside parties), receipt.go.
//   - idempotency.go: the window that answers a retried (buyer, request id)
//     with its original outcome (PurchaseDuplicate); state.go saves it for
//     snapshots; hash.go puts the commerce components in the checksum.
//
// Every change is an event (events.Event, read through its typed view) and
// every input is a command (events constructors, ecs.World.Command) or an
// intent (ecs.World.Submit): both are recorded, so a session replays.
package systems
