// Package readmetest compiles every ```go block of the README and of the
// chapters under docs/, so that a snippet a game developer pastes compiles
// as it is, and checks that every relative link of those files leads to a
// file (and, with #anchor, to a heading) that exists.
//
// Convention: a block that starts with "package" is a whole file. Any
// other block is a fragment: its leading import block (if any) is kept,
// and the rest becomes the body of a function. The packages a fragment
// uses without importing them (ecs, events, fmt …: knownImports) are
// imported for it. A fragment that continues the story of an earlier one
// uses that one's variables; it names them, with their types, in an HTML
// comment on the line just before the block, which becomes the function's
// parameters:
//
//	<!-- go-snippet: w *ecs.World, ids ecs.IDs -->
//
// Every variable a fragment declares must be used, as in any Go function:
// a snippet with "declared and not used" does not compile when pasted.
package readmetest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/tickecon/tickecon"

// knownImports are the packages a fragment may use without importing.
var knownImports = map[string]string{
	"fmt": "fmt", "os": "os", "context": "context", "testing": "testing", "log": "log", "errors": "errors",
	"ecs":        module + "/ecs",
	"events":     module + "/events",
	"components": module + "/components",
	"systems":    module + "/systems",
	"ticklog":    module + "/ticklog",
	"replay":     module + "/replay",
	"synctest":   module + "/replay/synctest",
	"lockstep":   module + "/cluster/lockstep",
	"natsbox":    module + "/cluster/natsbox",
	"bus":        module + "/cluster/bus",
	"nats":       "github.com/nats-io/nats.go",
}

// snippet is one ```go block of a Markdown file.
type snippet struct {
	file   string // relative to the repository root, e.g. docs/nats.md
	line   int    // of the opening fence
	params string // from a go-snippet comment
	code   string
}

var paramsRE = regexp.MustCompile(`^<!--\s*go-snippet:\s*(.*?)\s*-->$`)

func extract(file, md string) []snippet {
	var out []snippet
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "```go" {
			continue
		}
		s := snippet{file: file, line: i + 1}
		if i > 0 {
			if m := paramsRE.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				s.params = m[1]
			}
		}
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		s.code = strings.Join(body, "\n")
		out = append(out, s)
	}
	return out
}

var importBlockRE = regexp.MustCompile(`(?s)^\s*import\s*(\([^)]*\)|"[^"]*")`)

// render turns a snippet into a Go source file of package main.
func render(s snippet) string {
	if strings.HasPrefix(strings.TrimSpace(s.code), "package ") {
		return s.code
	}
	body, imports := s.code, ""
	if m := importBlockRE.FindStringIndex(body); m != nil {
		imports, body = body[m[0]:m[1]], body[m[1]:]
	}
	code := regexp.MustCompile(`//.*`).ReplaceAllString(body, "") // a package named in a comment is not used
	var auto []string
	for name, path := range knownImports {
		used := regexp.MustCompile(`(^|[^\w.])` + name + `\.`)
		if !strings.Contains(imports, `"`+path+`"`) && (used.MatchString(code) || used.MatchString(s.params)) {
			auto = append(auto, fmt.Sprintf("%q", path))
		}
	}
	sort.Strings(auto)
	var b strings.Builder
	fmt.Fprintf(&b, "// %s:%d\npackage main\n\n%s\n", s.file, s.line, imports)
	if len(auto) > 0 {
		fmt.Fprintf(&b, "import (\n\t%s\n)\n", strings.Join(auto, "\n\t"))
	}
	if s.params != "" {
		fmt.Fprintf(&b, "\nfunc main() {}\n\nfunc snippet(%s) {\n%s\n}\n", s.params, body)
	} else {
		fmt.Fprintf(&b, "\nfunc main() {\n%s\n}\n", body)
	}
	return b.String()
}

// markdownFiles are the files whose snippets and links are checked, relative
// to the repository root: README.md and every .md under docs/.
func markdownFiles(t *testing.T, root string) []string {
	files := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(files[1:])
	return files
}

// snippetPkg is the directory name of a snippet's package: it names the file
// and the line, so that a compile error can be traced back (see the regexp
// in TestREADMESnippetsCompile).
func snippetPkg(s snippet) string {
	name := strings.TrimSuffix(s.file, ".md")
	name = regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(name, "_")
	return fmt.Sprintf("%s__l%d", name, s.line)
}

// Every ```go block of README.md and docs/**.md compiles, as pasted into a
// function of a program in a module that requires tickecon (here: this
// module, through an overlay, so nothing is written into the tree). One go
// build for all.
func TestREADMESnippetsCompile(t *testing.T) {
	root := filepath.Join("..", "..")
	var snips []snippet
	for _, f := range markdownFiles(t, root) {
		md, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		require.NoError(t, err)
		got := extract(f, string(md))
		if f == "README.md" {
			require.NotEmpty(t, got, "the README's Embedding snippet")
		}
		snips = append(snips, got...)
	}

	abs, err := filepath.Abs(root)
	require.NoError(t, err)
	dir := t.TempDir()
	overlay := map[string]string{}
	files := map[string]string{} // package dir -> "file line"
	var pkgs []string
	for _, s := range snips {
		name := snippetPkg(s)
		files[name] = fmt.Sprintf("%s block at line %d", s.file, s.line)
		src := filepath.Join(dir, name+".go")
		require.NoError(t, os.WriteFile(src, []byte(render(s)), 0o644))
		pkg := "internal/readmetest/snippets/" + name
		overlay[filepath.Join(abs, pkg, "main.go")] = src
		pkgs = append(pkgs, "./"+pkg)
	}
	js, err := json.Marshal(map[string]any{"Replace": overlay})
	require.NoError(t, err)
	ov := filepath.Join(dir, "overlay.json")
	require.NoError(t, os.WriteFile(ov, js, 0o644))

	cmd := exec.Command("go", append([]string{"build", "-overlay", ov, "-o", os.DevNull}, pkgs...)...)
	if len(pkgs) > 1 {
		cmd = exec.Command("go", append([]string{"build", "-overlay", ov}, pkgs...)...) // several mains: built, discarded
	}
	cmd.Dir = abs
	out, err := cmd.CombinedOutput()
	if err != nil {
		// Name the Markdown file and line of each error.
		msg := regexp.MustCompile(`\S*?(\w+__l\d+)\.go:`).ReplaceAllStringFunc(string(out), func(m string) string {
			name := regexp.MustCompile(`(\w+__l\d+)\.go:`).FindStringSubmatch(m)[1]
			return files[name] + ", its file's line "
		})
		t.Fatalf("Markdown snippets do not compile:\n%s", msg)
	}
}

// The convention itself: a fragment without params becomes main, with
// the packages it uses imported; a go-snippet comment gives parameters.
func TestRenderWrapsFragments(t *testing.T) {
	s := extract("docs/x.md", "x\n<!-- go-snippet: w *ecs.World -->\n```go\nw.Step()\nfmt.Println(events.Minted)\n```\n```go\npackage p\n```\n")
	require.Len(t, s, 2)
	s[0].code += " // errors.Is: a comment imports nothing"
	src := render(s[0])
	require.Contains(t, src, "// docs/x.md:3\n")
	require.Contains(t, src, "func snippet(w *ecs.World) {\nw.Step()")
	require.Contains(t, src, `"github.com/tickecon/tickecon/ecs"`)
	require.Contains(t, src, `"github.com/tickecon/tickecon/events"`)
	require.Contains(t, src, `"fmt"`)
	require.NotContains(t, src, `"os"`)
	require.NotContains(t, src, `"errors"`)
	require.Equal(t, "package p", render(s[1]))
}
