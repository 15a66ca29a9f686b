package bus

import (
	"context"
	"errors"

	"github.com/tickecon/tickecon/ecs"
)

// ErrCaughtUp is what a TickSource's Next returns while no further tick is
// committed yet: the relay waits (Ready, or Poll) and asks again.
var ErrCaughtUp = errors.New("bus: caught up with the source")

// TickSource is a Relay's source of committed ticks other than a replay
// log file (RelayConfig.Source): cluster/lockstep's FrameSource re-runs a
// replicated world's committed frames on a world of its own, so a relay
// on any machine publishes what the world committed, whichever host ran
// it. The relay calls it from Run's goroutine only.
type TickSource interface {
	// Name says what the source reads (in errors: "session S").
	Name() string
	// ContentHash identifies the recording on the event stream
	// (EnsureStreams); 0 checks none.
	ContentHash() uint64
	// Seek makes Next return tick's record next, then the ticks after it
	// in order: the relay seeks on every (re)start to where the event
	// stream says it stopped, which may be before ticks Next returned
	// already.
	Seek(ctx context.Context, tick uint64) error
	// Next returns the next committed tick's record (the relay keeps it
	// until it is published: it must not be reused), or ErrCaughtUp.
	// Other errors are retried (after a new Seek) unless they match
	// ErrPermanent.
	Next(ctx context.Context) (*ecs.TickRecord, error)
	// Ready is signalled when Next may have a new tick (nil: the relay
	// polls every RelayConfig.Poll).
	Ready() <-chan struct{}
}

// tickSource reads a TickSource as the publisher reads a log: the
// "offsets" are tick numbers.
type tickSource struct {
	s   TickSource
	ctx context.Context
}

func (a *tickSource) next() (*ecs.TickRecord, int64, int64, error) {
	rec, err := a.s.Next(a.ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	return rec, int64(rec.Tick), int64(rec.Tick) + 1, nil
}

func (a *tickSource) seek(off int64) error { return a.s.Seek(a.ctx, uint64(off)) }

// ticks is where the publisher reads from: a log file's tail, or a
// TickSource.
type ticks interface {
	next() (*ecs.TickRecord, int64, int64, error)
	seek(off int64) error
}
