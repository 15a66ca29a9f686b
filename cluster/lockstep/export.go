package lockstep

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// ExportResult says what ExportLog wrote.
type ExportResult struct {
	Ticks    uint64 // tick records written (0 … Ticks-1)
	Skipped  int    // messages in the stream that were not the next frame (refused as a peer would; each part of a torn frame counts)
	Disagree int    // ticks whose re-simulated checksum differs from the host's (verify will report the first)
}

// ExportLog writes a session's input history — its frame stream — as a
// replay log at path, so that `tickecon verify` and `tickecon diff` work on
// it. Each tick is re-simulated on a world from newWorld to recover its
// events; its checksum and stage checksums are the host's own, carried by
// the next frame, so verification compares against what the host ran. The
// last frame (no host checksum after it yet) is left out. content must be
// the session's (the log's header holds it); opts.Setup names the
// session's systems for the command-line tool (systems.CoreSetup,
// systems.CommerceSetup) and opts.SnapshotEvery adds snapshots. Frames that are not the next tick's (forged, repeated) are
// skipped like a peer refuses them.
func ExportLog(nc *nats.Conn, session string, content *ecs.Content, newWorld func() *ecs.World, path string, opts ticklog.Options) (res ExportResult, err error) {
	if err := checkName("session", session); err != nil {
		return res, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return res, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, streamName(session))
	if err != nil {
		return res, noSession(session, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return res, err
	}
	last := info.State.LastSeq
	lw, err := ticklog.Create(path, content, opts)
	if err != nil {
		return res, err
	}
	defer func() {
		if cerr := lw.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if last == 0 {
		return res, nil
	}
	w := newWorld()
	var pending *ecs.TickRecord
	err = eachFrame(ctx, js, session, last, func(f frameIn, err error) error {
		if err != nil || notNext(w, &f.TickRecord) != "" {
			res.Skipped++
			return nil
		}
		if pending != nil {
			if pending.Checksum != f.Checksum {
				res.Disagree++
			}
			pending.Checksum, pending.Stages = f.Checksum, f.Stages
			if err := lw.Append(pending); err != nil {
				return err
			}
			res.Ticks++
			if n := opts.SnapshotEvery; n > 0 && w.NextTick()%n == 0 {
				s, err := w.TakeSnapshot()
				if err != nil {
					return err
				}
				if err := lw.AppendSnapshot(s); err != nil {
					return err
				}
			}
		}
		r := runFrame(w, &f.TickRecord).Clone()
		pending = &r
		return nil
	})
	if err != nil {
		return res, err
	}
	if res.Ticks == 0 && pending != nil {
		return res, ErrNothingToExport
	}
	return res, nil
}

// eachFrame calls fn with every frame of the session's stream, in stream
// order and decoded (err: it does not decode), until it has handed over
// the one at sequence through; fn's error ends the walk. A parted frame
// is handed over whole, at its last part; fn gets a torn one's error
// once for each of its parts. Parts of a frame not yet whole at through
// are not handed over.
func eachFrame(ctx context.Context, js jetstream.JetStream, session string, through uint64, fn func(f frameIn, err error) error) error {
	cons, err := js.OrderedConsumer(ctx, streamName(session), jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subjFrames(session)}})
	if err != nil {
		return err
	}
	// A message iterator (pull requests kept going by the client) rather
	// than one Next per frame: on a replicated stream the first pull of a
	// new ordered consumer can reach the server before its consumer
	// exists there, which Next reports as "no responders".
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("lockstep: reading frames: %w", err)
	}
	defer it.Stop()
	parts := frameParts{session: session}
	for seq := uint64(0); seq < through; {
		m, err := nextFrame(ctx, it)
		if err != nil {
			return fmt.Errorf("lockstep: reading frames: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return err
		}
		seq = md.Sequence.Stream
		data, torn, err := parts.add(m.Data())
		if torn != nil {
			for range torn.got {
				if err := fn(frameIn{}, torn); err != nil {
					return err
				}
			}
		}
		switch {
		case err != nil:
			err = fn(frameIn{}, err)
		case data != nil:
			err = fn(decodeFrame(session, data))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// nextFrame is it.Next bounded by ctx.
func nextFrame(ctx context.Context, it jetstream.MessagesContext) (jetstream.Msg, error) {
	type got struct {
		m   jetstream.Msg
		err error
	}
	ch := make(chan got, 1)
	go func() {
		m, err := it.Next()
		ch <- got{m, err}
	}()
	select {
	case g := <-ch:
		return g.m, g.err
	case <-ctx.Done():
		it.Stop()
		return nil, ctx.Err()
	}
}
