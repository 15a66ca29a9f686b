package ecs

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// columnWorlds builds two worlds with the same history of creations and
// removals (so that their entity pools hold the same recycled ids in the
// same order) and a few Position entities created in both.
func columnWorlds(t *testing.T) (a, b *World, posID ID) {
	t.Helper()
	mk := func() *World {
		w := NewWorld(8)
		pos := ComponentID[Position](&w)
		vel := ComponentID[Velocity](&w)
		w.Batch().New(50, pos)
		w.Batch().New(30, pos, vel)
		f := All(pos, vel).Exclusive()
		w.Batch().RemoveEntities(&f) // 30 ids to recycle
		for i := 0; i < 7; i++ {
			w.NewEntity(vel)
		}
		return &w
	}
	a, b = mk(), mk()
	return a, b, ComponentID[Position](a)
}

func entitiesOf(w *World, f Filter) []Entity {
	var out []Entity
	q := w.Query(f)
	for q.Next() {
		out = append(out, q.Entity())
	}
	return out
}

func TestNewColumnTakesIDsLikeBatchNewAndFillsValues(t *testing.T) {
	a, b, pos := columnWorlds(t)
	vals := make([]Position, 40) // more than the 23 recycled ids left
	for i := range vals {
		vals[i] = Position{X: i + 1, Y: -i}
	}
	a.Batch().NewColumn(pos, unsafe.Pointer(&vals[0]), len(vals))
	b.Batch().New(len(vals), pos)
	only := All(pos).Exclusive()
	q := b.Query(&only)
	for i := 0; q.Next(); i++ {
		if i >= 50 {
			*(*Position)(q.Get(pos)) = vals[i-50]
		}
	}

	ea, eb := entitiesOf(a, &only), entitiesOf(b, &only)
	require.Len(t, ea, 90)
	assert.Equal(t, eb, ea, "same ids and generations, in the same rows")
	for i, e := range ea[50:] {
		assert.Equal(t, vals[i], *(*Position)(a.Get(e, pos)))
		assert.Equal(t, *(*Position)(b.Get(e, pos)), *(*Position)(a.Get(e, pos)))
	}
	assert.Equal(t, b.entityPool.Available(), a.entityPool.Available())
	assert.Equal(t, b.entityPool.Len(), a.entityPool.Len())

	a.Batch().NewColumn(pos, nil, 0) // nothing
	assert.Equal(t, 90, a.CountMatching(&only))
}

func TestColumnRoundTripKeepsEntitySemantics(t *testing.T) {
	w := NewWorld(4)
	pos := ComponentID[Position](&w)
	only := All(pos).Exclusive()
	cached := w.Cache().Register(&only)
	var dead []Entity
	for tick := 0; tick < 5; tick++ {
		vals := make([]Position, 100+tick*37)
		for i := range vals {
			vals[i] = Position{X: tick, Y: i}
		}
		w.Batch().NewColumn(pos, unsafe.Pointer(&vals[0]), len(vals))
		live := entitiesOf(&w, &cached)
		require.Len(t, live, len(vals))
		for _, e := range dead {
			assert.False(t, w.Alive(e), "a removed entity stays dead after its id is reused")
		}
		got := make([]Position, w.CountMatching(&cached))
		require.Equal(t, len(vals), w.CopyColumn(&cached, pos, unsafe.Pointer(&got[0])))
		assert.Equal(t, vals, got)
		assert.Equal(t, len(vals), w.Batch().RemoveEntities(&cached))
		for _, e := range live {
			assert.False(t, w.Alive(e))
		}
		dead = append(dead, live...)
		assert.Equal(t, 0, w.entityPool.Len())
		assert.Equal(t, len(vals), w.entityPool.Available(), "every id is back in the pool")
	}
}

func TestCopyColumnFollowsQueryOrderAcrossArchetypes(t *testing.T) {
	w := NewWorld(4)
	pos := ComponentID[Position](&w)
	vel := ComponentID[Velocity](&w)
	n := 0
	set := func(e Entity) { n++; *(*Position)(w.Get(e, pos)) = Position{X: n} }
	for i := 0; i < 10; i++ {
		set(w.NewEntity(pos))
		set(w.NewEntity(pos, vel))
	}
	w.NewEntity(vel) // matches neither filter below
	w.RemoveEntity(entitiesOf(&w, All(pos))[3])

	for _, f := range []Filter{All(pos), w.Cache().Register(All(pos)).filter} {
		var want []Position
		q := w.Query(f)
		for q.Next() {
			want = append(want, *(*Position)(q.Get(pos)))
		}
		require.Len(t, want, 19)
		assert.Equal(t, 19, w.CountMatching(f))
		got := make([]Position, 19)
		assert.Equal(t, 19, w.CopyColumn(f, pos, unsafe.Pointer(&got[0])))
		assert.Equal(t, want, got)
	}
	assert.Panics(t, func() {
		var buf [20]Velocity
		w.CopyColumn(All(), vel, unsafe.Pointer(&buf[0])) // pos-only entities lack vel
	})
}

func TestNewColumnNotifiesAfterValuesAreSet(t *testing.T) {
	w := NewWorld(4)
	pos := ComponentID[Position](&w)
	var seen []Position
	l := newTestListener(func(w *World, e EntityEvent) {
		seen = append(seen, *(*Position)(w.Get(e.Entity, pos)))
	})
	w.SetListener(&l)
	vals := []Position{{X: 1}, {X: 2}, {X: 3}}
	w.Batch().NewColumn(pos, unsafe.Pointer(&vals[0]), len(vals))
	assert.Equal(t, vals, seen)

	q := w.Query(All())
	assert.Panics(t, func() { w.Batch().NewColumn(pos, unsafe.Pointer(&vals[0]), 1) }, "locked world")
	q.Close()
}

func TestNewColumnAndCopyColumnKeepPointersAliveThroughGC(t *testing.T) {
	w := NewWorld(4)
	sl := ComponentID[withSlice](&w)
	const n = 300
	vals := make([]withSlice, n)
	for i := range vals {
		vals[i] = withSlice{Slice: []int{i, i * 2}}
	}
	w.Batch().NewColumn(sl, unsafe.Pointer(&vals[0]), n)
	clear(vals) // the world's copies are the only references left
	runtime.GC()
	runtime.GC()
	junk := make([][]int, 0, 1000)
	for i := 0; i < 1000; i++ { // reuse any memory freed by mistake
		junk = append(junk, []int{-1, -1})
	}
	out := make([]withSlice, n)
	require.Equal(t, n, w.CopyColumn(All(sl), sl, unsafe.Pointer(&out[0])))
	for i, v := range out {
		require.Equal(t, []int{i, i * 2}, v.Slice)
	}
	assert.Len(t, junk, 1000)
}

func TestResetAfterBurstLeavesZeroStorage(t *testing.T) {
	w := NewWorld(4)
	pos := ComponentID[Position](&w)
	sl := ComponentID[withSlice](&w)
	both := All(pos, sl).Exclusive()
	for _, burst := range []int{1000, 40, 200} { // > 64 and ≤ 64 rows: both Reset paths
		q := w.Batch().NewQ(burst, pos, sl)
		for q.Next() {
			*(*Position)(q.Get(pos)) = Position{X: 7, Y: 7}
			(*withSlice)(q.Get(sl)).Slice = []int{7}
		}
		w.Batch().RemoveEntities(&both)
		// New entities after the removal (fewer, then more than the
		// burst) must see zero components, in every row of the capacity.
		q = w.Batch().NewQ(burst+10, pos, sl)
		for q.Next() {
			require.Equal(t, Position{}, *(*Position)(q.Get(pos)))
			require.Nil(t, (*withSlice)(q.Get(sl)).Slice)
		}
		w.Batch().RemoveEntities(&both)
	}
}

func TestNewColumnSwapTakesTheBufferOverAndKeepsSemantics(t *testing.T) {
	a, b, pos := columnWorlds(t)
	only := All(pos).Exclusive()
	// Empty the Position-only archetype in both worlds so a swap can happen.
	a.Batch().RemoveEntities(&only)
	b.Batch().RemoveEntities(&only)

	buf := make([]Position, 64)
	for i := range buf {
		buf[i] = Position{X: -1, Y: -1} // stale rows the swap must clear
	}
	var dead []Entity
	for tick, n := range []int{40, 64, 10, 33} {
		buf = buf[:0]
		for i := 0; i < n; i++ {
			buf = append(buf, Position{X: tick, Y: i + 1})
		}
		want := append([]Position(nil), buf...)
		arr := unsafe.Pointer(unsafe.SliceData(buf))
		p, c := a.Batch().NewColumnSwap(pos, arr, cap(buf), len(buf))
		assert.NotEqual(t, arr, p, "the archetype was empty: its column is swapped, not copied")
		next := unsafe.Slice((*Position)(p), c)
		for i, v := range next {
			require.Equal(t, Position{}, v, "returned storage is zero (row %d)", i)
		}
		b.Batch().New(n, pos)

		ea, eb := entitiesOf(a, &only), entitiesOf(b, &only)
		require.Equal(t, eb, ea, "same ids and generations as Batch.New")
		got := make([]Position, n)
		require.Equal(t, n, a.CopyColumn(&only, pos, unsafe.Pointer(&got[0])))
		require.Equal(t, want, got)
		for _, e := range dead {
			assert.False(t, a.Alive(e))
		}
		// Rows beyond the new entities must be zero: the next plain
		// creations in this archetype get them.
		if c > n {
			q := a.Batch().NewQ(c-n, pos)
			for q.Next() {
				require.Equal(t, Position{}, *(*Position)(q.Get(pos)))
			}
			b.Batch().New(c-n, pos) // the same history in both worlds
		}
		dead = append(dead, entitiesOf(a, &only)...)
		a.Batch().RemoveEntities(&only)
		b.Batch().RemoveEntities(&only)
		buf = next[:0]
	}
}

func TestNewColumnSwapCopiesWhenItCannotSwap(t *testing.T) {
	w := NewWorld(4)
	pos := ComponentID[Position](&w)
	only := All(pos).Exclusive()
	w.NewEntity(pos) // a live entity in the archetype: no swap
	vals := []Position{{X: 1}, {X: 2}}
	arr := unsafe.Pointer(&vals[0])
	p, c := w.Batch().NewColumnSwap(pos, arr, cap(vals), len(vals))
	assert.Equal(t, arr, p)
	assert.Equal(t, cap(vals), c)
	assert.Equal(t, 3, w.CountMatching(&only))
	w.Batch().RemoveEntities(&only)

	big := make([]Position, 3, 5000) // clearing it would cost more than copying 3
	big[0].X = 9
	arr = unsafe.Pointer(&big[0])
	p, c = w.Batch().NewColumnSwap(pos, arr, cap(big), len(big))
	assert.Equal(t, arr, p)
	assert.Equal(t, 5000, c)
	got := make([]Position, 3)
	w.CopyColumn(&only, pos, unsafe.Pointer(&got[0]))
	assert.Equal(t, big[:3], got)

	p, c = w.Batch().NewColumnSwap(pos, arr, 5, 0)
	assert.Equal(t, arr, p, "nothing to create")
	assert.Equal(t, 5, c)
	assert.Panics(t, func() { w.Batch().NewColumnSwap(pos, arr, 2, 3) })
}

func TestNewColumnSwapKeepsPointersAliveThroughGC(t *testing.T) {
	w := NewWorld(4)
	sl := ComponentID[withSlice](&w)
	buf := make([]withSlice, 0, 300)
	for round := 0; round < 3; round++ {
		buf = buf[:0]
		for i := 0; i < 250; i++ {
			buf = append(buf, withSlice{Slice: []int{round, i}})
		}
		p, c := w.Batch().NewColumnSwap(sl, unsafe.Pointer(unsafe.SliceData(buf)), cap(buf), len(buf))
		buf = unsafe.Slice((*withSlice)(p), c)[:0] // the world owns the old array now
		runtime.GC()
		runtime.GC()
		junk := make([][]int, 0, 1000)
		for i := 0; i < 1000; i++ {
			junk = append(junk, []int{-1, -1})
		}
		out := make([]withSlice, 250)
		require.Equal(t, 250, w.CopyColumn(All(sl), sl, unsafe.Pointer(&out[0])))
		for i, v := range out {
			require.Equal(t, []int{round, i}, v.Slice)
		}
		assert.Len(t, junk, 1000)
		f := All(sl)
		w.Batch().RemoveEntities(f)
	}
}
