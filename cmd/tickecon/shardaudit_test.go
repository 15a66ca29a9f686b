package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// twoShards records a two-shard session in dir: p1 on shard 1 buys from
// the listing l2 on shard 2 (3 units) and from l1 at home.
func twoShards(t *testing.T, dir string, rounds int) []string {
	return twoShardsOf(t, dir, rounds, "")
}

// twoShardsOf is twoShards in the economy named economy.
func twoShardsOf(t *testing.T, dir string, rounds int, economy string) []string {
	var cs []*ecs.Content
	for n := 1; n <= 2; n++ {
		c, err := ecs.ParseContent([]byte(fmt.Sprintf(`{"currencies": [{"key": "gold", "name": "Gold"}],
		"items": [{"key": "potion", "name": "Potion", "max_stack": 10}],
		"shops": [{"key": "s%d", "name": "S", "listings": [{"key": "l%d", "item": "potion", "currency": "gold", "price": 25, "stock": 9}]}],
		"players": [{"key": "p%d", "name": "P", "capacity": 4, "wallet": [{"currency": "gold", "amount": 1000}]}]}`, n, n, n)))
		require.NoError(t, err)
		cs = append(cs, c)
	}
	cl, err := shard.NewCluster(shard.Config{HoldTimeout: 30, Commerce: systems.DefaultConfig, Economy: economy}, cs, shard.NewLoopback(2))
	require.NoError(t, err)
	require.NoError(t, cl.OpenLogs(dir, ticklog.Options{SyncEvery: 1}))
	require.NoError(t, cl.Step())
	_, err = cl.Buy("p1", "l2", 3, 1)
	require.NoError(t, err)
	_, err = cl.Buy("p1", "l1", 1, 2)
	require.NoError(t, err)
	for range rounds {
		require.NoError(t, cl.Step())
	}
	require.NoError(t, cl.Close())
	return []string{cl.Node(1).Path, cl.Node(2).Path}
}

func TestAuditAcrossShardLogs(t *testing.T) {
	logs := twoShards(t, t.TempDir(), 5)
	for _, l := range logs {
		code, _, errOut := tool("verify", l)
		require.Equal(t, exitOK, code, errOut) // each shard's log verifies alone
	}
	code, out, errOut := tool("audit", logs[0], logs[1])
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "1 completed on both sides, 0 refused with the money back, 0 in flight")
	require.Contains(t, out, "conserved")

	// The buyer's log alone: the sale is in no log given.
	code, _, errOut = tool("audit", logs[0])
	require.Equal(t, exitMismatch, code)
	require.Contains(t, errOut, "seller's log (shard 2) is not among the audited")

	// Stopped after the hold: the request is named, and the money held counts.
	mid := twoShards(t, t.TempDir(), 1)
	code, out, errOut = tool("audit", mid[1], mid[0])
	require.Equal(t, exitOK, code, errOut)
	t.Log(out)
	require.Contains(t, out, "never answered: 1:")
	require.Contains(t, out, "/XSaleRequested (sent by shard 1)")

	code, _, errOut = tool("audit", logs[0], logs[0])
	require.Equal(t, exitBadFile, code)
	require.Contains(t, errOut, "shard 1 again")
	code, _, _ = tool("audit")
	require.Equal(t, exitUsage, code)
}

// Audit and dump name currencies and items as the content did at tick 0,
// after the id, which stays for anything matching on it.
func TestAuditAndDumpNameCurrenciesAndItems(t *testing.T) {
	logs := twoShards(t, t.TempDir(), 5)
	code, out, errOut := tool("audit", logs[0], logs[1])
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "currency 1 (Gold): held ")
	require.Contains(t, out, "item 2 (Potion): held ")

	mid := twoShards(t, t.TempDir(), 1) // stopped with a hold in flight
	code, out, errOut = tool("audit", mid[0], mid[1])
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "of currency 1 (Gold))")

	code, out, errOut = tool("dump", logs[0])
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, ` XHoldPlaced `)
	require.Contains(t, out, ` Item=2("Potion") Currency=1("Gold") `)
	require.Contains(t, out, `CurrencyDefined Currency=1 Name="Gold"`) // the definition itself as before
}

// label falls back to the id, and escapes a name as a Go string would.
func TestLabel(t *testing.T) {
	require.Equal(t, "7", label(7, ""))
	require.Equal(t, `7 (Big\nGem)`, label(7, "Big\nGem"))
}

// Shard logs of two economies: refused as a bad file (exit 3), saying
// which log and why, never "conserved".
func TestAuditRefusesAnotherEconomy(t *testing.T) {
	a := twoShardsOf(t, t.TempDir(), 5, "")
	b := twoShardsOf(t, t.TempDir(), 5, "test")
	code, out, errOut := tool("audit", a[0], b[1])
	require.Equal(t, exitBadFile, code, out)
	require.NotContains(t, out, "conserved")
	require.Contains(t, errOut, b[1]+": shard 2 is of another economy than "+a[0])
	require.Contains(t, errOut, `(economy "test/`)
}
