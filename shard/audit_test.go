package shard

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// oneBuy records two shards of one economy (stock 40) where p1-0 buys 3
// potions from l2 after p2-0 bought `first` there (38 leaves too few: the
// seller refuses) and returns the two logs.
func oneBuy(t *testing.T, first int64) []string {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 1, 40, lb)
	require.NoError(t, c.Step())
	if first > 0 {
		_, err := c.Buy("p2-0", "l2", first, 1)
		require.NoError(t, err)
		require.NoError(t, c.Step())
	}
	_, err := c.Buy("p1-0", "l2", 3, 1)
	require.NoError(t, err)
	run(t, c, lb, 10)
	return verifyAll(t, c)
}

// Logs of two sessions that disagree — the buyer's shard posted what the
// seller refused, or voided what the seller sold — are each fine alone,
// and the audit names the message that breaks conservation.
func TestAuditCatchesShardsThatDisagree(t *testing.T) {
	sold, refused := oneBuy(t, 0), oneBuy(t, 38)
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

// Logs of two economies are refused together (ErrOtherEconomy, naming
// the log), even where their messages would pair and balance: here each
// shard only sold at home, and the two logs alone would be "conserved".
func TestAuditRefusesLogsOfAnotherEconomy(t *testing.T) {
	home := func(stock int64, name string) []string {
		cs := []*ecs.Content{shardContent(t, 1, 1, stock), shardContent(t, 2, 1, stock)}
		cfg := testConfig
		cfg.Economy = name
		c, err := NewCluster(cfg, cs, NewLoopback(2))
		require.NoError(t, err)
		require.NoError(t, c.OpenLogs(t.TempDir(), ticklog.Options{SyncEvery: 1}))
		require.NoError(t, c.Step())
		for n := 1; n <= 2; n++ {
			_, err := c.Buy(fmt.Sprintf("p%d-0", n), fmt.Sprintf("l%d", n), 2, 1)
			require.NoError(t, err)
		}
		require.NoError(t, c.Step())
		return verifyAll(t, c)
	}
	a, b, named := home(40, ""), home(30, ""), home(40, "eu-1")
	for _, logs := range [][]string{a, b, named} {
		rep, err := Audit(logs)
		require.NoError(t, err)
		require.Zero(t, rep.Completed)
	}
	for _, mix := range [][]string{{a[0], b[1]}, {b[1], a[0]}, {a[0], named[1]}} {
		_, err := Audit(mix)
		require.ErrorIs(t, err, ErrOtherEconomy)
		var ae *AuditError
		require.ErrorAs(t, err, &ae)
		require.Equal(t, mix[1], ae.Path)
		require.Contains(t, ae.Error(), "is of another economy than "+mix[0])
	}
	// The same cluster built again is the same economy: its logs are the
	// same bytes.
	again := home(40, "")
	for i := range a {
		x, err := os.ReadFile(a[i])
		require.NoError(t, err)
		y, err := os.ReadFile(again[i])
		require.NoError(t, err)
		require.Equal(t, x, y)
	}
	_, err := Audit([]string{a[0], again[1]})
	require.NoError(t, err)
}
