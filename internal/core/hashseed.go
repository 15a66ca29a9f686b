package core

import (
	crand "crypto/rand"
	"encoding/binary"
)

// Hash tables keyed by values a client chooses (the idempotency window's
// (buyer, request id) pairs) are keyed with the world's hash seed, so that
// nobody who does not know it can pick keys that all land in one probe
// run and make a tick quadratic. The seed decides only where entries sit
// in such tables, never an outcome, an event or a checksum: worlds with
// different seeds replay the same session identically. It is never saved
// in snapshots or logs: a log is shared with others, and two recordings
// of one session must be byte-identical. A restored world keeps its own
// seed; systems re-place their entries when they see it (PurchaseSystem).

// newHashSeed draws a fresh seed from the operating system. It runs when a
// world is made (Link), never inside a tick.
func newHashSeed() uint64 {
	var b [8]byte
	_, _ = crand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.LittleEndian.Uint64(b[:])
}
