// Package display, imported first by the windowed demo, exits with one
// clear line when there is no display to open (on X11/Wayland systems:
// DISPLAY and WAYLAND_DISPLAY unset, or no local X server at DISPLAY),
// instead of the panic trace ebiten's package init gives. Other systems
// (the browser, Windows, macOS) always have one.
package display
