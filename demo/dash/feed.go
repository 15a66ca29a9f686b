package dash

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
)

// Feed is a live economy page of a world running in this process (a
// lockstep host has no log to follow): a world subscriber hands each
// committed tick's events to a goroutine that counts them (report.NewFeed,
// events only), so the game's tick pays a copy of its events and a channel
// send, not the counting. Buffers are recycled: steady ticks allocate
// nothing.
type Feed struct {
	D    *report.Dash
	ln   net.Listener
	srv  *http.Server
	q    chan tickEvents
	free chan []events.Event
	done chan struct{}
}

type tickEvents struct {
	tick uint64
	evs  []events.Event
}

// feedQueue is how many ticks the counting goroutine may fall behind
// before the game waits for it (the numbers stay exact).
const feedQueue = 256

// NewFeed listens on addr (a busy address is refused at once) and serves
// the page, titled title. Attach it to the world before its first tick.
func NewFeed(addr, title string, stdout io.Writer) (*Feed, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-dash: %w", err)
	}
	f := &Feed{D: report.NewFeed(title, report.Options{}, time.Second), ln: ln,
		q: make(chan tickEvents, feedQueue), free: make(chan []events.Event, feedQueue+1), done: make(chan struct{})}
	f.srv = &http.Server{Handler: f.D, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	go f.count()
	fmt.Fprintf(stdout, "live economy page: http://%s/\n", ln.Addr())
	return f, nil
}

// Attach subscribes the feed to every committed tick of w.
func (f *Feed) Attach(w *ecs.World) {
	w.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		var buf []events.Event
		select {
		case buf = <-f.free:
		default:
		}
		f.q <- tickEvents{r.Tick, append(buf[:0], r.Events...)}
		return nil
	})
}

func (f *Feed) count() {
	defer close(f.done)
	for t := range f.q {
		f.D.Feed(t.tick, t.evs) // a refused tick stops the page, which says why
		select {
		case f.free <- t.evs:
		default:
		}
	}
}

// Close stops the page (open pages are told) and the server. Call it
// after the world's last tick.
func (f *Feed) Close() {
	close(f.q)
	<-f.done
	f.D.Close()
	f.srv.Close()
}
