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
