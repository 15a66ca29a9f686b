package dash

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
)

func ticksFrame(ticks map[uint64][]events.Event, order ...uint64) []byte {
	var b batch
	for _, t := range order {
		b.evs = append(b.evs, ticks[t]...)
		b.ticks = append(b.ticks, t)
		b.ends = append(b.ends, len(b.evs))
	}
	return appendFrame(nil, frameTicks, b.encode(nil))
}

// The child reads what the game writes: ticks and the session panel; the
// page shows them.
func TestFramesReachThePage(t *testing.T) {
	gold := events.Event{Kind: events.CurrencyDefined, Subject: 1, Name: "Gold", Size: 2}
	mint := events.Event{Kind: events.Minted, Subject: 7, Currency: 1, Amount: 1234}
	in := ticksFrame(map[uint64][]events.Event{0: {gold, mint}, 1: nil, 5: {mint}}, 0, 1, 5)
	in = appendFrame(in, frameSession, []byte(`{"Name":"s1","Peers":[{"ID":"ann","Agreed":4,"Live":true}]}`))
	d := report.NewFeed("t", report.Options{}, 0)
	defer d.Close()
	var sess atomic.Pointer[report.Session]
	d.SetSession(sess.Load)
	require.NoError(t, readFrames(bufio.NewReader(bytes.NewReader(in)), d, &sess))
	srv := httptest.NewServer(d)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(page), "ticks 0–5 (6 ticks) · 3 events")
	assert.Contains(t, string(page), `id="supply-1" data-minor="2468">24.68<`)
	assert.Contains(t, string(page), `data-peer="ann" data-agreed="4"`)
}

// Bytes that are not Feed's frames end the page with an error, never a
// panic, and a length that lies allocates nothing up front.
func TestBadFramesAreRefused(t *testing.T) {
	good := ticksFrame(map[uint64][]events.Event{0: {{Kind: events.Minted, Subject: 1, Currency: 1, Amount: 5}}}, 0)
	for name, in := range map[string][]byte{
		"unknown type":  {9, 0},
		"huge length":   append([]byte{frameTicks}, binary.AppendUvarint(nil, maxFrame+1)...),
		"lying length":  append([]byte{frameTicks}, binary.AppendUvarint(nil, maxFrame)...),
		"truncated":     good[:len(good)-2],
		"bad count":     appendFrame(nil, frameTicks, []byte{0, 200}),
		"bad event":     appendFrame(nil, frameTicks, append([]byte{0, 1}, bytes.Repeat([]byte{0xff}, 20)...)),
		"bad session":   appendFrame(nil, frameSession, []byte("{")),
		"out of order":  append(append([]byte{}, good...), good...),
		"no length":     {frameTicks},
		"varint length": {frameTicks, 0x80},
	} {
		t.Run(name, func(t *testing.T) {
			d := report.NewFeed("t", report.Options{}, 0)
			defer d.Close()
			var sess atomic.Pointer[report.Session]
			assert.Error(t, readFrames(bufio.NewReader(bytes.NewReader(in)), d, &sess))
		})
	}
}
