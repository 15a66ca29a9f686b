package replay

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// A replayed world's snapshot matches the recorded JSON byte for byte,
// whatever hash seeds the two worlds drew (core and commerce, whose
// idempotency window places entries by the seed); a snapshot of an older
// log, which carried "hash_seed", takes the slow path (no match), and any
// other difference is a mismatch.
func TestSnapshotJSONMatchesAcrossHashSeeds(t *testing.T) {
	for _, commerce := range []bool{false, true} {
		mk := func(seed uint64) *ecs.World {
			w := ecs.New()
			if commerce {
				systems.InstallCommerce(w, systems.DefaultConfig)
			} else {
				systems.Install(w)
			}
			core.Of(w).HashSeed = seed
			s, err := session.Attach(w, 4, session.Content(4, 30))
			require.NoError(t, err)
			for range 60 {
				s.Step(40)
			}
			return w
		}
		rec, rep := mk(12345), mk(987654321)
		snap, err := rec.TakeSnapshot()
		require.NoError(t, err)
		raw, err := json.Marshal(snap)
		require.NoError(t, err)
		act, err := rep.TakeSnapshot()
		require.NoError(t, err)
		assert.True(t, sameSnapshotJSON(raw, act), "commerce %v", commerce)

		old := string(raw[:len(raw)-1]) + `,"hash_seed":12345}`
		assert.False(t, sameSnapshotJSON([]byte(old), act), "an old log's seed: decoded and diffed instead")

		// One balance differs: no match.
		var wallet components.ID
		for _, es := range snap.Entities {
			if e, _ := rec.Lookup(es.ID); rec.ECS().Has(e, rec.Maps.Wallet.ID()) {
				wallet = es.ID
			}
		}
		e, _ := rec.Lookup(wallet)
		rec.Maps.Wallet.Get(e).Credit(snap.Currencies[0], 1)
		changed, err := rec.TakeSnapshot()
		require.NoError(t, err)
		raw, err = json.Marshal(changed)
		require.NoError(t, err)
		assert.False(t, sameSnapshotJSON(raw, act))
	}
}

// The entity encoding matches json.Marshal's on the edges too (no
// components, a nil value, type names JSON escapes, no entities at all),
// and a name in an earlier field holding the entities' key does not
// confuse it; a changed byte anywhere is a mismatch.
func TestSnapshotJSONEdges(t *testing.T) {
	base := ecs.Snapshot{Format: ecs.SnapshotFormat, Tick: 7, NextID: 9, Used: []uint64{3}, Currencies: []components.ID{1},
		Pending:  []events.Event{{Kind: events.Minted, Name: `x","entities":null,"y`}},
		Entities: []ecs.EntitySnapshot{{ID: 1}, {ID: 2, Components: []ecs.ComponentSnapshot{{Type: "a<b>&\"é\u2028", Value: json.RawMessage(`{"A":1}`)}, {Type: "z"}}}},
		Systems:  []ecs.SystemSnapshot{{Name: "purchase", State: []byte{1, 2, 3}}}, Checksum: 42}
	noEntities := base
	noEntities.Entities = []ecs.EntitySnapshot{}
	nilEntities := base
	nilEntities.Entities = nil
	for _, s := range []ecs.Snapshot{base, noEntities, nilEntities} {
		raw, err := json.Marshal(&s)
		require.NoError(t, err)
		act := s
		require.True(t, sameSnapshotJSON(raw, &act), "%s", raw)
		for i := range raw {
			bad := bytes.Clone(raw)
			bad[i] ^= 0x01
			require.False(t, sameSnapshotJSON(bad, &act), "byte %d of %s", i, raw)
		}
		require.False(t, sameSnapshotJSON(raw[:len(raw)-1], &act))
		require.False(t, sameSnapshotJSON(append(bytes.Clone(raw), ' '), &act))
	}
}
