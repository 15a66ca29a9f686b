// Package browsertest finds the Chromium that the browser tests (the web
// demo's, the economy report's) drive through chromedp.
package browsertest

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a Chromium to drive. Locally a test skips
// without one; in CI (CI=true) it must run, so a missing browser fails it
// (./test installs Debian's chromium).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but no chromium: ./test installs it (apt-get install chromium)")
	}
	t.Skip("no chromium on this machine (apt-get install chromium); CI runs this test")
	return ""
}
