package dash

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/report"
)

// Feed is a live economy page of a world running in this process (a
// lockstep host has no log to follow). A world subscriber, called for the
// ticks that emit events, copies them into its batch; every feedEvery a
// goroutine asks for the batch (an atomic flag the subscriber checks),
// encodes it (events' binary form) and writes it down a pipe to a child
// process (this program again: Child), which counts the events
// (report.NewFeed, events only; the ticks between are empty) and serves
// the page. So the world's tick pays a copy of its events and a flag
// check, no lock but at a hand-over; the encoding (about 200 instructions
// an event), the counting and its garbage collections happen elsewhere.
// Three batches rotate: steady ticks allocate nothing.
type Feed struct {
	cmd     *exec.Cmd
	pipe    io.WriteCloser
	stop    chan struct{}
	done    chan struct{}
	session atomic.Pointer[report.Session]

	cur  batch       // the subscriber's (the world's goroutine), and Close's flush after the last tick
	want atomic.Bool // the flusher asks for cur
	mu   sync.Mutex  // guards full and spare, at a hand-over
	full batch       // handed over, for the flusher
	// spare is an emptied batch for the subscriber to go on with.
	spare batch
}

// batch is the events of consecutive ticks: ticks[i]'s end at ends[i].
type batch struct {
	evs   []events.Event
	ticks []uint64
	ends  []int
}

// feedEvery is how often the pending ticks go to the child.
const feedEvery = 100 * time.Millisecond

// Frame types on the pipe: a byte, a uvarint length, the payload.
const (
	frameTicks   = 1 // ticks: uvarint tick, uvarint n, n events (binary)
	frameSession = 2 // the session panel, JSON
)

// maxFrame bounds a frame the child accepts (decoding memory is bounded
// by bytes read).
const maxFrame = 1 << 30

// feedEnv names the page a child started by NewFeed serves.
const feedEnv = "TICKECON_DEMO_DASH_FEED"

// NewFeed listens on addr (a busy address is refused at once) and starts
// the child that serves the page, titled title. Attach it to the world
// before its first tick.
func NewFeed(addr, title string, stdout io.Writer) (*Feed, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-dash: %w", err)
	}
	defer ln.Close() // the child has its own copy
	cmd, pipe, err := startChild(feedEnv, title, ln)
	if err != nil {
		return nil, fmt.Errorf("-dash: %w", err)
	}
	f := &Feed{cmd: cmd, pipe: pipe, stop: make(chan struct{}), done: make(chan struct{})}
	go f.flush()
	fmt.Fprintf(stdout, "live economy page: http://%s/\n", ln.Addr())
	return f, nil
}

// anyEvent selects every tick that emitted an event: a tick without
// events costs the world nothing here (the page counts it as empty).
var anyEvent = func() ecs.KindMask {
	ks := make([]events.Kind, 256)
	for i := range ks {
		ks[i] = events.Kind(i)
	}
	return ecs.Kinds(ks...)
}()

// Attach subscribes the feed to w's ticks that emit events.
func (f *Feed) Attach(w *ecs.World) {
	w.Subscribe(anyEvent, func(r *ecs.TickRecord) error {
		c := &f.cur
		c.evs = append(c.evs, r.Events...)
		c.ticks = append(c.ticks, r.Tick)
		c.ends = append(c.ends, len(c.evs))
		if f.want.Load() {
			f.mu.Lock()
			f.full, f.cur, f.spare = f.cur, f.spare, batch{}
			f.want.Store(false)
			f.mu.Unlock()
		}
		return nil
	})
}

// empty returns b's buffers, emptied.
func (b batch) empty() batch { return batch{evs: b.evs[:0], ticks: b.ticks[:0], ends: b.ends[:0]} }

// encode appends b's ticks: uvarint tick, uvarint n, n events (binary).
func (b *batch) encode(dst []byte) []byte {
	start := 0
	for i, t := range b.ticks {
		dst = binary.AppendUvarint(dst, t)
		dst = binary.AppendUvarint(dst, uint64(b.ends[i]-start))
		for j := start; j < b.ends[i]; j++ {
			dst = events.AppendBinary(dst, &b.evs[j])
		}
		start = b.ends[i]
	}
	return dst
}

// SetSession replaces the page's lockstep panel (sent with the next
// batch). s is not changed afterwards.
func (f *Feed) SetSession(s *report.Session) { f.session.Store(s) }

func (f *Feed) flush() {
	defer close(f.done)
	t := time.NewTicker(feedEvery)
	defer t.Stop()
	var b batch
	var enc, frame []byte
	var sent *report.Session
	broken := false // the child is gone: the page is down, the game goes on
	for {
		stopping := false
		select {
		case <-f.stop:
			stopping = true
		case <-t.C:
		}
		f.mu.Lock()
		if f.spare.evs == nil && b.evs != nil {
			f.spare = b.empty() // the batch sent last time goes round again
			b = batch{}
		}
		b, f.full = f.full, batch{}
		f.mu.Unlock()
		f.want.Store(true)
		enc = b.encode(enc[:0])
		if stopping {
			// After the world's last tick (Close runs after it on the
			// world's goroutine): what the subscriber still holds.
			enc = f.cur.encode(enc)
		}
		frame = frame[:0]
		if len(enc) > 0 {
			frame = appendFrame(frame, frameTicks, enc)
		}
		if s := f.session.Load(); s != sent {
			if js, err := json.Marshal(s); err == nil {
				frame = appendFrame(frame, frameSession, js)
			}
			sent = s
		}
		if len(frame) > 0 && !broken {
			_, err := f.pipe.Write(frame)
			broken = err != nil
		}
		if stopping {
			return
		}
	}
}

func appendFrame(dst []byte, typ byte, payload []byte) []byte {
	dst = append(dst, typ)
	dst = binary.AppendUvarint(dst, uint64(len(payload)))
	return append(dst, payload...)
}

// Close sends what is pending, then stops the child (open pages are
// told) and waits for it. Call it after the world's last tick.
func (f *Feed) Close() {
	close(f.stop)
	<-f.done
	f.pipe.Close()
	f.cmd.Wait()
}

// feedChild serves the page of a Feed: it counts the ticks the parent
// writes on stdin until it closes it.
func feedChild(title string, ln net.Listener) {
	d := report.NewFeed(title, report.Options{}, time.Second)
	var sess atomic.Pointer[report.Session]
	d.SetSession(sess.Load)
	srv := &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	if err := readFrames(bufio.NewReader(os.Stdin), d, &sess); err != nil {
		d.End(err) // the page says why
		io.Copy(io.Discard, os.Stdin)
	}
	d.Close()
	srv.Close()
}

// errFrame is a pipe that does not hold Feed's frames.
var errFrame = errors.New("-dash: bad frame from the game")

func readFrames(r *bufio.Reader, d *report.Dash, sess *atomic.Pointer[report.Session]) error {
	var payload []byte
	var ev []events.Event
	for {
		typ, err := r.ReadByte()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n, err := binary.ReadUvarint(r)
		if err != nil || n > maxFrame {
			return errFrame
		}
		// Grown as bytes arrive: a length that lies costs no memory.
		buf := bytes.NewBuffer(payload[:0])
		if m, err := buf.ReadFrom(io.LimitReader(r, int64(n))); err != nil || m != int64(n) {
			return errFrame
		}
		payload = buf.Bytes()
		switch typ {
		case frameTicks:
			for p := payload; len(p) > 0; {
				tick, k := binary.Uvarint(p)
				if k <= 0 {
					return errFrame
				}
				p = p[k:]
				cnt, k := binary.Uvarint(p)
				if k <= 0 || cnt > uint64(len(p)/events.MinBinaryLen) {
					return errFrame
				}
				p = p[k:]
				ev = ev[:0]
				for range cnt {
					ev = append(ev, events.Event{Tick: tick})
					if p, err = events.DecodeBinary(p, &ev[len(ev)-1]); err != nil {
						return fmt.Errorf("%w: %v", errFrame, err)
					}
				}
				if err := d.Feed(tick, ev); err != nil {
					return err
				}
			}
		case frameSession:
			var s report.Session
			if err := json.Unmarshal(payload, &s); err != nil {
				return fmt.Errorf("%w: %v", errFrame, err)
			}
			sess.Store(&s)
		default:
			return errFrame
		}
	}
}
