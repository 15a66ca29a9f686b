package lockstep

// The session's setup: a host given Config.Setup records the setup's
// fingerprint (ecs.Setup.Fingerprint) in its frame stream's metadata, so
// that a FrameSource with another setup is refused before a relay
// publishes any tick. Without it the only check is the checksums, which a
// world with the same systems and another configuration passes until the
// configuration first matters (a settlement day of another length: the
// ticks before it were published, then the relay stopped).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/ecs"
)

// Frame stream metadata of a session whose host was given Config.Setup.
const (
	metaEconomy = "tickecon.lockstep_economy" // the setup's fingerprint
	metaSetup   = "tickecon.lockstep_setup"   // the setup as JSON (left out if longer than maxSetupMeta)
)

// maxSetupMeta bounds the setup JSON kept in the stream's metadata (the
// fingerprint is always kept): the JSON only makes the refusal readable.
const maxSetupMeta = 2048

// SetupMismatchError is a FrameSource (FrameSourceConfig.Setup) or a
// Replica (ReplicaConfig.Host.Setup) whose setup is not the one the
// session's host recorded (Config.Setup): the source read and published
// nothing; the replica stopped standing by and never hosts. It matches
// bus.ErrPermanent.
type SetupMismatchError struct {
	Session string
	// The session's fingerprint and setup JSON ("" if its host did not
	// record it: too long), then the source's.
	Economy, Setup       string
	OurEconomy, OurSetup string
}

func (e *SetupMismatchError) Error() string {
	theirs, ours := e.Economy, e.OurEconomy
	if e.Setup != "" {
		theirs = e.Setup + " (" + e.Economy + ")"
	}
	if e.OurSetup != "" {
		ours = e.OurSetup + " (" + e.OurEconomy + ")"
	}
	return fmt.Sprintf("lockstep: session %s runs setup %s, not %s: refused (nothing relayed, never hosted)", e.Session, theirs, ours)
}

// Is makes errors.Is(err, bus.ErrPermanent) hold.
func (e *SetupMismatchError) Is(target error) bool { return target == bus.ErrPermanent }

// worldsOf sets *newWorld from setup when it is nil and setup is given.
func worldsOf(setup *ecs.Setup, newWorld *func() *ecs.World) error {
	if *newWorld != nil || setup == nil {
		return nil
	}
	nw, err := setup.Worlds()
	if err != nil {
		return fmt.Errorf("lockstep: %w", err)
	}
	*newWorld = nw
	return nil
}

// setupJSON is setup as JSON with its name defaulted ("core").
func setupJSON(s ecs.Setup) string {
	if s.Systems == "" {
		s.Systems = "core"
	}
	raw, err := json.Marshal(s)
	if err != nil { // a Config that is not JSON
		return ""
	}
	return string(raw)
}

// withSetup adds setup's fingerprint and JSON to a frame stream's
// metadata (md unchanged without a setup).
func withSetup(md map[string]string, setup *ecs.Setup) map[string]string {
	if setup == nil {
		return md
	}
	md[metaEconomy] = setup.Fingerprint()
	if js := setupJSON(*setup); len(js) <= maxSetupMeta {
		md[metaSetup] = js
	}
	return md
}

// CheckSetup reads the session's recorded setup and compares it with the
// source's (FrameSourceConfig.Setup): a *SetupMismatchError if they
// differ, an error matching ErrNoSession if the session is not there
// yet. recorded is false for a session whose host recorded no setup (made
// before hosts recorded it, or without Config.Setup) and for a source
// without one: then only the checksums check the source's world, as the
// ticks run (DisagreeError). Seek calls it before it reads anything else;
// a relay tool calls it first to refuse before it creates the world's
// event streams.
func (f *FrameSource) CheckSetup(ctx context.Context) (recorded bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	md, err := sessionMetadata(ctx, f.js, f.cfg.Session)
	if err != nil {
		return false, err
	}
	f.setupChecked = true
	return compareSetup(f.cfg.Session, md, f.cfg.Setup)
}

// checkSetupOnce is CheckSetup on the first Seek that finds the session.
func (f *FrameSource) checkSetupOnce(ctx context.Context) error {
	if f.setupChecked {
		return nil
	}
	_, err := f.CheckSetup(ctx)
	if errors.Is(err, ErrNoSession) {
		return nil // Seek says so
	}
	return err
}

// sessionMetadata is the session's frame stream metadata (an error
// matching ErrNoSession if it is not there).
func sessionMetadata(ctx context.Context, js jetstream.JetStream, session string) (map[string]string, error) {
	st, err := js.Stream(ctx, streamName(session))
	if err != nil {
		return nil, noSession(session, err)
	}
	return st.CachedInfo().Config.Metadata, nil
}

// compareSetup compares ours with the setup recorded in md: recorded is
// false when either is missing; a *SetupMismatchError when they differ.
func compareSetup(session string, md map[string]string, ours *ecs.Setup) (recorded bool, err error) {
	theirs := md[metaEconomy]
	if theirs == "" || ours == nil {
		return false, nil
	}
	if fp := ours.Fingerprint(); fp != theirs {
		return true, &SetupMismatchError{Session: session, Economy: theirs, Setup: md[metaSetup],
			OurEconomy: fp, OurSetup: setupJSON(*ours)}
	}
	return true, nil
}

// RecordedSetup returns the setup session's host recorded (Config.Setup),
// for a relay or a tool that was not told the session's systems. ok is
// false when the host recorded none (made before hosts recorded it,
// without Config.Setup, or a setup too long to keep beside its
// fingerprint); the error matches ErrNoSession if the session is not
// there.
func RecordedSetup(ctx context.Context, nc *nats.Conn, session string) (s ecs.Setup, ok bool, err error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return s, false, fmt.Errorf("lockstep: %w", err)
	}
	md, err := sessionMetadata(ctx, js, session)
	if err != nil {
		return s, false, err
	}
	raw := md[metaSetup]
	if raw == "" {
		return s, false, nil
	}
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return s, false, fmt.Errorf("lockstep: session %s: its recorded setup: %w", session, err)
	}
	if s.Fingerprint() != md[metaEconomy] { // kept side by side: a stream edited by hand
		return s, false, fmt.Errorf("lockstep: session %s: its recorded setup %s does not have the recorded fingerprint %s", session, raw, md[metaEconomy])
	}
	return s, true, nil
}
