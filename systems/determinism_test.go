package systems_test

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
	"github.com/tickecon/tickecon/systems"
)

// run plays ticks of the seeded random session and returns every tick's
// checksum.
func run(t testing.TB, seed uint64, ticks int) []uint64 {
	s := newSim(t, seed)
	out := make([]uint64, 0, ticks)
	for range ticks {
		s.inputs(100)
		out = append(out, s.w.Step().Checksum)
	}
	return out
}

// A second world fed the first one's recorded inputs — intents in a
// shuffled submission order — produces the same events and checksum every tick.
func TestSameInputsSameEventsAndChecksums(t *testing.T) {
	a := newSim(t, 7)
	b := ecs.New()
	systems.Install(b)
	shuffle := rand.New(rand.NewPCG(1, 2))
	for tick := 0; tick < 400; tick++ {
		intents := a.inputs(100)
		for _, c := range a.w.Pending() {
			b.Command(c)
		}
		shuffle.Shuffle(len(intents), func(i, j int) { intents[i], intents[j] = intents[j], intents[i] })
		for _, in := range intents {
			b.Submit(in)
		}
		ra := a.w.Step().Clone()
		rb := b.Step()
		require.Equal(t, ra.Tick, rb.Tick)
		require.Equal(t, ra.Events, rb.Events, "tick %d", tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", tick)
		require.Equal(t, ra.Commands, rb.Commands)
		require.Equal(t, ra.Intents, rb.Intents, "processing order ignores submission order")
	}
	require.Equal(t, a.w.Checksum(), b.Checksum())
}

// Worlds share no hidden global state: many running at once on all cores
// agree tick by tick with one run alone.
func TestParallelWorldsAgree(t *testing.T) {
	want := run(t, 11, 200)
	n := max(4, runtime.GOMAXPROCS(0))
	got := make([][]uint64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = run(t, 11, 200) })
	}
	wg.Wait()
	for i := range n {
		require.Equal(t, want, got[i])
	}
}

// The checksum is a fixed integer function of the state, so it must be the
// same number on every architecture (CI runs this under GOARCH=386 too) and
// in every release that keeps the log format. If a deliberate change to the
// checksum or the simulation rules changes it, bump the replay log version.
func TestChecksumIsPinnedAcrossArchitectures(t *testing.T) {
	sums := run(t, 42, 300)
	require.Equal(t, pinnedChecksum, sums[len(sums)-1], "got %#x", sums[len(sums)-1])
}

const pinnedChecksum uint64 = 0x7016735fa09b25d5

func TestRejectedCommandsChangeNothing(t *testing.T) {
	f := newFixture(t)
	bad := []events.Event{
		{Kind: events.Minted, Subject: f.id("alice"), Currency: f.id("gold"), Amount: -5},
		{Kind: events.Minted, Subject: f.id("alice"), Currency: f.id("potion"), Amount: 5},
		{Kind: events.Minted, Subject: f.id("vault"), Currency: f.id("gold"), Amount: 1},
		{Kind: events.Burned, Subject: f.id("bob"), Currency: f.id("gold"), Amount: 301},
		{Kind: events.ItemsGranted, Subject: f.id("bob"), Item: f.id("sword"), Qty: 3},
		{Kind: events.ItemsGranted, Subject: f.id("potions"), Item: f.id("sword"), Qty: 3},
		{Kind: events.ItemsBurned, Subject: f.id("potions"), Item: f.id("potion"), Qty: 41},
		{Kind: events.ItemsBurned, Subject: f.id("ghost"), Item: f.id("potion"), Qty: 1},
		{Kind: events.EntityClosed, Subject: f.id("gold")},
		{Kind: events.EntityClosed, Subject: f.id("ghost")},
		{Kind: events.ListingPosted, Object: f.id("alice"), Item: f.id("potion"), Currency: f.id("gold")},
		{Kind: events.WalletOpened, Subject: f.id("alice")},
		{Kind: events.ItemDefined, Qty: 0},
		{Kind: events.PurchaseCompleted, Subject: f.id("alice")},
		{Kind: events.Kind(200)},
	}
	for _, c := range bad {
		f.w.Command(c)
	}
	before := f.w.Checksum()
	rec := f.w.Step()
	require.Len(t, rec.Events, len(bad))
	for i, ev := range rec.Events {
		require.Equal(t, events.CommandRejected, ev.Kind, "command %d: %v", i, bad[i])
		require.Equal(t, bad[i].Kind, ev.Of)
		require.NotEqual(t, events.ReasonNone, ev.Reason)
	}
	// The failed WalletOpened/ItemDefined reserved their ids when queued, so
	// "before" already counts them; the rejections moved nothing else.
	require.Equal(t, before, rec.Checksum)
}

// intentPeek is a system that counts the PurchaseIntent entities it sees.
type intentPeek struct{ seen *int }

func (intentPeek) Name() string { return "intent-peek" }

func (p intentPeek) Update(w *ecs.World) {
	q := w.ECS().Query(&core.Of(w).IntentFilter)
	*p.seen += q.Count()
	q.Close()
}

// When the PurchaseSystem runs first it takes the submitted intents as
// they are, without the round trip through entities; a world where
// another system runs first (and sees the intents as entities) gives the
// same events, intents and checksums tick by tick.
func TestIntentsSkippingEntitiesChangeNothing(t *testing.T) {
	a := newSim(t, 13)
	b := ecs.New()
	seen := 0
	b.AddSystem(intentPeek{&seen})
	systems.Install(b)
	for tick := 0; tick < 300; tick++ {
		intents := a.inputs(100)
		for _, c := range a.w.Pending() {
			b.Command(c)
		}
		for _, in := range intents {
			b.Submit(in)
		}
		seen = 0
		ra := a.w.Step().Clone()
		rb := b.Step()
		require.Equal(t, len(intents), seen, "tick %d: the first system sees the intents as entities", tick)
		require.Equal(t, ra.Events, rb.Events, "tick %d", tick)
		require.Equal(t, ra.Intents, rb.Intents, "tick %d", tick)
		require.Equal(t, ra.Checksum, rb.Checksum, "tick %d", tick)
		require.False(t, core.Of(a.w).Deferred, "tick %d", tick)
	}
	require.NotNil(t, core.Of(a.w).Taker)
}
