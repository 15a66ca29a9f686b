package ticklog_test

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// powerFile simulates a disk that loses power: writes reach the file (the
// page cache) but only what was there at the last Sync is durable. crash
// then keeps the durable bytes plus a random prefix of the rest, of which
// a random tail reads as zeros (space the file system allocated, data it
// never wrote). Sync does not call fsync: the simulation decides what
// survives, so deleting the Writer's Sync call loses ticks here.
type powerFile struct {
	f               *os.File
	start           int64 // file offset when wrapped
	written, synced int64 // bytes since start
	dieAt           int64 // the power goes when written reaches it
	dead            bool
}

var errPowerLoss = errors.New("power loss")

func wrapPower(pf **powerFile) func(*os.File) ticklog.File {
	return func(f *os.File) ticklog.File {
		off, _ := f.Seek(0, io.SeekCurrent)
		*pf = &powerFile{f: f, start: off, dieAt: 1 << 62}
		return *pf
	}
}

func (p *powerFile) Write(b []byte) (int, error) {
	if p.dead {
		return 0, errPowerLoss
	}
	if room := p.dieAt - p.written; int64(len(b)) > room {
		n, _ := p.f.Write(b[:room]) // the power goes mid-write
		p.written += int64(n)
		p.dead = true
		return n, errPowerLoss
	}
	n, err := p.f.Write(b)
	p.written += int64(n)
	return n, err
}

// Sync makes everything written durable, unless the power went first.
func (p *powerFile) Sync() error {
	if p.dead {
		return errPowerLoss
	}
	p.synced = p.written
	return nil
}

func (p *powerFile) Close() error { return p.f.Close() }

// crash cuts the file as a power loss would and reports whether anything
// that was not durable survived in part.
func (p *powerFile) crash(rng *rand.Rand) {
	keep := p.synced + rng.Int64N(p.written-p.synced+1)
	zeroFrom := p.synced + rng.Int64N(keep-p.synced+1)
	if rng.IntN(2) == 0 {
		zeroFrom = keep // half the time, no zeros
	}
	end := p.start + keep
	_ = p.f.Truncate(end)
	if z := end - (p.start + zeroFrom); z > 0 {
		_, _ = p.f.WriteAt(make([]byte, z), p.start+zeroFrom)
	}
	p.f.Close() // the Writer's buffer and everything else is lost
}

// crashInputs queues one tick of purchases, a pure function of the tick
// so that every run after a crash goes on with the same kind of session.
func crashInputs(w *ecs.World, players, listings []components.ID) {
	rng := rand.New(rand.NewPCG(4, w.NextTick()))
	for range 20 {
		w.Submit(components.PurchaseIntent{Buyer: players[rng.IntN(len(players))],
			Listing: listings[rng.IntN(len(listings))], Quantity: 1 + rng.Int64N(2), RequestID: w.NextTick()})
	}
}

// crashWorld is a world with the core systems, as the log's header names.
func crashWorld() *ecs.World {
	w := ecs.New()
	systems.Install(w)
	return w
}

// A recorder that loses power at 80 random points (mid-append, mid-sync
// interval, with and without zero-filled tails) never loses a tick it
// reported durable, resumes every time, and the crash-riddled log is one
// consistent session at the end. The torn-tail path must actually be taken.
func TestPowerLossNeverLosesADurableTick(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.log")
	c := session.Content(4, 20)
	probe := crashWorld()
	ids, err := c.Apply(probe)
	require.NoError(t, err)
	var players, listings []components.ID
	for _, p := range c.Players {
		players = append(players, ids.MustID(p.Key))
	}
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			listings = append(listings, ids.MustID(l.Key))
		}
	}
	rng := rand.New(rand.NewPCG(99, 1))
	maxDurable := int64(-1)
	var crashes, torn, unsynced int
	for crashes < 80 {
		opts := ticklog.Options{SyncEvery: 1 + rng.IntN(4), SnapshotEvery: 16, Setup: systems.CoreSetup()}
		var pf *powerFile
		opts = ticklog.WithWrapFile(opts, wrapPower(&pf))
		var w *ecs.World
		var lw *ticklog.Writer
		if _, err := os.Stat(path); err == nil {
			var rec *ticklog.Recovered
			lw, rec, err = ticklog.OpenAppend(path, opts)
			require.NoError(t, err, "crash %d: the log reopens", crashes)
			if rec.Truncated > 0 {
				torn++
			}
			last := int64(-1)
			if rec.HasTick {
				last = int64(rec.LastTick)
			}
			require.GreaterOrEqual(t, last, maxDurable, "crash %d: a tick reported durable is missing", crashes)
			w, err = replay.ResumeLog(rec, nil)
			require.NoError(t, err)
		} else {
			w = crashWorld()
			_, err := c.Apply(w)
			require.NoError(t, err)
			lw, err = ticklog.Create(path, c, opts)
			require.NoError(t, err)
		}
		lw.Record(w)
		// The power goes after a random number of bytes (mid-write, or
		// between a flush and its fsync), or between two ticks.
		pf.dieAt = pf.written + 1 + rng.Int64N(60<<10)
		for range 1 + rng.IntN(60) {
			crashInputs(w, players, listings)
			w.Step()
			if lw.Err() != nil {
				require.ErrorIs(t, lw.Err(), errPowerLoss)
				break
			}
			if d, ok := lw.Durable(); ok {
				maxDurable = max(maxDurable, int64(d))
			}
		}
		if pf.written > pf.synced {
			unsynced++
		}
		pf.crash(rng)
		crashes++
	}
	w, rec, err := ticklog.OpenAppend(path, ticklog.Options{})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	res, err := replay.Verify(replay.FileSource(path), nil, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
	require.Equal(t, int(rec.LastTick)+1, res.Ticks)
	t.Logf("%d power losses (%d with unsynced bytes): %d left a torn tail that reopening cut; %d ticks in the final log, last durable %d", crashes, unsynced, torn, res.Ticks, maxDurable)
	assert.Positive(t, torn, "the torn-tail path was exercised")
	assert.Positive(t, maxDurable)
	assert.Positive(t, unsynced, "some crashes had written bytes that were not yet durable")
}
