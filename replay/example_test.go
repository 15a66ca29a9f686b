package replay_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// recordShop records the README's shop for a few ticks; extra runs after
// the core systems (a bad peer's bug, or nil).
func recordShop(path string, extra ecs.System) {
	data, _ := os.ReadFile("../ecs/testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	w := ecs.New()
	systems.Install(w)
	if extra != nil {
		w.AddSystem(extra)
	}
	ids, _ := content.Apply(w)
	log, _ := ticklog.Create(path, content, ticklog.Options{SnapshotEvery: 4, Setup: systems.CoreSetup()})
	log.Record(w)
	for tick := range uint64(8) {
		w.Submit(components.PurchaseIntent{Buyer: ids.MustID("alice"), Listing: ids.MustID("potions"), Quantity: 1, RequestID: tick})
		w.Step()
	}
	if err := log.Close(); err != nil {
		panic(err)
	}
}

// shopIDs returns the stable ids the shop's content gets (they are the
// same in every world it is applied to).
func shopIDs() ecs.IDs {
	data, _ := os.ReadFile("../ecs/testdata/shop.json")
	content, _ := ecs.ParseContent(data)
	probe := ecs.New()
	systems.Install(probe)
	ids, _ := content.Apply(probe)
	return ids
}

// Verifying a log: re-simulate every tick on the world its header names
// and compare events, checksums and snapshots.
func ExampleVerify() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")
	recordShop(path, nil)

	res, err := replay.Verify(replay.FileSource(path), nil, replay.Options{})
	if err != nil {
		panic(err) // damage (*ticklog.CorruptError, ...) or a bad -from
	}
	if res.Mismatch != nil {
		fmt.Print(res.Mismatch) // names the tick, the first differing event and the state diff
		return
	}
	fmt.Println(res.Ticks, "ticks and", res.Snapshots, "snapshots verified; torn tail:", res.TornTail != nil)
	// Output:
	// 8 ticks and 2 snapshots verified; torn tail: false
}

// leak is a bad peer's bug: at tick 5 one gold unit leaves Bob's wallet
// without an event.
type leak struct{ bob, gold components.ID }

func (leak) Name() string { return "leak" }
func (l leak) Update(w *ecs.World) {
	if w.NextTick() == 5 {
		e, _ := w.Lookup(l.bob)
		w.Maps.Wallet.Get(e).Debit(l.gold, 1)
		w.Touch(l.bob)
	}
}

// Comparing two peers' logs of one session: the first tick where they
// part, and the state diff at the next snapshot both took.
func ExampleDiffLogs() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	recordShop(a, nil)
	ids := shopIDs()
	recordShop(b, leak{bob: ids.MustID("bob"), gold: ids.MustID("gold")})

	d, err := replay.DiffLogs(replay.FileSource(a), replay.FileSource(b), 0)
	if err != nil {
		panic(err) // a *replay.LogError names the unreadable log
	}
	fmt.Println("part at tick", d.Tick, "by", d.What)
	for _, f := range d.State {
		fmt.Println(f)
	}
	// Output:
	// part at tick 5 by checksum
	// entity 9 components.Wallet Balances[0].Amount: expected 300, actual 299
}

// The replay step shared by Verify, Resume and the demo: feed one recorded
// tick to a world and compare what it produces with the recording.
func ExampleStepRecorded() {
	dir, _ := os.MkdirTemp("", "tickecon")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "session.log")
	recordShop(path, nil)

	_, recs, _ := ticklog.ReadAll(path)
	w := ecs.New()
	systems.Install(w)
	for _, rec := range recs {
		if rec.Tick == nil {
			continue // snapshots
		}
		got, err := replay.StepRecorded(w, rec.Tick)
		if err != nil {
			panic(err) // *replay.TickOrderError
		}
		if m := replay.CompareTick(w.StageNames(), rec.Tick, got); m != nil {
			fmt.Print(m)
			return
		}
	}
	fmt.Println("replayed to tick", w.NextTick()-1)
	// Output:
	// replayed to tick 7
}
