package ticklog_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// shopWorld is the README's little shop, ready for tick 0.
func shopWorld() (*ecs.World, *ecs.Content, ecs.IDs) {
	data, err := os.ReadFile("../ecs/testdata/shop.json")
	if err != nil {
		panic(err)
	}
	content, err := ecs.ParseContent(data)
	if err != nil {
		panic(err)
	}
	w := ecs.New()
	systems.Install(w)
	ids, err := content.Apply(w)
	if err != nil {
		panic(err)
	}
	return w, content, ids
}

// Recording a session: every committed tick goes to the log, fsynced after
// each tick; Close returns the first write error, if any.
func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")

	w, content, ids := shopWorld()
	log, err := ticklog.Create(path, content, ticklog.Options{SyncEvery: 1, SnapshotEvery: 2})
	if err != nil {
		panic(err)
	}
	log.Record(w)
	w.Step() // tick 0: the content
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 1})
	w.Step()
	durable, _ := log.Durable()
	fmt.Println("durable up to tick", durable)
	if err := log.Close(); err != nil {
		fmt.Println("recording failed:", err)
	}
	// Output:
	// durable up to tick 1
}

// Reading a log record by record: io.EOF at a clean end, a
// *TornTailError where a crash cut the last record.
func ExampleNewReader() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")
	w, content, ids := shopWorld()
	log, _ := ticklog.Create(path, content, ticklog.Options{SnapshotEvery: 2})
	log.Record(w)
	w.Step()
	w.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: 1})
	w.Step()
	log.Close()

	f, _ := os.Open(path)
	defer f.Close()
	r, err := ticklog.NewReader(f)
	if err != nil {
		panic(err) // *CorruptError, *VersionError or *ContentHashError
	}
	fmt.Println("current format:", r.Header().Version == ticklog.Version, "systems:", r.Header().Setup.Systems)
	for {
		rec, err := r.Next()
		var torn *ticklog.TornTailError
		switch {
		case err == io.EOF:
			return
		case errors.As(err, &torn):
			fmt.Println("cut short after tick", torn.LastTick)
			return
		case err != nil:
			panic(err)
		case rec.Snapshot != nil:
			fmt.Println("snapshot before tick", rec.Snapshot.Tick)
		default:
			fmt.Println("tick", rec.Tick.Tick, "events", len(rec.Tick.Events))
		}
	}
	// Output:
	// current format: true systems: core
	// tick 0 events 12
	// tick 1 events 1
	// snapshot before tick 2
}

// Streaming a long log without allocating per tick: with reuse on, every
// tick arrives in the same record, overwritten by the next Next (clone
// what you keep); raw snapshots arrive as their JSON, decoded on demand.
func ExampleReader_SetReuse() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")
	w, content, ids := shopWorld()
	log, _ := ticklog.Create(path, content, ticklog.Options{SnapshotEvery: 2})
	log.Record(w)
	for i := range 3 {
		w.Submit(components.PurchaseIntent{Buyer: ids.MustID("bob"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: uint64(i + 1)})
		w.Step()
	}
	log.Close()

	f, _ := os.Open(path)
	defer f.Close()
	r, err := ticklog.NewReader(f)
	if err != nil {
		panic(err)
	}
	r.SetReuse(true)
	r.SetRawSnapshots(true)
	var first *ecs.TickRecord
	var kept []ecs.TickRecord
	reused := true
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if rec.Tick == nil {
			snap, err := rec.DecodeSnapshot()
			if err != nil {
				panic(err) // a *CorruptError, as Next returns without raw snapshots
			}
			fmt.Println("snapshot before tick", snap.Tick)
			continue
		}
		if first == nil {
			first = rec.Tick
		}
		reused = reused && rec.Tick == first
		kept = append(kept, rec.Tick.Clone())
	}
	fmt.Println("ticks:", len(kept), "one record reused:", reused)
	fmt.Println("tick 2 intents:", len(kept[2].Intents))
	// Output:
	// snapshot before tick 2
	// ticks: 3 one record reused: true
	// tick 2 intents: 1
}

// Going on with a log after a crash: OpenAppend cuts a torn tail (and
// refuses anything else), and says where recording stopped.
func ExampleOpenAppend() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")
	w, content, _ := shopWorld()
	log, _ := ticklog.Create(path, content, ticklog.Options{})
	log.Record(w)
	w.Step()
	w.Step()
	log.Close()
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)-3], 0o644) // a crash mid-append

	log, rec, err := ticklog.OpenAppend(path, ticklog.Options{SyncEvery: 1})
	if err != nil {
		panic(err)
	}
	defer log.Close()
	fmt.Println("last tick", rec.LastTick, "torn bytes cut", rec.Truncated > 0)
	// Output:
	// last tick 0 torn bytes cut true
}

// memFile is a File in memory (e.g. a log to offer as a download where
// there is no file system, as in a browser).
type memFile struct{ bytes.Buffer }

func (*memFile) Sync() error  { return nil }
func (*memFile) Close() error { return nil }

// Recording to any File, here memory, and reading it back.
func ExampleNewWriter() {
	w, content, _ := shopWorld()
	var buf memFile
	log, err := ticklog.NewWriter(&buf, content, ticklog.Options{})
	if err != nil {
		panic(err)
	}
	log.Record(w)
	w.Step()
	w.Step()
	if err := log.Close(); err != nil {
		panic(err)
	}
	r, _ := ticklog.NewReader(bytes.NewReader(buf.Bytes()))
	n := 0
	for {
		if _, err := r.Next(); err != nil {
			break
		}
		n++
	}
	fmt.Println(n, "records")
	// Output:
	// 2 records
}
