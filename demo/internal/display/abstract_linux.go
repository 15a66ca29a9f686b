//go:build linux && !android

package display

// abstractSockets: Linux X servers also listen on an abstract socket,
// which works where /tmp/.X11-unix is not shared (containers).
const abstractSockets = true
