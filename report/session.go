package report

import (
	"fmt"
	"strconv"
)

// Session is what a live page shows of a lockstep session (Dash.SetSession):
// its peers as the host sees them and the desync reports so far. The
// package knows nothing of NATS or cluster/lockstep: the caller (a demo
// host, tickecon-relay dash) fills it from lockstep's Host.Peers, Host.Reports or
// the session's desync subject.
type Session struct {
	Name string
	// Note, if set, is shown under the heading (e.g. where the peers come
	// from, or that only the host knows them).
	Note    string
	Peers   []Peer
	NoPeers bool // the source cannot see peers (only desync reports): no peers table
	Desyncs []Desync
}

// Peer is one peer of a lockstep session.
type Peer struct {
	ID       string
	Agreed   uint64 // ticks verified: the peer agreed up to tick Agreed-1
	Live     bool   // holds the session back
	Desynced bool   // dropped after a desync, resyncing
}

// State renders the peer's state in a word or three.
func (p Peer) State() string {
	switch {
	case p.Desynced:
		return "DESYNCED (resyncing)"
	case !p.Live:
		return "away"
	case p.Agreed == 0:
		return "joining"
	}
	return "in step"
}

// AgreedTo renders the last tick the peer agreed on ("—" before one).
func (p Peer) AgreedTo() string {
	if p.Agreed == 0 {
		return "—"
	}
	return strconv.FormatUint(p.Agreed-1, 10)
}

// Desync is one desync report: the first tick and stage whose checksums
// differed between the host and a peer, and the state diff.
type Desync struct {
	Peer             string
	Tick             uint64
	Stage            string
	Expected, Actual string // checksums (hex)
	Action           string
	Diffs            []string // field differences, host (expected) vs peer (actual)
	DiffError        string
}

// maxDiffs bounds the diff lines a desync shows on the page.
const maxDiffs = 12

// ShownDiffs returns the diff lines the page shows (at most maxDiffs).
func (d Desync) ShownDiffs() []string { return d.Diffs[:min(len(d.Diffs), maxDiffs)] }

// MoreDiffs says how many diff lines the page leaves out ("" if none).
func (d Desync) MoreDiffs() string {
	if len(d.Diffs) <= maxDiffs {
		return ""
	}
	return fmt.Sprintf("… and %d more", len(d.Diffs)-maxDiffs)
}

const sessionHTML = `{{define "session"}}<h2>Lockstep session {{.Name}}</h2>
{{with .Note}}<p class="note">{{.}}</p>{{end}}
{{if not .NoPeers}}<table id="peers">
<tr><th>peer</th><th>state</th><th>agreed up to tick</th></tr>
{{range .Peers}}<tr class="peer" data-peer="{{.ID}}" data-agreed="{{.Agreed}}"><td>{{.ID}}</td><td>{{.State}}</td><td>{{.AgreedTo}}</td></tr>
{{else}}<tr><td colspan="3">no peers yet</td></tr>
{{end}}</table>{{end}}
<h3>Desync reports</h3>
{{range .Desyncs}}<div class="bad desync" data-peer="{{.Peer}}" data-tick="{{.Tick}}"><b>DESYNC: peer {{.Peer}} at tick {{.Tick}}{{with .Stage}}, stage {{.}}{{end}}</b>
— checksum expected {{.Expected}}, actual {{.Actual}}; {{.Action}}
{{with .DiffError}}<br>no state diff: {{.}}{{end}}
<ul>{{range .ShownDiffs}}<li><code>{{.}}</code></li>{{end}}{{with .MoreDiffs}}<li>{{.}}</li>{{end}}</ul></div>
{{else}}<p class="note" id="no-desyncs">None so far: every peer's checksums agree with the host's.</p>
{{end}}{{end}}`
