package ticklog

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/session"
)

// CreateNew and ImportJSONLNew never replace a file, and a folder is named
// as the readers name it (issue 22: record a.log replaced a 3,000-tick log
// without a word; record adir failed with "rename ./.adir.tmp… adir: file
// exists").
func TestCreateNewAndImportNewRefuseAnExistingTarget(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 20, Options{SnapshotEvery: 10})
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))

	c := session.Content(1, 20)
	_, err = CreateNew(path, c, Options{})
	var ee *ExistsError
	require.ErrorAs(t, err, &ee)
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.Equal(t, path+": file exists", err.Error())
	err = ImportJSONLNew(bytes.NewReader(jl.Bytes()), path)
	assert.ErrorIs(t, err, fs.ErrExist)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the log is left exactly as it was")

	sub := filepath.Join(dir, "adir")
	require.NoError(t, os.Mkdir(sub, 0o755))
	for _, create := range []func() error{
		func() error { _, err := Create(sub, c, Options{}); return err },
		func() error { _, err := CreateNew(sub, c, Options{}); return err },
		func() error { return ImportJSONL(bytes.NewReader(jl.Bytes()), sub) },
		func() error { return ImportJSONLNew(bytes.NewReader(jl.Bytes()), sub) },
	} {
		err := create()
		assert.ErrorIs(t, err, syscall.EISDIR)
		assert.Equal(t, sub+": is a directory, not a replay log", err.Error())
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file is left behind")

	// A new path is created, and linked into place whole.
	fresh := filepath.Join(dir, "new.log")
	require.NoError(t, ImportJSONLNew(bytes.NewReader(jl.Bytes()), fresh))
	got, err := os.ReadFile(fresh)
	require.NoError(t, err)
	assert.Equal(t, before, got)
	w, err := CreateNew(filepath.Join(dir, "b.log"), c, Options{})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"s.log", "adir", "new.log", "b.log"}, names, "no temporary file is left behind")
}

// Import decodes strictly: a field it does not know, a field of another
// type of line, and a derived field that disagrees with what it derives
// from are errors naming the line (issue 22: an edited field went unnoticed
// and gave an identical log).
func TestImportIsStrict(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.log")
	record(t, path, 12, Options{SnapshotEvery: 5})
	var jl bytes.Buffer
	require.NoError(t, ExportJSONL(path, &jl))
	lines := strings.SplitAfter(jl.String(), "\n")
	// lines: 0 header, 1-5 ticks 0-4, 6 snapshot, 7-11 ticks 5-9, 12 snapshot, 13-14 ticks 10-11
	require.Contains(t, lines[6], `"type":"snapshot"`)
	require.Contains(t, lines[3], `"events":[{"tick":2,`)
	edit := func(i int, old, new string) string {
		require.Contains(t, lines[i], old)
		c := append([]string(nil), lines...)
		c[i] = strings.Replace(c[i], old, new, 1)
		return strings.Join(c, "")
	}
	for _, tc := range []struct{ name, in, want string }{
		{"unknown field in a tick line", edit(3, `"type":"tick",`, `"type":"tick","tik":3,`), `line 4: unknown field "tik"`},
		{"unknown field in the header", edit(0, `"type":"header",`, `"type":"header","note":"x",`), `line 1: unknown field "note"`},
		{"unknown field in the setup", edit(0, `"systems":"core"`, `"systems":"core","cfg":1`), `line 1: setup: json: unknown field "cfg"`},
		{"unknown field in an event", edit(3, `"events":[{"tick":2,`, `"events":[{"tick":2,"amout":5,`), `line 4: events: unknown field "amout"`},
		{"unknown field in an intent", edit(3, `"intents":[{`, `"intents":[{"Qty":2,`), `line 4: intents: unknown field "Qty"`},
		{"unknown field in a snapshot", edit(6, `"snapshot":{`, `"snapshot":{"extra":1,`), `line 7: snapshot: json: unknown field "extra"`},
		{"a header field on a tick line", edit(3, `"type":"tick",`, `"type":"tick","version":5,`), `line 4: a "tick" line has no field version`},
		{"an event's tick disagrees", edit(3, `"events":[{"tick":2,`, `"events":[{"tick":7,`), "line 4: events[0]: tick 7 disagrees with the line's tick 2"},
		{"a snapshot's checksum disagrees", edit(6, `"checksum":`, `"checksum":1`), "line 7: snapshot of tick 5, checksum"},
	} {
		err := ImportJSONL(strings.NewReader(tc.in), filepath.Join(dir, "x.log"))
		if assert.Error(t, err, tc.name) {
			assert.Contains(t, err.Error(), tc.want, tc.name)
		}
	}
	// Snapshots written before they left out the world's hash seed carry
	// "hash_seed": it is known, and dropped.
	require.NoError(t, ImportJSONL(strings.NewReader(edit(6, `"snapshot":{`, `"snapshot":{"hash_seed":77,`)), filepath.Join(dir, "old.log")))
	old, _ := os.ReadFile(filepath.Join(dir, "old.log"))
	orig, _ := os.ReadFile(path)
	assert.Equal(t, orig, old, "the seed is dropped")

	// Keys match as encoding/json matches them: case-insensitively.
	back := filepath.Join(dir, "back.log")
	require.NoError(t, ImportJSONL(strings.NewReader(edit(3, `"type":"tick",`, `"TYPE":"tick",`)), back))
	require.NoError(t, ImportJSONL(strings.NewReader(jl.String()), back))
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(back)
	assert.Equal(t, a, b, "an export still imports to the same bytes")
}
