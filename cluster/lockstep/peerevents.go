package lockstep

// What a peer is told about its session: dropped, resynced, halted, the
// host gone or changed, and when it gives up waiting.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// PeerEventKind says what happened (PeerEvent.Kind).
type PeerEventKind int

const (
	// EventDropped: the host dropped the peer after a desync; a resync
	// follows.
	EventDropped PeerEventKind = iota + 1
	// EventResynced: the peer restarted from the host's latest snapshot.
	EventResynced
	// EventHalted: the host halted the session after a desync; no frame
	// will come.
	EventHalted
	// EventHostGone: no frame for PeerConfig.HostSilence.
	EventHostGone
	// EventHostChanged: another replica took the session over (Host names
	// it); the peer follows it without a restart.
	EventHostChanged
	// EventGaveUp: the host was gone for PeerConfig.GiveUp; the peer
	// stopped (Err is a *GaveUpError).
	EventGaveUp
)

func (k PeerEventKind) String() string {
	switch k {
	case EventDropped:
		return "dropped"
	case EventResynced:
		return "resynced"
	case EventHalted:
		return "halted"
	case EventHostGone:
		return "host gone"
	case EventHostChanged:
		return "host changed"
	case EventGaveUp:
		return "gave up"
	}
	return "PeerEventKind(" + strconv.Itoa(int(k)) + ")"
}

// PeerEvent is one thing that happened to a peer's session.
type PeerEvent struct {
	Kind   PeerEventKind
	Tick   uint64 // the peer's next tick when it happened (EventHostGone: approximate)
	Host   string // EventHostChanged: the new host's replica id
	Detail string // what happened, for people (e.g. "no frame for 2s")
}

func (e PeerEvent) String() string {
	s := fmt.Sprintf("tick %d: %s", e.Tick, e.Kind)
	if e.Host != "" {
		s += " to " + e.Host
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// ErrGaveUp is what every *GaveUpError matches with errors.Is.
var ErrGaveUp = fmt.Errorf("lockstep: gave up waiting for the host")

// GaveUpError: the peer saw no frame for PeerConfig.GiveUp and stopped.
type GaveUpError struct {
	Session string
	Waited  time.Duration // how long no frame came (PeerConfig.GiveUp)
	Tick    uint64        // the peer's next tick: every tick before it was applied
}

func (e *GaveUpError) Error() string {
	return fmt.Sprintf("lockstep: session %s: no frame from any host for %s (at tick %d): gave up; the host is gone and no standby took over", e.Session, e.Waited.Round(time.Millisecond), e.Tick)
}

// Is makes errors.Is(err, ErrGaveUp) true.
func (e *GaveUpError) Is(target error) bool { return target == ErrGaveUp }

// hostChange returns a channel closed when the lease next changes holder:
// a request in flight to the old host will not be answered.
func (p *Peer) hostChange() <-chan struct{} {
	p.hostMu.Lock()
	defer p.hostMu.Unlock()
	if p.hostNew == nil {
		p.hostNew = make(chan struct{})
	}
	return p.hostNew
}

// newHost wakes the requests waiting on hostChange.
func (p *Peer) newHost() {
	p.hostMu.Lock()
	defer p.hostMu.Unlock()
	if p.hostNew != nil {
		close(p.hostNew)
		p.hostNew = nil
	}
}

func (p *Peer) event(e PeerEvent) {
	if p.cfg.Console != nil {
		fmt.Fprintf(p.cfg.Console, "peer %s: %s\n", p.cfg.ID, e)
	}
	if p.cfg.OnEvent != nil {
		p.cfg.OnEvent(e)
	}
}

// sayHello tells the host the peer is there from its next tick, on the
// peer's goroutine (so no checksum of that tick went out before it); with
// reply, the host's "ok" goes there.
func (p *Peer) sayHello(reply string) {
	data := []byte(fmt.Sprintf("hello %s %d", p.cfg.ID, p.w.NextTick()))
	if reply == "" {
		_ = p.nc.Publish(subjHello(p.cfg.Session, p.cfg.ID), data)
		return
	}
	_ = p.nc.PublishRequest(subjHello(p.cfg.Session, p.cfg.ID), reply, data)
}

// hostWatch is the peer's goroutine that notices a silent host (no
// frames) and a new one (the lease changed holder), and says hello to a
// new host until it answers.
type hostWatch struct {
	quit chan struct{}
	done chan struct{}
}

func (p *Peer) startWatch() {
	w := &hostWatch{quit: make(chan struct{}), done: make(chan struct{})}
	p.watch = w
	var updates <-chan jetstream.KeyValueEntry
	ctx, cancel := context.WithTimeout(context.Background(), p.cfg.Timeout)
	if kv, err := p.js.KeyValue(ctx, leaseBucketName(p.cfg.Session)); err == nil {
		if kw, err := kv.Watch(context.Background(), leaseKey); err == nil {
			updates = kw.Updates()
			defer func() { go func() { <-w.done; _ = kw.Stop() }() }()
		}
	}
	cancel()
	acks := make(chan *nats.Msg, 4)
	reply := p.nc.NewRespInbox()
	sub, _ := p.nc.ChanSubscribe(reply, acks)
	go p.watchHost(w, updates, acks, reply, sub)
}

func (p *Peer) stopWatch() {
	if p.watch != nil {
		close(p.watch.quit)
		<-p.watch.done
	}
}

func (p *Peer) watchHost(w *hostWatch, updates <-chan jetstream.KeyValueEntry, acks chan *nats.Msg, reply string, sub *nats.Subscription) {
	defer close(w.done)
	if sub != nil {
		defer sub.Unsubscribe()
	}
	every := min(p.cfg.HostSilence/8, 100*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	holder, initial := "", true
	gone, goneAt := false, time.Time{}
	helloDue := false // a new host has not answered our hello yet
	var helloAt time.Time
	rehello := func() {
		helloAt = time.Now()
		select { // the peer's goroutine sends it, in order with its sums
		case p.ctl <- &nats.Msg{Data: []byte("rehello"), Reply: reply}:
		default:
		}
	}
	for {
		select {
		case <-w.quit:
			return
		case e, ok := <-updates:
			if !ok {
				updates = nil
				continue
			}
			if e == nil { // the initial values are in
				initial = false
				continue
			}
			if e.Operation() != jetstream.KeyValuePut {
				holder = ""
				continue
			}
			v := string(e.Value())
			if v != holder && !initial {
				id, _, _ := strings.Cut(v, "/")
				p.newHost()
				p.event(PeerEvent{Kind: EventHostChanged, Tick: p.tick.Load(), Host: id, Detail: "a standby took the session over"})
				helloDue = true
				rehello()
			}
			holder = v
		case m := <-acks:
			if string(m.Data) == "ok" { // not a no-responders status: no host listened yet
				helloDue = false
			}
		case now := <-t.C:
			if helloDue && now.Sub(helloAt) > every {
				rehello()
			}
			silent := now.Sub(time.Unix(0, p.lastFrame.Load()))
			switch {
			case silent < p.cfg.HostSilence:
				gone = false
			case !gone:
				gone, goneAt = true, now
				p.event(PeerEvent{Kind: EventHostGone, Tick: p.tick.Load(),
					Detail: fmt.Sprintf("no frame for %s", silent.Round(time.Millisecond))})
			case p.cfg.GiveUp > 0 && now.Sub(goneAt)+p.cfg.HostSilence >= p.cfg.GiveUp:
				err := &GaveUpError{Session: p.cfg.Session, Waited: silent, Tick: p.tick.Load()}
				p.fail(err)
				p.event(PeerEvent{Kind: EventGaveUp, Tick: err.Tick, Detail: err.Error()})
				p.stop()
				return
			}
		}
	}
}
