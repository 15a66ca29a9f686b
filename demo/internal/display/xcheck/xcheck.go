// Package xcheck decides, from the environment, whether the windowed demo
// can open a window: it has no init, so its tests run without a display
// (package display, which imports it, exits in its init).
package xcheck

// Message is the line the windowed demo prints when there is no display.
const Message = "demo: no display (DISPLAY and WAYLAND_DISPLAY are unset): " + try

// try is what to run instead, the tail of every message.
const try = "run `go run ./demo/headless` for the simulation without a window, " +
	"`xvfb-run -a go run ./demo` for a virtual one, or `go run ./demo/web` for the browser\n"

// Check returns the line to exit with for these DISPLAY and
// WAYLAND_DISPLAY values ("": a window can open). Ebiten's GLFW is built
// for X11 alone (-D_GLFW_X11) on these systems, so a Wayland session
// needs XWayland's DISPLAY: WAYLAND_DISPLAY alone panicked in glfw.
func Check(display, wayland string, up func(string) bool) string {
	switch {
	case display == "" && wayland == "":
		return Message
	case display == "":
		return "demo: no X display: DISPLAY is unset, and the window speaks X11 only (WAYLAND_DISPLAY=" + wayland +
			" needs XWayland, which sets DISPLAY); " + try
	case !up(display):
		return "demo: no X server answers at DISPLAY=" + display + ": start one, or " + try
	}
	return ""
}
