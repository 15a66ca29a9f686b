package xcheck

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each case without a usable X display gets one line; WAYLAND_DISPLAY
// alone is one of them (issue 22: it passed the check and glfw panicked,
// since ebiten's GLFW speaks X11 only).
func TestCheck(t *testing.T) {
	up := func(string) bool { return true }
	down := func(string) bool { return false }
	assert.Equal(t, Message, Check("", "", up))
	msg := Check("", "wayland-0", up)
	assert.True(t, strings.HasPrefix(msg, "demo: no X display: DISPLAY is unset, and the window speaks X11 only (WAYLAND_DISPLAY=wayland-0 needs XWayland"), msg)
	assert.Contains(t, msg, "go run ./demo/headless")
	assert.True(t, strings.HasPrefix(Check(":9", "", down), "demo: no X server answers at DISPLAY=:9"))
	assert.True(t, strings.HasPrefix(Check(":9", "wayland-0", down), "demo: no X server answers at DISPLAY=:9"))
	for _, m := range []string{Message, msg, Check(":9", "", down)} {
		assert.Equal(t, 1, strings.Count(m, "\n"), "one line: %q", m)
	}
	assert.Empty(t, Check(":0", "", up))
	assert.Empty(t, Check(":0", "wayland-0", up), "XWayland: both set")
}
