// Package natsbox starts an embedded NATS server with JetStream inside the
// current process, for tests and for the default local run of the cluster
// commands: no installation, no configuration, loopback only.
//
// Library packages (ecs, components, systems, events) never import it; only
// the code under cluster/ and the commands do.
package natsbox

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// readyTimeout bounds how long Start waits for the server to accept clients;
// JetStream recovery of a large store dir is what usually takes the time.
const readyTimeout = 30 * time.Second

// Options configure Start. The zero value is not usable: StoreDir is required
// so that a caller always knows where the JetStream data lives.
type Options struct {
	// StoreDir is the JetStream storage directory (created if missing). Use
	// a temporary directory in tests and a data folder for local runs; the
	// same directory on a restart recovers the streams.
	StoreDir string
	// Port is the client port on 127.0.0.1; 0 picks a free random port.
	Port int
	// Logs turns the server's own log output (to stderr) on; off by default
	// so tests and commands stay quiet.
	Logs bool
}

// Box is a running embedded server. Its methods are safe for concurrent use
// except Restart and Shutdown, which the owner calls.
type Box struct {
	opts Options
	srv  *server.Server
	port int
}

// ErrPortBusy is wrapped by the error Start and Restart return when the
// port asked for is taken (errors.Is); the error is a *PortBusyError.
var ErrPortBusy = errors.New("natsbox: port in use")

// PortBusyError says the port asked for is taken, e.g. by another NATS
// server. The server itself would only log that and never become ready,
// so Start checks first and reports it at once.
type PortBusyError struct {
	Port int
	Err  error // from the trial listen
}

func (e *PortBusyError) Error() string {
	return fmt.Sprintf("natsbox: port %d on 127.0.0.1 is in use: %v", e.Port, e.Err)
}

// Is makes errors.Is(err, ErrPortBusy) hold.
func (e *PortBusyError) Is(target error) bool { return target == ErrPortBusy }

// Unwrap returns the listen error.
func (e *PortBusyError) Unwrap() error { return e.Err }

// Start starts an embedded nats-server with JetStream on 127.0.0.1 and waits
// until it accepts connections. A busy port is a *PortBusyError at once. If
// the server does not start, a store dir this call created is removed
// again, so a failed start leaves nothing behind.
func Start(opts Options) (*Box, error) {
	if opts.StoreDir == "" {
		return nil, errors.New("natsbox: Options.StoreDir is required")
	}
	made := firstMissing(opts.StoreDir)
	if err := os.MkdirAll(opts.StoreDir, 0o755); err != nil {
		return nil, fmt.Errorf("natsbox: store dir: %w", err)
	}
	b := &Box{opts: opts}
	if err := b.start(opts.Port); err != nil {
		if made != "" {
			_ = os.RemoveAll(made)
		}
		return nil, err
	}
	return b, nil
}

// firstMissing returns the outermost directory of dir's path that does not
// exist yet (what MkdirAll will create), or "" if dir exists.
func firstMissing(dir string) string {
	dir = filepath.Clean(dir)
	missing := ""
	for {
		if _, err := os.Stat(dir); err == nil || !errors.Is(err, os.ErrNotExist) {
			return missing
		}
		missing = dir
		parent := filepath.Dir(dir)
		if parent == dir {
			return missing
		}
		dir = parent
	}
}

// checkPort reports a taken port before the server tries it: nats-server
// only logs a failed listen (and not at all when its log is off), so Start
// would otherwise wait readyTimeout for nothing.
func checkPort(port int) error {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return &PortBusyError{Port: port, Err: err}
	}
	return ln.Close()
}

// ForTest starts a Box with a temporary store dir and a random port, fails tb
// if it cannot, and shuts it down when the test ends.
func ForTest(tb testing.TB) *Box {
	tb.Helper()
	b, err := Start(Options{StoreDir: filepath.Join(tb.TempDir(), "jetstream")})
	if err != nil {
		tb.Fatalf("natsbox: %v", err)
	}
	tb.Cleanup(b.Shutdown)
	return b
}

func (b *Box) start(port int) error {
	if port == 0 {
		port = server.RANDOM_PORT
	} else if err := checkPort(port); err != nil {
		return err
	}
	so := &server.Options{
		Host:                   "127.0.0.1",
		Port:                   port,
		JetStream:              true,
		StoreDir:               b.opts.StoreDir,
		NoSigs:                 true,
		NoLog:                  !b.opts.Logs,
		DisableJetStreamBanner: true,
		HTTPPort:               0,
		Cluster:                server.ClusterOpts{Port: 0},
		LeafNode:               server.LeafNodeOpts{Port: 0},
	}
	srv, err := server.NewServer(so)
	if err != nil {
		return fmt.Errorf("natsbox: new server: %w", err)
	}
	if b.opts.Logs {
		srv.ConfigureLogger()
	}
	srv.Start()
	if !srv.ReadyForConnections(readyTimeout) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("natsbox: server not ready after %s", readyTimeout)
	}
	addr, ok := srv.Addr().(*net.TCPAddr)
	if !ok {
		srv.Shutdown()
		srv.WaitForShutdown()
		return errors.New("natsbox: server has no TCP listener")
	}
	b.srv, b.port = srv, addr.Port
	return nil
}

// URL is the client URL, e.g. nats://127.0.0.1:38211. It stays the same
// across Restart.
func (b *Box) URL() string {
	return "nats://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(b.port))
}

// Port is the client port the server listens on.
func (b *Box) Port() int { return b.port }

// StoreDir is the JetStream storage directory.
func (b *Box) StoreDir() string { return b.opts.StoreDir }

// Server is the underlying nats-server, for callers that need its API
// (e.g. JetStreamEnabled or connection counts); nil after Shutdown.
func (b *Box) Server() *server.Server { return b.srv }

// Shutdown stops the server and waits until it has released its port and
// store dir. It is idempotent.
func (b *Box) Shutdown() {
	if b.srv == nil {
		return
	}
	b.srv.Shutdown()
	b.srv.WaitForShutdown()
	b.srv = nil
}

// Restart shuts the server down (if running) and starts it again on the same
// port and store dir, so clients reconnect to the same URL and find the same
// streams: the "broker restarted" fault in tests. The port is retried for a
// few seconds in case the OS has not released it yet.
func (b *Box) Restart() error {
	b.Shutdown()
	var err error
	for i := 0; i < 50; i++ {
		if err = b.start(b.port); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}
