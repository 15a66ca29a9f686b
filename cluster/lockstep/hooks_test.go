package lockstep

import "time"

// WithJitter returns cfg with a delay before the handling of each frame,
// for the external tests (package lockstep_test) of frames that arrive
// late and unevenly. The hook is not part of the API.
func WithJitter(cfg PeerConfig, jitter func() time.Duration) PeerConfig {
	cfg.jitter = jitter
	return cfg
}
