package systems_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
)

// Importing systems registers its setups: the zero Setup and CoreSetup
// build the core systems, CommerceSetup the commerce ones with the same
// configuration, and a configuration with an unknown field is refused.
func TestSystemsRegistersItsSetups(t *testing.T) {
	names := func(s ecs.Setup) []string {
		newWorld, err := s.Worlds()
		require.NoError(t, err)
		var out []string
		for _, sys := range newWorld().Systems() {
			out = append(out, sys.Name())
		}
		return out
	}
	core := ecs.New()
	systems.Install(core)
	commerce := ecs.New()
	systems.InstallCommerce(commerce, systems.DefaultConfig)
	want := func(w *ecs.World) []string {
		var out []string
		for _, sys := range w.Systems() {
			out = append(out, sys.Name())
		}
		return out
	}
	assert.Equal(t, want(core), names(ecs.Setup{}))
	assert.Equal(t, want(core), names(systems.CoreSetup()))
	assert.Equal(t, want(commerce), names(systems.CommerceSetup(systems.DefaultConfig)))

	var se *ecs.SetupError
	_, err := ecs.Setup{Systems: systems.SetupCommerce, Config: json.RawMessage(`{"Bogus":1}`)}.Worlds()
	require.ErrorAs(t, err, &se)
	_, err = ecs.Setup{Systems: systems.SetupCore, Config: json.RawMessage(`{"IdempotencyWindow":1}`)}.Worlds()
	require.ErrorAs(t, err, &se, "the core systems take no configuration")
}
