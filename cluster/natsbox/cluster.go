package natsbox

// An N-node JetStream cluster in this process: what replicated streams
// (Replicas: 3) are tested on, and what the failover demo runs.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Sync is a JetStream file store's fsync policy. It decides what a
// write the server acknowledged survives.
type Sync int

const (
	// SyncAlways fsyncs every write before the server acknowledges it
	// (nats-server's sync_interval: always). An acknowledged message
	// survives a power cut of every node. On an R1 stream it costs an
	// fsync per message. On a replicated stream nats-server fsyncs each
	// node's Raft log per append (a batch of the messages queued at the
	// leader) before the node acknowledges it, and relaxes the stream's
	// own file to an fsync per stream snapshot (it recovers from the
	// log): one publisher waiting for each message pays two fsyncs in a
	// row, a pipelined one shares them (see docs/failover.md, "Surviving the
	// loss of a machine"). The default, because an acknowledged input
	// must never be lost.
	SyncAlways Sync = iota
	// SyncDefault is nats-server's default: the file store fsyncs every
	// 2 minutes. An acknowledged message survives the loss of a minority
	// of nodes (it is in the memory of a quorum) and any process crash
	// (the OS has it), but not a power cut of a quorum at once: Jepsen
	// lost acknowledged writes that way (NATS 2.12.1, 2025;
	// nats-server issue #7564). Faster; choose it only knowingly.
	SyncDefault
)

func (s Sync) String() string {
	if s == SyncDefault {
		return "default (fsync every 2 min)"
	}
	return "always"
}

// ClusterOptions configure StartCluster.
type ClusterOptions struct {
	// Nodes is the number of servers (default 3: an R3 stream then
	// survives the loss of any one).
	Nodes int
	// Dir holds one store dir per node (Dir/n0, Dir/n1, …); required.
	Dir string
	// Sync is the fsync policy of every node (default SyncAlways).
	Sync Sync
	// Name is the cluster name (default "tickecon").
	Name string
	// Logs turns the servers' own log output on.
	Logs bool
	// MaxPayload is the largest message a client may publish, in bytes
	// (default 0: nats-server's 1 MiB). A lockstep frame is one message,
	// about 16 bytes per intent: a tick of 100k intents needs more. The
	// server warns above 8 MiB and refuses more than 64 MiB.
	MaxPayload int32
}

// Cluster is an N-node JetStream cluster on 127.0.0.1 in this process.
// Every node keeps its client and route ports and its store dir across
// Stop and Restart, so clients given URLs() find it again and it recovers
// its streams. Methods are safe for concurrent use.
type Cluster struct {
	opts   ClusterOptions
	mu     sync.Mutex
	nodes  []*server.Server // nil: stopped
	ports  []int            // client ports
	routes []int            // cluster (route) ports
}

// StartCluster starts opts.Nodes servers that route to each other and
// waits until JetStream has a meta leader: before that the first
// CreateStream of a replicated stream blocks (ReadyForConnections does not
// mean JetStream is ready).
func StartCluster(opts ClusterOptions) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("natsbox: ClusterOptions.Dir is required")
	}
	if opts.Nodes == 0 {
		opts.Nodes = 3
	}
	if opts.Nodes < 1 {
		return nil, fmt.Errorf("natsbox: %d nodes", opts.Nodes)
	}
	if opts.Name == "" {
		opts.Name = "tickecon"
	}
	c := &Cluster{opts: opts, nodes: make([]*server.Server, opts.Nodes)}
	var err error
	if c.ports, err = freePorts(opts.Nodes); err != nil {
		return nil, err
	}
	if c.routes, err = freePorts(opts.Nodes); err != nil {
		return nil, err
	}
	for i := range opts.Nodes {
		if err := os.MkdirAll(c.storeDir(i), 0o755); err != nil {
			return nil, fmt.Errorf("natsbox: store dir: %w", err)
		}
	}
	// All nodes start before any is waited for: a node's JetStream waits
	// for its routes.
	errs := make([]error, opts.Nodes)
	var wg sync.WaitGroup
	for i := range opts.Nodes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.startNode(i) }()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.Shutdown()
		return nil, err
	}
	if err := c.WaitMetaLeader(readyTimeout); err != nil {
		c.Shutdown()
		return nil, err
	}
	return c, nil
}

// ClusterForTest starts a 3-node cluster with SyncAlways in temp dirs,
// fails tb if it cannot, and shuts it down when the test ends.
func ClusterForTest(tb testing.TB) *Cluster {
	tb.Helper()
	c, err := StartCluster(ClusterOptions{Dir: tb.TempDir()})
	if err != nil {
		tb.Fatalf("natsbox: %v", err)
	}
	tb.Cleanup(c.Shutdown)
	return c
}

// freePorts returns n distinct free TCP ports on 127.0.0.1. A node's
// ports are fixed up front because every node's route list names every
// other node's cluster port, and a restarted node must come back where
// the others and the clients look for it.
func freePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, n)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("natsbox: free port: %w", err)
		}
		lns = append(lns, ln)
		ports[i] = ln.Addr().(*net.TCPAddr).Port
	}
	return ports, nil
}

func (c *Cluster) storeDir(i int) string { return filepath.Join(c.opts.Dir, "n"+strconv.Itoa(i)) }

// NodeName is node i's server name (n0, n1, …), as JetStream reports it
// for stream leaders and replicas.
func (c *Cluster) NodeName(i int) string { return "n" + strconv.Itoa(i) }

func (c *Cluster) startNode(i int) error {
	var routes []string
	for j, p := range c.routes {
		if j != i {
			routes = append(routes, "nats-route://127.0.0.1:"+strconv.Itoa(p))
		}
	}
	so := &server.Options{
		ServerName:             c.NodeName(i),
		Host:                   "127.0.0.1",
		Port:                   c.ports[i],
		JetStream:              true,
		StoreDir:               c.storeDir(i),
		SyncAlways:             c.opts.Sync == SyncAlways,
		MaxPayload:             c.opts.MaxPayload,
		NoSigs:                 true,
		NoLog:                  !c.opts.Logs,
		DisableJetStreamBanner: true,
		Cluster:                server.ClusterOpts{Name: c.opts.Name, Host: "127.0.0.1", Port: c.routes[i]},
		Routes:                 server.RoutesFromStr(strings.Join(routes, ",")),
		LeafNode:               server.LeafNodeOpts{Port: 0},
	}
	srv, err := server.NewServer(so)
	if err != nil {
		return fmt.Errorf("natsbox: node %d: %w", i, err)
	}
	if c.opts.Logs {
		srv.ConfigureLogger()
	}
	srv.Start()
	if !srv.ReadyForConnections(readyTimeout) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("natsbox: node %d not ready after %s (ports %d/%d taken?)", i, readyTimeout, c.ports[i], c.routes[i])
	}
	c.mu.Lock()
	c.nodes[i] = srv
	c.mu.Unlock()
	return nil
}

// Size is the number of nodes.
func (c *Cluster) Size() int { return len(c.ports) }

// URL is node i's client URL.
func (c *Cluster) URL(i int) string { return "nats://127.0.0.1:" + strconv.Itoa(c.ports[i]) }

// URLs is every node's client URL, comma-separated: give it to
// nats.Connect so a client moves to a live node when its node dies.
func (c *Cluster) URLs() string {
	u := make([]string, c.Size())
	for i := range u {
		u[i] = c.URL(i)
	}
	return strings.Join(u, ",")
}

// Server is node i's server, nil while it is stopped.
func (c *Cluster) Server(i int) *server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodes[i]
}

// Running reports whether node i is up.
func (c *Cluster) Running(i int) bool { return c.Server(i) != nil }

// Stop shuts node i down (its clients are cut, its store dir stays): the
// "a machine died" fault. It is a no-op on a stopped node.
func (c *Cluster) Stop(i int) {
	c.mu.Lock()
	srv := c.nodes[i]
	c.nodes[i] = nil
	c.mu.Unlock()
	if srv != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
	}
}

// Restart starts a stopped node again on its ports and store dir (it
// recovers its streams and catches up from the others); a running node is
// stopped first. The ports are retried for a few seconds in case the OS
// has not released them yet.
func (c *Cluster) Restart(i int) error {
	c.Stop(i)
	var err error
	for range 50 {
		if err = c.startNode(i); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// WaitMetaLeader waits until a running node is JetStream's meta leader
// and every running node is current with it (a node that is not yet
// answers JetStream API requests with "no responders"), or timeout
// passes.
func (c *Cluster) WaitMetaLeader(timeout time.Duration) error {
	return c.poll(timeout, "a JetStream meta leader", func() bool {
		leader := false
		for i := range c.Size() {
			s := c.Server(i)
			if s == nil {
				continue
			}
			if !s.JetStreamIsCurrent() {
				return false
			}
			leader = leader || s.JetStreamIsLeader()
		}
		return leader
	})
}

// StreamLeader returns the node that leads stream (account "$G", the
// default without auth), or -1 if no running node does right now.
func (c *Cluster) StreamLeader(stream string) int {
	for i := range c.Size() {
		if s := c.Server(i); s != nil && s.JetStreamIsStreamLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream) {
			return i
		}
	}
	return -1
}

// WaitStreamLeader waits until a running node leads stream and returns
// it.
func (c *Cluster) WaitStreamLeader(stream string, timeout time.Duration) (int, error) {
	leader := -1
	err := c.poll(timeout, "a leader of stream "+stream, func() bool {
		leader = c.StreamLeader(stream)
		return leader >= 0
	})
	return leader, err
}

// poll checks cond every 10 ms until it holds or timeout passes.
func (c *Cluster) poll(timeout time.Duration, what string, cond func() bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("natsbox: no %s after %s", what, timeout)
		case <-t.C:
		}
	}
	return nil
}

// Shutdown stops every node. It is idempotent.
func (c *Cluster) Shutdown() {
	var wg sync.WaitGroup
	for i := range c.Size() {
		wg.Add(1)
		go func() { defer wg.Done(); c.Stop(i) }()
	}
	wg.Wait()
}

// PowerCut simulates, as faithfully as an in-process server allows, node
// i losing power: it leaves the node stopped with its store dir as a power
// cut could leave it, for Restart.
//
// What is simulated: the disk image is taken at one instant while the node
// runs (every file copied as the OS holds it then — the upstream
// nats-server tests' "hard kill"), the node is cut off, and its dir is
// replaced by that image, so whatever it wrote after the instant is gone;
// then the newest block of every message store on the node (its streams'
// and its Raft logs') loses a torn tail of 1 to tear bytes (seeded), a
// write the power cut caught half done.
//
// What is not: a real power cut drops exactly the writes not yet fsynced,
// and nothing else; the server's own shutdown cannot be skipped in process
// (it runs, and its writes are thrown away with the rest). The image is
// a copy taken over some milliseconds, not one instant, and the torn tail
// may cut a write the node had fsynced — both lose more than a power cut
// under SyncAlways would, never less. It is one node: the others keep
// what they acknowledged.
//
// tear ≤ 0 tears nothing; the same seed tears the same lengths. The node
// stays stopped until Restart(i).
func (c *Cluster) PowerCut(i int, tear int, seed uint64) error {
	dir := c.storeDir(i)
	img := dir + ".cut"
	if err := os.RemoveAll(img); err != nil {
		return err
	}
	if err := copyTree(dir, img); err != nil {
		return fmt.Errorf("natsbox: power cut image: %w", err)
	}
	c.Stop(i)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.Rename(img, dir); err != nil {
		return err
	}
	if tear <= 0 {
		return nil
	}
	rng := seed | 1
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() || d.Name() != "msgs" {
			return err
		}
		blks, err := filepath.Glob(filepath.Join(path, "*.blk"))
		if err != nil || len(blks) == 0 {
			return err
		}
		newest, n := "", -1
		for _, b := range blks {
			if k, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(b), ".blk")); err == nil && k > n {
				newest, n = b, k
			}
		}
		st, err := os.Stat(newest)
		if err != nil || st.Size() == 0 {
			return err
		}
		rng ^= rng << 13 // xorshift: the same tears for the same seed
		rng ^= rng >> 7
		rng ^= rng << 17
		cut := 1 + int64(rng%uint64(tear))
		return os.Truncate(newest, max(0, st.Size()-cut))
	})
}

// copyTree copies the regular files under src to dst (created), as they
// are at the moment each is read. A file removed meanwhile is skipped.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
}
