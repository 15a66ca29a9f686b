package readmetest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withoutCode blanks fenced blocks and inline code spans, keeping every
// newline, so that a "[x](y)" shown as code is not taken for a link and a
// "# comment" in a shell block is not taken for a heading.
func withoutCode(md string) string {
	lines := strings.Split(md, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case fence == "" && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")):
			fence = t[:3]
			lines[i] = ""
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			lines[i] = ""
		default:
			lines[i] = inlineCodeRE.ReplaceAllString(l, "``")
		}
	}
	return strings.Join(lines, "\n")
}

var (
	inlineCodeRE = regexp.MustCompile("`[^`]*`")
	headingRE    = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$`)
	linkRE       = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	mdLinkRE     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// anchor is GitHub's id for a heading's text: the text as rendered (a link
// keeps its text, code its content, emphasis marks go), lower-cased, every
// character that is not a letter, digit, space, hyphen or underscore
// removed, each space a hyphen.
func anchor(heading string) string {
	heading = mdLinkRE.ReplaceAllString(heading, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors are a Markdown file's heading ids (headings in fenced blocks
// are none); a repeated heading gets -1, -2 … as on GitHub.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	blank := strings.Split(withoutCode(md), "\n")
	for i, l := range strings.Split(md, "\n") {
		m := headingRE.FindStringSubmatch(l)
		if m == nil || blank[i] == "" { // in a fence: withoutCode blanked it
			continue
		}
		a := anchor(m[1]) // from md: a code span's text stays in the id
		if n := seen[a]; n > 0 {
			out[fmt.Sprintf("%s-%d", a, n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

// Every relative link of README.md and docs/**.md leads to a file or
// directory of the repository, and a #fragment into a Markdown file to one
// of its headings: moving a section between files must not leave a link
// behind.
func TestMarkdownLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	files := markdownFiles(t, root)
	texts := map[string]string{}
	read := func(f string) (string, bool) {
		if s, ok := texts[f]; ok {
			return s, true
		}
		raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return "", false
		}
		texts[f] = string(raw)
		return texts[f], true
	}
	checked := 0
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		require.NoError(t, err)
		md := withoutCode(string(raw))
		for _, m := range linkRE.FindAllStringSubmatchIndex(md, -1) {
			target := md[m[2]:m[3]]
			line := 1 + strings.Count(md[:m[0]], "\n")
			if regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`).MatchString(target) {
				continue // http:, https:, mailto: …
			}
			checked++
			file, frag, _ := strings.Cut(target, "#")
			dest := f
			if file != "" {
				dest = path.Clean(path.Join(path.Dir(f), file))
				if strings.HasPrefix(dest, "../") {
					t.Errorf("%s:%d: link %q leaves the repository", f, line, target)
					continue
				}
				if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dest))); err != nil {
					t.Errorf("%s:%d: link %q: no file %s", f, line, target, dest)
					continue
				}
			}
			if frag == "" || !strings.HasSuffix(dest, ".md") {
				continue
			}
			text, ok := read(dest)
			require.True(t, ok, dest)
			if !anchors(text)[frag] {
				t.Errorf("%s:%d: link %q: %s has no heading with id %q", f, line, target, dest, frag)
			}
		}
	}
	require.Positive(t, checked, "no relative link found: the pattern is wrong")
}

// GitHub's ids for the kinds of heading these files have.
func TestAnchor(t *testing.T) {
	for heading, want := range map[string]string{
		"Tick rules":                                 "tick-rules",
		"Beyond one process: NATS JetStream":         "beyond-one-process-nats-jetstream",
		"Any language reads the stream: CloudEvents": "any-language-reads-the-stream-cloudevents",
		"Replay and desync debugging":                "replay-and-desync-debugging",
		"`ecs.World` and the tick":                   "ecsworld-and-the-tick",
		"A [link](x.md) in it, v1.2 (beta)":          "a-link-in-it-v12-beta",
		"Größe — and snake_case":                     "größe--and-snake_case",
	} {
		assert.Equal(t, want, anchor(heading), heading)
	}
	a := anchors("# Demo\n## Demo\n```\n# Demo\n```\n### Demo\n## `w.Step` rules\n")
	assert.Equal(t, map[string]bool{"demo": true, "demo-1": true, "demo-2": true, "wstep-rules": true}, a)
}
