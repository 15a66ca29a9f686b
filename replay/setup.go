package replay

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// The systems names a log's Setup can hold.
const (
	SystemsCore     = "core"     // systems.Install
	SystemsCommerce = "commerce" // systems.InstallCommerce with a systems.Config
)

// CoreSetup is the Setup of a world made with systems.Install, for
// ticklog.Options.Setup.
func CoreSetup() ticklog.Setup { return ticklog.Setup{Systems: SystemsCore} }

// CommerceSetup is the Setup of a world made with
// systems.InstallCommerce(w, cfg), for ticklog.Options.Setup.
func CommerceSetup(cfg systems.Config) ticklog.Setup {
	raw, _ := json.Marshal(cfg) // plain integers: cannot fail
	return ticklog.Setup{Systems: SystemsCommerce, Config: raw}
}

// SetupError is a log Setup this build cannot rebuild a world for.
type SetupError struct {
	Systems string
	Msg     string
}

// Error implements error.
func (e *SetupError) Error() string {
	return fmt.Sprintf("replay: cannot rebuild the world of systems %q: %s", e.Systems, e.Msg)
}

// NewWorld returns a function making fresh worlds with the systems and
// configuration a log's Setup names (its header's), so a recorded session
// is replayed on the world it ran on. Unknown systems or a configuration
// that does not parse are a *SetupError.
func NewWorld(s ticklog.Setup) (func() *ecs.World, error) {
	switch s.Systems {
	case SystemsCore, "":
		if len(s.Config) > 0 && string(s.Config) != "null" {
			return nil, &SetupError{s.Systems, "the core systems take no configuration"}
		}
		return func() *ecs.World {
			w := ecs.New()
			systems.Install(w)
			return w
		}, nil
	case SystemsCommerce:
		var cfg systems.Config
		d := json.NewDecoder(bytes.NewReader(s.Config))
		d.DisallowUnknownFields()
		if err := d.Decode(&cfg); err != nil {
			return nil, &SetupError{s.Systems, "configuration: " + err.Error()}
		}
		return func() *ecs.World {
			w := ecs.New()
			systems.InstallCommerce(w, cfg)
			return w
		}, nil
	}
	return nil, &SetupError{s.Systems, fmt.Sprintf("this build knows %q and %q", SystemsCore, SystemsCommerce)}
}
