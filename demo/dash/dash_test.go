package dash

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/internal/syncbuf"
)

// While the demo records, the dashboard's tick advances: its event stream
// reports tick 39 after 40 ticks and tick 79 after 80 (the recorder syncs
// every 20 ticks), and its supply is the game world's.
func TestDashFollowsTheDemosRecording(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	var out syncbuf.Buffer
	m, closeLog, err := shop.RecordFollowed(path, 1, Follower("127.0.0.1:0", nil, &out))
	require.NoError(t, err)
	for range 40 {
		m.StepOnce()
	}
	_, rest, ok := strings.Cut(out.String(), "http://")
	require.True(t, ok, out.String())
	url := "http://" + strings.TrimSpace(rest)

	// The timeout bounds a stuck follower (a failure), never a result.
	client := &http.Client{Timeout: 2 * time.Minute}
	resp, err := client.Get(url + "events")
	require.NoError(t, err)
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	// next reads the stream's updates until one reports tick ≥ want; the
	// stream ends (and the read fails) if the follower stops.
	next := func(want uint64) uint64 {
		for {
			line, err := rd.ReadString('\n')
			require.NoError(t, err)
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok {
				continue
			}
			var u struct {
				LastTick uint64 `json:"lastTick"`
				Check    string `json:"check"`
			}
			require.NoError(t, json.Unmarshal([]byte(data), &u))
			if u.LastTick >= want {
				return u.LastTick
			}
		}
	}
	assert.Equal(t, uint64(39), next(39))
	for range 40 {
		m.StepOnce()
	}
	assert.Equal(t, uint64(79), next(79), "the tick advances while the demo records")
	gold := m.World().Supply().Money()[0]
	page, err := http.Get(url)
	require.NoError(t, err)
	defer page.Body.Close()
	var b strings.Builder
	_, err = bufio.NewReader(page.Body).WriteTo(&b)
	require.NoError(t, err)
	assert.Contains(t, b.String(), `id="supply-1" data-minor="`+gold.Total.String()+`"`)

	require.NoError(t, closeLog())
	_, err = net.DialTimeout("tcp", strings.TrimPrefix(strings.TrimSuffix(url, "/"), "http://"), time.Second)
	assert.Error(t, err, "the dashboard stops with the session")
}

func TestDashNeedsARecording(t *testing.T) {
	o := shop.Options{}
	assert.ErrorIs(t, Hook(&o, ":0", nil), ErrNoRecord)
	assert.NoError(t, Hook(&o, "", nil))
	assert.Nil(t, o.Follow)
	o.Record = "s.log"
	require.NoError(t, Hook(&o, "127.0.0.1:0", nil))
	assert.NotNil(t, o.Follow)
}
