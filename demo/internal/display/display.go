//go:build (linux || freebsd || netbsd || openbsd || dragonfly) && !android

package display

import (
	"os"
	"strings"
	"syscall"

	"github.com/tickecon/tickecon/demo/internal/display/xcheck"
)

// Message is the line the windowed demo prints when there is no display.
const Message = xcheck.Message

// init runs before ebiten's: Go initializes packages in import-path order
// among those whose imports are done, and this one needs only os, strings
// and syscall (which os needs anyway), so it runs ahead of ebiten's
// internal/ui, whose init panics without a display.
func init() {
	if msg := xcheck.Check(os.Getenv("DISPLAY"), os.Getenv("WAYLAND_DISPLAY"), localServerUp); msg != "" {
		fail(msg)
	}
}

func fail(msg string) {
	os.Stderr.WriteString(msg)
	os.Exit(2)
}

// localServerUp reports whether a local X server listens for display d
// (":N" or "unix:N", screen suffix allowed): its socket file, or on Linux
// its abstract socket, accepts a connection. Remote displays (host:N, as
// ssh forwarding sets) are not probed and count as up.
func localServerUp(d string) bool {
	n, ok := strings.CutPrefix(d, "unix:")
	if !ok {
		if n, ok = strings.CutPrefix(d, ":"); !ok {
			return true
		}
	}
	n, _, _ = strings.Cut(n, ".")
	if n == "" || strings.Trim(n, "0123456789") != "" {
		return true // not a form we know: let ebiten decide
	}
	path := "/tmp/.X11-unix/X" + n
	return dial(path) || (abstractSockets && dial("@"+path))
}

// dial connects to a Unix socket and closes the connection.
func dial(name string) bool {
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return true // cannot probe: let ebiten decide
	}
	defer syscall.Close(fd)
	return syscall.Connect(fd, &syscall.SockaddrUnix{Name: name}) == nil
}
