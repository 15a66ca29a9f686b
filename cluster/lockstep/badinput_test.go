package lockstep_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

// wire builds a message as the package frames it: type, wire version,
// session, then the replay log's tick payload.
func wire(typ byte, session string, r *ecs.TickRecord) []byte {
	b := []byte{typ, 1}
	b = binary.AppendUvarint(b, uint64(len(session)))
	b = append(b, session...)
	return ticklog.AppendTick(b, r)
}

func reasons(rs []lockstep.Refusal) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintln(&b, r.Reason)
	}
	return b.String()
}

// Forged frames in the stream (another session's, a repeat of an old
// tick, one from the far future, garbage), inputs acting for another
// player's wallet or as the admin, malformed inputs and checksums, and
// messages from a peer that never joined: each is refused with a reason
// that says why, none is applied, and the session goes on with every peer
// agreeing with the host at every tick.
func TestBadInputIsRefusedAndTheSessionGoesOn(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := newCluster(t, lockstep.Config{}, 12)
	var ids []string
	for i := range 2 {
		ids = append(ids, peerID(i))
		c.own(peerID(i), i, 2)
		c.join(peerID(i), peerOpts{intents: 5, seed: uint64(i + 1)})
	}
	require.NoError(t, c.host.WaitPeers(ctx, 2))
	want := c.run(ctx, 100, nil)

	// Forged frames, published straight into the session's stream.
	nc := connect(t, c.box)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	rich := components.PurchaseIntent{Buyer: c.players[0], Listing: c.listings[0], Quantity: 1, RequestID: 1 << 40}
	next := c.host.World().NextTick()
	for _, data := range [][]byte{
		wire('F', "other", &ecs.TickRecord{Tick: next, Intents: []components.PurchaseIntent{rich}}),
		wire('F', "s1", &ecs.TickRecord{Tick: 5, Intents: []components.PurchaseIntent{rich}}),
		wire('F', "s1", &ecs.TickRecord{Tick: next + 1_000_000, Intents: []components.PurchaseIntent{rich}}),
		[]byte("F\x01\x02s1\xff\xff\xff"),
	} {
		_, err := js.Publish(ctx, "tickecon.session.s1.frames", data)
		require.NoError(t, err)
	}

	// The host runs on (a game loop would), while inputs arrive.
	applied := map[uint64]bool{}
	c.host.World().Subscribe(ecs.EveryTick, func(r *ecs.TickRecord) error {
		for _, in := range r.Intents {
			applied[in.RequestID] = true
		}
		return nil
	})
	// It runs at least 100 more ticks, and on until the good input below
	// has applied: inputs are only answered while the host runs, and one
	// stamped past the host's last tick would never apply.
	more, stepErr := make(chan []uint64, 1), make(chan error, 1)
	goodAt := make(chan uint64, 1)
	go func() { // no require here: FailNow belongs to the test goroutine
		var sums []uint64
		until := uint64(0) // the good input's apply tick, once known
		for n := 0; n < 100 || until == 0 || c.host.World().NextTick() <= until; n++ {
			if err := ctx.Err(); err != nil {
				stepErr <- err
				return
			}
			if until == 0 {
				select {
				case until = <-goodAt:
				default:
				}
			}
			c.adminInputs()
			rec, err := c.host.Step(ctx)
			if err != nil {
				stepErr <- err
				return
			}
			sums = append(sums, rec.Checksum)
			time.Sleep(time.Millisecond)
		}
		more <- sums
	}()

	// Inputs the host must refuse.
	p0 := c.peers[peerID(0)]
	mine, theirs := c.owned[peerID(0)][0], c.owned[peerID(1)][0]
	_, err = p0.Submit([]components.PurchaseIntent{{Buyer: theirs, Listing: c.listings[0], Quantity: 1, RequestID: 77}}, nil)
	require.ErrorContains(t, err, fmt.Sprintf("refused: intent for player %d, not one of peer0's", theirs))
	_, err = p0.Submit([]components.PurchaseIntent{
		{Buyer: mine, Listing: c.listings[0], Quantity: 1, RequestID: 1 << 41},
		{Buyer: theirs, Listing: c.listings[0], Quantity: 1, RequestID: 1 << 41},
	}, nil)
	require.ErrorContains(t, err, "not one of peer0's", "one bad intent refuses the whole message")
	_, err = p0.Submit(nil, []events.Event{events.Mint(mine, c.ids.MustID("gold"), 1<<50)})
	require.ErrorContains(t, err, "refused: command Minted is not allowed from a peer")
	_, err = p0.Submit(nil, []events.Event{events.OpenTrade(theirs, mine)})
	require.ErrorContains(t, err, fmt.Sprintf("refused: command TradeOpened acts for player %d", theirs))
	reply, err := nc.Request("tickecon.session.s1.in.peer0", []byte("I\x01\x02s1garbage"), 5*time.Second)
	require.NoError(t, err)
	assert.Contains(t, string(reply.Data), "refused: input: malformed message")
	reply, err = nc.Request("tickecon.session.s1.in.peer0", wire('I', "s2", &ecs.TickRecord{}), 5*time.Second)
	require.NoError(t, err)
	assert.Contains(t, string(reply.Data), `refused: input: message for session "s2", this is session "s1"`)
	reply, err = nc.Request("tickecon.session.s1.in.ghost", wire('I', "s1", &ecs.TickRecord{Intents: []components.PurchaseIntent{rich}}), 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "refused: input from a peer that has not joined", string(reply.Data))
	// A good input still goes through, stamped with its apply tick.
	at, err := p0.Submit([]components.PurchaseIntent{{Buyer: mine, Listing: c.listings[1], Quantity: 1, RequestID: 1 << 42}}, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, at, next+2, "the host's next tick (or a later one) plus the input delay")
	goodAt <- at
	// Forged checksums.
	require.NoError(t, nc.Publish("tickecon.session.s1.sum.peer1", []byte("S\x01garbage")))
	require.NoError(t, nc.Publish("tickecon.session.s1.sum.peer1", wire('S', "s1", &ecs.TickRecord{Tick: 99999, Checksum: 1})))
	require.NoError(t, nc.Publish("tickecon.session.s1.sum.ghost", wire('S', "s1", &ecs.TickRecord{Tick: 1})))
	require.NoError(t, nc.Publish("tickecon.session.s1.hello.raw", []byte("hello bad.name 0")))

	select {
	case sums := <-more:
		want = append(want, sums...)
	case err := <-stepErr:
		t.Fatal(err)
	}
	last := uint64(len(want) - 1)
	// The forged checksums and hello travel without an answer: wait until
	// the host has taken them (11 refusals in all), and every peer's
	// report of the last tick.
	c.waitReports(ctx, func() bool { return c.host.Stats().Refused >= 11 }, ids, last)
	c.settle(ctx, ids, last)
	assert.False(t, applied[77] || applied[1<<40] || applied[1<<41], "nothing refused was applied")
	assert.True(t, applied[1<<42], "the good input was")

	for _, id := range ids {
		got := c.peerSums(id)
		require.Len(t, got, len(want))
		require.GreaterOrEqual(t, len(got), 200)
		assert.Equal(t, want, got, id)
		r := reasons(c.peers[id].Refusals())
		assert.Contains(t, r, `frame: message for session "other", this is session "s1"`)
		assert.Contains(t, r, "duplicate frame for tick 5 (already at tick")
		assert.Contains(t, r, fmt.Sprintf("frame from the future: tick %d while at tick", next+1_000_000))
		assert.Contains(t, r, "frame: malformed message")
		assert.Len(t, c.peers[id].Refusals(), 4)
	}
	r := reasons(c.host.Refusals())
	assert.Contains(t, r, "checksum: malformed message")
	assert.Contains(t, r, "checksum for tick 99999, expected tick")
	assert.Contains(t, r, "checksum from a peer that has not joined")
	assert.Contains(t, r, `malformed hello "hello bad.name 0"`)
	assert.Len(t, c.host.Refusals(), 11)
	st := c.host.Stats()
	assert.Zero(t, st.Mismatches)
	assert.Equal(t, 11, st.Refused)
}
