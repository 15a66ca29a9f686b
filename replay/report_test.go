package replay_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// chatter is a bad peer's bug that changes no state: at one tick it emits
// an event nobody else emits. Checksums agree; the events do not.
type chatter struct{ at uint64 }

func (chatter) Name() string { return "chatter" }
func (c chatter) Update(w *ecs.World) {
	if w.NextTick() == c.at {
		w.Emit(events.Event{Kind: events.Minted, Amount: 0})
	}
}

// selfContradicting finds the report lines issue 11 complained about: the
// same checksum as "expected" and "actual", or a state-diff heading with
// no diff under it.
func selfContradicting(report string) []string {
	var bad []string
	lines := strings.Split(report, "\n")
	for i, l := range lines {
		var a, b string
		if n, _ := fmt.Sscanf(strings.TrimSpace(l[strings.Index(l, ":")+1:]), "recorded %s replayed %s", &a, &b); n == 2 && strings.TrimSuffix(a, ",") == b {
			bad = append(bad, l)
		}
		if strings.Contains(l, "expected") && strings.Contains(l, "actual") && strings.Contains(l, "checksum") {
			f := strings.Fields(l)
			if len(f) >= 2 && strings.TrimSuffix(f[len(f)-3], ",") == f[len(f)-1] {
				bad = append(bad, l)
			}
		}
		if strings.Contains(l, "state diff at") && (i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "    entity")) {
			bad = append(bad, l+" (nothing under it)")
		}
	}
	return bad
}

func TestDesyncReportSaysWhatDiffersOrWhyItCannot(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.log")
	recordSession(t, bad, 80, 20, 10, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	res, err := replay.Verify(replay.FileSource(bad), coreWorld, replay.Options{})
	require.NoError(t, err)
	m := res.Mismatch
	require.NotNil(t, m)
	assert.Equal(t, uint64(42), m.Tick)
	assert.Equal(t, "events", m.FoundBy)
	assert.Equal(t, m.ExpectedChecksum, m.ActualChecksum)
	require.NotNil(t, m.Inputs)
	assert.Equal(t, "events", m.Inputs.List)
	report := m.String()
	t.Log(report)
	assert.Empty(t, selfContradicting(report))
	assert.Contains(t, report, "checksums agree")
	assert.Contains(t, report, "state diff: none; the snapshot before tick 50 equals the replayed state")

	// Without snapshots the report says it could not locate the state, and why.
	recordSession(t, bad, 80, 20, 0, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	res, err = replay.Verify(replay.FileSource(bad), coreWorld, replay.Options{})
	require.NoError(t, err)
	report = res.Mismatch.String()
	assert.Empty(t, selfContradicting(report))
	assert.Contains(t, report, "state diff: not located, the log has no snapshot after tick 42")

	// The same for two peers' logs.
	good := filepath.Join(dir, "good.log")
	recordSession(t, good, 80, 20, 10, nil)
	recordSession(t, bad, 80, 20, 10, func(w *ecs.World) { w.AddSystem(chatter{at: 42}) })
	d, err := replay.DiffLogs(replay.FileSource(good), replay.FileSource(bad), 0)
	require.NoError(t, err)
	require.NotNil(t, d)
	report = d.String()
	t.Log(report)
	assert.Empty(t, selfContradicting(report))
	assert.NotContains(t, report, fmt.Sprintf("checksum A %016x, B %016x", d.ExpectedChecksum, d.ActualChecksum))
	assert.Contains(t, report, "checksums agree")
	assert.Contains(t, report, "state diff: none")
}

func TestVerifyFromPastTheEndFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.log")
	recordSession(t, path, 30, 5, 10, nil)
	_, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{From: 99999})
	var re *replay.RangeError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, uint64(29), re.LastTick)
	assert.Contains(t, err.Error(), "ends at tick 29")
	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{From: 29})
	require.NoError(t, err)
	assert.Nil(t, res.Mismatch)
}

// A session recorded with systems.InstallCommerce and a non-default
// configuration verifies with nothing but its log: the header's Setup
// rebuilds the world. The same log on the core systems does not verify, so
// the Setup is what makes it work.
func TestCommerceSessionVerifiesFromItsHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "commerce.log")
	cfg := systems.Config{IdempotencyWindow: 3, SettlementEvery: 7, SagaTimeout: 2}
	c := session.Content(5, 30)
	w := ecs.New()
	systems.InstallCommerce(w, cfg)
	s, err := session.Attach(w, 5, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{SnapshotEvery: 50, Setup: systems.CommerceSetup(cfg)})
	require.NoError(t, err)
	lw.Record(w)
	for range 200 {
		s.Step(30)
	}
	require.NoError(t, lw.Close())

	res, err := replay.Verify(replay.FileSource(path), nil, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
	assert.Equal(t, 200, res.Ticks)
	assert.Equal(t, systems.SetupCommerce, res.Header.Setup.Systems)
	var got systems.Config
	require.NoError(t, json.Unmarshal(res.Header.Setup.Config, &got))
	assert.Equal(t, cfg, got)

	res, err = replay.Verify(replay.FileSource(path), nil, replay.Options{From: 120})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "from a snapshot too")

	res, err = replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.Mismatch, "the core systems replay a commerce session differently")
	t.Logf("on the core systems instead: desync at tick %d", res.Mismatch.Tick)

	_, err = (ecs.Setup{Systems: "market"}).Worlds()
	var se *ecs.SetupError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), `"market"`)
	_, err = (ecs.Setup{Systems: "commerce", Config: json.RawMessage(`{"Bogus":1}`)}).Worlds()
	require.ErrorAs(t, err, &se)
}

// A log cut short by a crash parts from its peer's "by length", and the
// report says which log ended and that it was torn.
func TestDiffOfATornLogSaysWhichEndedAndWhy(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	recordSession(t, a, 40, 5, 0, nil)
	data, err := os.ReadFile(a)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(b, data[:len(data)-3], 0o644))
	d, err := replay.DiffLogs(replay.FileSource(a), replay.FileSource(b), 0)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.Equal(t, "length", d.What)
	assert.Equal(t, uint64(39), d.Tick)
	assert.Contains(t, d.String(), "log B ends first, in a torn tail")
}

// Two logs of one content recorded on different systems part "by setup"
// before any tick is compared.
func TestDiffOfLogsWithDifferentSetupsSaysSo(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	c := session.Content(5, 10)
	for _, x := range []struct {
		path  string
		setup ecs.Setup
	}{{a, systems.CoreSetup()}, {b, systems.CommerceSetup(systems.DefaultConfig)}} {
		lw, err := ticklog.Create(x.path, c, ticklog.Options{Setup: x.setup})
		require.NoError(t, err)
		require.NoError(t, lw.Close())
	}
	d, err := replay.DiffLogs(replay.FileSource(a), replay.FileSource(b), 0)
	require.NoError(t, err)
	require.NotNil(t, d)
	assert.Equal(t, "setup", d.What)
	assert.Contains(t, d.String(), "systems core vs commerce {")
}

// A log recorded by a commerce world under the core setup (the header
// names systems.CoreSetup, the zero Setup) never verifies; the report says
// the likely cause, that the header names other systems, rather than leave
// a newcomer with a missing ReceiptIssued.
func TestDesyncReportNamesASetupMismatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mismatch.log")
	c := session.Content(9, 20)
	w := ecs.New()
	systems.InstallCommerce(w, systems.DefaultConfig)
	s, err := session.Attach(w, 9, c)
	require.NoError(t, err)
	lw, err := ticklog.Create(path, c, ticklog.Options{})
	require.NoError(t, err)
	lw.Record(w)
	for range 20 {
		s.Step(10)
	}
	require.NoError(t, lw.Close())

	res, err := replay.Verify(replay.FileSource(path), nil, replay.Options{})
	require.NoError(t, err)
	require.NotNil(t, res.Mismatch)
	assert.Equal(t, 4, res.Mismatch.RecordedStages)
	assert.Equal(t, 2, res.Mismatch.ReplayedStages)
	assert.Contains(t, res.Mismatch.String(), "the recording ran 4 stages a tick and the replay 2")
	assert.Contains(t, res.Mismatch.String(), "ticklog.Options.Setup")
}
