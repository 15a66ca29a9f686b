// Package lockstepdash shows a lockstep session on a live economy page
// (report.Dash.SetSession): it turns cluster/lockstep's peers and desync
// reports into the report package's Session, and watches a session's
// desync subject. It is apart from package report because it imports
// cluster/lockstep, and with it NATS, which cmd/tickecon must not.
package lockstepdash

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/lockstep"
	"github.com/tickecon/tickecon/report"
)

// Peers returns the host's peers as the page shows them.
func Peers(ps []lockstep.PeerInfo) []report.Peer {
	out := make([]report.Peer, len(ps))
	for i, p := range ps {
		out[i] = report.Peer{ID: p.ID, Agreed: p.Agreed, Live: p.Live, Desynced: p.Desynced}
	}
	return out
}

// Desync returns a desync report as the page shows it.
func Desync(r *lockstep.Report) report.Desync {
	d := report.Desync{Peer: r.Peer, Tick: r.Tick, Stage: r.Stage, Expected: r.ExpectedChecksum, Actual: r.ActualChecksum,
		Action: r.Action, DiffError: r.DiffError}
	for _, f := range r.Diffs {
		d.Diffs = append(d.Diffs, f.String())
	}
	return d
}

// Desyncs returns reports as the page shows them, the latest max (0: all).
func Desyncs(rs []lockstep.Report, max int) []report.Desync {
	if max > 0 && len(rs) > max {
		rs = rs[len(rs)-max:]
	}
	out := make([]report.Desync, len(rs))
	for i := range rs {
		out[i] = Desync(&rs[i])
	}
	return out
}

// MaxDesyncs bounds the reports a page shows (the latest).
const MaxDesyncs = 50

// Watch keeps the desync reports the host of session publishes (as JSON,
// on lockstep.SubjectReports) from now on, for a page away from the host,
// which cannot see the peers.
type Watch struct {
	session string
	sub     *nats.Subscription
	mu      sync.Mutex
	reports []report.Desync
	bad     int
}

// NewWatch subscribes to session's desync subject on nc.
func NewWatch(nc *nats.Conn, session string) (*Watch, error) {
	w := &Watch{session: session}
	sub, err := nc.Subscribe(lockstep.SubjectReports(session), func(m *nats.Msg) {
		var r lockstep.Report
		w.mu.Lock()
		defer w.mu.Unlock()
		if err := json.Unmarshal(m.Data, &r); err != nil {
			w.bad++
			return
		}
		w.reports = append(w.reports, Desync(&r))
		if len(w.reports) > MaxDesyncs {
			w.reports = slices.Delete(w.reports, 0, len(w.reports)-MaxDesyncs)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("subscribing to %s: %w", lockstep.SubjectReports(session), err)
	}
	w.sub = sub
	return w, nil
}

// Close unsubscribes.
func (w *Watch) Close() error { return w.sub.Unsubscribe() }

// Session is the page's session panel: the reports so far, no peers.
// Safe for concurrent use (report.Dash.SetSession calls it).
func (w *Watch) Session() *report.Session {
	w.mu.Lock()
	defer w.mu.Unlock()
	note := fmt.Sprintf("Desync reports as the host publishes them on %s, since this page started. Only the session's host knows its peers (a host's -dash shows them).",
		lockstep.SubjectReports(w.session))
	if w.bad > 0 {
		note += fmt.Sprintf(" %d message(s) on the subject were not reports and were skipped.", w.bad)
	}
	return &report.Session{Name: w.session, Note: note, NoPeers: true, Desyncs: slices.Clone(w.reports)}
}
