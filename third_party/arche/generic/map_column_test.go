package generic

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tickecon/tickecon/third_party/arche/ecs"
)

type columnItem struct {
	A, B int64
	Tag  []byte // holds a pointer: copies go through reflect
}

func TestMapNewBatchFromAndAppendAll(t *testing.T) {
	w := ecs.NewWorld(4)
	m := NewMap[columnItem](&w)
	other := NewMap[testStruct1](&w)
	f := w.Cache().Register(ecs.All(m.ID()))

	m.NewBatchFrom(nil) // nothing
	assert.Equal(t, 0, w.CountMatching(&f))
	assert.Equal(t, []columnItem{{A: 9}}, m.AppendAll([]columnItem{{A: 9}}, &f))

	vals := []columnItem{{1, 2, []byte("a")}, {3, 4, nil}, {5, 6, []byte("c")}}
	m.NewBatchFrom(vals)
	e := w.NewEntity(m.ID(), other.ID()) // a second archetype, visited after the first
	m.Get(e).A = 77

	prefix := []columnItem{{A: -1}}
	got := m.AppendAll(prefix, &f)
	require.Len(t, got, 5)
	assert.Equal(t, columnItem{A: -1}, got[0], "appends after what dst holds")
	assert.Equal(t, vals, got[1:4])
	assert.Equal(t, int64(77), got[4].A)

	buf := make([]columnItem, 0, 16)
	got = m.AppendAll(buf, &f)
	assert.Same(t, &buf[:1][0], &got[0], "no new array when dst has room")

	n := w.Batch().RemoveEntities(&f)
	assert.Equal(t, 4, n)
	assert.Empty(t, m.AppendAll(nil, &f))
}

func TestMapNewBatchSwap(t *testing.T) {
	w := ecs.NewWorld(4)
	m := NewMap[columnItem](&w)
	f := w.Cache().Register(ecs.All(m.ID()))
	buf := make([]columnItem, 0, 8)
	for round := 0; round < 4; round++ {
		buf = append(buf[:0], columnItem{A: int64(round)}, columnItem{B: 2, Tag: []byte("x")})
		want := append([]columnItem(nil), buf...)
		next := m.NewBatchSwap(buf)
		assert.Empty(t, next)
		assert.Equal(t, want, m.AppendAll(nil, &f))
		w.Batch().RemoveEntities(&f)
		buf = next
	}
	assert.Empty(t, m.NewBatchSwap(nil))
	assert.Equal(t, 0, w.CountMatching(&f))
}
