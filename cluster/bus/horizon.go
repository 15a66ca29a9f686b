package bus

import (
	"sync"
	"sync/atomic"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// Horizon is the durable end of a live replay log: the last tick its
// Writer has on stable storage. The Relay publishes nothing beyond it and
// the Inbox acknowledges a message only once the tick that applied it is
// within it. It is written by the game loop and read by other goroutines.
type Horizon struct {
	v  atomic.Uint64 // durable tick + 1; 0: nothing durable yet
	mu sync.Mutex    // serialises Notify; Set reads ch without it
	ch atomic.Pointer[[]chan struct{}]
}

// NewHorizon returns a Horizon driven by hand with Set, at which nothing is
// durable yet: for a log another process writes (Set it to the last tick
// that process reports synced, or that you made durable yourself by
// fsyncing the file), or any other source of the durable end. A Relay or
// Inbox given it waits for each Set. In the process that writes the log,
// use AttachHorizon instead, which follows the writer by itself. (The
// zero Horizon is the same; NewHorizon says so at the call site.)
func NewHorizon() *Horizon { return &Horizon{} }

// AttachHorizon subscribes to world: after every tick it reads lw's
// durable tick, once the writer has appended (and, on its sync ticks,
// synced) that tick — whether it is called before or after
// lw.Record(world), as long as both come before the first Step. The
// subscriber costs an atomic store and a non-blocking send per waiter: it
// never blocks Step and allocates nothing.
func AttachHorizon(world *ecs.World, lw *ticklog.Writer) *Horizon {
	h := &Horizon{}
	read := func(*ecs.TickRecord) error {
		if t, ok := lw.Durable(); ok {
			h.Set(t)
		}
		return nil
	}
	// Subscribers run in subscription order. At the first tick this one
	// moves itself to the end of the list (a subscription made inside a
	// subscriber starts with the next tick), behind the writer's, so the
	// order of the two calls cannot make the horizon lag. At that first
	// tick alone it may read the writer's state from before the tick:
	// late by one tick at worst, never ahead of the file.
	var first func()
	first = world.Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		first()
		world.Subscribe(ecs.EveryTick, read)
		return read(r)
	})
	return h
}

// Set advances the horizon to tick (it never moves back) and wakes the
// waiters. AttachHorizon calls it; call it directly to drive a Horizon by
// hand (e.g. from a log written elsewhere).
func (h *Horizon) Set(tick uint64) {
	for {
		old := h.v.Load()
		if old >= tick+1 {
			return
		}
		if h.v.CompareAndSwap(old, tick+1) {
			break
		}
	}
	if chs := h.ch.Load(); chs != nil {
		for _, c := range *chs {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// Durable returns the last durable tick, if any.
func (h *Horizon) Durable() (uint64, bool) {
	v := h.v.Load()
	return v - 1, v > 0
}

// Notify returns a channel that receives (coalesced) after the horizon
// advances. Each caller gets its own channel.
func (h *Horizon) Notify() <-chan struct{} {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	var chs []chan struct{}
	if old := h.ch.Load(); old != nil {
		chs = append(chs, *old...)
	}
	chs = append(chs, c)
	h.ch.Store(&chs)
	return c
}
