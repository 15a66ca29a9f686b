package shop

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// Recording policy: an fsync every second of play (20 ticks at the default
// TPS) bounds what a crash can lose; a snapshot every 600 ticks lets
// `tickecon verify -from T` start near a tick of interest.
// The header names the core systems, so `tickecon verify` rebuilds the
// demo's world from the log alone.
var recordOptions = ticklog.Options{SyncEvery: 20, SnapshotEvery: 600, Setup: systems.CoreSetup()}

// Record starts a live session whose every committed tick, tick 0
// (the content) included, is appended to a new replay log at path by the
// log's own recorder (ticklog.Writer.Record). The log is the format
// `go run ./cmd/tickecon verify` reads. A file or folder at path is
// refused with a *ticklog.ExistsError and left alone (Options.Force, the
// -force flag, replaces a file). The returned function syncs and closes
// the log and reports the first write error; the model's RecordErr
// reports it while the session runs.
func Record(path string, seed uint64) (*Model, func() error, error) {
	return recordTo(path, seed, nil, false)
}

// Follower follows a recording session from outside the shop (demo/publish
// relays it to NATS). It is called with the log's path before the log is
// created, so a refusal leaves an existing file alone; setup runs on the
// world before tick 0, after the log's own recorder lw subscribed; stop
// runs after the log is synced and closed, so all of it is durable.
type Follower func(path string) (setup func(w *ecs.World, lw *ticklog.Writer), stop func() error, err error)

// RecordFollowed is Record with a Follower (nil: none).
func RecordFollowed(path string, seed uint64, follow Follower) (*Model, func() error, error) {
	return recordTo(path, seed, follow, false)
}

// recordTo is Record with a Follower; replace lets it replace a file.
func recordTo(path string, seed uint64, follow Follower, replace bool) (*Model, func() error, error) {
	c, err := ecs.ParseContent(DefaultContent)
	if err != nil {
		return nil, nil, err
	}
	// Refused before the follower starts, so nothing is made for a
	// recording that will not happen; CreateNew checks again as it links.
	if st, err := os.Stat(path); err == nil && (st.IsDir() || !replace) {
		return nil, nil, existsErr(&ticklog.ExistsError{Path: path, Dir: st.IsDir()})
	}
	setup, stop := func(*ecs.World, *ticklog.Writer) {}, func() error { return nil }
	if follow != nil {
		if setup, stop, err = follow(path); err != nil {
			return nil, nil, err
		}
	}
	create := ticklog.CreateNew
	if replace {
		create = ticklog.Create
	}
	lw, err := create(path, c, recordOptions)
	if err != nil {
		stop()
		return nil, nil, existsErr(err)
	}
	setups := []func(*ecs.World){lw.Record, func(w *ecs.World) { setup(w, lw) }}
	m, err := New(DefaultContent, seed, setups...)
	if err != nil {
		lw.Close()
		stop()
		return nil, nil, err
	}
	m.recErr = lw.Err
	return m, func() error {
		err := lw.Err()
		if cerr := lw.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			err = fmt.Errorf("recording %s: %w", path, err)
		}
		if serr := stop(); err == nil {
			err = serr
		}
		return err
	}, nil
}

// existsErr adds to a refused existing file how to replace it.
func existsErr(err error) error {
	var ee *ticklog.ExistsError
	if errors.As(err, &ee) && !ee.Dir {
		return fmt.Errorf("%w; left as it is (-force replaces it)", err)
	}
	return err
}

// memFile is a log file in memory: the browser has no file system, so
// its session is recorded here and downloaded.
type memFile struct{ bytes.Buffer }

func (*memFile) Sync() error  { return nil }
func (*memFile) Close() error { return nil }

// RecordMemory starts a live session recorded, like Record, into memory.
// The returned function syncs the log and returns a copy of it so far: a
// complete log of every tick up to the last one, the same format a file
// has (OpenReplay, ReplayBytes and `tickecon verify` read it).
func RecordMemory(seed uint64) (*Model, func() ([]byte, error), error) {
	c, err := ecs.ParseContent(DefaultContent)
	if err != nil {
		return nil, nil, err
	}
	f := &memFile{}
	lw, err := ticklog.NewWriter(f, c, recordOptions)
	if err != nil {
		return nil, nil, err
	}
	m, err := New(DefaultContent, seed, lw.Record)
	if err != nil {
		return nil, nil, err
	}
	m.recErr = lw.Err
	return m, func() ([]byte, error) {
		if err := lw.Sync(); err != nil {
			return nil, err
		}
		return bytes.Clone(f.Bytes()), nil
	}, nil
}

// logSource adapts a replay log reader to the demo's replay Source: it
// yields tick records' inputs and skips snapshots.
type logSource struct {
	r   *ticklog.Reader
	err error
}

// Next returns the next recorded tick.
func (s *logSource) Next() (*ecs.TickRecord, bool) {
	for s.err == nil {
		rec, err := s.r.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return nil, false
		}
		if rec.Tick != nil {
			return rec.Tick, true
		}
	}
	return nil, false
}

// Err says why the recording ended: nil at a clean end, else a typed
// ticklog error (*TornTailError, *CorruptError).
func (s *logSource) Err() error { return s.err }

// OpenReplay plays back the log at path on the world its header's Setup
// names; the model verifies every tick's events and checksum against the
// recording and stops at the first desync or damage (see Model.Replay).
// The returned function closes the file.
func OpenReplay(path string) (*Model, func() error, error) {
	r, f, err := replay.FileSource(path)()
	if err != nil {
		return nil, nil, err
	}
	m, err := replayReader(r)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, f.Close, nil
}

// ReplayBytes plays back a log held in memory (the browser's upload), as
// OpenReplay does a file.
func ReplayBytes(log []byte) (*Model, error) {
	r, err := ticklog.NewReader(bytes.NewReader(log))
	if err != nil {
		return nil, err
	}
	return replayReader(r)
}

// replayReader replays r on the world its header's Setup names.
func replayReader(r *ticklog.Reader) (*Model, error) {
	newWorld, err := r.Header().Setup.Worlds()
	if err != nil {
		return nil, err
	}
	return newReplay(&logSource{r: r}, newWorld)
}
