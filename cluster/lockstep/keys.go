package lockstep

// Idempotency keys of a replicated world: an intent is applied once per
// (Buyer, RequestID), however often a client retries it across a
// failover.

import "github.com/tickecon/tickecon/components"

// intentKey is an intent's idempotency key: the commerce model's own
// (components.PurchaseIntent: (Buyer, RequestID) must be unique).
type intentKey struct {
	buyer components.ID
	req   uint64
}

func keyOf(in *components.PurchaseIntent) (intentKey, bool) {
	return intentKey{in.Buyer, in.RequestID}, in.RequestID != 0
}

// keyRing remembers the last n keys and the tick each applies in; the
// oldest is forgotten first. A host fills it as it stamps inputs, a
// standby as it applies frames, so the standby that takes over knows
// every committed key the old host knew.
type keyRing struct {
	m    map[intentKey]uint64
	ring []intentKey
	next int
}

func newKeyRing(n int) *keyRing {
	return &keyRing{m: make(map[intentKey]uint64, n), ring: make([]intentKey, n)}
}

func (k *keyRing) get(key intentKey) (uint64, bool) {
	t, ok := k.m[key]
	return t, ok
}

func (k *keyRing) add(key intentKey, tick uint64) {
	if _, ok := k.m[key]; ok {
		return
	}
	if old := k.ring[k.next]; old.req != 0 {
		delete(k.m, old)
	}
	k.ring[k.next] = key
	k.m[key] = tick
	k.next = (k.next + 1) % len(k.ring)
}

// each calls f with every remembered key and its tick, oldest first.
func (k *keyRing) each(f func(intentKey, uint64)) {
	for i := range k.ring {
		key := k.ring[(k.next+i)%len(k.ring)]
		if key.req != 0 {
			f(key, k.m[key])
		}
	}
}
