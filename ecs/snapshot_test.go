package ecs_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/systems"
)

// shopSnapshot is the snapshot of the shop world after tick 0 and a few
// changes, round-tripped through JSON as a log stores it.
func shopSnapshot(t testing.TB) (*ecs.World, []byte) {
	t.Helper()
	data, err := json.Marshal(mustSnapshot(t))
	require.NoError(t, err)
	return freshShopWorld(), data
}

func freshShopWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

func mustSnapshot(t testing.TB) *ecs.Snapshot {
	t.Helper()
	w := freshShopWorld()
	ids := applyShop(t, w)
	w.Step()
	w.Command(events.Grant(ids.MustID("alice"), ids.MustID("potion"), 3))
	w.Command(events.Close(ids.MustID("bob")))
	w.Step()
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	return s
}

func decodeSnapshot(t testing.TB, data []byte) *ecs.Snapshot {
	t.Helper()
	var s ecs.Snapshot
	require.NoError(t, json.Unmarshal(data, &s))
	return &s
}

// requireFresh asserts that w is still the fresh world it was before a
// failed Restore.
func requireFresh(t *testing.T, w *ecs.World, fresh uint64) {
	t.Helper()
	require.Equal(t, uint64(0), w.NextTick())
	require.Equal(t, components.ID(1), w.NextID())
	require.Equal(t, fresh, w.Checksum())
	require.Equal(t, fresh, w.FullChecksum(), "no entity left behind")
	require.Empty(t, w.Pending())
	require.Empty(t, w.Currencies())
}

// Each hostile snapshot is refused with a *SnapshotError, never a panic
// inside arche, and leaves the world fresh: restoring the good snapshot
// on the very same world afterwards works.
func TestRestoreRejectsHostileSnapshotsAndLeavesTheWorldUnchanged(t *testing.T) {
	good := mustSnapshot(t)
	raw, err := json.Marshal(good)
	require.NoError(t, err)
	clone := func() *ecs.Snapshot { return decodeSnapshot(t, raw) }
	// An entity with a wallet: listing a component twice on it must fail.
	withWallet := -1
	for i, es := range good.Entities {
		for _, c := range es.Components {
			if c.Type == ecs.ComponentName(reflect.TypeFor[components.Wallet]()) {
				withWallet = i
			}
		}
	}
	require.GreaterOrEqual(t, withWallet, 0)
	cases := map[string]struct {
		mod  func(s *ecs.Snapshot)
		want string
	}{
		"component listed twice": {func(s *ecs.Snapshot) {
			cs := s.Entities[withWallet].Components
			s.Entities[withWallet].Components = append(cs, cs[len(cs)-1])
		}, "listed twice"},
		"entity listed twice": {func(s *ecs.Snapshot) {
			s.Entities = append(s.Entities, s.Entities[len(s.Entities)-1])
		}, "out of order"},
		"stable component listed": {func(s *ecs.Snapshot) {
			stable := ecs.ComponentName(reflect.TypeFor[components.Stable]())
			s.Entities[0].Components = append([]ecs.ComponentSnapshot{{Type: stable, Value: []byte(`{"ID":1}`)}},
				s.Entities[0].Components...)
		}, "cannot be restored"},
		"intent component listed": {func(s *ecs.Snapshot) {
			s.Entities[0].Components = []ecs.ComponentSnapshot{{Type: ecs.ComponentName(reflect.TypeFor[components.PurchaseIntent]()), Value: []byte(`{}`)}}
		}, "cannot be restored"},
		"unknown type": {func(s *ecs.Snapshot) {
			s.Entities[0].Components = []ecs.ComponentSnapshot{{Type: "components.Nope", Value: []byte("{}")}}
		}, "not registered"},
		"unknown field": {func(s *ecs.Snapshot) {
			s.Entities[withWallet].Components[0].Value = []byte(`{"Nope":1}`)
		}, "unknown field"},
		"entity id beyond next id": {func(s *ecs.Snapshot) {
			s.Entities[len(s.Entities)-1].ID = s.NextID
		}, "out of order or range"},
		"next id far beyond the created ids": {func(s *ecs.Snapshot) {
			// A matching checksum, as a hostile log would carry.
			old := s.NextID
			s.NextID += ecs.ReserveSlack + 1<<12
			s.Checksum += ecs.FieldHash(0, 9, uint64(s.NextID), 0, 0) - ecs.FieldHash(0, 9, uint64(old), 0, 0)
		}, "reserved but never created"},
		"used bit beyond next id": {func(s *ecs.Snapshot) {
			s.Used = append(s.Used, 1)
		}, "used"},
		"closed entity restored": {func(s *ecs.Snapshot) {
			s.Used = []uint64{0}
		}, "not marked used"},
		"listing names a wallet as its item": {func(s *ecs.Snapshot) {
			for i, es := range s.Entities {
				for j, c := range es.Components {
					if endsWith(c.Type, "ShopListing") {
						var l components.ShopListing
						require.NoError(t, json.Unmarshal(c.Value, &l))
						l.Item = l.Shop
						s.Entities[i].Components[j].Value, _ = json.Marshal(l)
					}
				}
			}
		}, "listing"},
		"item max stack past MaxStack": {func(s *ecs.Snapshot) {
			for i, es := range s.Entities {
				for j, c := range es.Components {
					if endsWith(c.Type, "ItemDef") {
						s.Entities[i].Components[j].Value = []byte(fmt.Sprintf(`{"MaxStack":%d}`, ecs.MaxStack+1))
					}
				}
			}
		}, "item max stack"},
		"negative balance": {func(s *ecs.Snapshot) {
			for _, c := range s.Entities[withWallet].Components {
				if endsWith(c.Type, "Wallet") {
					var wal components.Wallet
					require.NoError(t, json.Unmarshal(c.Value, &wal))
					wal.Balances[0].Amount = -5
					s.Entities[withWallet].Components[len(s.Entities[withWallet].Components)-1].Value, _ = json.Marshal(wal)
				}
			}
		}, "invalid"},
		"checksum": {func(s *ecs.Snapshot) { s.Checksum++ }, "checksum"},
		"system listed twice": {func(s *ecs.Snapshot) {
			s.Systems = append(s.Systems, s.Systems...)
		}, "listed twice"},
		"bad system state": {func(s *ecs.Snapshot) {
			s.Systems[0].State = []byte("nope")
		}, "system"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := freshShopWorld()
			fresh := w.Checksum()
			bad := clone()
			tc.mod(bad)
			var err error
			require.NotPanics(t, func() { err = w.Restore(bad) })
			var se *ecs.SnapshotError
			require.True(t, errors.As(err, &se), "typed error, got %v", err)
			assert.ErrorContains(t, err, tc.want)
			requireFresh(t, w, fresh)

			require.NoError(t, w.Restore(clone()), "retry on the same world")
			require.Equal(t, good.Checksum, w.Checksum())
			require.Equal(t, w.FullChecksum(), w.Step().Checksum)
		})
	}
}

func endsWith(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// FuzzRestore feeds mutated snapshots (as JSON, the way a log stores
// them) to Restore: it must return an error or a world whose checksum is
// the snapshot's and that steps, never panic; after an error the world is
// fresh and restores the good snapshot.
func FuzzRestore(f *testing.F) {
	_, good := shopSnapshot(f)
	f.Add(good)
	f.Add([]byte(`{"format":2,"next_id":1}`))
	f.Add([]byte(`{"format":2,"next_id":67108864,"used":[2],"entities":[{"id":1,"components":[]}]}`))
	f.Add([]byte(`{"format":2,"next_id":2,"used":[2],"entities":[{"id":1,"components":[` +
		`{"type":"github.com/tickecon/tickecon/components.Wallet","value":{}},` +
		`{"type":"github.com/tickecon/tickecon/components.Wallet","value":{}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s ecs.Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		w := freshShopWorld()
		if err := w.Restore(&s); err != nil {
			var se *ecs.SnapshotError
			require.True(t, errors.As(err, &se), "typed error, got %v", err)
			require.Equal(t, components.ID(1), w.NextID())
			require.NoError(t, w.Restore(decodeSnapshot(t, good)))
			return
		}
		require.Equal(t, s.Checksum, w.Checksum())
		require.Equal(t, w.FullChecksum(), w.Step().Checksum)
	})
}

// Each world draws its own hash seed and keeps it: a snapshot does not
// carry it (two recordings of one session would differ, and a shared log
// would leak the secret), so a restored world keeps its own seed, and a
// snapshot written before (with "hash_seed") still decodes and restores.
func TestHashSeedIsPerWorldAndNeverSnapshotted(t *testing.T) {
	a, b := ecs.New(), ecs.New()
	require.NotEqual(t, core.Of(a).HashSeed, core.Of(b).HashSeed, "drawn at random (equal with probability 2^-64)")
	core.Of(a).HashSeed = 12345
	a.Step()
	s, err := a.TakeSnapshot()
	require.NoError(t, err)
	raw, err := json.Marshal(s)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "hash_seed")
	assert.NotContains(t, string(raw), "12345")
	core.Of(a).HashSeed = 999
	again, err := a.TakeSnapshot()
	require.NoError(t, err)
	rawAgain, err := json.Marshal(again)
	require.NoError(t, err)
	assert.Equal(t, raw, rawAgain, "the seed changes no byte of a snapshot")

	seedB := core.Of(b).HashSeed
	require.NoError(t, b.Restore(s))
	assert.Equal(t, seedB, core.Of(b).HashSeed, "a restored world keeps its own seed")

	old := append(raw[:len(raw)-1:len(raw)-1], `,"hash_seed":12345}`...)
	var dec ecs.Snapshot
	require.NoError(t, json.Unmarshal(old, &dec), "a snapshot of an older log")
	d := ecs.New()
	seedD := core.Of(d).HashSeed
	require.NoError(t, d.Restore(&dec))
	assert.Equal(t, seedD, core.Of(d).HashSeed, "an old snapshot's seed is ignored")

	bad := *s
	bad.Checksum++
	c := ecs.New()
	seed := core.Of(c).HashSeed
	require.Error(t, c.Restore(&bad))
	assert.Equal(t, seed, core.Of(c).HashSeed, "a failed restore keeps the seed")
}

// Closing a shop leaves its listings (a purchase is refused as TillGone):
// a snapshot of that state restores, as every state the world reaches
// must. A listing naming an id that was never created is still refused.
func TestSnapshotOfAListingWhoseShopClosedRestores(t *testing.T) {
	w, ids := newShop()
	w.Command(events.Close(ids.MustID("smithy")))
	w.Step()
	s, err := w.TakeSnapshot()
	require.NoError(t, err)
	fresh := func() *ecs.World { r := ecs.New(); systems.Install(r); return r }
	r := fresh()
	require.NoError(t, r.Restore(s))
	assert.Equal(t, w.Checksum(), r.Checksum())

	for i, es := range s.Entities {
		if es.ID != ids.MustID("potions") {
			continue
		}
		for j, c := range es.Components {
			if strings.HasSuffix(c.Type, "ShopListing") {
				bad := *s
				bad.Entities = slices.Clone(s.Entities)
				bad.Entities[i].Components = slices.Clone(es.Components)
				bad.Entities[i].Components[j].Value = json.RawMessage(strings.Replace(string(c.Value), `"Till":5`, `"Till":500`, 1))
				require.NotEqual(t, string(c.Value), string(bad.Entities[i].Components[j].Value))
				assert.ErrorContains(t, fresh().Restore(&bad), "listing")
			}
		}
	}
}
