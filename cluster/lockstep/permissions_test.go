package lockstep_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
)

// permServer starts an embedded server whose users are the host (allowed
// everything) and one user per peer with lockstep.PeerPermissions.
func permServer(t *testing.T, sess string, peers ...string) string {
	users := []*server.User{{Username: "host", Password: "h"}}
	for _, p := range peers {
		pp := lockstep.PeerPermissions(sess, p)
		perm := &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: pp.Publish},
			Subscribe: &server.SubjectPermission{Allow: pp.Subscribe},
		}
		if pp.AllowResponses {
			perm.Response = &server.ResponsePermission{MaxMsgs: 1, Expires: time.Minute}
		}
		users = append(users, &server.User{Username: p, Password: p, Permissions: perm})
	}
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: filepath.Join(t.TempDir(), "js"), NoSigs: true, NoLog: true, Users: users})
	require.NoError(t, err)
	srv.Start()
	require.True(t, srv.ReadyForConnections(30*time.Second))
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return srv.ClientURL()
}

// violations collects a connection's permission errors.
type violations struct {
	mu   sync.Mutex
	errs []error
	ch   chan struct{}
}

func (v *violations) handler(_ *nats.Conn, _ *nats.Subscription, err error) {
	v.mu.Lock()
	v.errs = append(v.errs, err)
	v.mu.Unlock()
	select {
	case v.ch <- struct{}{}:
	default:
	}
}

func (v *violations) list() []error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]error(nil), v.errs...)
}

func userConn(t *testing.T, url, user, pass string, v *violations) *nats.Conn {
	opts := []nats.Option{nats.UserInfo(user, pass)}
	if v != nil {
		opts = append(opts, nats.ErrorHandler(v.handler))
	}
	nc, err := nats.Connect(url, opts...)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}

// On a server with per-user permissions (lockstep.PeerPermissions), a
// peer cannot publish a frame, another peer's input, sum or hello, nor
// delete the frame stream or purge the snapshots: the server refuses each
// (a permissions violation on its connection) and the host never sees
// them. Yet everything a peer needs works under those permissions:
// joining from the snapshot, inputs, sums, a desync report with the
// peer's state diffed (bob skims at tick 30) and bob's resync; the
// session goes on and both peers agree with the host to the end.
func TestPeerPermissionsHoldAndTheSessionGoesOn(t *testing.T) {
	const sess, skimAt, end = "perm", 30, 80
	url := permServer(t, sess, "ann", "bob")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	content := session.Content(7, 4)
	probe := ecs.New()
	ids, err := content.Apply(probe)
	require.NoError(t, err)
	players := []components.ID{ids.MustID(content.Players[0].Key), ids.MustID(content.Players[1].Key)}
	host, err := lockstep.NewHost(userConn(t, url, "host", "h", nil), lockstep.Config{Session: sess, NewWorld: newWorld,
		Content: content, SnapshotEvery: 20, PeerTimeout: 10 * time.Second})
	require.NoError(t, err)
	defer host.Close()
	host.Allow("ann", players[0])
	host.Allow("bob", players[1])
	for range 25 { // bob joins from the snapshot of tick 20
		_, err := host.Step(ctx)
		require.NoError(t, err)
	}

	annV := &violations{ch: make(chan struct{}, 1)}
	annNC := userConn(t, url, "ann", "ann", annV)
	ann, err := lockstep.Join(annNC, lockstep.PeerConfig{Session: sess, ID: "ann", NewWorld: newWorld})
	require.NoError(t, err)
	defer ann.Close()
	bobV := &violations{ch: make(chan struct{}, 1)}
	bob, err := lockstep.Join(userConn(t, url, "bob", "bob", bobV), lockstep.PeerConfig{Session: sess, ID: "bob", Audit: 1,
		NewWorld: skimmingWorld(skimAt, players[1], ids.MustID("gold"))})
	require.NoError(t, err)
	defer bob.Close()
	require.NoError(t, host.WaitPeers(ctx, 2))

	// ann forges: each is refused by the server, on ann's connection.
	s := names.Session(sess)
	forged := []string{s.Frames(), s.Input("bob"), s.Sum("bob"), s.Hello("bob")}
	for _, subj := range forged {
		require.NoError(t, annNC.Publish(subj, []byte("forged")))
	}
	require.NoError(t, annNC.Flush())
	annJS, err := jetstream.New(annNC)
	require.NoError(t, err)
	obs, err := annJS.ObjectStore(ctx, s.SnapshotBucket())
	require.NoError(t, err, "ann may read the snapshots")
	// Denied requests get no reply: each waits out its own short context;
	// the violations on ann's connection below are what the test checks.
	denied := func() context.Context {
		c, cancel := context.WithTimeout(ctx, time.Second)
		t.Cleanup(cancel)
		return c
	}
	require.Error(t, annJS.DeleteStream(denied(), s.FrameStream()), "ann cannot delete the frame stream")
	_, err = obs.PutString(denied(), "latest", "forged snapshot")
	require.Error(t, err, "ann cannot replace the host's snapshot")
	forged = append(forged, "$JS.API.STREAM.DELETE."+s.FrameStream())
	for len(deniedPublishes(annV.list())) < len(forged)+1 { // and the snapshot's chunk
		select {
		case <-annV.ch:
		case <-ctx.Done():
			t.Fatalf("violations: %v", annV.list())
		}
	}
	for _, subj := range forged {
		assert.Contains(t, deniedPublishes(annV.list()), subj)
	}
	assert.Contains(t, deniedPublishes(annV.list())[len(forged)], "$O."+s.SnapshotBucket()+".C.", "the forged snapshot's chunk")

	for host.World().NextTick() <= end {
		_, err := host.Step(ctx)
		require.NoError(t, err)
	}
	for ann.Tick() <= end || bob.Tick() <= end {
		host.Poll()
		select {
		case <-ctx.Done():
			t.Fatalf("ann at %d, bob at %d", ann.Tick(), bob.Tick())
		case <-time.After(time.Millisecond):
		}
	}
	assert.Empty(t, host.Refusals(), "no forged message reached the host")
	assert.Empty(t, ann.Refusals())
	assert.Empty(t, bob.Refusals())
	require.NoError(t, ann.Err())
	require.NoError(t, bob.Err())
	assert.Empty(t, bobV.list(), "bob's permissions are all it needs")
	for _, subj := range deniedPublishes(annV.list()) { // ann's too: only the forgeries were refused
		if !strings.HasPrefix(subj, "$O."+s.SnapshotBucket()+".") {
			assert.Contains(t, forged, subj)
		}
	}
	assert.Len(t, deniedPublishes(annV.list()), len(annV.list()), "every violation is a publish")
	require.Len(t, host.Reports(), 1, "bob's skim")
	rep := host.Reports()[0]
	assert.Equal(t, "bob", rep.Peer)
	assert.Empty(t, rep.DiffError, "bob stored its state for the host")
	assert.NotEmpty(t, rep.Diffs)
	assert.Equal(t, 1, bob.Resyncs())
	ann.Close()
	bob.Close()
	assert.Equal(t, host.World().Checksum(), ann.World().Checksum())
	assert.Equal(t, host.World().Checksum(), bob.World().Checksum())
}

// deniedPublishes returns the subjects of the publish violations in errs.
func deniedPublishes(errs []error) []string {
	var out []string
	for _, err := range errs {
		if !errors.Is(err, nats.ErrPermissionViolation) {
			continue
		}
		// "nats: permissions violation: Permissions Violation for Publish to "<subject>""
		msg := err.Error()
		const mark = `Publish to "`
		if _, rest, ok := strings.Cut(msg, mark); ok {
			if subj, _, ok := strings.Cut(rest, `"`); ok {
				out = append(out, subj)
			}
		}
	}
	return out
}

// docs/lockstep.md's server config parses, and its peer block is exactly
// lockstep.PeerPermissions: a person can copy it.
func TestReadmePermissionConfig(t *testing.T) {
	raw, err := os.ReadFile("../../docs/lockstep.md")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(raw), "<!-- permissions:begin -->\n```\n")
	require.True(t, ok)
	block, _, ok = strings.Cut(block, "```\n<!-- permissions:end -->")
	require.True(t, ok)
	t.Setenv("HOST_PASSWORD", "h")
	t.Setenv("ANN_PASSWORD", "a")
	dir := t.TempDir()
	conf := filepath.Join(dir, "lockstep.conf")
	require.NoError(t, os.WriteFile(conf, []byte(strings.Replace(block, `"data"`, strconv.Quote(filepath.Join(dir, "js")), 1)), 0o600))
	opts, err := server.ProcessConfigFile(conf)
	require.NoError(t, err)
	require.Len(t, opts.Users, 2)
	assert.Nil(t, opts.Users[0].Permissions, "the host may do everything")
	want := lockstep.PeerPermissions("shop1", "ann")
	ann := opts.Users[1]
	assert.Equal(t, "ann", ann.Username)
	require.NotNil(t, ann.Permissions)
	assert.Equal(t, want.Publish, ann.Permissions.Publish.Allow)
	assert.Equal(t, want.Subscribe, ann.Permissions.Subscribe.Allow)
	assert.NotNil(t, ann.Permissions.Response, "allow_responses")
}
