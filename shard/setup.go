package shard

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/tickecon/tickecon/ecs"
)

// SetupName is the name this package registers its setup under
// (ecs.RegisterSetup), so that `tickecon verify` rebuilds a shard's world
// from its log's header. Importing the package registers it.
const SetupName = "shard"

// Setup is the ecs.Setup of a world made with Install(w, cfg), for
// ticklog.Options.Setup.
func Setup(cfg Config) ecs.Setup {
	raw, _ := json.Marshal(cfg) // plain integers: cannot fail
	return ecs.Setup{Systems: SetupName, Config: raw}
}

// NewWorld returns a fresh world installed as shard cfg.Shard.
func NewWorld(cfg Config) (*ecs.World, *System, error) {
	w := ecs.New()
	s, err := Install(w, cfg)
	if err != nil {
		return nil, nil, err
	}
	return w, s, nil
}

func init() {
	ecs.RegisterSetup(SetupName, func(config json.RawMessage) (func() *ecs.World, error) {
		var cfg Config
		d := json.NewDecoder(bytes.NewReader(config))
		d.DisallowUnknownFields()
		if err := d.Decode(&cfg); err != nil {
			return nil, errors.New("configuration: " + err.Error())
		}
		if _, _, err := NewWorld(cfg); err != nil {
			return nil, err
		}
		return func() *ecs.World {
			w, _, _ := NewWorld(cfg) // checked above
			return w
		}, nil
	})
}
