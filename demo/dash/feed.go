package dash

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
)

// Feed is a live economy page of a world running in this process (a
// lockstep host has no log to follow). A world subscriber appends each
// committed tick's events to a pending batch under a mutex; a goroutine
// takes the batch every feedEvery and counts it (report.NewFeed, events
// only). The game's tick pays a copy of its events and an uncontended
// lock — no channel send or goroutine wake-up per tick (that cost the
// demo's 10 µs tick about 2 µs) — and the two batches are swapped and
// reused, so steady ticks allocate nothing.
type Feed struct {
	D    *report.Dash
	ln   net.Listener
	srv  *http.Server
	stop chan struct{}
	done chan struct{}

	mu      sync.Mutex
	pending batch
}

// batch is the events of consecutive ticks: ticks[i] ends at ends[i].
type batch struct {
	evs   []events.Event
	ticks []uint64
	ends  []int
}

// feedEvery is how often the counting goroutine takes the pending ticks.
const feedEvery = 100 * time.Millisecond

// NewFeed listens on addr (a busy address is refused at once) and serves
// the page, titled title. Attach it to the world before its first tick.
func NewFeed(addr, title string, stdout io.Writer) (*Feed, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-dash: %w", err)
	}
	f := &Feed{D: report.NewFeed(title, report.Options{}, time.Second), ln: ln, stop: make(chan struct{}), done: make(chan struct{})}
	f.srv = &http.Server{Handler: f.D, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	go f.count()
	fmt.Fprintf(stdout, "live economy page: http://%s/\n", ln.Addr())
	return f, nil
}

// Attach subscribes the feed to every committed tick of w.
func (f *Feed) Attach(w *ecs.World) {
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		f.mu.Lock()
		p := &f.pending
		p.evs = append(p.evs, r.Events...)
		p.ticks = append(p.ticks, r.Tick)
		p.ends = append(p.ends, len(p.evs))
		f.mu.Unlock()
		return nil
	})
}

func (f *Feed) count() {
	defer close(f.done)
	t := time.NewTicker(feedEvery)
	defer t.Stop()
	var b batch
	for {
		stopping := false
		select {
		case <-f.stop:
			stopping = true
		case <-t.C:
		}
		f.mu.Lock()
		b, f.pending = f.pending, batch{evs: b.evs[:0], ticks: b.ticks[:0], ends: b.ends[:0]}
		f.mu.Unlock()
		start := 0
		for i, tick := range b.ticks {
			f.D.Feed(tick, b.evs[start:b.ends[i]]) // a refused tick stops the page, which says why
			start = b.ends[i]
		}
		if stopping {
			return
		}
	}
}

// Close counts what is pending, then stops the page (open pages are told)
// and the server. Call it after the world's last tick.
func (f *Feed) Close() {
	close(f.stop)
	<-f.done
	f.D.Close()
	f.srv.Close()
}
