package systems

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/tickecon/tickecon/ecs"
)

// The names this package registers its setups under (ecs.RegisterSetup),
// as a log's header records them (ecs.Setup.Systems).
const (
	SetupCore     = "core"     // Install
	SetupCommerce = "commerce" // InstallCommerce with a Config
)

// CoreSetup is the Setup of a world made with Install, for
// ticklog.Options.Setup.
func CoreSetup() ecs.Setup { return ecs.Setup{Systems: SetupCore} }

// CommerceSetup is the Setup of a world made with InstallCommerce(w, cfg),
// for ticklog.Options.Setup.
func CommerceSetup(cfg Config) ecs.Setup {
	raw, _ := json.Marshal(cfg) // plain integers: cannot fail
	return ecs.Setup{Systems: SetupCommerce, Config: raw}
}

// Importing this package registers its setups, so that replay and the
// command-line tool rebuild a recorded world from its log's header
// without replay importing systems.
func init() {
	ecs.RegisterSetup(SetupCore, func(config json.RawMessage) (func() *ecs.World, error) {
		if len(config) > 0 && string(config) != "null" {
			return nil, errors.New("the core systems take no configuration")
		}
		return func() *ecs.World {
			w := ecs.New()
			Install(w)
			return w
		}, nil
	})
	ecs.RegisterSetup(SetupCommerce, func(config json.RawMessage) (func() *ecs.World, error) {
		var cfg Config
		d := json.NewDecoder(bytes.NewReader(config))
		d.DisallowUnknownFields()
		if err := d.Decode(&cfg); err != nil {
			return nil, errors.New("configuration: " + err.Error())
		}
		if cfg.ChecksumVersion > CurrentChecksumVersion { // a newer build's log: its checksums are not ours
			return nil, errors.New("configuration: checksum version " +
				strconv.Itoa(int(cfg.ChecksumVersion)) + " is newer than this build's")
		}
		return func() *ecs.World {
			w := ecs.New()
			InstallCommerce(w, cfg)
			return w
		}, nil
	})
}
