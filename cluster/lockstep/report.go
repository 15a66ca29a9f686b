package lockstep

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tickecon/tickecon/replay"
)

// Report is a desync report: the first tick at which a peer's checksum
// differed from the host's, the stage (system) whose checksum first
// differed, and the state diff between the host and the peer, by stable
// id, component and field. The host writes it to Config.Console, to a file
// in Config.ReportDir and, as JSON, to SubjectReports(session).
type Report struct {
	Session          string             `json:"session"`
	Peer             string             `json:"peer"`
	Tick             uint64             `json:"tick"`        // first tick whose checksums differ
	Stage            string             `json:"stage"`       // first stage whose checksum differs ("" if stages were off)
	ExpectedChecksum string             `json:"expected"`    // host's checksum after Stage (hex)
	ActualChecksum   string             `json:"actual"`      // peer's
	DetectedAt       uint64             `json:"detected_at"` // the tick the host was about to run when the mismatch arrived
	StateTick        uint64             `json:"state_tick"`  // the state diff is of the states after this tick
	Diffs            []replay.FieldDiff `json:"diffs"`       // host (expected) vs peer (actual); empty if the states could not be compared
	DiffError        string             `json:"diff_error,omitempty"`
	Action           string             `json:"action"` // "dropped (resyncs from a snapshot)" or "halted"
	File             string             `json:"file,omitempty"`
}

// String renders the report for a terminal or a report file.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "DESYNC session %s, peer %s, at tick %d", r.Session, r.Peer, r.Tick)
	if r.Stage != "" {
		fmt.Fprintf(&b, ", stage %s", r.Stage)
	}
	fmt.Fprintf(&b, ": checksum expected %s, actual %s (detected before host tick %d)\n", r.ExpectedChecksum, r.ActualChecksum, r.DetectedAt)
	switch {
	case r.DiffError != "":
		fmt.Fprintf(&b, "  no state diff: %s\n", r.DiffError)
	case len(r.Diffs) == 0:
		fmt.Fprintf(&b, "  the states after tick %d agree field by field\n", r.StateTick)
	default:
		fmt.Fprintf(&b, "  state diff after tick %d (expected: host, actual: peer):\n", r.StateTick)
		for _, d := range r.Diffs {
			fmt.Fprintf(&b, "    %s\n", d)
		}
	}
	fmt.Fprintf(&b, "  action: %s\n", r.Action)
	return b.String()
}

// writeFile writes the report into dir atomically (temp file in the same
// directory, fsync, rename) and returns its path.
func (r *Report) writeFile(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("desync-%s-%s-t%d.txt", r.Session, r.Peer, r.Tick))
	f, err := os.CreateTemp(dir, ".desync-*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	_, err = f.WriteString(r.String())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // the rename itself survives a crash
		d.Close()
	}
	return path, nil
}
