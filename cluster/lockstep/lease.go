package lockstep

// The host lease: which replica of a session hosts it. One key in a
// replicated key-value bucket, written only by compare-and-set on its
// revision.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// leaseKey is the lease's one key in the session's lease bucket.
const leaseKey = "host"

// ErrFenced is what every *FencedError matches with errors.Is.
var ErrFenced = errors.New("lockstep: fenced: another host took over")

// FencedError says this host was deposed: another replica took the lease,
// or published the next frame first. Nothing this host did after that is
// in the session's history. Its world may be a tick ahead of the history
// (it stepped a tick whose frame was refused): throw it away and rejoin
// as a peer (a Replica does that by itself).
type FencedError struct {
	Tick   uint64 // the tick whose frame, or whose lease renewal, was refused
	Reason string // what refused it, for people
}

func (e *FencedError) Error() string {
	return fmt.Sprintf("lockstep: fenced at tick %d: %s", e.Tick, e.Reason)
}

// Is makes errors.Is(err, ErrFenced) true.
func (e *FencedError) Is(target error) bool { return target == ErrFenced }

// isWrongLastSeq reports a publish refused for its expected last
// sequence (10071; 10164 on replicated streams).
func isWrongLastSeq(err error) bool {
	var api *jetstream.APIError
	return errors.As(err, &api) && (api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		api.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// hostLease is the host lease of one session: the key "host" in the bucket
// TICKECON_S_LEASE_S, whose value names the holder. Holding it is a claim
// renewed by rewriting the key with its last revision (compare-and-set).
// It lapses when its revision has not moved for TTL as a contender sees it
// on its own clock; the contender then writes the key with the revision it
// saw, and of several contenders exactly one succeeds. The server's clock
// plays no part.
//
// The lease decides who should host; it is not what keeps the history
// linear. A holder that stalls past TTL and wakes up may still believe it
// holds the lease until its next renewal fails. What stops it from
// forking the history is the frame stream: every frame is published with
// the expected last sequence, so of two hosts only the first frame of a
// tick is stored and the other host gets a *FencedError.
//
// A hostLease is used from one goroutine.
type hostLease struct {
	kv     jetstream.KeyValue
	holder string
	ttl    time.Duration

	value  []byte // holder "/" a nonce of this term: a new term is a new value even for the same holder
	rev    uint64 // our revision while we hold it; 0: not held
	seen   uint64 // the last revision seen (contender)
	seenAt time.Time
	w      jetstream.KeyWatcher // a contender's watch of the key (watch), nil: none
}

// watch starts a watch of the lease key for a contender: its updates go
// to saw, so each revision is timed when it arrives rather than when the
// next poll reads it. Nil if the watch cannot start (polling still
// works).
func (l *hostLease) watch(ctx context.Context) <-chan jetstream.KeyValueEntry {
	l.unwatch() // one that ended
	w, err := l.kv.Watch(ctx, leaseKey)
	if err != nil {
		return nil
	}
	l.w = w
	return w.Updates()
}

// unwatch stops the watch, if any.
func (l *hostLease) unwatch() {
	if l.w != nil {
		_ = l.w.Stop()
		l.w = nil
	}
}

// saw records a revision of the key from the watch (the clock of its
// lapse starts when it is first seen, as in TryAcquire). It reports
// whether the lease was given up (deleted): contend at once.
func (l *hostLease) saw(e jetstream.KeyValueEntry) bool {
	if e.Revision() != l.seen {
		l.seen, l.seenAt = e.Revision(), time.Now()
	}
	return e.Operation() != jetstream.KeyValuePut
}

// untilLapse is how long until the lease lapses as this contender sees
// it (TTL after its last revision was first seen); an hour if it has not
// seen one.
func (l *hostLease) untilLapse() time.Duration {
	if l.seen == 0 {
		return time.Hour
	}
	return time.Until(l.seenAt.Add(l.ttl))
}

// openLease opens (creating it if missing) the session's lease bucket.
func openLease(ctx context.Context, js jetstream.JetStream, session, holder string, ttl time.Duration, replicas int) (*hostLease, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: leaseBucketName(session),
		History: 1, Replicas: replicas, Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("lockstep: lease bucket: %w", err)
	}
	return &hostLease{kv: kv, holder: holder, ttl: ttl}, nil
}

// Held reports whether the last acquire or renewal succeeded.
func (l *hostLease) Held() bool { return l.rev != 0 }

// Revision is the lease's revision while held (0 if not): a term number,
// larger for every new holder.
func (l *hostLease) Revision() uint64 { return l.rev }

// TryAcquire takes the lease if nobody holds it, or if its holder has not
// renewed it for TTL since this contender first saw its revision. It
// reports whether this holder now holds it.
func (l *hostLease) TryAcquire(ctx context.Context) (bool, error) {
	l.value = []byte(l.holder + "/" + strconv.FormatInt(time.Now().UnixNano(), 36))
	e, err := l.kv.Get(ctx, leaseKey)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		rev, err := l.kv.Create(ctx, leaseKey, l.value)
		if errors.Is(err, jetstream.ErrKeyExists) {
			return false, nil // another contender was first
		}
		if err != nil {
			return false, err
		}
		l.rev = rev
		return true, nil
	case err != nil:
		return false, err
	}
	now := time.Now()
	if e.Revision() != l.seen {
		l.seen, l.seenAt = e.Revision(), now
		return false, nil
	}
	if now.Sub(l.seenAt) < l.ttl {
		return false, nil
	}
	rev, err := l.kv.Update(ctx, leaseKey, l.value, l.seen)
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil // renewed, or taken by another contender
	}
	if err != nil {
		return false, err
	}
	l.rev = rev
	return true, nil
}

// Renew rewrites the lease with its revision. A *FencedError means it was
// taken: this holder is deposed. Other errors (no quorum right now) leave
// the lease held as far as this holder knows; it may lapse meanwhile.
func (l *hostLease) Renew(ctx context.Context, tick uint64) error {
	if l.rev == 0 {
		return &FencedError{Tick: tick, Reason: "lease not held"}
	}
	rev, err := l.kv.Update(ctx, leaseKey, l.value, l.rev)
	if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyNotFound) {
		l.rev = 0
		return &FencedError{Tick: tick, Reason: "the lease was taken by another replica"}
	}
	if err != nil {
		return err
	}
	l.rev = rev
	return nil
}

// Release gives the lease up at once (a clean shutdown), so a standby
// takes over without waiting for TTL; it is a no-op if not held.
func (l *hostLease) Release(ctx context.Context) error {
	if l.rev == 0 {
		return nil
	}
	err := l.kv.Delete(ctx, leaseKey, jetstream.LastRevision(l.rev))
	l.rev = 0
	return err
}

// Holder returns the current holder's name and revision ("" if none).
func (l *hostLease) Holder(ctx context.Context) (string, uint64, error) {
	e, err := l.kv.Get(ctx, leaseKey)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	id, _, _ := strings.Cut(string(e.Value()), "/")
	return id, e.Revision(), nil
}
