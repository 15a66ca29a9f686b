// Package ecs owns the tickecon world: the arche ECS storage, the tick
// counter, stable id allocation, the fixed system order and the per-tick
// record (inputs, events, checksum).
//
// A game embeds it in a few lines:
//
//	w := ecs.New()
//	systems.Install(w)            // the PurchaseSystem, in its fixed slot
//	ids, err := content.Apply(w)  // authoring commands for tick 0; err names a bad entry
//	w.Step()                      // tick 0: the content exists, whole
//	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 1})
//	rec := w.Step()               // tick 1: bought or rejected, never half
//	ev, _ := rec.IntentOutcome(ids.MustID("alice"), 1) // ev.AsPurchaseCompleted(): bought, or AsPurchaseRejected(): why not
//	gold, err := w.Balance(ids.MustID("alice"), ids.MustID("gold")) // typed reads
//	l, err := w.Listing(ids.MustID("potions"))                       // price, stock… of a listing
//
// World is not safe for concurrent use: call it from the game loop only, as
// with arche itself. Determinism follows: the same commands and intents
// submitted before the same Step give the same events and checksum.
//
// Outline (one concept per file):
//
//   - world.go: [World], [New], [World.Step] (commands, then systems, then
//     the checksum), [World.Submit] (purchase intents, a [Ticket] back), [TickRecord],
//     [World.Emit] for systems, [World.Lookup] from stable ids.
//   - commands.go and ticket.go: [World.Command] queues authoring and admin
//     commands (built with the events constructors) and returns a [Ticket];
//     [TickRecord.Outcome] and [TickRecord.IntentOutcome] find what answered
//     a command or an intent. extend.go: command handlers and spawning for
//     extensions ([World.HandleCommand], [World.Spawn]).
//   - subscribe.go: [World.Subscribe] with a [KindMask] and a cancel
//     function; subscriber errors in [World.Err].
//   - holdings.go and supply.go: typed reads — [World.Balance],
//     [World.ItemCount], [World.Holdings], [World.Supply] — and [Ledger], the
//     conservation check (minted − burned = supply). reads.go: what a game
//     shows — [World.Listing] (terms), [World.Listings], [World.Currency],
//     [World.Item] (names, decimals, stacks), [World.Inventory] (slots).
//   - content.go: [Content], the JSON authoring format applied at tick 0;
//     contentids.go: [IDs], its keys' ids (an unknown key is an error).
//     setup.go: [Setup] names the systems a world runs with (a log's
//     header holds it); [RegisterSetup] makes one known, so that
//     [Setup.Worlds] rebuilds the world (package systems registers its own).
//   - checksum.go, stages.go: the incremental state checksum ([FieldHash],
//     [World.Touch], audits), per-stage checksums. hashwarm.go: the
//     checksum reads rows ahead in very large worlds. synctest.go: run
//     every tick twice to catch nondeterminism.
//   - snapshot.go, snapshot_check.go, names.go: [World.TakeSnapshot] and
//     [World.Restore] (validated whole before anything changes, a
//     [SnapshotError] and an unchanged world on failure); component types
//     named by package path or [RegisterComponent].
//   - limits.go: the bounds of stable ids (ids reserved ahead of creation:
//     [ReserveSlack]).
//
// What the PurchaseSystem alone needs for speed — the stable id index with
// each entity's cached hash, hash adjustment term by term, checksum fold
// points, the tick's intents in bulk, the per-world hash seed of tables fed
// with client-chosen keys — is in internal/core, shared with
// package systems: not part of this API. A system of a game or an
// extension uses [World.Emit], [World.Touch] and [World.Submit], which
// are always right.
package ecs
