package lockstep

// Idempotency keys of a replicated world: an intent is applied once per
// (Buyer, RequestID), and a keyed command (Host.CommandOnce: a bus inbox
// message) once per key, however often either is retried or redelivered
// across a failover.

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/tickecon/tickecon/components"
)

// Kinds of idempotency key (idemKey.kind; 0 marks an empty ring slot).
const (
	keyIntent  byte = 1 // a, b: the intent's Buyer and RequestID
	keyCommand byte = 2 // a, b: the first 16 bytes of SHA-256 of the command's key
)

// idemKey is an idempotency key: an intent's (the commerce model's own:
// components.PurchaseIntent's (Buyer, RequestID) must be unique) or a
// keyed command's. Both kinds share one ring, one window and one
// takeover scan.
type idemKey struct {
	kind byte
	a, b uint64
}

// cmdKeyLen is the size of a keyed command's key in a frame.
const cmdKeyLen = 16

func keyOf(in *components.PurchaseIntent) (idemKey, bool) {
	return idemKey{keyIntent, uint64(in.Buyer), in.RequestID}, in.RequestID != 0
}

// commandKey derives a keyed command's compact key from the caller's id
// (a bus inbox message's Nats-Msg-Id): 128 bits of SHA-256, so any id
// travels in 16 bytes and two ids collide with probability 2^-128.
func commandKey(id string) [cmdKeyLen]byte {
	var k [cmdKeyLen]byte
	s := sha256.Sum256([]byte(id))
	copy(k[:], s[:cmdKeyLen])
	return k
}

// keyOfCommand is the ring key of a command key as a frame carries it.
func keyOfCommand(k []byte) idemKey {
	return idemKey{keyCommand, binary.LittleEndian.Uint64(k), binary.LittleEndian.Uint64(k[8:])}
}

// keyRing remembers the last n keys and the tick each applies in; the
// oldest is forgotten first. A host fills it as it stamps inputs, a
// standby as it applies frames, so the standby that takes over knows
// every committed key the old host knew.
type keyRing struct {
	m    map[idemKey]uint64
	ring []idemKey
	next int
	outs *cmdOutcomes // the answers to the last keyed ticks' commands (nil: none yet)
}

func newKeyRing(n int) *keyRing {
	return &keyRing{m: make(map[idemKey]uint64, n), ring: make([]idemKey, n)}
}

func (k *keyRing) get(key idemKey) (uint64, bool) {
	t, ok := k.m[key]
	return t, ok
}

func (k *keyRing) add(key idemKey, tick uint64) {
	if _, ok := k.m[key]; ok {
		return
	}
	if old := k.ring[k.next]; old.kind != 0 {
		delete(k.m, old)
	}
	k.ring[k.next] = key
	k.m[key] = tick
	k.next = (k.next + 1) % len(k.ring)
}

// each calls f with every remembered key and its tick, oldest first.
func (k *keyRing) each(f func(idemKey, uint64)) {
	for i := range k.ring {
		key := k.ring[(k.next+i)%len(k.ring)]
		if key.kind != 0 {
			f(key, k.m[key])
		}
	}
}

// addFrame records a frame's keys — its intents', then its keyed
// commands' (keys: cmdKeyLen bytes each) — as applied in tick.
func (k *keyRing) addFrame(tick uint64, f *frameIn) {
	for i := range f.Intents {
		if key, ok := keyOf(&f.Intents[i]); ok {
			k.add(key, tick)
		}
	}
	for p := f.keys; len(p) >= cmdKeyLen; p = p[cmdKeyLen:] {
		k.add(keyOfCommand(p), tick)
	}
}
