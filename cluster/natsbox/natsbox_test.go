package natsbox_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
)

func TestStartPublishRestartKeepsStream(t *testing.T) {
	b := natsbox.ForTest(t)
	require.NotZero(t, b.Port())
	require.Contains(t, b.URL(), "nats://127.0.0.1:")

	nc, err := nats.Connect(b.URL(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx := t.Context()
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Storage: jetstream.FileStorage})
	require.NoError(t, err)
	_, err = js.Publish(ctx, "t.x", []byte("hello"))
	require.NoError(t, err)

	url := b.URL()
	require.NoError(t, b.Restart())
	require.Equal(t, url, b.URL(), "restart keeps the URL")

	// The client reconnects on its own; the stream was recovered from StoreDir.
	require.Eventually(t, func() bool { return nc.IsConnected() }, 10*time.Second, 20*time.Millisecond)
	var s jetstream.Stream
	require.Eventually(t, func() bool {
		actx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		s, err = js.Stream(actx, "T")
		return err == nil
	}, 10*time.Second, 50*time.Millisecond)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(1), info.State.Msgs)
	msg, err := s.GetLastMsgForSubject(ctx, "t.x")
	require.NoError(t, err)
	require.Equal(t, "hello", string(msg.Data))
}

func TestStartNeedsStoreDir(t *testing.T) {
	_, err := natsbox.Start(natsbox.Options{})
	require.ErrorContains(t, err, "StoreDir")
}

func TestShutdownIsIdempotent(t *testing.T) {
	b, err := natsbox.Start(natsbox.Options{StoreDir: t.TempDir()})
	require.NoError(t, err)
	b.Shutdown()
	b.Shutdown()
	require.Nil(t, b.Server())
	_, err = nats.Connect(b.URL(), nats.Timeout(time.Second))
	require.Error(t, err, "nothing listens after Shutdown")
}

func ExampleStart() {
	dir, _ := os.MkdirTemp("", "natsbox")
	defer os.RemoveAll(dir)
	b, err := natsbox.Start(natsbox.Options{StoreDir: dir})
	if err != nil {
		panic(err)
	}
	defer b.Shutdown()
	nc, err := nats.Connect(b.URL())
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	fmt.Println(nc.IsConnected(), b.Server().JetStreamEnabled())
	// Output: true true
}

// A taken port is reported as such, naming the port, without waiting for
// a server that can never become ready; the store dir the call created is
// gone again (its existing parent is kept).
func TestStartOnBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	parent := t.TempDir()
	dir := filepath.Join(parent, "new", "jetstream")

	_, err = natsbox.Start(natsbox.Options{StoreDir: dir, Port: port})
	require.ErrorIs(t, err, natsbox.ErrPortBusy)
	var busy *natsbox.PortBusyError
	require.ErrorAs(t, err, &busy)
	require.Equal(t, port, busy.Port)
	require.Contains(t, err.Error(), fmt.Sprintf("port %d on 127.0.0.1 is in use", port))
	require.NoDirExists(t, filepath.Join(parent, "new"), "no data folder left behind")
	require.DirExists(t, parent)

	// An existing store dir is kept as it was.
	keep := t.TempDir()
	_, err = natsbox.Start(natsbox.Options{StoreDir: keep, Port: port})
	require.ErrorIs(t, err, natsbox.ErrPortBusy)
	require.DirExists(t, keep)
}
