package bus

import (
	"errors"
	"fmt"
)

// ErrPermanent is matched (errors.Is) by every error a Relay's Run returns
// instead of retrying: a damaged log, a stream of another recording, a
// stream whose last message the relay cannot read. Broker outages,
// timeouts and rejected publishes are retried and never returned; a
// context's end is returned as the context's error.
var ErrPermanent = errors.New("bus: permanent error")

// PermanentError wraps an error a retry cannot fix. Run returns it; the
// cause stays reachable (errors.As to *ticklog.CorruptError,
// *ticklog.TornTailError, *OtherRecordingError).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrPermanent) hold.
func (e *PermanentError) Is(target error) bool { return target == ErrPermanent }

// permanent marks an error inside the relay as not worth a retry.
func permanent(err error) error { return &PermanentError{Err: err} }

// ErrConfig is matched (errors.Is) by every error a constructor returns
// for a config it cannot work with (a required field missing, an unknown
// task type): a programming error, not a broker's.
var ErrConfig = errors.New("bus: bad config")

// ErrHandlerPanic is matched (errors.Is) by the failure a Worker records
// when its TaskHandler panics (it is the reason a dead-lettered task
// shows, after "failed N times, last:").
var ErrHandlerPanic = errors.New("task handler panicked")

// ErrOtherRecording is matched (errors.Is) when the world's event stream
// holds another recording than the log being relayed: another content
// (EnsureStreams), or the same content with other ticks (a re-recorded
// file). Nothing is published; use another world name, or delete the
// stream.
var ErrOtherRecording = errors.New("bus: the stream holds another recording")

// OtherRecordingError says how a world's event stream and a log differ.
type OtherRecordingError struct {
	Stream string // the event stream
	Log    string // the log's path ("" when EnsureStreams found it)
	What   string // what differs
}

func (e *OtherRecordingError) Error() string {
	of := ""
	if e.Log != "" {
		of = " than " + e.Log
	}
	return fmt.Sprintf("bus: stream %s holds another recording%s (%s): use another world name, or delete the stream", e.Stream, of, e.What)
}

// Is makes errors.Is(err, ErrOtherRecording) hold.
func (e *OtherRecordingError) Is(target error) bool { return target == ErrOtherRecording }
