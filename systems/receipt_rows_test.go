package systems_test

import (
	"encoding/json"
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/systems"
)

// receiptSession runs a busy commerce session in which receipts are
// issued, some closed a tick later, some kept, some closed twice, and
// named by intents as buyer and listing while open and after they closed;
// a snapshot is taken at tick 30 and the rest runs on a world restored
// from it. It returns a digest of every tick's checksum, every event and
// the snapshot's JSON.
func receiptSession(t *testing.T, cfg systems.Config) uint64 {
	w := ecs.New()
	systems.InstallCommerce(w, cfg)
	w.SetChecksumAudit(7)
	s, err := session.Attach(w, 11, session.Content(11, 40))
	require.NoError(t, err)
	d := fnv.New64a()
	var open, closed []components.ID
	kinds, closeRejected := map[events.Kind]int{}, 0
	for tick := range 60 {
		if tick == 30 {
			snap, err := w.TakeSnapshot()
			require.NoError(t, err)
			raw, err := json.Marshal(snap)
			require.NoError(t, err)
			d.Write(raw)
			var back ecs.Snapshot
			require.NoError(t, json.Unmarshal(raw, &back))
			w2 := ecs.New()
			systems.InstallCommerce(w2, cfg)
			w2.SetChecksumAudit(7)
			require.NoError(t, w2.Restore(&back))
			require.Equal(t, w.Checksum(), w2.Checksum())
			w, s.World = w2, w2 // the same inputs go on, to the restored world
		}
		if tick > 2 && len(open) > 0 {
			w.Submit(components.PurchaseIntent{Buyer: open[0], Listing: open[len(open)-1], Quantity: 1, RequestID: 1})
		}
		if len(closed) > 0 {
			w.Submit(components.PurchaseIntent{Buyer: closed[0], Listing: 3, Quantity: 1, RequestID: 1})
			w.Command(events.Close(closed[len(closed)-1])) // already closed: rejected
		}
		var keep []components.ID
		for i, id := range open {
			if i%3 == 2 {
				keep = append(keep, id)
				continue
			}
			w.Command(events.Close(id))
			closed = append(closed, id)
		}
		open = keep
		rec := s.Step(25)
		for _, ev := range rec.Events {
			kinds[ev.Kind]++
			if ev.Kind == events.CommandRejected && ev.Of == events.EntityClosed {
				closeRejected++
			}
			if ev.Kind == events.ReceiptIssued {
				open = append(open, ev.Subject)
			}
		}
		raw, err := json.Marshal(rec.Events)
		require.NoError(t, err)
		d.Write(raw)
		var sum [8]byte
		for i := range sum {
			sum[i] = byte(rec.Checksum >> (8 * i))
		}
		d.Write(sum[:])
		require.Equal(t, w.FullChecksum(), w.Checksum())
	}
	drift, _ := w.ChecksumDrift()
	require.Zero(t, drift)
	require.NotEmpty(t, open)
	t.Logf("issued %d, closed %d, closes rejected %d, purchases rejected %d", kinds[events.ReceiptIssued], kinds[events.EntityClosed], closeRejected, kinds[events.PurchaseRejected])
	require.Greater(t, kinds[events.ReceiptIssued], 200)
	require.Greater(t, kinds[events.EntityClosed], 100)
	require.Greater(t, closeRejected, 20, "closing a closed receipt is rejected")
	require.Greater(t, kinds[events.PurchaseRejected], 50) // receipts named as buyers and listings among them
	return d.Sum64()
}

// Receipts moved from arche entities to rows (receipt.go): the same
// events, checksums and snapshot bytes as when each was an entity. The
// digest was taken with receipts as entities (commit 8de968a), with the
// receipt terms every log had then: checksum version 0, and 1, which is
// the same.
func TestReceiptRowsKeepPinnedChecksumsLogsAndSnapshots(t *testing.T) {
	for _, v := range []uint8{0, 1} {
		cfg := systems.DefaultConfig
		cfg.ChecksumVersion = v
		require.Equal(t, uint64(0x939fc80dd633abae), receiptSession(t, cfg), "version %d", v)
	}
}

// Checksum version 2 (the cheaper receipt terms) changes the checksums:
// its digest is pinned too, so that a change of its terms is seen (on
// every architecture: CI runs this test on 386, arm and mips as well).
func TestReceiptTermsVersion2IsPinned(t *testing.T) {
	require.Equal(t, uint8(2), systems.DefaultConfig.ChecksumVersion)
	require.Equal(t, uint64(0xc016b45d178e7d04), receiptSession(t, systems.DefaultConfig))
}
