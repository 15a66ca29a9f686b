package main

import (
	"flag"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/syncbuf"
	"github.com/tickecon/tickecon/systems"
)

// relayChildEnv makes this test binary run `tickecon-relay` (runMain, with
// its signal handling) with the arguments after its "--".
const relayChildEnv = "TICKECON_RELAY_CHILD"

func TestRelayChildProcess(t *testing.T) {
	if os.Getenv(relayChildEnv) == "" {
		t.Skip("run by TestRelayCommandProgressAndSignals")
	}
	os.Exit(runMain(flag.Args()))
}

// A following relay prints a progress line every -progress, and SIGTERM
// (a service manager, `timeout`) or SIGINT (Ctrl-C) ends it with exit 0
// and, as its last line, the summary: events, messages, and the ticks
// relayed through the last one stored.
func TestRelayCommandProgressAndSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM to send")
	}
	box := natsbox.ForTest(t)
	setup := systems.CommerceSetup(systems.DefaultConfig)
	hostSessionOf(t, box, "shop", 60, &setup)
	for _, sig := range []os.Signal{syscall.SIGTERM, os.Interrupt} {
		world := "w" + strings.ToLower(strings.TrimPrefix(sig.String(), "SIG"))[:3]
		cmd := exec.Command(os.Args[0], "-test.run=^TestRelayChildProcess$", "--",
			"-url", box.URL(), "-session", "shop", "-setup", "commerce", "-follow", "-progress", "5ms", "-world", world)
		cmd.Env = append(os.Environ(), relayChildEnv+"=1")
		var out, errs syncbuf.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		require.NoError(t, cmd.Start())
		waited := false
		defer func() {
			if !waited {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
		}()
		deadline := time.Now().Add(time.Minute) // bounds a hang only
		for strings.Count(out.String(), "progress: published") < 2 || !strings.Contains(out.String(), "ticks 0 to 58\n") {
			require.True(t, time.Now().Before(deadline), "no progress lines: %s %s", out.String(), errs.String())
			time.Sleep(5 * time.Millisecond)
		}
		require.NoError(t, cmd.Process.Signal(sig))
		err := cmd.Wait()
		waited = true
		require.NoError(t, err, "%v: exit 0 (-follow interrupted): %s", sig, errs.String())
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		last := lines[len(lines)-1]
		require.True(t, strings.HasPrefix(last, "stopped: published "), "%v: the summary is the last line: %q", sig, last)
		require.Contains(t, last, "events in ")
		require.Contains(t, last, "ticks 0 to 58", "the last tick relayed")
		require.Contains(t, lines[1], "progress: published ", "progress comes after the first line")
	}
}

// -progress 0 prints none; a negative one is a usage error.
func TestRelayCommandProgressFlag(t *testing.T) {
	box := natsbox.ForTest(t)
	hostSession(t, box, "shop", 30)
	code, out, errs := tool("-url", box.URL(), "-session", "shop", "-setup", "commerce", "-progress", "0")
	require.Equal(t, exitOK, code, errs)
	require.NotContains(t, out, "progress:")
	code, _, errs = tool("-url", box.URL(), "-session", "shop", "-setup", "commerce", "-progress", "-1s")
	require.Equal(t, exitUsage, code)
	require.Contains(t, errs, "-progress -1s")
}
