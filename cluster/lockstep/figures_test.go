package lockstep_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/internal/proccpu"
	"github.com/tickecon/tickecon/internal/session"
)

// The figures of docs/failover.md ("Surviving the loss of a machine"):
//
//	FAILOVER_FIGURES=1 go test -run TestFailoverFigures -v -timeout 30m ./cluster/lockstep
//
// (FAILOVER_FIGURES=failover: the failover figures only.)
//
// It prints, each measured side by side in this one run: ticks/s and
// purchase intents/s of a host on R1 and R3 streams, with SyncAlways and
// nats-server's default sync, interleaved A B C D × rounds, with the
// process's CPU time per tick (the three servers run in it too); then
// failover times over 20 kills of the host and the acknowledged inputs
// lost. It asserts nothing about time (the machine is shared); the fault
// checker's own assertions hold as in every fault test.
//
// FAILOVER_FIGURES=throughput measures the throughput only;
// FIGURES_ROUNDS and FIGURES_TICKS change the rounds (5) and the ticks
// per round (2000); FIGURES_CONFIGS picks configurations
// ("R3/always,R3/default"): with one configuration and two tick counts
// under `strace -f -c`, the difference of the syscall counts is per frame.
// FIGURES_WAIT=1 waits for each tick's commit before the next tick (a
// world that shows outcomes only once committed) instead of pipelining
// the frames.
func TestFailoverFigures(t *testing.T) {
	mode := os.Getenv("FAILOVER_FIGURES")
	if mode == "" {
		t.Skip("set FAILOVER_FIGURES=1 to measure")
	}
	load := func() string {
		out, _ := exec.Command("uptime").Output()
		return strings.TrimSpace(string(out))
	}
	t.Logf("load before: %s", load())
	if mode != "failover" { // =failover: the failover figures only
		throughputFigures(t, load)
	}
	if mode != "throughput" {
		failoverFigures(t, 20, load)
	}
}

func throughputFigures(t *testing.T, load func() string) {
	envInt := func(name string, def int) int {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			require.NoError(t, err, name)
			return n
		}
		return def
	}
	ticks, rounds := envInt("FIGURES_TICKS", 2000), envInt("FIGURES_ROUNDS", 5)
	const perTick = 20
	type cfg struct {
		sync     natsbox.Sync
		replicas int
	}
	cfgs := []cfg{{natsbox.SyncAlways, 1}, {natsbox.SyncAlways, 3}, {natsbox.SyncDefault, 1}, {natsbox.SyncDefault, 3}}
	if pick := os.Getenv("FIGURES_CONFIGS"); pick != "" {
		cfgs = slices.DeleteFunc(cfgs, func(c cfg) bool {
			policy := "always"
			if c.sync == natsbox.SyncDefault {
				policy = "default"
			}
			return !slices.Contains(strings.Split(pick, ","), fmt.Sprintf("R%d/%s", c.replicas, policy))
		})
		require.NotEmpty(t, cfgs, "FIGURES_CONFIGS %q: of R1/always, R3/always, R1/default, R3/default", pick)
	}
	clusters := map[natsbox.Sync]*natsbox.Cluster{}
	for _, c := range cfgs {
		if clusters[c.sync] != nil {
			continue
		}
		cl, err := natsbox.StartCluster(natsbox.ClusterOptions{Dir: t.TempDir(), Sync: c.sync})
		require.NoError(t, err)
		t.Cleanup(cl.Shutdown)
		clusters[c.sync] = cl
	}
	rates := make([][]float64, len(cfgs))
	cpus := make([][]time.Duration, len(cfgs))
	for round := range rounds {
		for i, c := range cfgs {
			r, cpu := hostRate(t, clusters[c.sync], fmt.Sprintf("b%d_%d", i, round), c.replicas, ticks, perTick)
			rates[i] = append(rates[i], r)
			cpus[i] = append(cpus[i], cpu)
		}
	}
	t.Logf("host ticks/s (%d ticks, %d purchase intents per tick, frames committed), median [min max] of %d interleaved rounds; process CPU per tick (host and three servers) median [min max]:", ticks, perTick, rounds)
	for i, c := range cfgs {
		r, cpu := slices.Clone(rates[i]), slices.Clone(cpus[i])
		slices.Sort(r)
		slices.Sort(cpu)
		t.Logf("  R%d sync %-28s %7.0f ticks/s [%5.0f %5.0f]  %8.0f intents/s  CPU %6.0f µs/tick [%4.0f %4.0f]", c.replicas, c.sync,
			r[len(r)/2], r[0], r[len(r)-1], r[len(r)/2]*perTick, us(cpu[len(cpu)/2]), us(cpu[0]), us(cpu[len(cpu)-1]))
	}
	t.Logf("load after throughput: %s", load())
}

// failoverFigures: kills of the host under load (LeaseTTL 300ms, 100
// ticks/s), each a second after the third purchase committed since the
// last, each step of the takeover timed from the kill.
func failoverFigures(t *testing.T, kills int, load func() string) {
	var mu sync.Mutex
	var f *fleet
	steps := map[string][]time.Duration{}
	var killAt time.Time
	seen := map[string]bool{}
	lockstep.SetTakeoverHook(func(_, step string) {
		mu.Lock()
		defer mu.Unlock()
		if !killAt.IsZero() && !seen[step] {
			seen[step] = true
			steps[step] = append(steps[step], time.Since(killAt))
		}
	})
	t.Cleanup(func() { lockstep.SetTakeoverHook(nil) })
	f = newFleetRunning(t)
	f.beforeKill = func() {
		mu.Lock()
		killAt, seen = time.Now(), map[string]bool{}
		mu.Unlock()
	}
	for range kills {
		f.waitAcked(3, 60*time.Second)
		// A steady cadence, whatever the code under test: faster client
		// recovery would otherwise kill sooner after the last takeover, a
		// different fault. (A figure, not a result.)
		time.Sleep(time.Second)
		f.killHost(true)
	}
	f.waitAcked(5, 60*time.Second)
	f.check()
	pct := func(d []time.Duration) string {
		d = slices.Clone(d)
		slices.Sort(d)
		p := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))].Round(time.Millisecond) }
		return fmt.Sprintf("p50 %s p99 %s max %s", p(0.5), p(0.99), p(1))
	}
	mu.Lock()
	for _, s := range []string{"lease won", "caught up", "keys read", "host ready"} {
		if len(steps[s]) > 0 {
			t.Logf("  kill → %-10s (%2d): %s", s, len(steps[s]), pct(steps[s]))
		}
	}
	mu.Unlock()
	t.Logf("failover kill → first committed tick of the next host over %d kills: %s", len(f.failover), pct(f.failover))
	t.Logf("acknowledged purchases lost: 0 of %d (the checker found each exactly once)", len(f.acked))
	t.Logf("load after: %s", load())
}

// hostRate runs a failover host with no peers for ticks ticks as fast as
// it can, perTick intents a tick, and returns ticks/s until the last
// frame is committed and the process's CPU time per tick meanwhile.
func hostRate(t *testing.T, c *natsbox.Cluster, name string, replicas, ticks, perTick int) (float64, time.Duration) {
	nc := connectURLs(t, c.URLs())
	var h *lockstep.Host
	require.Eventually(t, func() bool { // the cluster may still be settling
		var err error
		h, err = lockstep.NewHost(nc, lockstep.Config{Session: name, NewWorld: newWorld, Replicas: replicas,
			Failover: &lockstep.Failover{ID: "h", LeaseTTL: 2 * time.Second}})
		return err == nil
	}, time.Minute, 10*time.Millisecond)
	defer h.Close()
	s, err := session.Attach(h.World(), 3, session.Content(3, 50))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start, cpu0 := time.Now(), proccpu.Used()
	wait := os.Getenv("FIGURES_WAIT") != "" // each tick committed before the next: no pipelining
	for tick := range ticks {
		require.NoError(t, h.Prepare(ctx))
		s.Inputs(perTick)
		h.World().Step()
		require.NoError(t, h.Err())
		if wait {
			require.NoError(t, h.WaitCommitted(ctx, uint64(tick)))
		}
	}
	require.NoError(t, h.WaitCommitted(ctx, uint64(ticks-1)))
	return float64(ticks) / time.Since(start).Seconds(), (proccpu.Used() - cpu0) / time.Duration(ticks)
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func connectURLs(t testing.TB, urls string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(urls, nats.MaxReconnects(-1), nats.ReconnectWait(20*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}
