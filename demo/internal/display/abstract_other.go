//go:build (freebsd || netbsd || openbsd || dragonfly) && !android

package display

const abstractSockets = false
