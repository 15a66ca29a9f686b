package ecs

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

func livePages(w *World) int { return w.core.IDs.Pages() }

// Pages of ids that were all created and closed are dropped, and a dropped
// id still behaves exactly as a closed one: Gone, never created again,
// hash 0, kept in snapshots as used.
func TestSpentIDPagesAreDroppedAndStayClosed(t *testing.T) {
	w := New()
	const n = 5 * core.PageSize
	ids := make([]components.ID, n)
	for i := range ids {
		ids[i] = w.Command(events.OpenPlayer("x", 1)).ID
	}
	w.Step()
	require.Equal(t, 6, livePages(w)) // ids 1…5·1024 span pages 0…5
	keep := ids[n-1]                  // one live entity keeps the last page
	for _, id := range ids[:n-1] {
		w.Command(events.Close(id))
	}
	w.Step()
	require.Equal(t, w.FullChecksum(), w.Checksum())
	// Page 0 (id 0 is never used) and the last page (live id) remain.
	require.Equal(t, 2, livePages(w))
	_, st := w.Lookup(ids[2*core.PageSize])
	require.Equal(t, Gone, st)
	_, st = w.Lookup(keep)
	require.Equal(t, Alive, st)

	// A closed id of a dropped page cannot be created again.
	w.Command(events.WalletOpenedEvent{Player: ids[2*core.PageSize], Name: "again", Capacity: 1}.Event())
	rec := w.Step()
	require.Len(t, rec.Events, 1)
	require.Equal(t, events.ReasonIDInUse, rec.Events[0].Reason)

	// Snapshots still list every used id, and a restored world agrees.
	snap, err := w.TakeSnapshot()
	require.NoError(t, err)
	for _, id := range ids {
		require.True(t, (&core.Bitset{Words: snap.Used}).Has(id), "id %d used", id)
	}
	raw, err := json.Marshal(snap)
	require.NoError(t, err)
	var back Snapshot
	require.NoError(t, json.Unmarshal(raw, &back))
	r := New()
	require.NoError(t, r.Restore(&back))
	require.Equal(t, w.Checksum(), r.Checksum())
	require.Equal(t, 2, livePages(r), "a restore drops spent pages too")
	r.Command(events.WalletOpenedEvent{Player: ids[3*core.PageSize], Name: "again", Capacity: 1}.Event())
	require.Equal(t, events.ReasonIDInUse, r.Step().Events[0].Reason)
}
