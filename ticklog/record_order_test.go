package ticklog_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// A log attached after the world's first Step could never verify (it has
// no tick 0): Record says so at once, and so do Close and the world.
func TestRecordAfterTheFirstStepIsATickGap(t *testing.T) {
	content, err := ecs.ParseContent([]byte(`{"currencies":[{"key":"gold","name":"Gold"}]}`))
	require.NoError(t, err)
	w := ecs.New()
	systems.Install(w)
	_, err = content.Apply(w)
	require.NoError(t, err)
	w.Step()

	lw, err := ticklog.CreateNew(filepath.Join(t.TempDir(), "late.log"), content, ticklog.Options{Setup: systems.CoreSetup()})
	require.NoError(t, err)
	lw.Record(w)
	var gap *ticklog.TickGapError
	require.True(t, errors.As(lw.Err(), &gap), "Record refuses at once: %v", lw.Err())
	require.Equal(t, uint64(0), gap.Next)
	require.Equal(t, uint64(1), gap.Got)
	require.Contains(t, gap.Error(), "call Record before the world's first Step")
	w.Step()
	require.ErrorAs(t, lw.Close(), &gap)

	// Append says the same for a first record past tick 0.
	lw2, err := ticklog.CreateNew(filepath.Join(t.TempDir(), "late2.log"), content, ticklog.Options{Setup: systems.CoreSetup()})
	require.NoError(t, err)
	require.ErrorAs(t, lw2.Append(&ecs.TickRecord{Tick: 5}), &gap)
	require.NoError(t, lw2.Close(), "a refused Append writes nothing and does not poison the log")
}
