package main

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// A server that cannot be reached is reported at once (exit 3), naming
// the URL, instead of a relay that hangs silently.
func TestRelayCommandUnreachable(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "s.log")
	code, _, _ := tool("record", "-ticks", "20", "-players", "5", log)
	require.Equal(t, exitOK, code)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port, closed: nothing listens there
	require.NoError(t, err)
	url := "nats://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	start := time.Now()
	code, _, errs := tool("relay", "-url", url, log)
	require.Equal(t, exitBadFile, code, errs)
	require.Contains(t, errs, "cannot reach a NATS server at "+url)
	require.Less(t, time.Since(start), 2*connectTimeout)
}
