package bus

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/internal/proccpu"
	"github.com/tickecon/tickecon/systems"
)

// BenchmarkRelay relays a prepared log (2000 busy ticks) into a fresh
// stream of an embedded server (file storage), in each encoding: every
// iteration relays the log once as CloudEvents and once as binary, in
// alternating order, so the two share the machine's load side by side.
// Per encoding it reports events/s (wall time of Run), the process's CPU
// time per event (relay and server: the steadier figure on a shared
// machine) and the bytes the stream stores per event.
func BenchmarkRelay(b *testing.B) {
	g := newGame(b, 21, systems.DefaultConfig, 0)
	g.record(b, 2000, 50, 5)
	total := len(logEvents(b, g.path))
	_, nc := broker(b)
	js, err := jetstream.New(nc)
	require.NoError(b, err)
	type tally struct {
		wall, cpu     time.Duration
		events, bytes uint64
	}
	var t [2]tally
	encs := [2]Encoding{CloudEvents, Binary}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		for j := range 2 {
			e := (i + j) % 2
			world := fmt.Sprintf("shop%d", e) // deleted below: a fresh stream each time
			r, err := NewRelay(nc, RelayConfig{World: world, Log: g.path, Encoding: encs[e]})
			require.NoError(b, err)
			w0, c0 := time.Now(), proccpu.Used()
			require.NoError(b, r.Run(context.Background()))
			t[e].wall += time.Since(w0)
			t[e].cpu += proccpu.Used() - c0
			require.Equal(b, uint64(total), r.Stats().Events)
			t[e].events += r.Stats().Events
			b.StopTimer()
			s, err := js.Stream(context.Background(), EventStream(world))
			require.NoError(b, err)
			info, err := s.Info(context.Background())
			require.NoError(b, err)
			t[e].bytes += info.State.Bytes
			require.NoError(b, js.DeleteStream(context.Background(), EventStream(world)))
			b.StartTimer()
		}
	}
	for e, enc := range encs {
		b.ReportMetric(float64(t[e].events)/t[e].wall.Seconds(), enc.String()+"-events/s")
		b.ReportMetric(float64(t[e].cpu.Nanoseconds())/float64(t[e].events), enc.String()+"-cpu-ns/event")
		b.ReportMetric(float64(t[e].bytes)/float64(t[e].events), enc.String()+"-B/event")
	}
	b.ReportMetric(float64(total), "events/log")
}

// BenchmarkStep measures a busy tick (20 intents, a saga every 5 ticks)
// recorded to a log, without and with the relay attached: "horizon" is the
// subscriber the relay needs on the game loop; "relay" also runs the relay
// following the log into an embedded server on another goroutine (same 2
// cores, so it shows contention too).
func BenchmarkStep(b *testing.B) {
	for _, mode := range []string{"log", "horizon", "relay"} {
		b.Run(mode, func(b *testing.B) {
			g := newGame(b, 22, systems.DefaultConfig, 100)
			for range 200 { // warm up: the world's buffers at steady size
				g.step(20, 5)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			if mode != "log" {
				h := AttachHorizon(g.w, g.lw)
				if mode == "relay" {
					_, nc := broker(b)
					r, err := NewRelay(nc, RelayConfig{World: "step", Log: g.path, Horizon: h, Follow: true})
					require.NoError(b, err)
					go func() { done <- r.Run(ctx) }()
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				g.step(20, 5)
			}
			b.StopTimer()
			cancel()
			if mode == "relay" {
				<-done
			}
		})
	}
}

// The relay's only code on the game loop (the Horizon subscriber) adds no
// allocation to a tick: Step allocates the same with and without it.
// The count is the process's, so a goroutine left by an earlier test in
// this package (a NATS server or client winding down) can add one now and
// then: each side takes the least of three counts — the ticks' own
// allocations are in every one, a stray one only in some.
func TestHorizonAddsNoAllocation(t *testing.T) {
	count := func(attach bool) uint64 {
		g := newGame(t, 23, systems.DefaultConfig, 10)
		if attach {
			h := AttachHorizon(g.w, g.lw)
			_ = h.Notify() // a waiter to wake, as the relay and inbox register
		}
		for range 300 {
			g.step(0, 0)
		}
		runtime.GC()
		least := allocs.Total(500, func() { g.step(0, 0) })
		for range 2 {
			least = min(least, allocs.Total(500, func() { g.step(0, 0) }))
		}
		return least
	}
	bare, with := count(false), count(true)
	require.Equal(t, bare, with, "allocations in 500 idle ticks: %v without the horizon, %v with", bare, with)
}

// BenchmarkHorizonSet is everything the relay adds to a tick on the game
// loop when the writer synced: an atomic advance and a non-blocking wake
// of each waiter (here two: a relay and an inbox).
func BenchmarkHorizonSet(b *testing.B) {
	h := &Horizon{}
	_, _ = h.Notify(), h.Notify()
	b.ReportAllocs()
	var t uint64
	for b.Loop() {
		t++
		h.Set(t)
	}
}
