package lockstep

import "time"

// WithJitter returns cfg with a delay before the handling of each frame,
// for the external tests (package lockstep_test) of frames that arrive
// late and unevenly. The hook is not part of the API.
func WithJitter(cfg PeerConfig, jitter func() time.Duration) PeerConfig {
	cfg.jitter = jitter
	return cfg
}

// SetTakeoverHook makes every Replica of this test binary tell fn each
// step of a takeover as it ends (nil: none), for the failover figures.
// Set it before any replica runs.
func SetTakeoverHook(fn func(replica, step string)) { testHookTakeover = fn }

// SetPartSentHook makes every Host of this test binary call fn after
// each part of a parted frame but its last is published (nil: none), on
// the host's goroutine: a test kills the host between parts there. Set
// it before any host runs.
func SetPartSentHook(fn func(h *Host, tick uint64, part, parts int)) {
	if fn == nil {
		testHookPartSent.Store(nil)
		return
	}
	testHookPartSent.Store(&fn)
}

// WithPartLimit returns cfg with frames parted above n bytes instead of
// the connection's max payload: tests part frames of a few thousand
// intents, which -race runs in time.
func WithPartLimit(cfg Config, n int) Config {
	cfg.partLimit = n
	return cfg
}

// WaitPublished waits (at most d) until the server has acknowledged
// every message h published; false if it has not.
func WaitPublished(h *Host, d time.Duration) bool {
	select {
	case <-h.js.PublishAsyncComplete():
		return true
	case <-time.After(d):
		return false
	}
}

// SetSnapshotReadHook makes every reader of this test binary call fn
// before it reads a snapshot object; an error fn returns stands for the
// read's (nil fn: none). A test fails a read as a loaded broker does.
func SetSnapshotReadHook(fn func(name string) error) {
	if fn == nil {
		testHookSnapshotRead.Store(nil)
		return
	}
	testHookSnapshotRead.Store(&fn)
}
