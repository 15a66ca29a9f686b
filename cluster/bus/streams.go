package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// DefaultDedupWindow is how long JetStream remembers a Nats-Msg-Id (the
// server's own default): a republish within it is dropped by the broker.
const DefaultDedupWindow = 2 * time.Minute

// MaxInboxBytes is the broker-side bound on one inbox message; the Inbox
// applies its own, smaller limit with a rejection reason (InboxConfig).
const MaxInboxBytes = 1 << 20

// metaContent is the event stream metadata key holding the content hash
// of the session it was filled from.
const metaContent = "tickecon.content_hash"

// StreamsConfig sizes the streams of one world.
type StreamsConfig struct {
	// DedupWindow is each stream's duplicate window (DefaultDedupWindow if 0).
	DedupWindow time.Duration
	// Storage is where the streams live (file storage if zero).
	Storage jetstream.StorageType
	// Replicas is how many copies of each stream the cluster keeps
	// (default 1); 3 on a 3-node cluster survives the loss of a node
	// (see cluster/lockstep's replicated worlds).
	Replicas int
}

// EnsureStreams creates (or updates) the four streams of world: events,
// tasks (work queue), inbox and dead letters. contentHash, if non-zero,
// is stored on the event stream; a stream created for another session's
// content is an *OtherRecordingError (ErrOtherRecording), so one world name
// never mixes two contents (the Relay also checks the ticks).
func EnsureStreams(ctx context.Context, js jetstream.JetStream, world string, contentHash uint64, cfg StreamsConfig) error {
	if err := CheckWorld(world); err != nil {
		return err
	}
	dup := cfg.DedupWindow
	if dup <= 0 {
		dup = DefaultDedupWindow
	}
	ev := jetstream.StreamConfig{Name: EventStream(world), Subjects: []string{EventSubjects(world)},
		Storage: cfg.Storage, Retention: jetstream.LimitsPolicy, Duplicates: dup, AllowDirect: true,
		Description: "tickecon committed events of world " + world + ", one message per (tick, kind)"}
	if contentHash != 0 {
		want := strconv.FormatUint(contentHash, 16)
		s, err := js.Stream(ctx, ev.Name)
		switch {
		case err == nil:
			if got := s.CachedInfo().Config.Metadata[metaContent]; got != "" && got != want {
				return &OtherRecordingError{Stream: ev.Name, What: fmt.Sprintf("content hash %s, the log's is %s", got, want)}
			}
		case !errors.Is(err, jetstream.ErrStreamNotFound):
			return err
		}
		ev.Metadata = map[string]string{metaContent: want}
	}
	streams := []jetstream.StreamConfig{ev,
		{Name: TaskStream(world), Subjects: []string{TaskSubject(world, ">")}, Storage: cfg.Storage,
			Retention: jetstream.WorkQueuePolicy, Duplicates: dup,
			Description: "tickecon side-effect tasks of world " + world},
		{Name: InboxStream(world), Subjects: []string{InboxSubject(world, ">")}, Storage: cfg.Storage,
			Retention: jetstream.LimitsPolicy, Duplicates: dup, MaxMsgSize: MaxInboxBytes,
			Description: "tickecon outcomes and commands for world " + world},
		{Name: DeadStream(world), Subjects: []string{DeadSubject(world, ">")}, Storage: cfg.Storage,
			Retention: jetstream.LimitsPolicy, Duplicates: dup,
			Description: "tickecon dead letters of world " + world},
	}
	for _, sc := range streams {
		sc.Replicas = max(1, cfg.Replicas)
		if s, err := js.Stream(ctx, sc.Name); err == nil && sameStream(s.CachedInfo().Config, sc) {
			// Already as wanted: no update. An update rewrites the stream's
			// configuration (a proposal on a cluster), and the server then
			// races a consumer created at the same moment (seen under -race
			// with nats-server 2.15: fileStore.UpdateConfig vs ConsumerStore).
			continue
		}
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return fmt.Errorf("bus: stream %s: %w", sc.Name, err)
		}
	}
	return nil
}

// sameStream reports whether the server's config have already has every
// setting EnsureStreams gives in want (the server fills in the rest).
func sameStream(have, want jetstream.StreamConfig) bool {
	return slices.Equal(have.Subjects, want.Subjects) && have.Storage == want.Storage &&
		have.Retention == want.Retention && have.Duplicates == want.Duplicates &&
		max(have.MaxMsgSize, 0) == max(want.MaxMsgSize, 0) && have.AllowDirect == want.AllowDirect &&
		have.Description == want.Description && have.Metadata[metaContent] == want.Metadata[metaContent] &&
		max(have.Replicas, 1) == max(want.Replicas, 1)
}
