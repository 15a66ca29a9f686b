package shop_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/demo/multi"
	"github.com/tickecon/tickecon/demo/shop"
)

// parse parses args with the demo's flags (shop's and demo/multi's, as
// both binaries register them) and checks them.
func parse(t *testing.T, args ...string) (shop.Options, error) {
	t.Helper()
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o shop.Options
	o.Register(fs)
	var mo multi.Options
	mo.Register(fs)
	require.NoError(t, fs.Parse(args))
	return o, shop.CheckFlags(fs)
}

// Flags that are out of range, need another or contradict each other,
// and stray arguments, are one-line usage errors (exit 2) before anything
// runs (issue 22: -ticks 0 ran 600 ticks, a stray argument was ignored
// with exit 0, -skim and -halt were ignored without -join or -host, and
// -host -join exited 1).
func TestCheckFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-ticks", "0"}, "-ticks 0: must be 1 to 1000000"},
		{[]string{"-ticks", "1000000000000"}, "-ticks 1000000000000: must be 1 to 1000000"},
		{[]string{"-ticks", "5", "stray"}, `unexpected argument "stray"`},
		{[]string{"-skim", "5"}, "-skim needs -join"},
		{[]string{"-halt"}, "-halt needs -host"},
		{[]string{"-peer", "p1"}, "-peer needs -join"},
		{[]string{"-mtps", "30"}, "-mtps needs -host or -join"},
		{[]string{"-force"}, "-force needs -record"},
		{[]string{"-publish"}, "-publish needs -record"},
		{[]string{"-host", "-join", "nats://x"}, "-host and -join cannot be combined"},
		{[]string{"-record", "a", "-replay", "b"}, "-record and -replay cannot be combined"},
		{[]string{"-host", "-record", "a"}, "-record and -host cannot be combined"},
	} {
		_, err := parse(t, tc.args...)
		var ue *shop.UsageError
		if assert.ErrorAs(t, err, &ue, tc.args) {
			assert.Contains(t, err.Error(), tc.want, tc.args)
			assert.NotContains(t, err.Error(), "\n", "one line")
			assert.Equal(t, shop.ExitUsage, shop.OpenExitCode(err))
		}
	}
	for _, args := range [][]string{
		nil, {"-ticks", "1"}, {"-ticks", "1000000"}, {"-record", "a", "-force"}, {"-host", "-halt", "-mtps", "10"},
		{"-join", "nats://x", "-skim", "5", "-peer", "p"}, {"-replay", "a", "-ticks", "20"},
	} {
		_, err := parse(t, args...)
		assert.NoError(t, err, args)
	}
}

// -record never replaces a log unless -force (issue 22: it replaced one
// without a word, and a folder gave a message about a temporary file).
func TestRecordRefusesAnExistingLogUnlessForced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	var out, errb bytes.Buffer
	require.Equal(t, shop.ExitOK, shop.Headless(shop.Options{Ticks: 50, Record: path}, &out, &errb), errb.String())
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	errb.Reset()
	assert.Equal(t, shop.ExitCorrupt, shop.Headless(shop.Options{Ticks: 20, Record: path}, &out, &errb))
	assert.Equal(t, "demo: "+path+": file exists; left as it is (-force replaces it)\n", errb.String())
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	_, _, err = shop.Record(path, 1)
	assert.ErrorIs(t, err, os.ErrExist)

	errb.Reset()
	require.Equal(t, shop.ExitOK, shop.Headless(shop.Options{Ticks: 20, Record: path, Force: true}, &out, &errb), errb.String())
	after, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Less(t, len(after), len(before), "-force replaced it with the shorter session")

	errb.Reset()
	assert.Equal(t, shop.ExitCorrupt, shop.Headless(shop.Options{Ticks: 20, Record: dir, Force: true}, &out, &errb))
	assert.Equal(t, "demo: "+dir+": is a directory, not a replay log\n", errb.String())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
	assert.False(t, strings.Contains(errb.String(), ".tmp"))
}

// -screenshot's PNG is written like a log: a new file only, unless
// -force, through a synced temporary file (it was os.WriteFile over
// whatever was there).
func TestWriteFileNeverReplacesUnlessAsked(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shot.png")
	require.NoError(t, shop.CheckNew(path, false))
	require.NoError(t, shop.WriteFile(path, []byte("one"), false))
	err := shop.CheckNew(path, false)
	assert.ErrorIs(t, err, os.ErrExist)
	assert.Equal(t, path+": file exists; left as it is (-force replaces it)", err.Error())
	assert.ErrorIs(t, shop.WriteFile(path, []byte("two"), false), os.ErrExist)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "one", string(got))
	require.NoError(t, shop.WriteFile(path, []byte("three"), true))
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "three", string(got))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	assert.EqualError(t, shop.WriteFile(dir, []byte("x"), true), dir+": is a directory")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
}

// ParseFlags: a flag that does not parse is one line, not the whole help
// after it; -h is the help on stdout with exit 0.
func TestParseFlags(t *testing.T) {
	newFS := func() *flag.FlagSet {
		fs := flag.NewFlagSet("demo", flag.ExitOnError) // as flag.CommandLine is
		var o shop.Options
		o.Register(fs)
		var mo multi.Options
		mo.Register(fs)
		return fs
	}
	for _, args := range [][]string{{"-ticks", "1e12"}, {"-nope"}, {"-ticks", "0"}, {"stray"}} {
		var out, errb bytes.Buffer
		code, ok := shop.ParseFlags(newFS(), args, &out, &errb)
		assert.False(t, ok, args)
		assert.Equal(t, shop.ExitUsage, code, args)
		assert.Empty(t, out.String(), args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one line: %q", errb.String())
		assert.True(t, strings.HasPrefix(errb.String(), "demo: "), errb.String())
	}
	var out, errb bytes.Buffer
	code, ok := shop.ParseFlags(newFS(), []string{"-h"}, &out, &errb)
	assert.False(t, ok)
	assert.Equal(t, shop.ExitOK, code)
	assert.Contains(t, out.String(), "-ticks")
	assert.Empty(t, errb.String())
	code, ok = shop.ParseFlags(newFS(), []string{"-ticks", "7"}, &out, &errb)
	assert.True(t, ok)
	assert.Equal(t, shop.ExitOK, code)
}
