package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// Dash is a live report served over HTTP: its page's charts and tables
// update from a server-sent event stream about once a second. Follow makes
// one that follows a log being written (the demo's -record, a recording
// game's ticklog): it follows the file as it grows and replays each new
// tick in its own goroutine, only reading the file. Run it in a process
// apart from the game (tickecon dash, the demo's -dash child): in the
// game's process its garbage collections cost the game's thread about
// 2.5% more instructions a tick (docs/replay.md, "Live dashboard"). NewFeed
// makes one fed a session's events by its caller (a relay's stream:
// tickecon-relay dash). Either may show a lockstep session's peers and
// desync reports (SetSession).
type Dash struct {
	title    string
	interval time.Duration
	follows  bool // Follow: a goroutine reads the file and closes done

	mu      sync.Mutex
	live    *Live
	ver     int   // bumped at every tick
	err     error // why following stopped (nil: still following)
	cache   []byte
	cached  int // the ver of cache: every open page shares one update
	session func() *Session

	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
	doneOnce sync.Once
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
	d := &Dash{title: filepath.Base(path), follows: true, interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
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
			d.End(err)
			return
		}
	}
}

// NewFeed returns a live report fed by its caller: Feed each tick's
// events in order, End when the source stops. It is events-only
// (NewEventLive: nothing is replayed); title names the source on the page.
func NewFeed(title string, opts Options, interval time.Duration) *Dash {
	if interval <= 0 {
		interval = time.Second
	}
	return &Dash{title: title, interval: interval, live: NewEventLive(opts), stop: make(chan struct{}), done: make(chan struct{})}
}

// Feed counts one tick's events (in the order the tick emitted them; the
// slice is not kept). Ticks come in increasing order (*OrderError). After
// End, or a refused tick, it returns why the feed stopped.
func (d *Dash) Feed(tick uint64, evs []events.Event) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return d.err
	}
	if err := d.live.StepEvents(tick, evs); err != nil {
		d.err = err
		d.doneOnce.Do(func() { close(d.done) })
		return err
	}
	d.ver++
	return nil
}

// End stops the dashboard's following with err (nil: ErrStopped): open
// pages show the ticks so far and why it stopped. The first End counts.
func (d *Dash) End(err error) {
	if err == nil {
		err = ErrStopped
	}
	d.mu.Lock()
	if d.err == nil {
		d.err = err
	}
	d.mu.Unlock()
	d.doneOnce.Do(func() { close(d.done) })
}

// SetSession shows a lockstep session on the page: f is called at most
// once per update interval per open page, from the HTTP server's
// goroutines (it must be safe for that), and its result replaces the
// session panel when it changed. Call it before serving.
func (d *Dash) SetSession(f func() *Session) {
	d.mu.Lock()
	d.session = f
	d.mu.Unlock()
}

// Done is closed when following has stopped (Err says why).
func (d *Dash) Done() <-chan struct{} { return d.done }

// Close stops following and ends every event stream.
func (d *Dash) Close() error {
	d.once.Do(func() { close(d.stop) })
	if !d.follows {
		d.End(ErrStopped)
	}
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
		msg := "waiting for the first tick of " + d.title
		if err != nil {
			msg = "stopped: " + err.Error()
		}
		fmt.Fprintf(w, `<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" content="1"><title>tickecon dash</title><p>%s…</p>`,
			html.EscapeString(msg))
		return
	}
	var buf bytes.Buffer
	if err := rep.write(&buf, d.title, "events", d.sessionHTML()); err != nil {
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
	sent, sentSession := -1, ""
	for {
		msg, ver, err := d.update()
		if msg != nil && ver != sent {
			fmt.Fprintf(w, "data: %s\n\n", msg)
			sent = ver
		}
		if s := d.sessionHTML(); string(s) != sentSession {
			// A JSON string: one line, whatever the HTML holds.
			js, _ := json.Marshal(string(s))
			fmt.Fprintf(w, "event: session\ndata: %s\n\n", js)
			sentSession = string(s)
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

// sessionHTML renders the session panel ("" without SetSession).
func (d *Dash) sessionHTML() template.HTML {
	d.mu.Lock()
	f := d.session
	d.mu.Unlock()
	if f == nil {
		return ""
	}
	s := f()
	if s == nil {
		return ""
	}
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, "session", s); err != nil {
		return template.HTML("<p class=\"bad\">" + html.EscapeString(err.Error()) + "</p>")
	}
	return template.HTML(b.String())
}

func oneLine(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte("\n"), []byte(" "))) }
