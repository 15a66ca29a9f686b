package replay

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// A replayed world's snapshot matches the recorded JSON byte for byte,
// whatever hash seeds the two worlds drew (core and commerce, whose
// idempotency window places entries by the seed); any other difference,
// or a seed not written as JSON writes numbers, is a mismatch.
func TestSnapshotJSONMatchesAcrossHashSeedsOnly(t *testing.T) {
	for _, commerce := range []bool{false, true} {
		mk := func(seed uint64) *ecs.World {
			w := ecs.New()
			if commerce {
				systems.InstallCommerce(w, systems.DefaultConfig)
			} else {
				systems.Install(w)
			}
			w.SetHashSeed(seed)
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
		require.NotEqual(t, snap.HashSeed, act.HashSeed)
		assert.True(t, sameSnapshotJSON(raw, act), "commerce %v", commerce)
		assert.Equal(t, uint64(987654321), act.HashSeed, "act is left as it was")

		snap.HashSeed = 0
		zero, err := json.Marshal(snap)
		require.NoError(t, err)
		assert.True(t, sameSnapshotJSON(zero, act), "recorded with seed 0")

		body := string(zero[:len(zero)-1])
		for _, tail := range []string{`,"hash_seed":01}`, `,"hash_seed":-1}`, `,"hash_seed":1e3}`,
			`,"hash_seed":18446744073709551616}`, `,"hash_seed":}`, `,"hash_seed":5} `, `,"hash_seed":5,"x":1}`} {
			assert.False(t, sameSnapshotJSON([]byte(body+tail), act), "%s", tail)
		}
		assert.True(t, sameSnapshotJSON([]byte(body+`,"hash_seed":18446744073709551615}`), act))

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
