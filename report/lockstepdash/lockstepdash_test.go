package lockstepdash

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/report"
)

func TestPeersAndDesyncs(t *testing.T) {
	ps := Peers([]lockstep.PeerInfo{{ID: "ann", Agreed: 12, Live: true}, {ID: "bob", Desynced: true}})
	assert.Equal(t, []report.Peer{{ID: "ann", Agreed: 12, Live: true}, {ID: "bob", Desynced: true}}, ps)
	assert.Equal(t, "in step", ps[0].State())
	assert.Equal(t, "11", ps[0].AgreedTo())
	assert.Equal(t, "DESYNCED (resyncing)", ps[1].State())
	rs := make([]lockstep.Report, 60)
	for i := range rs {
		rs[i] = lockstep.Report{Peer: "bob", Tick: uint64(i), Diffs: []replay.FieldDiff{{ID: 3, Component: "c", Field: "f", Expected: "1", Actual: "2"}}}
	}
	ds := Desyncs(rs, MaxDesyncs)
	require.Len(t, ds, MaxDesyncs)
	assert.Equal(t, uint64(10), ds[0].Tick, "the latest are kept")
	assert.Equal(t, []string{"entity 3 c f: expected 1, actual 2"}, ds[0].Diffs)
}

// Watch keeps the reports a host publishes, the latest MaxDesyncs, and
// counts what is not a report.
func TestWatch(t *testing.T) {
	box := natsbox.ForTest(t)
	nc, err := nats.Connect(box.URL())
	require.NoError(t, err)
	defer nc.Close()
	w, err := NewWatch(nc, "s1")
	require.NoError(t, err)
	defer w.Close()
	for i := range MaxDesyncs + 5 {
		data, err := json.Marshal(lockstep.Report{Session: "s1", Peer: fmt.Sprint("p", i), Tick: uint64(i)})
		require.NoError(t, err)
		require.NoError(t, nc.Publish(lockstep.SubjectReports("s1"), data))
	}
	require.NoError(t, nc.Publish(lockstep.SubjectReports("s1"), []byte("not json")))
	require.NoError(t, nc.Flush())
	require.Eventually(t, func() bool {
		s := w.Session()
		return len(s.Desyncs) == MaxDesyncs && s.Desyncs[len(s.Desyncs)-1].Peer == fmt.Sprint("p", MaxDesyncs+4) &&
			strings.Contains(s.Note, "1 message(s) on the subject were not reports")
	}, time.Minute, 5*time.Millisecond)
	s := w.Session()
	assert.True(t, s.NoPeers)
	assert.Equal(t, "p5", s.Desyncs[0].Peer)
}
