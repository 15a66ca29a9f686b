package lockstep

import "github.com/tickecon/tickecon/cluster/names"

// Permissions are the NATS subjects one user may publish and subscribe
// to, for a server's authorization block (see PeerPermissions).
type Permissions struct {
	Publish   []string
	Subscribe []string
	// AllowResponses: the user may reply to requests it received (the
	// host's "state" request), and only once each (allow_responses).
	AllowResponses bool
}

// PeerPermissions is all a peer of session needs, and no more: it
// publishes only on its own input, sum and hello subjects — never frames,
// and never on another peer's subjects — and it reaches JetStream only to
// read the frames and the host's snapshots (create, read and delete its
// own consumers) and to put its state, when the host asks, in the state
// bucket. It cannot publish a frame, replace a snapshot, or delete or
// purge the frame stream or the snapshot bucket.
//
// What it still can: write into the session's state bucket, so it could
// replace another peer's state there — that only spoils the diff of a
// desync report, never the session.
func PeerPermissions(session, peer string) Permissions {
	s := names.Session(session)
	frames, snaps, states, lease := s.FrameStream(), "OBJ_"+s.SnapshotBucket(), "OBJ_"+s.StateBucket(), "KV_"+s.LeaseBucket()
	api := "$JS.API."
	return Permissions{
		Publish: []string{
			s.Input(peer), s.Sum(peer), s.Hello(peer),
			// The frames: an ordered consumer of its own (which deletes
			// its old consumer when it resets).
			api + "CONSUMER.CREATE." + frames + ".>",
			api + "CONSUMER.DELETE." + frames + ".>",
			api + "CONSUMER.MSG.NEXT." + frames + ".>",
			// The host's snapshots: read.
			api + "STREAM.INFO." + snaps,
			api + "DIRECT.GET." + snaps + ".>",
			api + "CONSUMER.CREATE." + snaps + ".>",
			api + "CONSUMER.DELETE." + snaps + ".>",
			// Its state for a desync report: written.
			api + "STREAM.INFO." + states,
			api + "DIRECT.GET." + states + ".>",
			"$O." + s.StateBucket() + ".>",
			// The host lease (a replicated world): watched, to follow a
			// new host.
			api + "STREAM.INFO." + lease,
			api + "CONSUMER.CREATE." + lease + ".>",
			api + "CONSUMER.DELETE." + lease + ".>",
			api + "DIRECT.GET." + lease + ".>",
		},
		Subscribe:      []string{s.Ctl(peer), "_INBOX.>"},
		AllowResponses: true,
	}
}
