package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// record and import never replace a file unless -force, and a folder is
// named as the readers name it (issue 22: record a.log replaced a
// 3,000-tick log with a 1,000-tick one without a word).
func TestWritersRefuseAnExistingTargetUnlessForced(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, errs := tool("record", "-ticks", "30", "-players", "5", a)
	require.Equal(t, exitOK, code, errs)
	before, err := os.ReadFile(a)
	require.NoError(t, err)

	code, out, errs := tool("record", "-ticks", "10", "-players", "5", a)
	assert.Equal(t, exitBadFile, code)
	assert.Empty(t, out)
	assert.Equal(t, "tickecon: "+a+": exists; left as it is (-force replaces it)\n", errs)
	after, err := os.ReadFile(a)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the old log is untouched")

	jl := filepath.Join(dir, "a.jsonl")
	var exp bytes.Buffer
	require.Equal(t, exitOK, run([]string{"export", a}, &exp, &bytes.Buffer{}))
	require.NoError(t, os.WriteFile(jl, exp.Bytes(), 0o644))
	code, _, errs = tool("import", jl, a)
	assert.Equal(t, exitBadFile, code)
	assert.Equal(t, "tickecon: "+a+": exists; left as it is (-force replaces it)\n", errs)

	code, out, errs = tool("record", "-force", "-ticks", "10", "-players", "5", a)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "recorded 10 ticks")
	code, out, _ = tool("verify", a)
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "10 ticks from tick 0")
	code, _, errs = tool("import", "-force", jl, a)
	require.Equal(t, exitOK, code, errs)
	after, err = os.ReadFile(a)
	require.NoError(t, err)
	assert.Equal(t, before, after, "import -force replaced it with the 30-tick log")

	// A folder: the readers' one line, with or without -force, for every
	// command that writes or reads a log.
	sub := filepath.Join(dir, "adir")
	require.NoError(t, os.Mkdir(sub, 0o755))
	for _, args := range [][]string{
		{"record", "-ticks", "5", sub}, {"record", "-force", "-ticks", "5", sub},
		{"import", jl, sub}, {"import", "-force", jl, sub}, {"verify", sub},
	} {
		code, _, errs := tool(args...)
		assert.Equal(t, exitBadFile, code, args)
		assert.Equal(t, "tickecon: "+sub+": is a directory, not a replay log\n", errs, args)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "no temporary file is left behind")
}

// Counts out of range are usage errors at once, in one line (issue 22:
// -ticks 1000000000000 wrote gigabytes with no progress and no end).
func TestRecordBoundsItsCounts(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"0", "1000000000000", "1000001"} {
		code, out, errs := tool("record", "-ticks", n, filepath.Join(dir, "x.log"))
		assert.Equal(t, exitUsage, code, n)
		assert.Empty(t, out)
		assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %s", errs)
		assert.Contains(t, errs, "-ticks "+n+": must be 1 to 1000000", n)
	}
	for _, args := range [][]string{{"-players", "0"}, {"-players", "1000000000"}, {"-intents", "-1"}, {"-intents", "2000000"}, {"-sync-every", "-1"}} {
		code, _, errs := tool(append([]string{"record", filepath.Join(dir, "x.log")}, args...)...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errs, args[0]+" "+args[1]+": must be", args)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing is written")
}

// help for a command that does not exist is a usage error, not the
// general help with exit 0.
func TestHelpOfAnUnknownCommand(t *testing.T) {
	code, out, errs := tool("help", "bogus")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errs, "tickecon help: unknown command \"bogus\" (commands: record, "), errs)
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %s", errs)
}

// diff of two sessions that part early caps the state diff and says how
// to see the rest (issue 22: 230 lines of state diff, no cap).
func TestDiffCapsTheStateDiff(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	for _, x := range []struct{ path, intents string }{{a, "50"}, {b, "51"}} {
		code, _, errs := tool("record", "-ticks", "150", "-snapshot-every", "100", "-intents", x.intents, x.path)
		require.Equal(t, exitOK, code, errs)
	}
	code, out, _ := tool("diff", a, b)
	assert.Equal(t, exitMismatch, code)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.Less(t, len(lines), 40, out)
	assert.Contains(t, lines[len(lines)-1], "more state differences")
	assert.Contains(t, lines[len(lines)-1], "tickecon diff -all prints every one")
	assert.Equal(t, stateLines, strings.Count(out, "    entity "))

	code, all, _ := tool("diff", "-all", a, b)
	assert.Equal(t, exitMismatch, code)
	assert.Greater(t, strings.Count(all, "    entity "), stateLines)
	assert.NotContains(t, all, "more state differences")
	assert.True(t, strings.HasPrefix(all, strings.Join(lines[:len(lines)-1], "\n")), "the cap keeps the first lines as they were")
}

// verify prints the CPU time next to the wall time: the rate alone
// depends on what else the machine runs.
func TestVerifyPrintsCPUTime(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a.log")
	code, _, errs := tool("record", "-ticks", "50", "-players", "5", a)
	require.Equal(t, exitOK, code, errs)
	code, out, _ := tool("verify", a)
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `; \d+\.\d\d s wall, \d+\.\d\d s CPU`, out)
}

// Every usage error is one line and exit 2: an unknown command or flag,
// a wrong number of files.
func TestUsageErrorsAreOneLine(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"verify"}, {"verify", "a", "b"}, {"verify", "-bogus", "a"}, {"record", "-ticks", "x", "a"}} {
		code, out, errs := tool(args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Empty(t, out, args)
		assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
	}
}

// "help -h" and "help help" are the general help, not an unknown command
// named "-h".
func TestHelpOfHelp(t *testing.T) {
	for _, h := range []string{"-h", "--help", "help"} {
		code, out, errs := tool("help", h)
		assert.Equal(t, exitOK, code, h)
		assert.Empty(t, errs, h)
		assert.True(t, strings.HasPrefix(out, "usage: tickecon <command>"), out)
	}
}

// A target in a folder that does not exist is one line naming the target
// the user gave, not the temporary file written before it; and a new log
// or report is readable by others, as a file os.Create makes.
func TestWritersNameTheTargetAndWriteReadableFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, errs := tool("record", "-ticks", "5", "-players", "5", a)
	require.Equal(t, exitOK, code, errs)
	jl := filepath.Join(dir, "a.jsonl")
	var exp bytes.Buffer
	require.Equal(t, exitOK, run([]string{"export", a}, &exp, &bytes.Buffer{}))
	require.NoError(t, os.WriteFile(jl, exp.Bytes(), 0o644))

	missing := filepath.Join(dir, "nodir")
	for _, args := range [][]string{
		{"record", "-ticks", "5", filepath.Join(missing, "x.log")},
		{"import", jl, filepath.Join(missing, "x.log")},
		{"report", a, "-o", filepath.Join(missing, "x.html")},
	} {
		code, _, errs := tool(args...)
		assert.Equal(t, exitBadFile, code, args)
		assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
		assert.Contains(t, errs, "create "+filepath.Join(missing, "x."), args)
		assert.NotContains(t, errs, ".tmp", args)
		assert.NotContains(t, errs, ".import", args)
	}

	b := filepath.Join(dir, "b.log")
	code, _, errs = tool("import", jl, b)
	require.Equal(t, exitOK, code, errs)
	for _, p := range []string{a, b} {
		st, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), st.Mode().Perm(), p)
	}
}

// audit names a missing or torn log once, like the other commands.
func TestAuditNamesABadLogOnce(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.log")
	code, _, errs := tool("audit", missing)
	assert.Equal(t, exitBadFile, code)
	assert.Equal(t, 1, strings.Count(errs, missing), errs)

	a := filepath.Join(dir, "a.log")
	code, _, errs = tool("record", "-ticks", "20", "-players", "5", a)
	require.Equal(t, exitOK, code, errs)
	data, err := os.ReadFile(a)
	require.NoError(t, err)
	torn := filepath.Join(dir, "torn.log")
	require.NoError(t, os.WriteFile(torn, data[:len(data)-5], 0o644))
	code, _, errs = tool("audit", torn)
	assert.Equal(t, exitTorn, code)
	assert.True(t, strings.HasPrefix(errs, "tickecon: warning: "+torn+": "), errs)
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line: %q", errs)
}
