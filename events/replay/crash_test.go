package replay_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events/replay"
	"github.com/tickecon/tickecon/events/replaylog"
	"github.com/tickecon/tickecon/internal/session"
)

const crashEnv = "TICKECON_CRASH_LOG"

// crashChild records (or resumes recording) a session until it is killed,
// printing "durable N" after every fsynced tick.
func crashChild(path string) {
	c := session.Content(4, 20)
	probe := ecs.New()
	ids, _ := c.Apply(probe)
	var players, listings []components.ID
	for _, p := range c.Players {
		players = append(players, ids[p.Key])
	}
	for _, s := range c.Shops {
		for _, l := range s.Listings {
			listings = append(listings, ids[l.Key])
		}
	}
	opts := replaylog.Options{SyncEvery: 1, SnapshotEvery: 64}
	var w *ecs.World
	var lw *replaylog.Writer
	if _, err := os.Stat(path); err == nil {
		var rec *replaylog.Recovered
		lw, rec, err = replaylog.OpenAppend(path, opts)
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		if w, err = replay.Resume(rec.Records, coreWorld); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
	} else {
		w = coreWorld()
		c.Apply(w)
		if lw, err = replaylog.Create(path, c, opts); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
	}
	lw.Record(w)
	out := bufio.NewWriter(os.Stdout)
	for {
		// Inputs are a pure function of the tick, so a resumed run goes on
		// with the same session.
		rng := rand.New(rand.NewPCG(4, w.Tick()))
		for range 20 {
			w.Submit(components.PurchaseIntent{Buyer: players[rng.IntN(len(players))],
				Listing: listings[rng.IntN(len(listings))], Quantity: 1 + rng.Int64N(2), RequestID: w.Tick()})
		}
		w.Step()
		if lw.Err() != nil {
			fmt.Println("error", lw.Err())
			os.Exit(3)
		}
		d, _ := lw.Durable()
		fmt.Fprintf(out, "durable %d\n", d)
		out.Flush()
	}
}

func TestMain(m *testing.M) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	os.Exit(m.Run())
}

func TestSIGKILLedRecorderLosesNoDurableTick(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns and kills 24 processes")
	}
	path := filepath.Join(t.TempDir(), "crash.log")
	rng := rand.New(rand.NewPCG(99, 1))
	lastDurable, kills, torns := int64(-1), 0, 0
	for kills < 24 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		lines := make(chan string, 1<<16)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		time.Sleep(time.Duration(20+rng.IntN(120)) * time.Millisecond)
		require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
		_ = cmd.Wait()
		kills++
		for l := range lines {
			require.False(t, strings.HasPrefix(l, "error"), l)
			if n, ok := strings.CutPrefix(l, "durable "); ok {
				d, err := strconv.ParseInt(n, 10, 64)
				require.NoError(t, err)
				lastDurable = max(lastDurable, d)
			}
		}
		// Reopen as the next run will: the torn tail goes, every durable tick stays.
		if _, err := os.Stat(path); os.IsNotExist(err) && lastDurable < 0 {
			continue // killed before Create renamed the new log into place
		}
		_, recs, err := replaylog.ReadAll(path)
		var torn *replaylog.TornTailError
		if err != nil {
			require.ErrorAs(t, err, &torn)
			torns++
		}
		var last int64 = -1
		for _, r := range recs {
			if r.Tick != nil {
				last = int64(r.Tick.Tick)
			}
		}
		require.GreaterOrEqual(t, last, lastDurable, "kill %d: a tick reported durable is missing", kills)
	}
	require.Positive(t, lastDurable, "the children made progress")
	// The whole crash-riddled log is one consistent session.
	w, rec, err := replaylog.OpenAppend(path, replaylog.Options{})
	require.NoError(t, err)
	require.NoError(t, w.Close())
	res, err := replay.Verify(replay.FileSource(path), coreWorld, replay.Options{})
	require.NoError(t, err)
	require.Nil(t, res.Mismatch, "%v", res.Mismatch)
	require.Equal(t, int(rec.LastTick)+1, res.Ticks)
	t.Logf("%d kills (%d left a torn tail), %d ticks recorded, last durable %d", kills, torns, res.Ticks, lastDurable)
}
