package ecs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Setup names the systems a world runs with and their configuration, so
// that a tool can build the same world again: a replay log's header holds
// one (ticklog.Options.Setup), and replay rebuilds the recorded world from
// it (Setup.Worlds). The zero Setup is the core systems.
type Setup struct {
	// Systems is the name the setup is registered under (RegisterSetup):
	// package systems registers "core" (systems.Install) and "commerce"
	// (systems.InstallCommerce); "" reads as "core".
	Systems string `json:"systems"`
	// Config is the JSON of the systems' configuration (systems.Config
	// for "commerce"), empty for "core".
	Config json.RawMessage `json:"config,omitempty"`
}

// SetupFunc turns a Setup's Config into a function making fresh, empty
// worlds with the setup's systems installed, or returns an error when the
// configuration does not parse.
type SetupFunc func(config json.RawMessage) (func() *World, error)

// SetupError is a Setup this program cannot build a world for: no setup is
// registered under its name, or its configuration does not parse.
type SetupError struct {
	Systems string // the setup's name
	Msg     string // what is wrong: the name unknown, or the configuration refused
}

// Error implements error.
func (e *SetupError) Error() string {
	return fmt.Sprintf("cannot rebuild the world of systems %q: %s", e.Systems, e.Msg)
}

// The registered setups. Registration happens at start-up (init) and
// lookups at any time, from any goroutine.
var (
	setupsMu sync.RWMutex
	setups   = map[string]SetupFunc{}
)

// RegisterSetup makes the setup named name known to Setup.Worlds, and so
// to replay and the command-line tool. Package systems registers "core"
// and "commerce" in its init (importing it is enough); a game with systems
// of its own registers a SetupFunc for them, in an init, and records its
// logs with Setup{Systems: name, Config: …}. Like database/sql.Register it
// panics when name is empty or already registered, or fn is nil: a
// programming error, found when the program starts.
func RegisterSetup(name string, fn SetupFunc) {
	if name == "" || fn == nil {
		panic("ecs: RegisterSetup needs a name and a function")
	}
	setupsMu.Lock()
	defer setupsMu.Unlock()
	if _, dup := setups[name]; dup {
		panic(fmt.Sprintf("ecs: RegisterSetup called twice for %q", name))
	}
	setups[name] = fn
}

// Worlds returns a function making fresh worlds with s's systems and
// configuration, so that a recorded session is replayed on the world it
// ran on. A name that no RegisterSetup made known, or a configuration its
// SetupFunc refuses, is a *SetupError.
func (s Setup) Worlds() (func() *World, error) {
	name := s.Systems
	if name == "" {
		name = "core"
	}
	setupsMu.RLock()
	fn := setups[name]
	known := make([]string, 0, len(setups))
	for n := range setups {
		known = append(known, fmt.Sprintf("%q", n))
	}
	setupsMu.RUnlock()
	if fn == nil {
		slices.Sort(known)
		msg := `no setup of that name is registered: import _ "github.com/tickecon/tickecon/systems" (it registers "core" and "commerce"), or RegisterSetup your own`
		if len(known) > 0 {
			msg = fmt.Sprintf("this program knows %s", strings.Join(known, ", "))
		}
		return nil, &SetupError{Systems: name, Msg: msg}
	}
	newWorld, err := fn(s.Config)
	if err != nil {
		return nil, &SetupError{Systems: name, Msg: err.Error()}
	}
	return newWorld, nil
}
