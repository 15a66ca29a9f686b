package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// InboxConfig configures an Inbox.
type InboxConfig struct {
	// World is the session's world name.
	World string
	// Horizon is the durable end of the world's replay log: a message is
	// acknowledged only once the tick that applied it is durable, so a
	// crash before that redelivers it (and the replayed log never has it).
	Horizon *Horizon
	// Accept lists the command kinds taken from outside (default: the saga
	// outcomes PaymentConfirmed, PaymentDeclined, DeliveryAccepted,
	// DeliveryRefused — commands the world applies once per slot). Admin
	// kinds such as Minted are refused unless listed.
	Accept []events.Kind
	// MaxBytes bounds one message (default 4096); bigger ones are refused.
	MaxBytes int
	// Queue bounds the commands waiting for the game loop (default 4096);
	// when full the inbox stops fetching (back-pressure on the stream).
	Queue int
	// Remember is how many message ids the inbox remembers to drop
	// redeliveries of messages it already handed over (default 65536).
	Remember int
	// AckWait is the server's redelivery timeout for an unacknowledged
	// message (default 30 s); it must exceed the time from fetch to
	// durability.
	AckWait time.Duration
	// Once, if set, applies each command once per message id across
	// failovers: Drain hands commands to Once.CommandOnce with the
	// message's Nats-Msg-Id instead of to w.Command. On a replicated world
	// (cluster/lockstep) pass the Host: the ids travel in the frames, so
	// the next host knows which messages the history applied, and a copy
	// redelivered after a failover is acknowledged with the tick that
	// applied it (Reply.Again) and not applied again; the Host also
	// remembers how the world answered it (OnceOutcomes), so that reply
	// says applied or rejected as the first one did.
	Once Once
}

// Once applies a command at most once per idempotency key, across
// restarts and failovers of the world's host. lockstep.Host implements it.
type Once interface {
	// CommandOnce queues c for the world's next tick unless a command
	// with key was applied already; then it queues nothing and returns
	// the tick that applied it, and fresh is false.
	CommandOnce(key string, c events.Event) (t ecs.Ticket, tick uint64, fresh bool)
}

// OnceOutcomes is a Once that remembers how the world answered the
// commands it applied, for a while: an Inbox answers a redelivered
// message as it answered the first copy — applied or rejected, with the
// event — instead of with the tick alone. lockstep.Host implements it.
type OnceOutcomes interface {
	Once
	// CommandOutcome returns the event that answered command c, queued
	// with key and applied in tick (CommandOnce's answer when not fresh):
	// its own event or its CommandRejected. ok is false if it does not
	// know any more.
	CommandOutcome(key string, tick uint64, c events.Event) (ev events.Event, ok bool)
}

// InboxStats counts what an Inbox did.
type InboxStats struct {
	Received   int64 // messages fetched (redeliveries included)
	Submitted  int64 // commands handed to the world
	Duplicates int64 // messages dropped as already handed over
	Rejected   int64 // messages refused (dead-lettered with a reason)
	Acked      int64 // messages acknowledged after their tick was durable
	// Again counts messages the world had applied already (InboxConfig.Once:
	// a copy redelivered after a failover): acknowledged with the tick
	// that applied them, not applied again.
	Again int64
}

// Reply statuses (Reply.Status).
const (
	// ReplyRefused: the inbox refused the message (Reason says why); it
	// never reached the world. The original message, with the reason in
	// its Tickecon-Reason header, is on tickecon.world.<world>.dead.inbox.
	ReplyRefused = "refused"
	// ReplyApplied: the world applied the command in Tick; Event is the
	// command's own event (nil if it caused none).
	ReplyApplied = "applied"
	// ReplyRejected: the world refused the command in Tick and changed
	// nothing; Event is its CommandRejected and Reason the reason's name
	// (e.g. DuplicateRequest for a second outcome of one saga slot).
	ReplyRejected = "rejected"
	// ReplyRan: the world ran the command in Tick before (Again) and this
	// host no longer knows whether it applied or rejected it (it ran
	// before the snapshot the host's standby started from, or too long
	// ago: see lockstep.Host.CommandOutcome): the outcome is among Tick's
	// events (the relay's stream, the log).
	ReplyRan = "ran"
)

// Reply is what the inbox publishes, as JSON, on an inbox message's
// Tickecon-Reply-To subject (core NATS, at most once): the refusal as soon
// as the inbox refuses it, or the world's answer once the tick that
// applied the command is durable in the log (so a crash cannot take it
// back). A redelivered copy of a message already handed to the world gets
// no second reply — unless it reaches another host after a failover
// (InboxConfig.Once): that host answers it with Again set.
type Reply struct {
	MsgID  string        `json:"msg_id"`
	Status string        `json:"status"` // ReplyRefused, ReplyApplied, ReplyRejected, or ReplyRan (Again)
	Reason string        `json:"reason,omitempty"`
	Tick   uint64        `json:"tick"` // the tick that applied it (0 when refused)
	Event  *events.Event `json:"event,omitempty"`
	// Again: the message was redelivered after the world had run it in
	// Tick (the host that did failed before acknowledging it); it was not
	// run again. Status, Reason and Event are the first reply's when the
	// host remembers them (OnceOutcomes: a lockstep.Host does for its
	// last 8192 keyed commands it or its standby ran), else Status is
	// ReplyRan and Event nil.
	Again bool `json:"again,omitempty"`
}

// Inbox brings commands from outside (worker outcomes, admin commands)
// into a world. Its Run goroutine fetches messages from the inbox stream,
// refuses bad ones (malformed JSON, unknown or refused kind, oversized, no
// Nats-Msg-Id) with a reason, drops message ids it already handed over,
// and queues the rest; the game loop calls Drain before each Step, which
// submits the queued commands with w.Command — so they are applied at the
// tick boundary, recorded in the replay log and replayed like any command.
// The world itself is never touched from a NATS goroutine.
//
// A message is acknowledged once the tick that applied it is durable in
// the log (Horizon); a sender that names a Tickecon-Reply-To subject then
// gets the world's outcome there (Reply), as it gets a refusal.
// Deduplication: the inbox stream drops a repeated Nats-Msg-Id within its
// window; the inbox drops a redelivered id it remembers; the world
// applies a saga outcome once per slot (a second one is rejected as
// DuplicateRequest, changing nothing), which holds across restarts because
// it is part of the replayed state; and with InboxConfig.Once (a
// replicated world's lockstep.Host) any command is applied once per
// message id across failovers, within the host's key window.
type Inbox struct {
	cfg  InboxConfig
	nc   *nats.Conn
	js   jetstream.JetStream
	cons jetstream.Consumer

	queue chan queued

	mu      sync.Mutex
	applied []appliedMsg // handed to the world, awaiting durability (FIFO)

	world *ecs.World // the world Drain subscribed to (game loop only)

	seen     map[string]struct{} // Run goroutine only
	seenRing []string
	seenNext int

	received, submitted, dups, rejected, acked, again atomic.Int64
	accept                                            [256]bool
}

type queued struct {
	id  string // Nats-Msg-Id
	cmd events.Event
	msg jetstream.Msg
}

type appliedMsg struct {
	id     string // Nats-Msg-Id
	tick   uint64
	msg    jetstream.Msg
	ticket ecs.Ticket
	reply  string // the sender's Tickecon-Reply-To ("" none)
	// out is the world's answer, once its tick ran (seen).
	out  events.Event
	seen bool
	// again: the world had applied it already, in tick (InboxConfig.Once).
	again bool
}

// NewInbox creates or updates the inbox's durable consumer ("inbox") on nc.
func NewInbox(ctx context.Context, nc *nats.Conn, cfg InboxConfig) (*Inbox, error) {
	if err := CheckWorld(cfg.World); err != nil {
		return nil, err
	}
	if cfg.Horizon == nil {
		return nil, fmt.Errorf("%w: InboxConfig.Horizon is required (acknowledge only what is durable)", ErrConfig)
	}
	if len(cfg.Accept) == 0 {
		cfg.Accept = []events.Kind{events.PaymentConfirmed, events.PaymentDeclined, events.DeliveryAccepted, events.DeliveryRefused}
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 4096
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 4096
	}
	if cfg.Remember <= 0 {
		cfg.Remember = 1 << 16
	}
	if cfg.AckWait <= 0 {
		cfg.AckWait = 30 * time.Second
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, InboxStream(cfg.World), jetstream.ConsumerConfig{
		Durable: "inbox", AckPolicy: jetstream.AckExplicitPolicy, AckWait: cfg.AckWait,
		MaxAckPending: 4 * cfg.Queue, MaxDeliver: -1,
	})
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, fmt.Errorf("bus: inbox consumer: no stream %s: create the world's streams first (EnsureStreams, or a Relay of the world): %w", InboxStream(cfg.World), err)
	}
	if err != nil {
		return nil, fmt.Errorf("bus: inbox consumer: %w", err)
	}
	in := &Inbox{cfg: cfg, nc: nc, js: js, cons: cons, queue: make(chan queued, cfg.Queue),
		seen: make(map[string]struct{}, cfg.Remember), seenRing: make([]string, cfg.Remember)}
	for _, k := range cfg.Accept {
		in.accept[k] = true
	}
	return in, nil
}

// Stats returns the inbox's counts.
func (in *Inbox) Stats() InboxStats {
	return InboxStats{Received: in.received.Load(), Submitted: in.submitted.Load(),
		Duplicates: in.dups.Load(), Rejected: in.rejected.Load(), Acked: in.acked.Load(), Again: in.again.Load()}
}

// Drain submits every queued command to w (call it on the game loop,
// before Step; with InboxConfig.Once, through it) and returns how many
// it submitted (a message the world had applied already is not). It
// never blocks. The first call subscribes to w, to read the outcome of
// each command whose sender asked for a reply.
func (in *Inbox) Drain(w *ecs.World) int {
	if in.world != w {
		in.world = w
		w.Subscribe(ecs.EveryTick, in.observe)
	}
	n := 0
	for {
		select {
		case q := <-in.queue:
			a := appliedMsg{id: q.id, tick: w.NextTick(), msg: q.msg}
			if in.cfg.Once != nil {
				var fresh bool
				a.ticket, a.tick, fresh = in.cfg.Once.CommandOnce(q.id, q.cmd)
				a.again = !fresh
				if oo, ok := in.cfg.Once.(OnceOutcomes); ok && a.again {
					// Answered as the first copy was: the world may have
					// rejected it.
					a.out, a.seen = oo.CommandOutcome(q.id, a.tick, q.cmd)
				}
			} else {
				a.ticket = w.Command(q.cmd)
			}
			if h := q.msg.Headers(); h != nil {
				a.reply = h.Get(HeaderReplyTo)
			}
			in.mu.Lock()
			in.applied = append(in.applied, a)
			in.mu.Unlock()
			if a.again {
				in.again.Add(1)
				continue
			}
			n++
		default:
			in.submitted.Add(int64(n))
			return n
		}
	}
}

// observe, a subscriber on the game loop, keeps the world's answer to
// each command of this tick whose sender wants a reply.
func (in *Inbox) observe(rec *ecs.TickRecord) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range in.applied {
		a := &in.applied[i]
		if a.tick == rec.Tick && a.reply != "" && !a.seen && !a.again {
			a.out, _ = rec.Outcome(a.ticket)
			a.seen = true
		}
	}
	return nil
}

// Run fetches and checks messages until ctx ends.
func (in *Inbox) Run(ctx context.Context) error {
	notify := in.cfg.Horizon.Notify()
	acks := make(chan struct{})
	go func() { // acknowledge what became durable
		defer close(acks)
		for {
			select {
			case <-ctx.Done():
				return
			case <-notify:
				in.ackDurable()
			}
		}
	}()
	for ctx.Err() == nil {
		batch, err := in.cons.Fetch(64, jetstream.FetchMaxWait(250*time.Millisecond))
		if err != nil {
			if !sleepCtx(ctx, 50*time.Millisecond) {
				break
			}
			continue
		}
		for m := range batch.Messages() {
			in.received.Add(1)
			in.take(ctx, m)
		}
	}
	<-acks
	return nil
}

// take checks one message and queues its command.
func (in *Inbox) take(ctx context.Context, m jetstream.Msg) {
	id := ""
	if h := m.Headers(); h != nil {
		id = h.Get(jetstream.MsgIDHeader)
	}
	cmd, why := in.check(id, m.Data())
	if why != "" {
		in.reject(ctx, m, id, why)
		return
	}
	if _, ok := in.seen[id]; ok {
		in.dups.Add(1)
		// The first copy is acknowledged when its tick is durable. Until
		// then this one is not: acknowledging a redelivery acknowledges
		// the stream's message, and a crash before the tick is durable
		// would lose it. The server delivers it again after AckWait if
		// the first copy's ack has not come by then.
		if !in.pending(id) {
			_ = m.Ack()
		}
		return
	}
	in.remember(id)
	select {
	case in.queue <- queued{id: id, cmd: cmd, msg: m}:
	case <-ctx.Done():
	}
}

// check validates a message; a non-empty reason refuses it.
func (in *Inbox) check(id string, data []byte) (events.Event, string) {
	var ev events.Event
	if len(data) > in.cfg.MaxBytes {
		return ev, fmt.Sprintf("oversized: %d bytes, the limit is %d", len(data), in.cfg.MaxBytes)
	}
	if id == "" {
		return ev, "no Nats-Msg-Id header: every inbox message needs a unique id for deduplication"
	}
	var probe struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return ev, "malformed: " + err.Error()
	}
	var k events.Kind
	if err := k.UnmarshalText([]byte(probe.Kind)); err != nil || !k.Valid() {
		return ev, fmt.Sprintf("unknown command kind %q", probe.Kind)
	}
	if !in.accept[k] {
		return ev, fmt.Sprintf("command kind %s is not accepted from outside", k)
	}
	data, why := integersFromStrings(data)
	if why != "" {
		return ev, "malformed: " + why
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		return ev, "malformed: " + err.Error()
	}
	if dec.More() {
		return ev, "malformed: data after the command object"
	}
	if ev.Tick != 0 {
		return ev, "malformed: tick is set by the world, not the sender"
	}
	return ev, ""
}

// pending reports whether a message with id was handed to the world and
// is not acknowledged yet.
func (in *Inbox) pending(id string) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range in.applied {
		if in.applied[i].id == id {
			return true
		}
	}
	return false
}

// intFields are the integer fields of an Event's JSON form: true for the
// signed ones.
var intFields = map[string]bool{"tick": false, "subject": false, "object": false, "till": false, "ref": false,
	"item": false, "currency": false, "qty": true, "amount": true, "rest": true, "size": true,
	"request": false, "at": false, "ticket": false}

// integersFromStrings turns a command's integers written as decimal
// strings ("amount": "9007199254740993", as the CloudEvents form writes
// every integer, exact in JavaScript beyond 2^53) into JSON numbers,
// which encoding/json reads into int64 and uint64 exactly. Numbers stay
// as they are. A string that is not a decimal integer of the field's
// range is a reason to refuse the command.
func integersFromStrings(data []byte) ([]byte, string) {
	if !bytes.Contains(data, []byte{'"'}) {
		return data, ""
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return data, err.Error()
	}
	changed := false
	for k, raw := range obj {
		signed, ok := intFields[strings.ToLower(k)]
		if !ok || len(raw) == 0 || raw[0] != '"' {
			continue
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return data, fmt.Sprintf("%s: %v", k, err)
		}
		var err error
		if s == "" || s[0] == '+' {
			err = errors.New("not a decimal integer")
		} else if signed {
			_, err = strconv.ParseInt(s, 10, 64)
		} else {
			_, err = strconv.ParseUint(s, 10, 64)
		}
		if err != nil {
			return data, fmt.Sprintf("%s: %q is not a decimal integer of its range", k, s)
		}
		obj[k] = json.RawMessage(s)
		changed = true
	}
	if !changed {
		return data, ""
	}
	out, err := json.Marshal(obj)
	if err != nil {
		return data, err.Error()
	}
	return out, ""
}

func (in *Inbox) remember(id string) {
	if old := in.seenRing[in.seenNext]; old != "" {
		delete(in.seen, old)
	}
	in.seenRing[in.seenNext] = id
	in.seen[id] = struct{}{}
	in.seenNext = (in.seenNext + 1) % len(in.seenRing)
}

// reject dead-letters a refused message with its reason (and answers its
// reply-to subject), then terminates it. Nothing reaches the world.
func (in *Inbox) reject(ctx context.Context, m jetstream.Msg, id, why string) {
	in.rejected.Add(1)
	if err := publishDead(ctx, in.js, DeadSubject(in.cfg.World, "inbox"), m, why); err != nil {
		_ = m.Nak() // keep it until the reason can be recorded
		return
	}
	if h := m.Headers(); h != nil {
		if reply := h.Get(HeaderReplyTo); reply != "" {
			in.send(reply, Reply{MsgID: id, Status: ReplyRefused, Reason: why})
		}
	}
	_ = m.TermWithReason(why)
}

// ackDurable acknowledges the messages whose tick is durable.
func (in *Inbox) ackDurable() {
	d, ok := in.cfg.Horizon.Durable()
	if !ok {
		return
	}
	in.mu.Lock()
	n := 0
	for n < len(in.applied) && in.applied[n].tick <= d {
		n++
	}
	done := append([]appliedMsg(nil), in.applied[:n]...)
	in.applied = append(in.applied[:0], in.applied[n:]...)
	in.mu.Unlock()
	for _, a := range done {
		_ = a.msg.Ack()
		if a.reply != "" {
			in.send(a.reply, worldReply(&a))
		}
	}
	in.acked.Add(int64(len(done)))
}

// worldReply is the Reply for a command the world ran.
func worldReply(a *appliedMsg) Reply {
	rep := Reply{Status: ReplyApplied, Tick: a.tick, Again: a.again}
	rep.MsgID = a.id
	if a.again && !a.seen {
		rep.Status = ReplyRan
	}
	if a.seen && a.out.Kind != events.KindInvalid {
		ev := a.out
		rep.Event = &ev
		if ev.Kind == events.CommandRejected {
			rep.Status, rep.Reason = ReplyRejected, ev.Reason.String()
		}
	}
	return rep
}

// send publishes a reply (core NATS: the sender listens, or it is lost).
func (in *Inbox) send(subject string, rep Reply) {
	if data, err := json.Marshal(rep); err == nil {
		_ = in.nc.Publish(subject, data)
	}
}
