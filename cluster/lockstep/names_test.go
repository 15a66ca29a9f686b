package lockstep_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/names"
	"github.com/tickecon/tickecon/cluster/natsbox"
)

// A bus world's streams survive hosts whose session names are the world's
// name and every name that used to collide with its streams (session
// "EV_x" once had the stream TICKECON_EV_x, world x's event stream, and
// NewHost deleted it), and each host runs.
func TestBusWorldStreamsSurviveHostsOfCollidingNames(t *testing.T) {
	box := natsbox.ForTest(t)
	nc := connect(t, box)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, bus.EnsureStreams(ctx, js, "x", 0, bus.StreamsConfig{}))
	_, err = js.Publish(ctx, bus.EventSubject("x", stringer("PurchaseCompleted")), []byte("event"))
	require.NoError(t, err)
	worldStreams := []string{bus.EventStream("x"), bus.TaskStream("x"), bus.InboxStream("x"), bus.DeadStream("x")}

	for _, s := range []string{"x", "EV_x", "W_EV_x", "TASK_x", "IN_x", "DEAD_x", "world", "EV"} {
		h, err := lockstep.NewHost(connect(t, box), lockstep.Config{Session: s, NewWorld: newWorld})
		require.NoError(t, err, "session %s", s)
		_, err = h.Step(ctx)
		require.NoError(t, err, "session %s", s)
		h.Close()
		for _, name := range worldStreams {
			st, err := js.Stream(ctx, name)
			require.NoError(t, err, "stream %s after a host of session %s", name, s)
			if name == bus.EventStream("x") {
				assert.Equal(t, uint64(1), st.CachedInfo().State.Msgs, "world x's event survives session %s", s)
			}
		}
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

// A host never deletes a stream or bucket it did not create for its
// session: one made by someone else under the session's names is refused
// with ErrNotOurs and kept. A host's own (marked) stream is replaced by the
// next host of the same session.
func TestHostKeepsStreamsItDidNotCreate(t *testing.T) {
	box := natsbox.ForTest(t)
	nc := connect(t, box)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sess := names.Session("s1")
	_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: sess.FrameStream(), Subjects: []string{"other.>"}})
	require.NoError(t, err)
	_, err = js.Publish(ctx, "other.data", []byte("keep me"))
	require.NoError(t, err)

	_, err = lockstep.NewHost(connect(t, box), lockstep.Config{Session: "s1", NewWorld: newWorld})
	require.ErrorIs(t, err, lockstep.ErrNotOurs)
	var notOurs *lockstep.NotOursError
	require.ErrorAs(t, err, &notOurs)
	assert.Equal(t, "stream", notOurs.Kind)
	st, err := js.Stream(ctx, sess.FrameStream())
	require.NoError(t, err)
	assert.Equal(t, uint64(1), st.CachedInfo().State.Msgs, "the stream and its message are kept")

	// Someone else's bucket under the session's snapshot name: kept too.
	_, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: names.Session("s2").SnapshotBucket()})
	require.NoError(t, err)
	_, err = lockstep.NewHost(connect(t, box), lockstep.Config{Session: "s2", NewWorld: newWorld})
	require.ErrorIs(t, err, lockstep.ErrNotOurs)
	_, err = js.ObjectStore(ctx, names.Session("s2").SnapshotBucket())
	require.NoError(t, err)

	// A host's own stream is replaced by the next host of its session.
	h, err := lockstep.NewHost(connect(t, box), lockstep.Config{Session: "s3", NewWorld: newWorld})
	require.NoError(t, err)
	for range 3 {
		_, err = h.Step(ctx)
		require.NoError(t, err)
	}
	h.Close()
	h, err = lockstep.NewHost(connect(t, box), lockstep.Config{Session: "s3", NewWorld: newWorld})
	require.NoError(t, err)
	h.Close()
	st, err = js.Stream(ctx, names.Session("s3").FrameStream())
	require.NoError(t, err)
	assert.Zero(t, st.CachedInfo().State.Msgs, "an earlier host's frames are gone")
}
