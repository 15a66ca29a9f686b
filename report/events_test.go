package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/replay"
)

// An events-only report of a recorded session (as a relay's stream
// carries it) counts the same ticks and events as the replaying report,
// and the money it shows issued is the world's Supply.
func TestEventsOnlyAgreesWithTheReplay(t *testing.T) {
	path, w := recordSession(t, true, 120, 40, 30)
	full, err := Build(replay.FileSource(path), Options{})
	require.NoError(t, err)

	l := NewEventLive(Options{})
	r, c, err := replay.FileSource(path)()
	require.NoError(t, err)
	defer c.Close()
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if rec.Tick == nil {
			continue
		}
		require.NoError(t, l.StepEvents(rec.Tick.Tick, rec.Tick.Events))
	}
	ev := l.Report()
	assert.True(t, ev.EventsOnly)
	assert.Equal(t, full.Ticks, ev.Ticks)
	assert.Equal(t, full.Events, ev.Events)
	require.Len(t, ev.Check, len(full.Check))
	sup := w.Supply()
	for i, line := range ev.Check {
		assert.Equal(t, full.Check[i].Issued, line.Issued)
		assert.Equal(t, sup.MoneyOf(line.Currency.ID), line.Issued)
	}
	// Same tables, but for the wealth tables (not in events) and stock.
	titles := func(r *Report) (out []string) {
		for _, t := range r.Tables {
			out = append(out, t.Title)
		}
		return out
	}
	for _, title := range titles(ev) {
		assert.Contains(t, titles(full), title)
	}
	assert.ErrorIs(t, l.Step(nil), ErrEventsOnly)
	var oe *OrderError
	assert.ErrorAs(t, l.StepEvents(full.LastTick, nil), &oe)
}

// Ticks a source skips (no events: a relay publishes nothing for them) are
// charted as empty and counted; a tick out of order is refused.
func TestEventsOnlyFillsTicksWithoutEvents(t *testing.T) {
	l := NewEventLive(Options{})
	require.NoError(t, l.StepEvents(0, nil))
	require.NoError(t, l.StepEvents(5, nil))
	assert.Equal(t, 6, l.Ticks())
	require.NoError(t, l.StepEvents(6+maxFill+1, nil)) // past maxFill: not filled
	assert.Equal(t, 7, l.Ticks())
	rep := l.Report()
	assert.Equal(t, uint64(6+maxFill+1), rep.LastTick)
	var oe *OrderError
	require.ErrorAs(t, l.StepEvents(5, nil), &oe)
	assert.Equal(t, "report: tick 5 after tick 4103: ticks must come in order", oe.Error())
}
