package natsbox_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
)

// createR3 creates an R3 stream, retrying while the cluster settles.
func createR3(t *testing.T, js jetstream.JetStream, name string) {
	t.Helper()
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{name + ".>"},
			Storage: jetstream.FileStorage, Replicas: 3})
		return err == nil
	}, 30*time.Second, 10*time.Millisecond)
}

// publish publishes with the expected last sequence, retrying while a
// leader is elected; it fails the test on any other error.
func publish(t *testing.T, js jetstream.JetStream, subj string, last uint64) uint64 {
	t.Helper()
	var ack *jetstream.PubAck
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		var err error
		ack, err = js.Publish(ctx, subj, []byte("x"), jetstream.WithExpectLastSequence(last),
			jetstream.WithMsgID(subj+"/"+string(rune('a'+last))))
		return err == nil
	}, 30*time.Second, 10*time.Millisecond)
	return ack.Sequence
}

func TestClusterSurvivesLeaderLossAndFullRestart(t *testing.T) {
	c := natsbox.ClusterForTest(t)
	require.Equal(t, 3, c.Size())
	nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	createR3(t, js, "R")
	require.Equal(t, uint64(1), publish(t, js, "R.x", 0))

	leader, err := c.WaitStreamLeader("R", 30*time.Second)
	require.NoError(t, err)
	c.Stop(leader)
	require.False(t, c.Running(leader))
	// The two others elect a new leader; the next write lands after the first.
	require.Equal(t, uint64(2), publish(t, js, "R.x", 1))
	newLeader, err := c.WaitStreamLeader("R", 30*time.Second)
	require.NoError(t, err)
	require.NotEqual(t, leader, newLeader)

	require.NoError(t, c.Restart(leader))
	require.True(t, c.Running(leader))

	// All three down and up again (same store dirs, SyncAlways): nothing
	// acknowledged is lost.
	for i := range c.Size() {
		c.Stop(i)
	}
	for i := range c.Size() {
		require.NoError(t, c.Restart(i))
	}
	require.NoError(t, c.WaitMetaLeader(30*time.Second))
	require.Equal(t, uint64(3), publish(t, js, "R.x", 2))
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		st, err := js.Stream(ctx, "R")
		return err == nil && st.CachedInfo().State.Msgs == 3
	}, 30*time.Second, 10*time.Millisecond)
}

func TestClusterOptionsChecked(t *testing.T) {
	_, err := natsbox.StartCluster(natsbox.ClusterOptions{})
	require.Error(t, err)
	_, err = natsbox.StartCluster(natsbox.ClusterOptions{Dir: t.TempDir(), Nodes: -1})
	require.Error(t, err)
	require.Equal(t, "always", natsbox.SyncAlways.String())
	require.Contains(t, natsbox.SyncDefault.String(), "2 min")
}

func ExampleStartCluster() {
	dir, err := os.MkdirTemp("", "natsbox-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	c, err := natsbox.StartCluster(natsbox.ClusterOptions{Dir: dir}) // 3 nodes, SyncAlways
	if err != nil {
		panic(err)
	}
	defer c.Shutdown()
	nc, err := nats.Connect(c.URLs()) // all three: the client follows a dead node's loss
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	fmt.Println(c.Size(), "nodes, sync", natsbox.SyncAlways)
	// Output: 3 nodes, sync always
}
