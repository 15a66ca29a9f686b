package ecs

import (
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/events"
)

// KindMask selects the ticks a subscriber is called for by the kinds of
// events they emitted, as arche's event subscriptions select by mask.
// Build one with Kinds (or EveryTick, the mask of ticks with or without
// events); the zero KindMask selects nothing.
type KindMask struct {
	bits  [4]uint64 // one bit per events.Kind (a uint8)
	every bool
}

// EveryTick calls a subscriber after every committed tick, including
// ticks that emitted nothing (what a replay log needs).
var EveryTick = KindMask{every: true}

// Kinds returns the mask of ticks that emitted at least one event of one
// of the kinds ks.
func Kinds(ks ...events.Kind) KindMask {
	var m KindMask
	for _, k := range ks {
		m.bits[k>>6] |= 1 << (k & 63)
	}
	return m
}

// Has reports whether kind k is in m (every kind is in EveryTick).
func (m KindMask) Has(k events.Kind) bool { return m.every || m.bits[k>>6]&(1<<(k&63)) != 0 }

// Subscriber is called with each committed tick its mask selects. The
// record is only valid during the call (see TickRecord.Clone); it holds
// all of the tick's events, not only the selected kinds. A non-nil error
// cancels the subscription and is kept for World.Err: a subscriber whose
// output is broken (a log that cannot be written) stops, and the game
// learns it after its Step.
type Subscriber func(r *TickRecord) error

// subscribers is the World's subscription list.
type subscribers struct {
	list  []*subscription
	nsubs int     // subscriptions ever made
	dead  int     // cancelled, not yet removed from list
	errs  []error // *SubscriberError, for Err
}

type subscription struct {
	mask  KindMask
	fn    Subscriber
	index int // in subscription order, for SubscriberError
	dead  bool
}

// SubscriberError is a subscriber's failure: which subscription (in
// subscription order, from 0), at which tick, and its error.
type SubscriberError struct {
	Tick uint64
	Sub  int
	Err  error
}

// Error implements error.
func (e *SubscriberError) Error() string {
	return fmt.Sprintf("subscriber %d at tick %d: %v", e.Sub, e.Tick, e.Err)
}

// Unwrap returns the subscriber's error.
func (e *SubscriberError) Unwrap() error { return e.Err }

// Subscribe registers fn to be called, in subscription order, after each
// committed tick that mask selects (EveryTick: all of them), and returns a
// function that cancels the subscription. Cancelling is idempotent and may
// be done from inside a subscriber (the cancelled one is not called again,
// from the next subscriber on). A subscription made from inside a
// subscriber starts with the next tick.
func (w *World) Subscribe(mask KindMask, fn Subscriber) (cancel func()) {
	ss := &w.subs
	s := &subscription{mask: mask, fn: fn, index: ss.nsubs}
	ss.nsubs++
	ss.list = append(ss.list, s)
	return func() {
		if !s.dead {
			s.dead = true
			ss.dead++
		}
	}
}

// Err returns the errors subscribers returned so far (each a
// *SubscriberError, joined with errors.Join), or nil. Check it after Step.
func (w *World) Err() error { return errors.Join(w.subs.errs...) }

// notify calls the subscribers for the committed record r.
func (w *World) notify(r *TickRecord) {
	var kinds KindMask
	kindsDone := false
	ss := &w.subs
	for _, s := range ss.list[:len(ss.list):len(ss.list)] {
		if s.dead {
			continue
		}
		if !s.mask.every {
			if !kindsDone {
				for i := range r.Events {
					k := r.Events[i].Kind
					kinds.bits[k>>6] |= 1 << (k & 63)
				}
				kindsDone = true
			}
			if kinds.bits[0]&s.mask.bits[0]|kinds.bits[1]&s.mask.bits[1]|
				kinds.bits[2]&s.mask.bits[2]|kinds.bits[3]&s.mask.bits[3] == 0 {
				continue
			}
		}
		if err := s.fn(r); err != nil {
			ss.errs = append(ss.errs, &SubscriberError{Tick: r.Tick, Sub: s.index, Err: err})
			if !s.dead {
				s.dead = true
				ss.dead++
			}
		}
	}
	if ss.dead > 0 {
		ss.list = slicesDeleteDead(ss.list)
		ss.dead = 0
	}
}

func slicesDeleteDead(subs []*subscription) []*subscription {
	out := subs[:0]
	for _, s := range subs {
		if !s.dead {
			out = append(out, s)
		}
	}
	clear(subs[len(out):])
	return out
}
