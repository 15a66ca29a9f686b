package ecs_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
)

// A game's own setup, registered by name, is what Setup.Worlds builds: the
// configuration reaches its SetupFunc, whose refusal is a *SetupError
// naming the setup. Unknown names are a *SetupError listing the known
// ones; registering a name twice is a programming error.
func TestRegisteredSetupsRebuildWorlds(t *testing.T) {
	var got json.RawMessage
	ecs.RegisterSetup("test-market", func(config json.RawMessage) (func() *ecs.World, error) {
		got = config
		if string(config) == `"bad"` {
			return nil, errors.New("bad configuration")
		}
		return func() *ecs.World {
			w := ecs.New()
			w.AddSystem(&countSystem{})
			return w
		}, nil
	})
	newWorld, err := ecs.Setup{Systems: "test-market", Config: json.RawMessage(`{"fee":3}`)}.Worlds()
	require.NoError(t, err)
	assert.JSONEq(t, `{"fee":3}`, string(got))
	w := newWorld()
	require.Len(t, w.Systems(), 1)
	assert.NotSame(t, w, newWorld(), "fresh worlds")

	_, err = ecs.Setup{Systems: "test-market", Config: json.RawMessage(`"bad"`)}.Worlds()
	var se *ecs.SetupError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "test-market", se.Systems)
	assert.Contains(t, err.Error(), "bad configuration")

	_, err = ecs.Setup{Systems: "nowhere"}.Worlds()
	require.ErrorAs(t, err, &se)
	assert.Contains(t, err.Error(), `"nowhere"`)
	assert.Contains(t, err.Error(), `"test-market"`, "the known setups are listed")

	assert.Panics(t, func() {
		ecs.RegisterSetup("test-market", func(json.RawMessage) (func() *ecs.World, error) { return nil, nil })
	})
	assert.Panics(t, func() { ecs.RegisterSetup("", nil) })
}

type countSystem struct{ n int }

func (s *countSystem) Name() string        { return "count" }
func (s *countSystem) Update(w *ecs.World) { s.n++ }
