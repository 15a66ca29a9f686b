package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// The typed views and the field table are generated from views.go: this
// fails when someone edits a view (or the Event struct) and forgets
// `go generate ./events`.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	goSrc, md, schemas, err := generate(filepath.Join("..", ".."))
	require.NoError(t, err)
	have, err := os.ReadFile(filepath.Join("..", "..", "views_gen.go"))
	require.NoError(t, err)
	require.Equal(t, string(goSrc), string(have), "events/views_gen.go is stale: run go generate ./events")
	have, err = os.ReadFile(filepath.Join("..", "..", "..", "docs", "events.md"))
	require.NoError(t, err)
	require.Equal(t, string(md), string(have), "docs/events.md is stale: run go generate ./events")
	require.Empty(t, staleSchemas(filepath.Join("..", "..", "..", "docs", "schema", schemaDir), schemas),
		"docs/schema/%s is stale: run go generate ./events. If an existing kind's data changed (a field renamed, retyped, removed or added), "+
			"that breaks validating consumers: raise schemaVersion (docs/schema/README.md)", schemaDir)
}

func TestGenerateRefusesAFieldUsedTwiceOrUnknown(t *testing.T) {
	dir := t.TempDir()
	ev, err := os.ReadFile(filepath.Join("..", "..", "events.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "events.go"), ev, 0o644))
	write := func(src string) error {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "views.go"), []byte("package events\n"+src), 0o644))
		_, _, _, err := generate(dir)
		return err
	}
	require.ErrorContains(t, write("type MintedEvent struct {\n A int64 `ev:\"Amount\"`\n B int64 `ev:\"Amount\"`\n}\n"), "used twice")
	require.ErrorContains(t, write("type MintedEvent struct {\n A int64 `ev:\"Amount2\"`\n}\n"), "not a kind-specific")
	require.ErrorContains(t, write("type MintedEvent struct {\n A int64 `ev:\"Tick\"`\n}\n"), "not a kind-specific")
	require.NoError(t, write("type MintedEvent struct {\n A int64 `ev:\"Amount\"`\n}\n"))
}
