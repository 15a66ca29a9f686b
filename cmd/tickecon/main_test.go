package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ticklog"
)

func tool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestToolExitCodes(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	code, out, _ := tool("record", "-ticks", "300", "-players", "20", "-snapshot-every", "100", a)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "recorded 300 ticks")

	code, out, _ = tool("verify", a)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "300 ticks from tick 0")
	code, out, _ = tool("verify", "-from", "250", a)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "100 ticks from tick 200")

	code, out, _ = tool("diff", a, a)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "agree")
	tool("record", "-ticks", "300", "-players", "20", "-seed", "2", b)
	code, out, _ = tool("diff", a, b)
	assert.Equal(t, exitMismatch, code)
	assert.Contains(t, out, "content")

	// A record with one flipped byte in the middle: a typed error, exit 3.
	data, err := os.ReadFile(a)
	require.NoError(t, err)
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	require.NoError(t, os.WriteFile(b, bad, 0o644))
	code, _, errs := tool("verify", b)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, b+": replay log corrupt at byte")

	// A torn tail: the complete ticks verify, exit 4.
	require.NoError(t, os.WriteFile(b, data[:len(data)-3], 0o644))
	code, out, errs = tool("verify", b)
	assert.Equal(t, exitTorn, code)
	assert.Contains(t, out, "300 ticks from tick 0", "the torn record is the last snapshot")
	assert.Contains(t, errs, "torn tail")

	jl := filepath.Join(dir, "a.jsonl")
	f, err := os.Create(jl)
	require.NoError(t, err)
	var exp bytes.Buffer
	code = run([]string{"export", a}, &exp, &bytes.Buffer{})
	require.Equal(t, exitOK, code)
	_, err = f.Write(exp.Bytes())
	require.NoError(t, err)
	require.NoError(t, f.Close())
	code, _, _ = tool("import", "-force", jl, b)
	require.Equal(t, exitOK, code)
	back, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, data, back)

	code, out, _ = tool("dump", a)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, " PurchaseCompleted Buyer=")

	code, _, _ = tool("nope")
	assert.Equal(t, exitUsage, code)
	code, _, _ = tool("verify")
	assert.Equal(t, exitUsage, code)
	code, _, errs = tool("verify", filepath.Join(dir, "missing.log"))
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "no such file")
}

// TestFileErrorsReadPlainly: a directory is called a directory, not a
// corrupt log, and a missing file is named once.
func TestFileErrorsReadPlainly(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, errs := tool("record", a, "-ticks", "20", "-players", "5")
	require.Equal(t, exitOK, code, errs)
	for _, args := range [][]string{{"verify", dir}, {"dump", dir}, {"export", dir}, {"diff", a, dir}} {
		code, _, errs = tool(args...)
		assert.Equal(t, exitBadFile, code, args)
		assert.Contains(t, errs, dir+": is a directory, not a replay log", args)
		assert.NotContains(t, errs, "corrupt", args)
		assert.Equal(t, 1, strings.Count(errs, dir), "named once: %s", errs)
	}
	missing := filepath.Join(dir, "nope.log")
	code, _, errs = tool("diff", a, missing)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "no such file")
	assert.Equal(t, 1, strings.Count(errs, missing), "named once: %s", errs)
}

func TestHelpAndFlagPlacement(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help", "help"} {
		code, out, _ := tool(h)
		assert.Equal(t, exitOK, code, h)
		assert.Contains(t, out, "usage: tickecon", h)
		assert.Contains(t, out, "verify", h)
	}
	code, out, _ := tool("verify", "-help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "-from")
	assert.NotContains(t, out, "-ticks", "only verify's own flags")
	assert.NotContains(t, out, "-seed")
	code, out, _ = tool("help", "record")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "-ticks")
	assert.NotContains(t, out, "-from")

	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, errs := tool("record", a, "-ticks", "120", "-players", "10", "-snapshot-every", "50")
	require.Equal(t, exitOK, code, errs)
	code, out, errs = tool("verify", a, "-from", "110")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "20 ticks from tick 100", "flags after the file are accepted")

	code, _, errs = tool("verify", "-from", "99999", a)
	assert.Equal(t, exitUsage, code, "starting past the end fails")
	assert.Contains(t, errs, "ends at tick 119")
	assert.Equal(t, 1, strings.Count(errs, a), "the file is named once: %s", errs)

	code, _, errs = tool("verify", a, "-bogus")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "-bogus")
}

func TestDiffNamesTheCorruptFileAndExportOfATornLogExits4(t *testing.T) {
	dir := t.TempDir()
	a, bad := filepath.Join(dir, "a.log"), filepath.Join(dir, "bad.log")
	code, _, _ := tool("record", "-ticks", "200", "-players", "10", "-snapshot-every", "0", a)
	require.Equal(t, exitOK, code)
	data, err := os.ReadFile(a)
	require.NoError(t, err)
	broken := bytes.Clone(data)
	broken[len(broken)*3/4] ^= 0x20
	require.NoError(t, os.WriteFile(bad, broken, 0o644))
	code, _, errs := tool("diff", a, bad)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, bad+": replay log corrupt at byte")
	code, _, errs = tool("diff", bad, a)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, bad+": replay log corrupt at byte")

	require.NoError(t, os.WriteFile(bad, data[:len(data)-5], 0o644))
	code, out, errs := tool("export", bad)
	assert.Equal(t, exitTorn, code)
	assert.Contains(t, errs, "torn tail")
	assert.Equal(t, 1+199, strings.Count(out, "\n"), "the header and every complete tick are exported")
	code, _, _ = tool("dump", bad)
	assert.Equal(t, exitTorn, code)

	// The warning's cure works: export, then import, is a log without the
	// tail that verifies.
	assert.Contains(t, errs, "tickecon export "+bad+" > x.jsonl, then tickecon import x.jsonl NEW.log")
	jl, fixed := filepath.Join(dir, "x.jsonl"), filepath.Join(dir, "fixed.log")
	require.NoError(t, os.WriteFile(jl, []byte(out), 0o644))
	code, _, errs = tool("import", jl, fixed)
	require.Equal(t, exitOK, code, errs)
	code, out, errs = tool("verify", fixed)
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "199 ticks from tick 0")
}

// A commerce session recorded by the tool verifies with the tool alone:
// the header names the systems and their configuration.
func TestCommerceSessionVerifiesWithTheTool(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.log")
	code, out, errs := tool("record", "-commerce", "-ticks", "300", "-players", "20", "-snapshot-every", "100", path)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "commerce systems")
	code, out, errs = tool("verify", path)
	require.Equal(t, exitOK, code, out+errs)
	assert.Contains(t, out, "300 ticks from tick 0")
	assert.Contains(t, out, "commerce systems")
	code, out, errs = tool("verify", "-from", "250", path)
	require.Equal(t, exitOK, code, out+errs)
	code, out, _ = tool("dump", path)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "commerce systems")
}

func TestRecordReportsWriteErrors(t *testing.T) {
	code, _, errs := tool("record", "-ticks", "5", filepath.Join(t.TempDir(), "no", "such", "dir", "x.log"))
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "no such file")
}

// JSON Lines whose one tick holds more events than the limits allow are
// refused by import before the events are decoded, and the target stays.
func TestToolRefusesATickOverTheLimits(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, _ := tool("record", "-ticks", "3", "-players", "5", a)
	require.Equal(t, exitOK, code)
	var jl bytes.Buffer
	require.Equal(t, exitOK, run([]string{"export", a}, &jl, &bytes.Buffer{}))
	header, _, _ := strings.Cut(jl.String(), "\n")
	flood := header + "\n" + `{"type":"tick","tick":0,"checksum":"0000000000000000","events":[` +
		strings.Repeat("{},", ticklog.DefaultLimits.Events) + "{}]}\n"
	in := filepath.Join(dir, "flood.jsonl")
	require.NoError(t, os.WriteFile(in, []byte(flood), 0o644))
	code, _, errs := tool("import", "-force", in, a)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, fmt.Sprintf("exceeds the limit of %d", ticklog.DefaultLimits.Events))
	assert.Contains(t, errs, "left as it was")
	code, _, _ = tool("verify", a)
	assert.Equal(t, exitOK, code, "the target survived the failed import")
}

func TestOldFormatIsRefusedNamingBothVersions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.log")
	code, _, _ := tool("record", "-ticks", "3", "-players", "5", path)
	require.Equal(t, exitOK, code)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data[8] = 1 // format version 1
	require.NoError(t, os.WriteFile(path, data, 0o644))
	code, _, errs := tool("verify", path)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "format version 1")
	assert.Contains(t, errs, fmt.Sprintf("reads only versions %d to %d", ticklog.MinVersion, ticklog.Version))
	assert.Equal(t, 1, strings.Count(errs, path), "the path is named once")
}

// `tickecon relay` points to the relay's own command in one line (exit 2):
// cmd/tickecon links no NATS.
func TestRelayMovedToItsOwnCommand(t *testing.T) {
	code, out, errs := tool("relay", "-follow", "x.log")
	require.Equal(t, exitUsage, code)
	require.Empty(t, out)
	require.Equal(t, "tickecon: the relay is its own command: go run github.com/tickecon/tickecon/cmd/tickecon-relay [flags] FILE\n", errs)
}
