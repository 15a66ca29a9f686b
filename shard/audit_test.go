package shard

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// oneBuy records two shards where p1-0 buys 3 potions from l2 (stock
// decides: 40 sells, 2 refuses) and returns the two logs.
func oneBuy(t *testing.T, stock int64) []string {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, stock, lb)
	require.NoError(t, c.Step())
	_, err := c.Buy("p1-0", "l2", 3, 1)
	require.NoError(t, err)
	run(t, c, lb, 10)
	return verifyAll(t, c)
}

// Logs of two sessions that disagree — the buyer's shard posted what the
// seller refused, or voided what the seller sold — are each fine alone,
// and the audit names the message that breaks conservation.
func TestAuditCatchesShardsThatDisagree(t *testing.T) {
	sold, refused := oneBuy(t, 40), oneBuy(t, 2)
	for _, ok := range [][]string{sold, refused} {
		_, err := Audit(ok)
		require.NoError(t, err)
	}
	_, err := Audit([]string{sold[0], refused[1]})
	var ae *AuditError
	require.ErrorAs(t, err, &ae)
	require.Contains(t, ae.Error(), "refused by the seller but posted by the buyer's shard")
	_, err = Audit([]string{refused[0], sold[1]})
	require.ErrorAs(t, err, &ae)
	require.Contains(t, ae.Error(), "sold by the seller but voided by the buyer's shard")
	// The seller's log alone: a sale with no hold in any log given is in
	// flight (its buyer's log is missing), not an error.
	rep, err := Audit([]string{sold[1]})
	require.NoError(t, err)
	require.Len(t, rep.InFlight, 1)
}

// TestAuditReadErrorNamesFile: with several logs, a read error must say
// which file it came from.
func TestAuditReadErrorNamesFile(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.log")
	require.NoError(t, os.WriteFile(bad, []byte("x"), 0o644))
	_, err := Audit([]string{bad})
	require.Error(t, err)
	require.Contains(t, err.Error(), bad)
}
