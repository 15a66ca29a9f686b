package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The relay command with no URL runs an embedded server in a data folder:
// a second run finds everything there and publishes nothing.
func TestRelayCommandEmbedded(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "shop day.log")
	code, _, _ := tool("record", "-ticks", "200", "-players", "20", "-commerce", log)
	require.Equal(t, exitOK, code)
	data := filepath.Join(dir, "js")

	code, out, errs := tool("relay", "-port", "0", "-data", data, log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, `as world "shop-day"`)
	require.Contains(t, out, "up to tick 199")
	require.NotContains(t, out, "published 0 events")

	code, out, errs = tool("relay", "-port", "0", "-data", data, log)
	require.Equal(t, exitOK, code, errs)
	require.Contains(t, out, "the stream already held ticks 0 to 199")
	require.Contains(t, out, "published 0 events in 0 messages")
}

func TestRelayCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.log")
	require.NoError(t, os.WriteFile(bad, []byte("not a log at all"), 0o644))
	code, _, errs := tool("relay", "-port", "0", "-data", filepath.Join(dir, "js"), bad)
	require.Equal(t, exitBadFile, code)
	require.Contains(t, errs, "corrupt")
	_, err := os.Stat(filepath.Join(dir, "js"))
	require.True(t, os.IsNotExist(err), "no server started for a bad file")

	code, _, errs = tool("relay", "-world", "a.b", bad)
	require.Equal(t, exitUsage, code)
	require.Contains(t, errs, "may only hold")
}
