package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	assert.Contains(t, errs, "corrupt at byte")

	// A torn tail: the complete ticks verify, exit 4.
	require.NoError(t, os.WriteFile(b, data[:len(data)-3], 0o644))
	code, out, _ = tool("verify", b)
	assert.Equal(t, exitTorn, code)
	assert.Contains(t, out, "torn tail")

	jl := filepath.Join(dir, "a.jsonl")
	f, err := os.Create(jl)
	require.NoError(t, err)
	var exp bytes.Buffer
	code = run([]string{"export", a}, &exp, &bytes.Buffer{})
	require.Equal(t, exitOK, code)
	_, err = f.Write(exp.Bytes())
	require.NoError(t, err)
	require.NoError(t, f.Close())
	code, _, _ = tool("import", jl, b)
	require.Equal(t, exitOK, code)
	back, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, data, back)

	code, out, _ = tool("dump", a)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, " bought ")

	code, _, _ = tool("nope")
	assert.Equal(t, exitUsage, code)
	code, _, _ = tool("verify")
	assert.Equal(t, exitUsage, code)
	code, _, errs = tool("verify", filepath.Join(dir, "missing.log"))
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "no such file")
}
