// Package publish is the demo's -publish flag: while a -record session is
// played, its durable ticks are relayed from the replay log to NATS
// JetStream (cluster/bus's Relay, as `tickecon-relay -follow` does), into
// a given server or an embedded one whose data lives in FILE.jetstream.
// It is apart from demo/shop so the shop links no NATS.
package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/cluster/natsbox"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/ticklog"
)

// DrainTimeout bounds the wait, after the log is closed, for the stream to
// acknowledge its last durable tick.
const DrainTimeout = 30 * time.Second

// Hook sets o.Follow when -publish was given: the demo's mains call it
// after parsing flags. Notices (URL, stream, what was published) go to
// stdout.
func Hook(o *shop.Options, stdout io.Writer) {
	if o.Publish != "" {
		o.Follow = Follower(o.Publish, stdout)
	}
}

// Follower relays the recording to the NATS server at url
// (shop.PublishEmbedded: an embedded server on a free 127.0.0.1 port, data
// in FILE.jetstream). Only ticks the log's writer has synced are
// published (its Durable horizon); when the session ends, after the log's
// final sync, the rest is published and the total is printed.
func Follower(url string, stdout io.Writer) shop.Follower {
	return func(path string) (func(*ecs.World, *ticklog.Writer), func() error, error) {
		s := &session{url: url, out: stdout, path: path, world: bus.WorldName(path)}
		if err := s.start(); err != nil {
			s.close()
			return nil, nil, fmt.Errorf("-publish: %w", err)
		}
		return s.setup, s.stop, nil
	}
}

// session is one published recording.
type session struct {
	url, path, world string
	out              io.Writer
	lw               *ticklog.Writer
	box              *natsbox.Box
	nc               *nats.Conn
	h                *bus.Horizon
	relay            *bus.Relay
	cancel           context.CancelFunc
	done             chan error
	err              error // from setup
}

// start connects (starting the embedded server if asked) and checks the
// stream holds no earlier session: a re-recorded file name would have its
// first ticks taken as already published.
func (s *session) start() error {
	if s.url == shop.PublishEmbedded {
		box, err := natsbox.Start(natsbox.Options{StoreDir: s.path + ".jetstream"})
		if err != nil {
			return fmt.Errorf("embedded server: %w", err)
		}
		s.box, s.url = box, box.URL()
	}
	nc, err := nats.Connect(s.url, nats.Timeout(3*time.Second), nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond), nats.Name("tickecon demo -publish"))
	if err != nil {
		return fmt.Errorf("cannot reach a NATS server at %s: %w", s.url, err)
	}
	s.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	name := bus.EventStream(s.world)
	switch st, err := js.Stream(ctx, name); {
	case errors.Is(err, jetstream.ErrStreamNotFound):
	case err != nil:
		return fmt.Errorf("stream %s at %s: %w", name, s.url, err)
	default:
		info, err := st.Info(ctx)
		if err != nil {
			return fmt.Errorf("stream %s at %s: %w", name, s.url, err)
		}
		if info.State.Msgs > 0 {
			return fmt.Errorf("stream %s at %s already holds a session (%d messages): delete it (or %s.jetstream) or record to another file name",
				name, s.url, info.State.Msgs, s.path)
		}
	}
	where := s.url
	if s.box != nil {
		where += " (embedded, data in " + s.box.StoreDir() + ")"
	}
	fmt.Fprintf(s.out, "publishing %s's durable ticks to NATS %s: stream %s, subjects %s\n",
		s.path, where, name, bus.EventSubjects(s.world))
	return nil
}

// setup runs on the world before tick 0, after the log's writer subscribed:
// the horizon reads the writer's durable tick after each tick.
func (s *session) setup(w *ecs.World, lw *ticklog.Writer) {
	s.lw, s.h = lw, bus.AttachHorizon(w, lw)
	r, err := bus.NewRelay(s.nc, bus.RelayConfig{World: s.world, Log: s.path, Horizon: s.h, Follow: true})
	if err != nil {
		s.err = err
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.relay, s.cancel, s.done = r, cancel, make(chan error, 1)
	go func() { s.done <- r.Run(ctx) }()
}

// stop runs after the log was synced and closed: the horizon moves to the
// log's last tick, the relay publishes up to it, then stops.
func (s *session) stop() error {
	defer s.close()
	if s.relay == nil {
		return s.err
	}
	last, ok := s.lw.Durable()
	if ok {
		s.h.Set(last)
	}
	var err error
	ended := false
	deadline := time.Now().Add(DrainTimeout)
	for ok {
		if st := s.relay.Stats(); st.HasTick && st.LastTick >= last {
			break
		}
		if time.Now().After(deadline) {
			err = fmt.Errorf("-publish: ticks after %d not acknowledged within %s: `go run github.com/tickecon/tickecon/cmd/tickecon-relay -url %s %s` publishes the rest",
				s.relay.Stats().LastTick, DrainTimeout, s.url, s.path)
			break
		}
		select {
		case err = <-s.done:
			ended = true
			if err == nil {
				err = errors.New("relay stopped early")
			}
			err = fmt.Errorf("-publish: %w", err)
		case <-time.After(10 * time.Millisecond):
			continue
		}
		break
	}
	s.cancel()
	if !ended {
		<-s.done
	}
	st := s.relay.Stats()
	if st.HasTick {
		fmt.Fprintf(s.out, "published %d events in %d messages (ticks 0 to %d) to stream %s\n",
			st.Events, st.Messages, st.LastTick, bus.EventStream(s.world))
	} else {
		fmt.Fprintf(s.out, "published nothing to stream %s\n", bus.EventStream(s.world))
	}
	return err
}

// close ends the connection and the embedded server, if any.
func (s *session) close() {
	if s.nc != nil {
		s.nc.Close()
	}
	if s.box != nil {
		s.box.Shutdown()
	}
}
