package lockstep

// The snapshot store: the session's stream and buckets, and snapshots
// stored with the stream sequence of their first frame.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
)

// sentFrame is a published frame whose ack the host has not read yet.
type sentFrame struct {
	tick uint64
	ack  jetstream.PubAckFuture
	// buf holds the frame's bytes, which the publish still refers to
	// until its ack is read: nats.go's PublishAsync re-sends the same
	// message on a "no responders" reply (a stream leader election), so
	// a buffer reused for the next frame would be stored under this
	// frame's msg id and expected sequence (an acknowledged frame lost).
	buf []byte
	// more: a part of a parted frame that is not its last. Its ack
	// commits nothing: a frame is stored when its last part is.
	more bool
}

// tickSeq is the stream sequence the server gave a tick's frame.
type tickSeq struct {
	tick, seq uint64 // seq 0: none
}

// Stream and bucket metadata: the session a host created them for. A host
// deletes only a stream or bucket that carries its session's mark.
const (
	metaSession = "tickecon.lockstep_session"
	metaKind    = "tickecon.lockstep_kind"
)

// errSessionExists: a Replica about to create its session found the
// session's stream after all; it stands by again instead.
var errSessionExists = errors.New("lockstep: the session's stream exists: standing by")

// resetStores deletes the session's frame stream and buckets left
// by an earlier host of the session — only if they carry that mark, so a
// stream someone else made under the same name (by hand, another tool) is
// never deleted — and creates them anew, marked. A Replica's new session (createOnly) deletes nothing.
func (h *Host) resetStores(ctx context.Context) error {
	s := h.cfg.Session
	// A replicated session's history is its replicas' only copy: a plain
	// host (no Failover) must not delete it. Its lease bucket says it is
	// one (a new user's second program on the session's name wiped a live
	// session, and the replicas restarted the world from tick 0).
	if h.cfg.Failover == nil {
		switch _, err := h.js.KeyValue(ctx, leaseBucketName(s)); {
		case err == nil:
			return &FencedError{Reason: fmt.Sprintf("session %q is replicated (its lease bucket %s exists): host it with its Failover config (a Replica); a host without one would delete its history. To start the session afresh, delete its streams and buckets first", s, leaseBucketName(s))}
		case !errors.Is(err, jetstream.ErrBucketNotFound):
			return fmt.Errorf("lockstep: lease bucket: %w", err)
		}
	}
	mark := func(kind string) map[string]string { return map[string]string{metaSession: s, metaKind: kind} }
	ours := func(md map[string]string, kind string) bool { return md[metaSession] == s && md[metaKind] == kind }
	switch st, err := h.js.Stream(ctx, streamName(s)); {
	case errors.Is(err, jetstream.ErrStreamNotFound):
	case err != nil:
		return fmt.Errorf("lockstep: frame stream: %w", err)
	case !ours(st.CachedInfo().Config.Metadata, "frames"):
		return &NotOursError{Kind: "stream", Name: streamName(s), Session: s}
	case h.cfg.createOnly:
		return errSessionExists
	default:
		if err := h.js.DeleteStream(ctx, streamName(s)); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("lockstep: %w", err)
		}
	}
	if _, err := h.js.CreateStream(ctx, jetstream.StreamConfig{Name: streamName(s), Metadata: withSetup(mark("frames"), h.cfg.Setup),
		Subjects: []string{subjFrames(s)}, Storage: jetstream.FileStorage, Duplicates: time.Minute,
		Replicas: h.cfg.Replicas}); err != nil {
		return fmt.Errorf("lockstep: frame stream: %w", err)
	}
	var err error
	if h.obs, err = h.resetBucket(ctx, bucketName(s), "snapshots"); err != nil {
		return err
	}
	h.states, err = h.resetBucket(ctx, stateBucketName(s), "states")
	return err
}

// resetBucket is resetStores for one object store bucket.
func (h *Host) resetBucket(ctx context.Context, name, kind string) (jetstream.ObjectStore, error) {
	s := h.cfg.Session
	switch obs, err := h.js.ObjectStore(ctx, name); {
	case errors.Is(err, jetstream.ErrBucketNotFound), errors.Is(err, jetstream.ErrStreamNotFound):
	case err != nil:
		return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
	default:
		st, err := obs.Status(ctx)
		if err != nil {
			return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
		}
		if md := st.Metadata(); md[metaSession] != s || md[metaKind] != kind {
			return nil, &NotOursError{Kind: "bucket", Name: name, Session: s}
		}
		if h.cfg.createOnly {
			return obs, nil // a Replica's new session keeps what it finds
		}
		if err := h.js.DeleteObjectStore(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) && !errors.Is(err, jetstream.ErrBucketNotFound) {
			return nil, fmt.Errorf("lockstep: %w", err)
		}
	}
	obs, err := h.js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: name, Replicas: h.cfg.Replicas,
		Storage: jetstream.FileStorage, Metadata: map[string]string{metaSession: s, metaKind: kind}})
	if err != nil {
		return nil, fmt.Errorf("lockstep: %s store: %w", kind, err)
	}
	return obs, nil
}

// snapshot takes the host world's state as a peer starts from it: without
// the commands queued and intents submitted for the next tick. The next
// frame carries those (it is built from the tick as committed); a peer
// that restored them too would apply them twice. A game loop can queue
// them before Prepare, a world can be adopted with some queued, and a
// subscriber running before the host's can queue some for the next tick.
// The reserved ids and ticket counter stay: the frame's commands carry
// their ids and tickets, and the peer's world then agrees with the host's.
func (h *Host) snapshot() (*ecs.Snapshot, error) {
	snap, err := h.w.TakeSnapshot()
	if err != nil {
		return nil, err
	}
	snap.Pending = nil
	// Submitted intents come last (after intents a tick left unconsumed).
	snap.Intents = snap.Intents[:len(snap.Intents)-len(h.w.PendingIntents())]
	return snap, nil
}

// readAcks records the sequences of the published frames whose acks
// arrived, oldest first, and stops at the first still in flight: sent
// stays as short as the frames in flight.
func (h *Host) readAcks() error { return h.readAcksUntil(nil, 0) }

// readAcksUntil is readAcks that, with done non-nil, waits for the acks
// of the frames up to tick (until done is closed) before reading the
// ones that arrived after them.
func (h *Host) readAcksUntil(done <-chan struct{}, tick uint64) error {
	i := 0
	var err error
	for ; i < len(h.sent); i++ {
		f := h.sent[i]
		var a *jetstream.PubAck
		var e error
		if done != nil && f.tick <= tick {
			select {
			case a = <-f.ack.Ok():
			case e = <-f.ack.Err():
			case <-done:
			}
		} else {
			select {
			case a = <-f.ack.Ok():
			case e = <-f.ack.Err():
			default:
			}
		}
		if a == nil && e == nil {
			break // still in flight (or done)
		}
		if e != nil {
			err = h.pubError(f.tick, e)
			// No later frame commits a tick any more: a frame pipelined
			// behind the failed one may still be stored (its expected
			// sequence can match a message a broker retry stored twice),
			// but it does not follow its tick's predecessor in the
			// history: peers refuse it, and an input it carries must not
			// be answered as committed.
			h.broken = true
			i++
			break
		}
		if f.more {
			continue
		}
		h.seqs[f.tick%seqRing] = tickSeq{tick: f.tick, seq: a.Sequence}
		h.commit(f.tick)
		// Acknowledged: the client holds the message no more (a failed
		// one's buffer is left to the GC: a retry may still be on its
		// way).
		h.free = append(h.free, f.buf[:0])
	}
	n := copy(h.sent, h.sent[i:])
	clear(h.sent[n:])
	h.sent = h.sent[:n]
	h.verifyHeld()
	return err
}

// seqRing is how many ticks' frame sequences the host remembers: a
// snapshot is stored at most a few ticks after the state it holds.
const seqRing = 64

// testHookSnapshotTaken, if set (tests), runs between taking a snapshot
// and looking up its stream sequence: it can step the world there.
var testHookSnapshotTaken func()

// storeSnapshot stores snap (or a new snapshot of the host's world) as the
// session's latest, with the stream sequence of its first frame: the one
// after the frame of tick snap.Tick-1. The sequence is looked up by the
// snapshot's tick, so frames published after the snapshot was taken do
// not move it.
func (h *Host) storeSnapshot(snap *ecs.Snapshot) error {
	if err := h.snapshotStored(true); err != nil { // the adopted one first: "latest" must not go back
		return err
	}
	if snap == nil {
		var err error
		if snap, err = h.snapshot(); err != nil {
			return err
		}
	}
	if testHookSnapshotTaken != nil {
		testHookSnapshotTaken()
	}
	seq, err := h.seqBefore(snap.Tick)
	if err != nil {
		return err
	}
	name, md, raw, err := h.encodeSnapshot(snap, seq)
	if err != nil {
		return err
	}
	if err := putSnapshot(h.obs, name, md, raw); err != nil {
		return err
	}
	return h.stored(name)
}

// encodeSnapshot names a snapshot (starting at stream sequence seq) and
// encodes it.
func (h *Host) encodeSnapshot(snap *ecs.Snapshot, seq uint64) (string, map[string]string, []byte, error) {
	raw, err := json.Marshal(snap)
	if err != nil {
		return "", nil, nil, err
	}
	h.snapSerial++
	name := "snap-" + strconv.FormatUint(snap.Tick, 10) + "-" + strconv.FormatUint(h.snapSerial, 10)
	md := map[string]string{"name": name, "tick": strconv.FormatUint(snap.Tick, 10), "from_seq": strconv.FormatUint(seq, 10)}
	return name, md, raw, nil
}

// putSnapshot stores a snapshot under a name of its own, never replaced;
// then the empty object "latest" points at it (its metadata: one message,
// so a peer reads name, tick and sequence of one snapshot). Replacing one
// object in place purged its chunks under a peer still reading them: the
// peer's read stalled until its timeout. Safe from any goroutine.
func putSnapshot(obs jetstream.ObjectStore, name string, md map[string]string, raw []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: name, Metadata: md}, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("lockstep: storing snapshot: %w", err)
	}
	if _, err := obs.Put(ctx, jetstream.ObjectMeta{Name: latestName, Metadata: md}, bytes.NewReader(nil)); err != nil {
		return fmt.Errorf("lockstep: storing snapshot: %w", err)
	}
	return nil
}

// storeSnapshotAsync takes a snapshot of the host's world before its
// first tick (an adopted world) and stores it on another goroutine;
// snapshotStored collects the result.
func (h *Host) storeSnapshotAsync() error {
	snap, err := h.snapshot()
	if err != nil {
		return err
	}
	seq, err := h.seqBefore(snap.Tick) // the first frame's: no ack to wait for
	if err != nil {
		return err
	}
	name, md, raw, err := h.encodeSnapshot(snap, seq)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	h.storing = done
	obs := h.obs
	go func() { done <- putSnapshot(obs, name, md, raw) }()
	h.storingName = name
	return nil
}

// snapshotStored collects the snapshot storeSnapshotAsync stores: nil if
// none is being stored or it is not done yet (wait: until it is).
func (h *Host) snapshotStored(wait bool) error {
	if h.storing == nil {
		return nil
	}
	var err error
	if wait {
		err = <-h.storing
	} else {
		select {
		case err = <-h.storing:
		default:
			return nil
		}
	}
	h.storing = nil
	if err != nil {
		return err
	}
	return h.stored(h.storingName)
}

// stored records a snapshot stored and deletes the ones before the last
// two.
func (h *Host) stored(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Keep the one before too: a peer that read the old pointer a moment
	// ago may still be fetching it.
	h.snaps = append(h.snaps, name)
	for len(h.snaps) > keepSnapshots {
		if err := h.obs.Delete(ctx, h.snaps[0]); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
			return fmt.Errorf("lockstep: deleting an old snapshot: %w", err)
		}
		h.snaps = append(h.snaps[:0], h.snaps[1:]...)
	}
	return nil
}

// latestName is the snapshot store's pointer to the latest snapshot;
// keepSnapshots is how many snapshots the host keeps.
const (
	latestName    = "latest"
	keepSnapshots = 2
)

// seqBefore returns the stream sequence a peer starting at tick reads
// from: the one after the frame of tick-1 (1 if this host published no
// frame before tick). It waits for the published frames' acks.
func (h *Host) seqBefore(tick uint64) (uint64, error) {
	if tick <= h.firstTick {
		return h.baseSeq + 1, nil
	}
	if len(h.sent) > 0 {
		select {
		case <-h.js.PublishAsyncComplete():
		case <-time.After(10 * time.Second):
			return 0, ErrFramesNotAcked
		}
		if err := h.readAcks(); err != nil {
			return 0, err
		}
	}
	if s := h.seqs[(tick-1)%seqRing]; s.tick == tick-1 && s.seq != 0 {
		return s.seq + 1, nil
	}
	return 0, fmt.Errorf("%w: tick %d", ErrNoFrameSeq, tick-1)
}
