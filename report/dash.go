package report

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/tickecon/tickecon/ticklog"
)

// Dash is a live report of a log being written (the demo's -record, a
// recording game's ticklog): it follows the file as it grows, replays each
// new tick, and serves the report page, whose charts and tables update
// from a server-sent event stream about once a second. It runs in its own
// process or goroutine and only reads the file, so the recording game pays
// nothing but the disk reads' share of the machine.
type Dash struct {
	path     string
	interval time.Duration

	mu     sync.Mutex
	live   *Live
	ver    int   // bumped at every tick
	err    error // why following stopped (nil: still following)
	cache  []byte
	cached int // the ver of cache: every open page shares one update

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// tail reads a growing file: at its end it waits for more (polling), until
// stop is closed, then reports io.EOF.
type tail struct {
	f    *os.File
	stop <-chan struct{}
	poll time.Duration
}

func (t *tail) Read(p []byte) (int, error) {
	for {
		n, err := t.f.Read(p)
		if n > 0 || err != io.EOF {
			return n, err
		}
		select {
		case <-t.stop:
			return 0, io.EOF
		case <-time.After(t.poll):
		}
	}
}

// ErrStopped is why a Dash stopped following when it was closed.
var ErrStopped = errors.New("report: the dashboard was closed")

// Follow opens the log at path (its header must be written: ticklog.Create
// writes it before the file appears under its name) and follows it until
// Close. interval is how often pages are updated (0: one second).
func Follow(path string, opts Options, interval time.Duration) (*Dash, error) {
	if interval <= 0 {
		interval = time.Second
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	d := &Dash{path: path, interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
	r, err := ticklog.NewReader(&tail{f: f, stop: d.stop, poll: 50 * time.Millisecond})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r.SetReuse(true)
	r.SetRawSnapshots(true)
	if d.live, err = NewLive(r.Header().Setup, opts); err != nil {
		f.Close()
		return nil, err
	}
	go d.follow(r, f)
	return d, nil
}

func (d *Dash) follow(r *ticklog.Reader, f *os.File) {
	defer close(d.done)
	defer f.Close()
	for {
		rec, err := r.Next()
		if err == nil && rec.Tick != nil {
			d.mu.Lock()
			err = d.live.Step(rec.Tick)
			d.live.SetOffset(r.Offset())
			d.ver++
			d.mu.Unlock()
		}
		if err != nil {
			select {
			case <-d.stop:
				err = ErrStopped // a tail cut short by Close is not damage
			default:
			}
			d.mu.Lock()
			d.err = err
			d.mu.Unlock()
			return
		}
	}
}

// Done is closed when following has stopped (Err says why).
func (d *Dash) Done() <-chan struct{} { return d.done }

// Close stops following and ends every event stream.
func (d *Dash) Close() error {
	d.once.Do(func() { close(d.stop) })
	<-d.done
	return nil
}

// Err returns why following stopped (a damaged log, a desync, ErrStopped),
// nil while it goes on.
func (d *Dash) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// snapshot returns the report so far and its version (nil before a tick).
func (d *Dash) snapshot() (*Report, int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.live.Report(), d.ver, d.err
}

// update returns the live page's update JSON of the ticks so far (nil
// before the first), computed once per version for all open pages.
func (d *Dash) update() ([]byte, int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cache == nil || d.cached != d.ver {
		if rep := d.live.Report(); rep != nil {
			msg, err := rep.LiveJSON()
			if err != nil {
				return nil, d.ver, err
			}
			d.cache, d.cached = msg, d.ver
		}
	}
	return d.cache, d.cached, d.err
}

// ServeHTTP serves the page at / and its event stream at /events.
func (d *Dash) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	switch req.URL.Path {
	case "/":
		d.page(w)
	case "/events":
		d.events(w, req)
	default:
		http.NotFound(w, req)
	}
}

func (d *Dash) page(w http.ResponseWriter) {
	rep, _, err := d.snapshot()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if rep == nil {
		// No tick yet: a page that looks again in a second.
		msg := "waiting for the first tick of " + filepath.Base(d.path)
		if err != nil {
			msg = "stopped: " + err.Error()
		}
		fmt.Fprintf(w, `<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>tickecon dash</title><p>%s…</p>`,
			html.EscapeString(msg))
		return
	}
	var buf bytes.Buffer
	if err := rep.write(&buf, filepath.Base(d.path), "events"); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(buf.Bytes())
}

// events streams an update whenever ticks were added, at most once per
// interval, and a "stopped" event when following ends.
func (d *Dash) events(w http.ResponseWriter, req *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	tick := time.NewTicker(d.interval)
	defer tick.Stop()
	sent := -1
	for {
		msg, ver, err := d.update()
		if msg != nil && ver != sent {
			fmt.Fprintf(w, "data: %s\n\n", msg)
			sent = ver
		}
		if err != nil {
			fmt.Fprintf(w, "event: stopped\ndata: %s\n\n", "following stopped: "+oneLine(err.Error()))
			fl.Flush()
			return
		}
		fl.Flush()
		select {
		case <-req.Context().Done():
			return
		case <-d.done: // err is set: the next round says so and ends
		case <-tick.C:
		}
	}
}

func oneLine(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte(" "))) }
