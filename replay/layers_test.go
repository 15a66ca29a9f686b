package replay_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The arrows run downward: the log and replay build on ecs, never on
// systems; replay finds a log's world through ecs's setup registry
// (ecs.RegisterSetup), which package systems fills when imported.
func TestLogAndReplayDoNotImportSystems(t *testing.T) {
	for _, dir := range []string{".", "synctest", "../ticklog"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			ast, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			require.NoError(t, err)
			for _, imp := range ast.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				require.NotEqual(t, "github.com/tickecon/tickecon/systems", path, "%s imports systems", f)
			}
		}
	}
}
