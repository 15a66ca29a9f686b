package shard

import "sync"

// Transport carries messages between shards. It may lose, repeat, delay
// and reorder them: the protocol is correct under all four (the receiving
// world applies a message id once, and the buyer's shard resends what is
// unanswered). Delivery order decides nothing about correctness, only
// which answer a raced request and cancel get — and that answer is then
// in the receiver's log.
type Transport interface {
	// Send queues m for shard m.To.
	Send(m Message) error
	// Receive appends to buf the messages ready for shard to, removing them.
	Receive(to uint16, buf []Message) []Message
}

// Loopback is the in-process transport: one FIFO queue per shard, so a
// run that sends the same messages in the same order delivers them the
// same way. Safe for concurrent use.
type Loopback struct {
	mu     sync.Mutex
	queues [][]Message
}

// NewLoopback returns a loopback transport for shards 1…n.
func NewLoopback(n uint16) *Loopback { return &Loopback{queues: make([][]Message, n)} }

// Send implements Transport. A message to a shard out of range is an
// *AddrError.
func (l *Loopback) Send(m Message) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m.To == 0 || int(m.To) > len(l.queues) {
		return &AddrError{Addr: AddrOf(m.To, 1), Msg: "no such shard"}
	}
	l.queues[m.To-1] = append(l.queues[m.To-1], m)
	return nil
}

// Receive implements Transport.
func (l *Loopback) Receive(to uint16, buf []Message) []Message {
	l.mu.Lock()
	defer l.mu.Unlock()
	if to == 0 || int(to) > len(l.queues) {
		return buf
	}
	buf = append(buf, l.queues[to-1]...)
	l.queues[to-1] = l.queues[to-1][:0]
	return buf
}

// Len returns how many messages wait for shard to.
func (l *Loopback) Len(to uint16) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if to == 0 || int(to) > len(l.queues) {
		return 0
	}
	return len(l.queues[to-1])
}

// Drop discards what waits for shard to (the inbox of a crashed process).
func (l *Loopback) Drop(to uint16) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if to != 0 && int(to) <= len(l.queues) {
		l.queues[to-1] = l.queues[to-1][:0]
	}
}
