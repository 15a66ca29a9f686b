// Package shardbus carries the messages of package shard over NATS
// JetStream, on cluster/bus's inbox: each shard is a bus world (named
// Economy + "-" + its number, so its streams follow cluster/names), a
// message is its command as JSON published on the receiving shard's inbox
// subject with Nats-Msg-Id = its shard.MessageID (the stream drops a
// repeat within its dedup window), and each shard's bus.Inbox, accepting
// the four cross-shard command kinds only, hands the messages to the
// shard's world at the tick boundary and acknowledges each once the tick
// that applied it is durable in the shard's log — so a shard that crashes
// gets again what it had not made durable. Repeats past the broker's
// window are harmless: the shard applies a message id once.
//
// Transport implements shard.Transport and shard.Attacher: give it to
// shard.NewCluster and the cluster attaches each shard's world and log.
// Delivery is asynchronous (the inbox fetches in the background), so a
// run over NATS is not round-for-round repeatable as a loopback run is;
// each shard's log still replays alone and the audit still balances.
package shardbus

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/shard"
	"github.com/tickecon/tickecon/ticklog"
)

// Accept is what a shard's inbox takes from outside: the cross-shard
// commands, nothing else.
var Accept = []events.Kind{events.XSaleRequested, events.XCancelRequested, events.XHoldPosted, events.XHoldVoided}

// Transport is shard messages over JetStream.
type Transport struct {
	// AckWait is how long a shard's inbox waits for a fetched message to
	// be acknowledged before the server redelivers it (0: bus's default,
	// 30 s). A shard restarted after a crash gets the messages its dead
	// inbox had fetched but not made durable after this long.
	AckWait time.Duration

	nc      *nats.Conn
	js      jetstream.JetStream
	economy string
	shards  uint16
	cfg     bus.StreamsConfig

	mu      sync.Mutex
	inboxes map[uint16]*running // looked up, never iterated in order-sensitive code
}

type running struct {
	in     *bus.Inbox
	cancel context.CancelFunc
	done   chan struct{}
}

// World returns shard n's bus world name.
func World(economy string, n uint16) string { return fmt.Sprintf("%s-%d", economy, n) }

// New makes the streams of shards 1…shards of economy (bus.EnsureStreams)
// and returns a transport over nc.
func New(ctx context.Context, nc *nats.Conn, economy string, shards uint16, cfg bus.StreamsConfig) (*Transport, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	for n := uint16(1); n <= shards; n++ {
		if err := bus.EnsureStreams(ctx, js, World(economy, n), 0, cfg); err != nil {
			return nil, err
		}
	}
	return &Transport{nc: nc, js: js, economy: economy, shards: shards, cfg: cfg, inboxes: map[uint16]*running{}}, nil
}

// Send implements shard.Transport: it publishes m and waits for the
// stream's acknowledgement.
func (t *Transport) Send(m shard.Message) error {
	if m.To == 0 || m.To > t.shards {
		return &shard.AddrError{Addr: shard.AddrOf(m.To, 1), Msg: "no such shard"}
	}
	data, err := json.Marshal(m.Cmd)
	if err != nil {
		return err
	}
	subject := bus.InboxSubject(World(t.economy, m.To), fmt.Sprintf("shard-%d", m.From))
	_, err = t.js.Publish(context.Background(), subject, data, jetstream.WithMsgID(m.ID().String()))
	return err
}

// Receive implements shard.Transport; messages arrive through Drain.
func (t *Transport) Receive(_ uint16, buf []shard.Message) []shard.Message { return buf }

// Attach implements shard.Attacher: it starts shard n's inbox for w, whose
// log lw decides when a message is acknowledged.
func (t *Transport) Attach(n uint16, w *ecs.World, lw *ticklog.Writer) error {
	t.Detach(n)
	ctx, cancel := context.WithCancel(context.Background())
	in, err := bus.NewInbox(ctx, t.nc, bus.InboxConfig{World: World(t.economy, n),
		Horizon: bus.AttachHorizon(w, lw), Accept: Accept, AckWait: t.AckWait})
	if err != nil {
		cancel()
		return err
	}
	r := &running{in: in, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		_ = in.Run(ctx)
	}()
	t.mu.Lock()
	t.inboxes[n] = r
	t.mu.Unlock()
	return nil
}

// Detach implements shard.Attacher: shard n's inbox stops (what it had
// not acknowledged is redelivered to the next one).
func (t *Transport) Detach(n uint16) {
	t.mu.Lock()
	r := t.inboxes[n]
	delete(t.inboxes, n)
	t.mu.Unlock()
	if r != nil {
		r.cancel()
		<-r.done
	}
}

// Drain implements shard.Attacher: the commands shard n's inbox has
// fetched go to w (call before w.Step).
func (t *Transport) Drain(n uint16, w *ecs.World) int {
	t.mu.Lock()
	r := t.inboxes[n]
	t.mu.Unlock()
	if r == nil {
		return 0
	}
	return r.in.Drain(w)
}

// Stats returns shard n's inbox counts.
func (t *Transport) Stats(n uint16) bus.InboxStats {
	t.mu.Lock()
	r := t.inboxes[n]
	t.mu.Unlock()
	if r == nil {
		return bus.InboxStats{}
	}
	return r.in.Stats()
}

// Close stops every inbox.
func (t *Transport) Close() {
	for n := uint16(1); n <= t.shards; n++ {
		t.Detach(n)
	}
}
