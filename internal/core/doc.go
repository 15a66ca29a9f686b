// Package core is the part of an ecs.World that package systems reaches
// past the world's public API, for the PurchaseSystem's hot path: the id
// table (an entity's slot and cached hash, which a look-ahead prefetches),
// hash adjustment term by term (AdjustHash, BalanceTerm, SlotTerm), the
// checksum's fold points, the tick's intents in bulk, and the keyed hash
// of tables fed with client-chosen keys (SeededHash).
//
// A game and an extension never need it: ecs.World's Emit, Touch and
// Submit are always right. It is internal so that the ecs API shows what
// they use, while systems keeps direct calls: Of(w) is fetched once per
// Update, and everything per purchase is a plain (mostly inlined) method
// call on the State, no indirect call.
package core
