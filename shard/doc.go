// Package shard runs one economy over several worlds (shards): each a
// single-writer tickecon world with its own replay log, owning a disjoint
// set of players, shops and listings, with purchases across shards done
// exactly once.
//
// # Design: a hold/post/void saga, not a Calvin-style agreed tick
//
// Two designs fit deterministic worlds. Calvin and Aria enter a
// cross-shard transaction into every participant's log at an agreed
// position and let each participant run it, aborting deterministically,
// with no voting round. This package instead runs a two-phase saga in the
// style of TigerBeetle's pending transfers:
//
//  1. The buyer's shard A holds the money (a Hold entity: a pending debit)
//     and its frame's XHoldPlaced event is the request to the seller's
//     shard B, under a deterministic message id (A's address of the hold).
//  2. B takes the request as an input of its next tick and either sells —
//     goods out of stock, the price into the till, on the strength of the
//     hold — or refuses with a reason. The answer is its frame's event.
//  3. A takes the answer as an input and posts the hold (the price leaves,
//     the rest and the goods come in) or voids it (the money back).
//
// Why this one here:
//
//   - Shards keep their own clocks. A Calvin-style transaction needs every
//     participant to reach the agreed tick before any can commit, so one
//     slow or restarting shard stalls every shard that trades with it, and
//     agreeing on the tick needs a sequencer or a round of messages anyway.
//     Here a shard 500 ticks behind delays only the purchases that wait on
//     it; the buyer's money is held meanwhile and nothing else waits.
//   - Each shard's log replays alone: every message is an ordinary command
//     in the receiver's log and every send an event in the sender's frame
//     (the log is the outbox). With Calvin, replaying one shard needs the
//     other participants' reads, or every participant replicates the state
//     a transaction reads.
//   - tickecon already has the pieces: the settlement saga's record with a
//     payment slot and a delivery slot (here the payment slot is filled
//     locally at once, by the hold, and the delivery slot by B's answer;
//     the hold's state reuses components.SagaState), commands for outside
//     outcomes, and idempotency by key (here the message id, never
//     expiring: a Sale entity remembers each answer).
//   - The cost is latency: two message hops (2 ticks on loopback, see the
//     docs/shards.md) and money held meanwhile; Calvin would commit in one
//     agreed tick after the agreement.
//
// Timeouts do not compensate on their own: after Config.HoldTimeout of its
// ticks A asks B to cancel (XCancelSent), and B refuses a message it has
// not seen (remembering the refusal, so the request, arriving later, gets
// it too) or repeats the answer it gave. A voids only on B's refusal, so a
// sale B made is never undone by a timer: exactly once, at the price of a
// hold that waits while B is down (Audit lists it as in flight).
//
// A Cluster sends a message only once the tick that made it is durable in
// the sender's log, so a crash losing unsynced ticks never leaves another
// shard acting on a hold or a sale the crashed shard forgot.
//
// Messages may be lost, repeated, delayed and reordered. B answers a
// repeated request or cancel with its first answer (XSaleRepeated); A
// applies the first answer to a pending hold and refuses every later one
// (CommandRejected, SagaClosed); A resends the messages of its pending
// holds (System.Resend) so that a message lost with a crashed shard is
// sent again.
//
// # Pieces
//
//   - addr.go: Addr, an entity's address anywhere (shard, stable id).
//   - directory.go: Directory, content key → address, versioned.
//   - hold.go: the Hold and Sale components, their checksum and holdings.
//   - system.go: Install, the cross-shard commands and the System (the
//     cancel at the deadline); setup.go registers the "shard" setup, so
//     `tickecon verify` replays a shard's log.
//   - message.go: Message, Outgoing (messages from a committed frame) and
//     Resend; transport.go: Transport and the deterministic Loopback (the
//     JetStream transport is cluster/shardbus, outside the library: this
//     package imports no NATS).
//   - cluster.go: Cluster, shards in one process in rounds, with logs,
//     Kill and Restart, messages released at their tick's durability;
//     move.go: a player moving between shards; audit.go: Audit,
//     conservation over all the logs.
//
// Money crossing shards shows in each shard's own ledger as a Burned of
// the hold (exported) and a Minted of the till (imported); the goods as an
// ItemsBurned of the listing and an ItemsGranted of the buyer. Each shard
// therefore balances alone (ecs.Ledger), and Audit pairs exports with
// imports by message id to balance the whole.
package shard
