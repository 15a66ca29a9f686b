package natsbox_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/natsbox"
)

// Minimal reproduction, outside lockstep, of the acknowledged-frame loss
// TestFailoverKillTheStreamLeaderNode (cluster/lockstep) shows: an R3
// file stream (Duplicates 1 min, SyncAlways) on a 3-node natsbox cluster,
// one publisher pipelining async publishes with WithMsgID and
// WithExpectLastSequence (as lockstep's host does), the stream leader node
// shut down (Cluster.Stop: graceful Shutdown, store dir kept) early in the
// stream's life. Every acknowledged message must be in the stream at the
// sequence its PubAck named. It holds (nats-server 2.15.2, nats.go 1.55.0,
// 15 runs of both variants): the lockstep loss was the host reusing a
// payload buffer that nats.go's PublishAsync re-sends on "no responders"
// (see TestFailoverKillTheStreamLeaderNode). Slow; LEADER_KILL_REPRO=1
// runs it.
func TestLeaderKillAckedMessagesSurvive(t *testing.T) {
	if os.Getenv("LEADER_KILL_REPRO") == "" {
		t.Skip("slow reproduction; LEADER_KILL_REPRO=1 runs it")
	}
	for _, inFlight := range []int{1, 8} {
		t.Run("inflight"+strconv.Itoa(inFlight), func(t *testing.T) { leaderKillRun(t, inFlight) })
	}
}

type ackedMsg struct {
	seq uint64
	id  string
}

func leaderKillRun(t *testing.T, inFlight int) {
	cl := natsbox.ClusterForTest(t)
	nc, err := nats.Connect(cl.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(10*time.Millisecond))
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(2*time.Second))
	require.NoError(t, err)
	const name = "LK"
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{"lk"},
			Storage: jetstream.FileStorage, Duplicates: time.Minute, Replicas: 3})
		return err == nil
	}, 30*time.Second, 10*time.Millisecond)

	var (
		mu      sync.Mutex
		acked   []ackedMsg
		refused []string
	)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the publisher: no require here
		defer close(done)
		lastSeq := uint64(0)
		n := 0
		type pending struct {
			id  string
			fut jetstream.PubAckFuture
		}
		var sent []pending
		resync := func(why string) {
			// Drain: wait for every future, then ask where the stream ends.
			for _, p := range sent {
				select {
				case a := <-p.fut.Ok():
					mu.Lock()
					acked = append(acked, ackedMsg{a.Sequence, p.id})
					mu.Unlock()
				case <-p.fut.Err():
				}
			}
			sent = sent[:0]
			for {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				st, err := js.Stream(ctx, name)
				cancel()
				if err == nil {
					mu.Lock()
					maxAcked := uint64(0)
					for _, a := range acked {
						maxAcked = max(maxAcked, a.seq)
					}
					last := st.CachedInfo().State.LastSeq
					if last < maxAcked {
						refused = append(refused, fmt.Sprintf("%s: stream last seq %d < highest acked seq %d (expected %d)", why, last, maxAcked, lastSeq))
					}
					mu.Unlock()
					lastSeq = last
					return
				}
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		}
		for {
			select {
			case <-stop:
				resync("end")
				return
			default:
			}
			id := "m" + strconv.Itoa(n)
			fut, err := js.PublishAsync("lk", []byte(id), jetstream.WithMsgID(id), jetstream.WithExpectLastSequence(lastSeq))
			if err != nil {
				resync("publish: " + err.Error())
				continue
			}
			n++
			lastSeq++
			sent = append(sent, pending{id, fut})
			for len(sent) >= inFlight {
				p := sent[0]
				select {
				case a := <-p.fut.Ok():
					if a.Sequence != lastSeq-uint64(len(sent))+1 || a.Duplicate {
						mu.Lock()
						refused = append(refused, fmt.Sprintf("%s acked at %d dup=%v, expected %d", p.id, a.Sequence, a.Duplicate, lastSeq-uint64(len(sent))+1))
						mu.Unlock()
					}
					mu.Lock()
					acked = append(acked, ackedMsg{a.Sequence, p.id})
					mu.Unlock()
					sent = sent[1:]
				case err := <-p.fut.Err():
					sent = sent[1:]
					var apiErr *jetstream.APIError
					if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
						resync("wrong last seq on " + p.id)
					} else {
						resync("error on " + p.id + ": " + err.Error())
					}
				}
			}
		}
	}()
	waitAcked := func(n int) {
		require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(acked) >= n }, 60*time.Second, time.Millisecond)
	}
	waitAcked(20)
	leader, err := cl.WaitStreamLeader(name, 30*time.Second)
	require.NoError(t, err)
	mu.Lock()
	before := len(acked)
	mu.Unlock()
	cl.Stop(leader)
	waitAcked(before + 200)
	close(stop)
	<-done

	mu.Lock()
	defer mu.Unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, name)
	require.NoError(t, err)
	t.Logf("killed leader n%d after %d acks; %d acked; stream last seq %d", leader, before, len(acked), st.CachedInfo().State.LastSeq)
	lost := 0
	for _, a := range acked {
		m, err := st.GetMsg(ctx, a.seq)
		if err != nil || string(m.Data) != a.id {
			lost++
			got := "<none>"
			if m != nil {
				got = string(m.Data)
			}
			t.Errorf("acked %s at seq %d; stream holds %s (%v)", a.id, a.seq, got, err)
		}
	}
	assert.Empty(t, refused, "the stream's last sequence went back")
	assert.Zero(t, lost)
}
