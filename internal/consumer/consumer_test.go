package consumer

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"
)

const modPath = "github.com/tickecon/tickecon"

// libraryPackages are what a game imports; each must build from the zip.
var libraryPackages = []string{
	modPath + "/components", modPath + "/events", modPath + "/ecs",
	modPath + "/systems", modPath + "/ticklog", modPath + "/replay",
	modPath + "/replay/synctest", modPath + "/shard", modPath + "/report",
}

// A game buys an item, records the session, closes the log and verifies it.
const gameMain = `package main

import (
	"fmt"
	"os"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

const shop = ` + "`" + `{
  "currencies": [{"key": "gold", "name": "Gold", "decimals": 2}],
  "items": [{"key": "potion", "name": "Potion", "max_stack": 10}],
  "shops": [{"key": "smithy", "name": "Smithy", "listings": [
    {"key": "potions", "item": "potion", "currency": "gold", "price": 250, "stock": 40}]}],
  "players": [{"key": "alice", "name": "Alice", "capacity": 4,
    "wallet": [{"currency": "gold", "amount": 1000}]}]
}` + "`" + `

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "game:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	content, err := ecs.ParseContent([]byte(shop))
	if err != nil {
		return err
	}
	w := ecs.New()
	systems.Install(w)
	lw, err := ticklog.Create(path, content, ticklog.Options{SyncEvery: 1, SnapshotEvery: 4, Setup: systems.CoreSetup()})
	if err != nil {
		return err
	}
	lw.Record(w)
	ids, err := content.Apply(w)
	if err != nil {
		return err
	}
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 3, RequestID: 1})
	rec := w.Step()
	ev, ok := rec.IntentOutcome(ids.MustID("alice"), 1)
	p, bought := ev.AsPurchaseCompleted()
	if !ok || !bought {
		return fmt.Errorf("purchase not completed: %v", ev)
	}
	for range 8 {
		w.Step()
	}
	if err := lw.Close(); err != nil {
		return err
	}
	newWorld, err := systems.CoreSetup().Worlds()
	if err != nil {
		return err
	}
	res, err := replay.Verify(replay.FileSource(path), newWorld, replay.Options{})
	if err != nil {
		return err
	}
	if res.Mismatch != nil {
		return fmt.Errorf("own log does not verify: %v", res.Mismatch)
	}
	gold, err := w.Balance(ids.MustID("alice"), ids.MustID("gold"))
	if err != nil {
		return err
	}
	fmt.Printf("bought %d for %d, gold left %d, log verified\n", p.Qty, p.Total, gold)
	_ = events.PurchaseCompleted
	return nil
}
`

// TestGameModuleBuildsFromTheModuleZip is the consumer test of issue 21.
func TestGameModuleBuildsFromTheModuleZip(t *testing.T) {
	if testing.Short() {
		t.Skip("packs the module and builds a game module from it (~1 min); runs without -short")
	}
	goBin, err := exec.LookPath("go")
	require.NoError(t, err)
	root := repoRoot(t)

	// The version a proxy would give HEAD: a pseudo-version from its commit.
	out := gitOut(t, root, "log", "-1", "--format=%H %ct")
	f := strings.Fields(out)
	require.Len(t, f, 2)
	secs, err := strconv.ParseInt(f[1], 10, 64)
	require.NoError(t, err)
	version := module.PseudoVersion("v0", "", time.Unix(secs, 0), f[0][:12])
	mv := module.Version{Path: modPath, Version: version}

	// A file GOPROXY holding the zip, the go.mod and the info file.
	proxy := t.TempDir()
	vdir := filepath.Join(proxy, modPath, "@v")
	require.NoError(t, os.MkdirAll(vdir, 0o755))
	zf, err := os.Create(filepath.Join(vdir, version+".zip"))
	require.NoError(t, err)
	// The committed tree at HEAD, as a proxy packs it (git archive works in
	// worktrees too, where zip.CreateFromVCS finds no repository).
	tree := t.TempDir()
	archive := exec.Command("sh", "-c", `git archive --format=tar HEAD | tar -x -C "$0"`, tree)
	archive.Dir = root
	out2, err := archive.CombinedOutput()
	require.NoError(t, err, "git archive: %s", out2)
	require.NoError(t, zip.CreateFromDir(zf, mv, tree))
	require.NoError(t, zf.Close())
	gomod := gitOut(t, root, "show", "HEAD:go.mod")
	require.NotContains(t, gomod, "replace", "Go ignores a dependency's replace: the zip must not need one")
	require.NoError(t, os.WriteFile(filepath.Join(vdir, version+".mod"), []byte(gomod), 0o644))
	info := fmt.Sprintf(`{"Version":%q,"Time":%q}`, version, time.Unix(secs, 0).UTC().Format(time.RFC3339))
	require.NoError(t, os.WriteFile(filepath.Join(vdir, version+".info"), []byte(info), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(vdir, "list"), []byte(version+"\n"), 0o644))

	// The zip must hold the in-module arche: no nested go.mod left it out.
	zr, err := zip.CheckZip(mv, filepath.Join(vdir, version+".zip"))
	require.NoError(t, err, "the zip is valid as the go command checks it")
	require.NotEmpty(t, zr.Valid)
	var arche int
	for _, name := range zr.Valid {
		if strings.HasPrefix(name, modPath+"@"+version+"/third_party/arche/") {
			arche++
		}
	}
	require.Positive(t, arche, "third_party/arche is in the module zip")

	// A fresh game module outside the repository.
	game := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(game, "go.mod"), []byte("module example.com/game\n\ngo 1.26.0\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(game, "main.go"), []byte(gameMain), 0o644))
	upstream := strings.TrimSpace(goOut(t, goBin, root, nil, "env", "GOPROXY"))
	env := []string{
		"GOPROXY=file://" + filepath.ToSlash(proxy) + "," + upstream,
		"GONOSUMDB=" + modPath, "GOFLAGS=-mod=mod", "GOWORK=off",
	}
	goOut(t, goBin, game, env, "get", mv.String())
	goOut(t, goBin, game, env, append([]string{"build"}, libraryPackages...)...)
	goOut(t, goBin, game, env, "mod", "tidy")

	logPath := filepath.Join(t.TempDir(), "game.log")
	got := goOut(t, goBin, game, env, "run", ".", logPath)
	require.Contains(t, got, "bought 3 for 750, gold left 250, log verified")

	// The CLI as a tool of the game's module (go get -tool; go tool
	// tickecon), which keeps its dependencies in the game's go.mod.
	goOut(t, goBin, game, env, "get", "-tool", modPath+"/cmd/tickecon@"+version)
	got = goOut(t, goBin, game, env, "tool", "tickecon", "verify", logPath)
	require.Contains(t, got, "ticks from tick 0")

	// Using the offline CLI must not make a game depend on a NATS server.
	goOut(t, goBin, game, env, "mod", "tidy")
	mod, err := os.ReadFile(filepath.Join(game, "go.mod"))
	require.NoError(t, err)
	require.Contains(t, string(mod), "tool "+modPath+"/cmd/tickecon", "tidy kept the tool")
	require.NotContains(t, string(mod), "nats-io", "the game's go.mod with cmd/tickecon as a tool")
}

func repoRoot(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(gitOut(t, ".", "rev-parse", "--show-toplevel"))
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	require.NoError(t, err, "git %v", args)
	return string(out)
}

func goOut(t *testing.T, goBin, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go %s:\n%s%s", strings.Join(args, " "), out, stderr.String())
	return string(out)
}
