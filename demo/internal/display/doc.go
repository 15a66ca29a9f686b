// Package display, imported first by the windowed demo, exits with one
// clear line when there is no display to open (on X11/Wayland systems:
// DISPLAY unset, even with WAYLAND_DISPLAY set, since ebiten's window
// speaks X11 only; or no local X server at DISPLAY),
// instead of the panic trace ebiten's package init gives. Other systems
// (the browser, Windows, macOS) always have one.
package display
