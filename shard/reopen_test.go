package shard

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/ticklog"
)

var reopenOpts = ticklog.Options{SyncEvery: 1, SnapshotEvery: 50}

// movedCluster runs a 2-shard cluster in which p1-0 (with 5 potions)
// moved to shard 2 and the move ended; it returns the closed cluster's
// log dir, the move and the live directory.
func movedCluster(t *testing.T) (string, *Move, *Directory) {
	lb := NewLoopback(2)
	c := newCluster(t, 2, 2, 40, lb)
	dir := filepath.Dir(c.Node(1).Path)
	a := c.Node(1)
	a.W.Command(events.Grant(a.IDs.MustID("p1-0"), a.IDs.MustID("potion"), 5))
	require.NoError(t, c.Step())
	m, err := c.Move("p1-0", 2)
	require.NoError(t, err)
	for range 100 {
		require.NoError(t, c.Step())
		if m.Done && c.Pending() == 0 && queued(c, lb) == 0 {
			break
		}
	}
	require.True(t, m.Done)
	require.NoError(t, m.Err)
	require.NoError(t, c.Close())
	return dir, m, c.Dir
}

// What a restart did before the directory was rebuilt from the logs: the
// only directory a new process had was the content's (NewCluster), so the
// moved player's purchases went to its old, closed address on shard 1 and
// were refused there (UnknownBuyer) — its money is on shard 2.
func TestRestartWithContentDirectoryMisroutes(t *testing.T) {
	dir, m, _ := movedCluster(t)
	c, err := NewCluster(testConfig, []*ecs.Content{shardContent(t, 1, 2, 40), shardContent(t, 2, 2, 40)}, NewLoopback(2))
	require.NoError(t, err)
	for _, nd := range c.Nodes() { // resume each shard from its log, as Restart does
		require.NoError(t, c.Kill(nd.N))
		nd.Path = filepath.Join(dir, fmt.Sprintf("shard-%d.log", nd.N))
		require.NoError(t, c.Restart(nd.N))
	}
	defer c.Close()
	e, _ := c.Dir.Lookup("p1-0")
	require.Equal(t, m.From, e.Addr, "the content's directory still names the old player")
	require.NotEqual(t, m.To, e.Addr)
	require.NoError(t, c.Step()) // Buy wants a round run
	p, err := c.Buy("p1-0", "l2", 1, 7)
	require.NoError(t, err)
	require.Equal(t, uint16(1), p.Buyer.Shard(), "routed to the shard the player left")
	require.NoError(t, c.Step())
	rej := false
	for _, ev := range c.Node(1).rec.Events {
		if ev.Kind == events.CommandRejected && ev.Of == events.XHoldPlaced {
			require.Equal(t, events.ReasonUnknownBuyer, ev.Reason)
			rej = true
		}
	}
	require.True(t, rej, "the purchase is refused: the old player is closed")
}

// OpenCluster rebuilds the directory from the shards' logs: the moved
// player is found on shard 2, with the live process's entries and version,
// and buys there.
func TestOpenClusterFindsMovedPlayer(t *testing.T) {
	dir, m, live := movedCluster(t)
	lb := NewLoopback(2)
	c, err := OpenCluster(dir, reopenOpts, lb)
	require.NoError(t, err)
	require.Equal(t, live.Entries(), c.Dir.Entries())
	require.Equal(t, live.Version(), c.Dir.Version())
	e, _ := c.Dir.Lookup("p1-0")
	require.Equal(t, m.To, e.Addr)
	require.Empty(t, c.Moves())

	p, err := c.Buy("p1-0", "l1", 2, 9) // now a purchase across shards, from shard 2
	require.NoError(t, err)
	require.Equal(t, m.To, p.Buyer)
	run(t, c, lb, 20)
	b := c.Node(2)
	h, ok := b.Sys.Hold(b.W, p.Hold)
	require.True(t, ok)
	require.True(t, h.Posted())
	n, err := b.W.ItemCount(m.To.ID(), b.IDs.MustID("potion"))
	require.NoError(t, err)
	require.Equal(t, int64(7), n)
	rep, err := Audit(verifyAll(t, c))
	require.NoError(t, err)
	require.Empty(t, rep.InFlight)
}

// Same logs, same directory: two processes reopening copies of the logs
// agree entry for entry and version for version, and so does a second
// rebuild in one process.
func TestRebuildDirectoryIsDeterministic(t *testing.T) {
	dir, _, _ := movedCluster(t)
	var dirs []*Directory
	for range 2 {
		cp := t.TempDir()
		for _, f := range []string{"shard-1.log", "shard-2.log"} {
			copyFile(t, filepath.Join(dir, f), filepath.Join(cp, f))
		}
		c, err := OpenCluster(cp, reopenOpts, NewLoopback(2))
		require.NoError(t, err)
		again, err := c.RebuildDirectory()
		require.NoError(t, err)
		require.Equal(t, c.Dir, again)
		dirs = append(dirs, c.Dir)
		require.NoError(t, c.Close())
	}
	require.Equal(t, dirs[0], dirs[1])
}

func copyFile(t *testing.T, from, to string) {
	src, err := os.Open(from)
	require.NoError(t, err)
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	_, err = io.Copy(dst, src)
	require.NoError(t, err)
	require.NoError(t, dst.Close())
}

// The process dies in the middle of a move (its messages in flight lost
// with it): the reopened cluster finds the player on the new shard, goes
// on with the move, and the player arrives with everything it had.
func TestOpenClusterResumesMove(t *testing.T) {
	for _, stop := range []int{0, 1, 2, 3, 4, 5, 6} {
		t.Run(fmt.Sprint(stop), func(t *testing.T) {
			lb := NewLoopback(3)
			c := newCluster(t, 3, 1, 40, lb)
			dir := filepath.Dir(c.Node(1).Path)
			a := c.Node(1)
			old := a.IDs.MustID("p1-0")
			gold, potion := a.IDs.MustID("gold"), a.IDs.MustID("potion")
			a.W.Command(events.Grant(old, potion, 5))
			require.NoError(t, c.Step())
			_, err := c.Buy("p1-0", "l2", 2, 1) // 50 gold, in flight during the move
			require.NoError(t, err)
			require.NoError(t, c.Step())
			m, err := c.Move("p1-0", 3)
			require.NoError(t, err)
			for range stop {
				require.NoError(t, c.Step())
			}
			require.False(t, m.Done)
			require.NoError(t, c.Close()) // the process dies: lb's queues are lost with it

			lb = NewLoopback(3)
			c, err = OpenCluster(dir, reopenOpts, lb)
			require.NoError(t, err)
			c.RetryEvery = 5
			e, _ := c.Dir.Lookup("p1-0")
			if stop == 0 {
				// The move's first tick never ran: no log has it, the
				// player is still at home, and moving it again works.
				require.Equal(t, m.From, e.Addr)
				require.Empty(t, c.Moves())
				run(t, c, lb, 20)
				m, err = c.Move("p1-0", 3)
				require.NoError(t, err)
			} else {
				require.Equal(t, m.To, e.Addr)
				require.Len(t, c.Moves(), 1)
				m = c.Moves()[0]
			}
			for range 200 {
				require.NoError(t, c.Step())
				if m.Done && c.Pending() == 0 && queued(c, lb) == 0 {
					break
				}
			}
			require.True(t, m.Done)
			require.NoError(t, m.Err)
			_, st := c.Node(1).W.Lookup(old)
			require.Equal(t, ecs.Gone, st)
			dst := c.Node(3)
			bal, err := dst.W.Balance(m.To.ID(), gold)
			require.NoError(t, err)
			require.Equal(t, int64(950), bal)
			n, err := dst.W.ItemCount(m.To.ID(), potion)
			require.NoError(t, err)
			require.Equal(t, int64(7), n)
			rep, err := Audit(verifyAll(t, c))
			require.NoError(t, err)
			require.Empty(t, rep.InFlight)
		})
	}
}

// A process with a stale directory moves a player that already moved: the
// old shard accepts one handover per player and refuses the other, so the
// second move fails with a *MoveError and the directory points at where
// the player went; a restart agrees.
func TestSecondMoveOfAPlayerIsRefused(t *testing.T) {
	lb := NewLoopback(3)
	c := newCluster(t, 3, 1, 40, lb)
	dir := filepath.Dir(c.Node(1).Path)
	require.NoError(t, c.Step())
	m1, err := c.Move("p1-0", 2)
	require.NoError(t, err)
	_, err = c.Move("p1-0", 3)
	require.ErrorIs(t, err, ErrMoving, "one process moves a player once at a time")
	// Another process, with a stale directory and no knowledge of m1:
	_, err = c.Dir.Place("p1-0", m1.From)
	require.NoError(t, err)
	mine := c.moves
	c.moves = nil
	m2, err := c.Move("p1-0", 3)
	require.NoError(t, err)
	c.moves = append(mine, m2)
	for range 100 {
		require.NoError(t, c.Step())
		if m1.Done && m2.Done && c.Pending() == 0 && queued(c, lb) == 0 {
			break
		}
	}
	require.True(t, m1.Done)
	require.NoError(t, m1.Err)
	var me *MoveError
	require.ErrorAs(t, m2.Err, &me)
	require.Equal(t, events.ReasonDuplicateRequest, me.Reason)
	e, _ := c.Dir.Lookup("p1-0")
	require.Equal(t, m1.To, e.Addr)
	live := c.Dir.Entries()
	_, err = Audit(verifyAll(t, c))
	require.NoError(t, err)

	c, err = OpenCluster(dir, reopenOpts, NewLoopback(3))
	require.NoError(t, err)
	defer c.Close()
	require.Equal(t, len(live), len(c.Dir.Entries()))
	for i, e := range c.Dir.Entries() {
		require.Equal(t, live[i].Key, e.Key)
		require.Equal(t, live[i].Addr, e.Addr)
	}
}

// Two handovers of one player (two processes moved it while its shard
// was down), both waiting when the process stops: the reopened cluster
// leaves the player at home, its shard accepts one handover and refuses
// the other, and the directory follows the one accepted.
func TestOpenClusterSettlesTwoWaitingHandovers(t *testing.T) {
	lb := NewLoopback(3)
	c := newCluster(t, 3, 1, 40, lb)
	dir := filepath.Dir(c.Node(1).Path)
	require.NoError(t, c.Step())
	old := AddrOf(1, c.Node(1).IDs.MustID("p1-0"))
	c.Node(1).Paused = true // no answer to either handover
	for _, n := range []uint16{2, 3} {
		w := c.Node(n).W
		p := w.Command(events.OpenPlayer("P", 8))
		w.Command(Buy(p.ID, old, 0, 0, 0, 0, 0))
	}
	require.NoError(t, c.Step())
	require.NoError(t, c.Close())

	lb = NewLoopback(3)
	c, err := OpenCluster(dir, reopenOpts, lb)
	require.NoError(t, err)
	e, _ := c.Dir.Lookup("p1-0")
	require.Equal(t, old, e.Addr, "at home until its shard picks one")
	moves := append([]*Move(nil), c.Moves()...)
	require.Len(t, moves, 2)
	for range 100 {
		require.NoError(t, c.Step())
		if len(c.Moves()) == 0 && c.Pending() == 0 && queued(c, lb) == 0 {
			break
		}
	}
	var won *Move
	for _, m := range moves {
		require.True(t, m.Done)
		if m.Err == nil {
			require.Nil(t, won, "one move wins")
			won = m
		} else {
			var me *MoveError
			require.ErrorAs(t, m.Err, &me)
			require.Equal(t, events.ReasonDuplicateRequest, me.Reason)
		}
	}
	require.NotNil(t, won)
	e, _ = c.Dir.Lookup("p1-0")
	require.Equal(t, won.To, e.Addr)
	bal, err := c.Node(won.To.Shard()).W.Balance(won.To.ID(), c.Node(1).IDs.MustID("gold"))
	require.NoError(t, err)
	require.Equal(t, int64(1000), bal)
	rep, err := Audit(verifyAll(t, c))
	require.NoError(t, err)
	require.Empty(t, rep.InFlight)
}

// Two handovers of one player both posted: the old shard accepts one per
// player, so this happens only when its log is older than one of them
// (here: it never saw either, as if restored from a copy taken before;
// the posts are forged). The logs disagree on where the player lives and
// OpenCluster says so with a *ConflictError instead of picking one.
func TestOpenClusterRefusesAPlayerOnTwoShards(t *testing.T) {
	lb := NewLoopback(3)
	c := newCluster(t, 3, 1, 40, lb)
	dir := filepath.Dir(c.Node(1).Path)
	require.NoError(t, c.Step())
	old := AddrOf(1, c.Node(1).IDs.MustID("p1-0"))
	c.Node(1).Paused = true
	var tos []Addr
	var holds []ecs.Ticket
	for _, n := range []uint16{2, 3} {
		w := c.Node(n).W
		p := w.Command(events.OpenPlayer("P", 8))
		holds = append(holds, w.Command(Buy(p.ID, old, 0, 0, 0, 0, 0)))
		tos = append(tos, AddrOf(n, p.ID))
	}
	require.NoError(t, c.Step())
	for i, n := range []uint16{2, 3} {
		c.Node(n).W.Command(events.XHoldPostedEvent{Hold: holds[i].ID, Msg: uint64(AddrOf(n, holds[i].ID))}.Event())
	}
	require.NoError(t, c.Step())
	for i, n := range []uint16{2, 3} {
		h, _ := c.Node(n).Sys.Hold(c.Node(n).W, holds[i].ID)
		require.True(t, h.Posted())
	}
	require.NoError(t, c.Close())
	var sizes []int64
	for _, nd := range c.Nodes() {
		fi, err := os.Stat(nd.Path)
		require.NoError(t, err)
		sizes = append(sizes, fi.Size())
	}

	_, err := OpenCluster(dir, reopenOpts, NewLoopback(3))
	var ce *ConflictError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "p1-0", ce.Key)
	require.Equal(t, old, ce.From)
	require.Equal(t, tos, ce.Addrs)
	require.Contains(t, err.Error(), "open on two shards")
	for i, nd := range c.Nodes() {
		fi, err := os.Stat(nd.Path)
		require.NoError(t, err)
		require.Equal(t, sizes[i], fi.Size(), "nothing appended to %s", nd.Path)
	}
}

// A player that moved on (1 → 2 → 3) and one that came back home (1 → 2
// → 1) are followed along every handover.
func TestOpenClusterFollowsMovesOn(t *testing.T) {
	lb := NewLoopback(3)
	c := newCluster(t, 3, 2, 40, lb)
	dir := filepath.Dir(c.Node(1).Path)
	require.NoError(t, c.Step())
	for _, step := range []struct {
		key string
		to  uint16
	}{{"p1-0", 2}, {"p1-1", 2}, {"p1-0", 3}, {"p1-1", 1}} {
		m, err := c.Move(step.key, step.to)
		require.NoError(t, err)
		for range 100 {
			require.NoError(t, c.Step())
			if m.Done && c.Pending() == 0 && queued(c, lb) == 0 {
				break
			}
		}
		require.True(t, m.Done)
		require.NoError(t, m.Err)
	}
	live := *c.Dir
	e0, _ := live.Lookup("p1-0")
	e1, _ := live.Lookup("p1-1")
	require.Equal(t, uint16(3), e0.Addr.Shard())
	require.Equal(t, uint16(1), e1.Addr.Shard())
	require.NoError(t, c.Close())
	c, err := OpenCluster(dir, reopenOpts, NewLoopback(3))
	require.NoError(t, err)
	defer c.Close()
	for _, e := range []Entry{e0, e1} {
		got, _ := c.Dir.Lookup(e.Key)
		require.Equal(t, e.Addr, got.Addr, e.Key)
	}
	require.Equal(t, live.Version(), c.Dir.Version())
	bal, err := c.Node(1).W.Balance(e1.Addr.ID(), c.Node(1).IDs.MustID("gold"))
	require.NoError(t, err)
	require.Equal(t, int64(1000), bal, "home again with its money")
}

// Logs that are not one cluster's are refused before anything resumes.
func TestOpenClusterRefusesForeignLogs(t *testing.T) {
	_, err := OpenCluster(t.TempDir(), reopenOpts, NewLoopback(1))
	require.True(t, errors.Is(err, os.ErrNotExist), "%v", err)

	dir, _, _ := movedCluster(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "shard-2.log")))
	cfg := testConfig
	cfg.Economy = "another"
	c, err := NewCluster(cfg, []*ecs.Content{shardContent(t, 1, 2, 40), shardContent(t, 2, 2, 40)}, NewLoopback(2))
	require.NoError(t, err)
	tmp := t.TempDir()
	require.NoError(t, c.OpenLogs(tmp, reopenOpts))
	require.NoError(t, c.Step())
	require.NoError(t, c.Close())
	copyFile(t, filepath.Join(tmp, "shard-2.log"), filepath.Join(dir, "shard-2.log"))
	_, err = OpenCluster(dir, reopenOpts, NewLoopback(2))
	var ce *ClusterError
	require.ErrorAs(t, err, &ce)
	require.Contains(t, err.Error(), "another economy")
}

// Shopping with moves, a process stop in the middle and a reopen: two runs
// (one stepping the worlds in parallel) write byte-identical logs, and
// the reopened directories are equal entry for entry.
func TestMovesAndReopenAreDeterministic(t *testing.T) {
	logs := func(parallel bool) ([][]byte, []Entry) {
		lb := NewLoopback(3)
		c := newCluster(t, 3, 4, 100, lb)
		dir := filepath.Dir(c.Node(1).Path)
		c.Parallel = parallel
		require.NoError(t, c.Step())
		rng := rand.New(rand.NewPCG(5, 5))
		step := func() { require.NoError(t, c.Step()) }
		shop(t, c, rng, 3, 4, 10, step)
		_, err := c.Move("p1-0", 2)
		require.NoError(t, err)
		_, err = c.Move("p3-2", 1)
		require.NoError(t, err)
		shop(t, c, rng, 3, 4, 3, step)
		require.NoError(t, c.Close()) // the process stops mid-move

		lb = NewLoopback(3)
		c, err = OpenCluster(dir, reopenOpts, lb)
		require.NoError(t, err)
		c.Parallel, c.RetryEvery = parallel, 5
		ents := append([]Entry(nil), c.Dir.Entries()...)
		shop(t, c, rng, 3, 4, 10, func() { require.NoError(t, c.Step()) })
		for range 200 {
			require.NoError(t, c.Step())
			if len(c.Moves()) == 0 && c.Pending() == 0 && queued(c, lb) == 0 {
				break
			}
		}
		require.Empty(t, c.Moves())
		_, err = Audit(verifyAll(t, c))
		require.NoError(t, err)
		var out [][]byte
		for _, nd := range c.Nodes() {
			b, err := os.ReadFile(nd.Path)
			require.NoError(t, err)
			out = append(out, b)
		}
		return out, ents
	}
	a, da := logs(false)
	b, db := logs(true)
	require.Equal(t, da, db)
	for i := range a {
		require.True(t, bytes.Equal(a[i], b[i]), "shard %d's logs differ", i+1)
	}
}

// A busy session over a transport that repeats, delays and reorders,
// with players moving at random, shards killed and restarted, and the
// whole process stopped and reopened twice: every purchase and every move
// ends exactly once, no goods are stranded in a closed player's hold, and
// the audit balances.
func TestRandomMovesKillsAndReopens(t *testing.T) {
	for _, seed := range seedsFor(21, 22) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			const n, players = 3, 3
			f := newFaulty(seed)
			f.dup, f.shuffle, f.maxWait = true, true, 3
			c := newCluster(t, n, players, 100, f)
			dir := filepath.Dir(c.Node(1).Path)
			c.RetryEvery = 5
			for _, nd := range c.Nodes() { // near full: some goods will wait for room
				for p := range players {
					nd.W.Command(events.Grant(nd.IDs.MustID(fmt.Sprintf("p%d-%d", nd.N, p)), nd.IDs.MustID("potion"), 74))
				}
			}
			require.NoError(t, c.Step())
			rng := rand.New(rand.NewPCG(seed, 4))
			down, back, kills, moves, reopens, waited := uint16(0), uint64(0), 0, 0, 0, 0
			var started []*Move
			for r := range 150 {
				for i := 1; i <= n; i++ {
					for p := range players {
						key := fmt.Sprintf("p%d-%d", i, p)
						e, _ := c.Dir.Lookup(key)
						to := uint16(rng.IntN(n) + 1)
						if c.Node(e.Addr.Shard()).W == nil || c.Node(to).W == nil {
							continue
						}
						switch rng.IntN(40) {
						case 11, 12, 13:
							if e.Addr.Shard() == to { // room appears
								c.Node(to).W.Command(events.BurnItems(e.Addr.ID(), c.Node(to).IDs.MustID("potion"), 1))
							}
						case 0:
							if to != e.Addr.Shard() {
								m, err := c.Move(key, to)
								if errors.Is(err, ErrMoving) {
									continue // one move at a time
								}
								require.NoError(t, err)
								started = append(started, m)
								moves++
							}
						case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10:
							_, err := c.Buy(key, fmt.Sprintf("l%d", to), int64(rng.IntN(3)+1), uint64(r*1000+i*10+p+1))
							require.NoError(t, err)
						}
					}
				}
				require.NoError(t, c.Step())
				for _, nd := range c.Nodes() {
					if nd.W != nil && len(nd.Sys.waiting) > 0 {
						waited++
					}
				}
				switch {
				case r == 50 || r == 100:
					require.NoError(t, c.Close()) // the whole process stops (a shard down comes back with it)
					down = 0
					f = newFaulty(seed + uint64(r))
					f.dup, f.shuffle, f.maxWait = true, true, 3
					var err error
					c, err = OpenCluster(dir, reopenOpts, f)
					require.NoError(t, err)
					c.RetryEvery = 5
					started = append(started[:0], c.Moves()...) // the dead process's moves go on as these
					reopens++
				case down != 0 && c.Round() >= back:
					require.NoError(t, c.Restart(down))
					down = 0
				case down == 0 && rng.IntN(15) == 0:
					down = uint16(rng.IntN(n) + 1)
					back = c.Round() + 1 + uint64(rng.IntN(8))
					require.NoError(t, c.Kill(down))
					kills++
				}
			}
			if down != 0 {
				require.NoError(t, c.Restart(down))
			}
			for range 400 {
				require.NoError(t, c.Step())
				if len(c.Moves()) == 0 && c.Pending() == 0 && f.queued() == 0 {
					break
				}
			}
			require.Empty(t, c.Moves())
			for _, m := range started {
				require.True(t, m.Done)
				require.NoError(t, m.Err)
			}
			for i := 1; i <= n; i++ {
				for p := range players {
					e, _ := c.Dir.Lookup(fmt.Sprintf("p%d-%d", i, p))
					_, st := c.Node(e.Addr.Shard()).W.Lookup(e.Addr.ID())
					require.Equal(t, ecs.Alive, st, "the directory names a live player")
				}
			}
			for _, nd := range c.Nodes() {
				var buf []components.ID
				for _, id := range nd.Sys.waiting {
					h, _ := nd.Sys.Hold(nd.W, id)
					if _, st := nd.W.Lookup(h.Buyer); st != ecs.Alive {
						buf = append(buf, id)
					}
				}
				require.Empty(t, buf, "shard %d: goods waiting for a closed player", nd.N)
			}
			live := append([]Entry(nil), c.Dir.Entries()...)
			rep := checkAll(t, c, 1<<30)
			require.Empty(t, rep.InFlight)
			require.Equal(t, 2, reopens)
			t.Logf("%d moves, %d kills, %d reopens, %d shard-rounds with goods waiting; %d completed, %d refused",
				moves, kills, reopens, waited, rep.Completed, rep.Refused)

			c, err := OpenCluster(dir, reopenOpts, NewLoopback(n))
			require.NoError(t, err)
			defer c.Close()
			require.Equal(t, len(live), len(c.Dir.Entries()))
			for i, e := range c.Dir.Entries() {
				require.Equal(t, live[i].Addr, e.Addr, e.Key)
			}
		})
	}
}

// seedsFor returns the seeds given, or SHARD_SEEDS=n of them from the
// first (a longer hunt by hand).
func seedsFor(seeds ...uint64) []uint64 {
	if n, err := strconv.Atoi(os.Getenv("SHARD_SEEDS")); err == nil && n > 0 {
		seeds = seeds[:0]
		for i := range n {
			seeds = append(seeds, uint64(21+i))
		}
	}
	return seeds
}
