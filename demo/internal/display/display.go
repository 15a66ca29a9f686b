//go:build (linux || freebsd || netbsd || openbsd || dragonfly) && !android

package display

import "os"

// Message is the line the windowed demo prints when there is no display.
const Message = "demo: no display (DISPLAY and WAYLAND_DISPLAY are unset): " +
	"run `go run ./demo/headless` for the simulation without a window, " +
	"`xvfb-run -a go run ./demo` for a virtual one, or `go run ./demo/web` for the browser\n"

// init runs before ebiten's: Go initializes packages in import-path order
// among those whose imports are done, and this one needs only os, so it
// runs ahead of ebiten's internal/ui, whose init panics without a display.
func init() {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		os.Stderr.WriteString(Message)
		os.Exit(2)
	}
}
