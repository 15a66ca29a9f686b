package ecs

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

func TestEntityRecords(t *testing.T) {
	w := NewWorld()
	posID := ComponentID[Position](&w)
	e := w.NewEntity(posID)
	alive, loc := w.EntityRecords(e)
	assert.Equal(t, unsafe.Pointer(&w.entityPool.entities[e.id]), alive)
	assert.Equal(t, unsafe.Pointer(&w.entities[e.id]), loc)
	alive, loc = w.EntityRecords(Entity{id: 1 << 20})
	assert.Nil(t, alive)
	assert.Nil(t, loc)
}
