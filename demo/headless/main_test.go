package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noDisplay is the environment without DISPLAY and WAYLAND_DISPLAY.
func noDisplay() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}

// build compiles a package of the module into dir.
func build(t *testing.T, dir, pkg string) (string, error) {
	t.Helper()
	bin := filepath.Join(dir, filepath.Base(pkg))
	out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput()
	if err != nil {
		return "", &buildError{err: err, out: out}
	}
	return bin, nil
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + string(e.out) }

// run runs bin without a display and returns stdout, stderr, exit code.
func run(t *testing.T, bin string, args ...string) (string, string, int) {
	t.Helper()
	return runEnv(t, noDisplay(), bin, args...)
}

// runEnv runs bin in env and returns stdout, stderr, exit code.
func runEnv(t *testing.T, env []string, bin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return stdout.String(), stderr.String(), code
}

// TestHeadlessWithoutDisplay runs the headless binary with DISPLAY unset:
// it simulates, records and verifies; it links no ebiten, so it needs
// neither a display nor X libraries.
func TestHeadlessWithoutDisplay(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin, err := build(t, dir, "github.com/tickecon/tickecon/demo/headless")
	require.NoError(t, err)
	deps, err := exec.Command("go", "list", "-deps", "github.com/tickecon/tickecon/demo/headless").Output()
	require.NoError(t, err)
	assert.NotContains(t, string(deps), "ebiten", "the headless binary must not link ebiten")

	a, errA, code := run(t, bin, "-ticks", "600", "-seed", "7")
	require.Equal(t, 0, code, errA)
	b, _, _ := run(t, bin, "-ticks", "600", "-seed", "7")
	assert.Equal(t, a, b, "same seed, same bytes")
	assert.Contains(t, a, "ticks       601 (0 to 600)")

	log := filepath.Join(dir, "s.log")
	_, errR, code := run(t, bin, "-record", log, "-ticks", "900", "-seed", "7")
	require.Equal(t, 0, code, errR)
	out, errV, code := run(t, bin, "-replay", log)
	require.Equal(t, 0, code, errV)
	assert.Contains(t, out, "replay      verified: all 901 ticks")

	raw, err := os.ReadFile(log)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(log, raw[:len(raw)-2], 0o644))
	_, errT, code := run(t, bin, "-replay", log)
	assert.Equal(t, 4, code, "a torn tail exits 4, as tickecon verify")
	assert.Contains(t, errT, "torn tail at byte")
}

// TestWindowedDemoWithoutDisplay: the ebiten demo without a display says
// so in one line and exits 2, instead of ebiten's init panic trace.
func TestWindowedDemoWithoutDisplay(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("the display check is for X11/Wayland systems; builds the ebiten demo")
	}
	bin, err := build(t, t.TempDir(), "github.com/tickecon/tickecon/demo")
	if err != nil {
		t.Skipf("the ebiten demo does not build here (needs cgo and the X11/GL headers): %v", err)
	}
	for _, args := range [][]string{nil, {"-headless", "-ticks", "5"}} {
		stdout, stderr, code := run(t, bin, args...)
		assert.Equal(t, 2, code, "args %v", args)
		assert.Empty(t, stdout)
		assert.True(t, strings.HasPrefix(stderr, "demo: no display"), stderr)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line, no panic trace: %q", stderr)
		assert.Contains(t, stderr, "go run ./demo/headless")
	}

	// WAYLAND_DISPLAY alone: ebiten's window speaks X11 only, so the same
	// one line instead of glfw's panic (issue 22).
	stdout, stderr, code := runEnv(t, append(noDisplay(), "WAYLAND_DISPLAY=wayland-0"), bin)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.True(t, strings.HasPrefix(stderr, "demo: no X display: DISPLAY is unset"), stderr)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line, no panic trace: %q", stderr)

	// DISPLAY names a local X server that is not there (a stale
	// variable): the same one line, naming the display.
	const dead = ":987"
	if _, err := os.Stat("/tmp/.X11-unix/X987"); err == nil {
		t.Skip("an X server runs at :987")
	}
	stdout, stderr, code = runEnv(t, append(noDisplay(), "DISPLAY="+dead), bin)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.True(t, strings.HasPrefix(stderr, "demo: no X server answers at DISPLAY=:987"), stderr)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line, no panic trace: %q", stderr)
}

// TestHeadlessUsageErrors: the binary checks its flags before it runs
// (shop.CheckFlags): each mistake is one line on stderr and exit 2, and
// -record refuses an existing log unless -force (issue 22).
func TestHeadlessUsageErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin, err := build(t, dir, "github.com/tickecon/tickecon/demo/headless")
	require.NoError(t, err)
	for _, args := range [][]string{
		{"-ticks", "0"}, {"-ticks", "1000000000000"}, {"-ticks", "1e12"}, {"-nope"}, {"-ticks", "5", "stray"},
		{"-skim", "3"}, {"-halt"}, {"-host", "-join", "nats://127.0.0.1:1"},
	} {
		out, errs, code := run(t, bin, args...)
		assert.Equal(t, 2, code, args)
		assert.Empty(t, out, args)
		assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
	}
	log := filepath.Join(dir, "s.log")
	_, errs, code := run(t, bin, "-ticks", "30", "-record", log)
	require.Equal(t, 0, code, errs)
	_, errs, code = run(t, bin, "-ticks", "10", "-record", log)
	assert.Equal(t, 3, code)
	assert.Equal(t, "demo: "+log+": file exists; left as it is (-force replaces it)\n", errs)
	_, errs, code = run(t, bin, "-ticks", "10", "-record", log, "-force")
	assert.Equal(t, 0, code, errs)
}
