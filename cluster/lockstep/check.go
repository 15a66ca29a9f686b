package lockstep

// Desync checks: every peer checksum against the host's, and the report
// when one differs.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/replay"
)

// onSum compares a peer's checksums of one tick with the host's.
func (h *Host) onSum(m *nats.Msg, peer string) {
	p, ok := h.peers[peer]
	if !ok {
		h.refuse(m, peer, "checksum from a peer that has not joined")
		return
	}
	r, err := decode(msgSum, h.cfg.Session, m.Data)
	if err != nil {
		h.refuse(m, peer, "checksum: "+err.Error())
		return
	}
	if p.desynced {
		return // dropped: waiting for its hello after the resync
	}
	if r.Tick != p.next {
		h.refuse(m, peer, fmt.Sprintf("checksum for tick %d, expected tick %d", r.Tick, p.next))
		return
	}
	if r.Tick >= h.w.NextTick() {
		h.refuse(m, peer, fmt.Sprintf("checksum for tick %d, which the host has not run (at %d)", r.Tick, h.w.NextTick()))
		return
	}
	p.next, p.lastSeen = r.Tick+1, time.Now()
	if !p.live && !p.left {
		p.live = true
		h.say("peer %s reporting again at tick %d\n", peer, r.Tick)
	}
	if h.lease != nil && r.Tick >= h.commitTo {
		// A replicated world's peer ran the frame the stream stored for
		// this tick, which is this host's only once its ack says so: a
		// host deposed a moment ago (a successor's frame of the tick
		// stored, its own refused, the refusal not read yet) would take
		// the successor's history for the peer's desync — a false report,
		// and a resync sent to a peer that is right. Compared on commit.
		h.hold(p, &r)
		return
	}
	h.verify(p, &r)
}

// heldSum is a peer's checksum of a tick whose frame is not committed yet
// (Failover): compared when it is, dropped if the host is deposed first.
type heldSum struct {
	peer     *peerState
	gen      uint64 // the peer's hello count then: a report of a world it has left since is not compared
	tick     uint64
	checksum uint64
	stages   []uint64
}

// hold keeps a peer's report until its tick is committed; the held
// reports' stage slices are reused.
func (h *Host) hold(p *peerState, r *ecs.TickRecord) {
	n := len(h.held)
	if n < cap(h.held) {
		h.held = h.held[:n+1]
	} else {
		h.held = append(h.held, heldSum{})
	}
	s := &h.held[n]
	s.peer, s.gen, s.tick, s.checksum = p, p.gen, r.Tick, r.Checksum
	s.stages = append(s.stages[:0], r.Stages...)
}

// verifyHeld compares the held reports of committed ticks (commit), or
// drops them all once the host is deposed or a frame failed: the peers
// then ran frames that are not this host's.
func (h *Host) verifyHeld() {
	if len(h.held) == 0 || h.verifying {
		return // (a desync report reads acks: verifying already)
	}
	h.verifying = true
	defer func() { h.verifying = false }()
	drop := h.fenced != nil || h.broken
	n := 0
	for i := range h.held {
		s := &h.held[i]
		switch {
		case drop:
		case s.tick < h.commitTo:
			// A peer dropped since (desynced, or said hello again) is
			// compared from its new world's reports only.
			if !s.peer.desynced && s.peer.gen == s.gen {
				r := &h.heldRec
				r.Tick, r.Checksum, r.Stages = s.tick, s.checksum, s.stages
				h.verify(s.peer, r)
				r.Stages = nil
			}
		default:
			h.held[n], h.held[i] = h.held[i], h.held[n] // keep it; its stage slice moves along
			n++
			continue
		}
		s.peer = nil
	}
	h.held = h.held[:n]
}

// verify compares a peer's checksums of a committed tick (or any tick,
// without Failover) with the host's.
func (h *Host) verify(p *peerState, r *ecs.TickRecord) {
	s := &h.ring[r.Tick%uint64(len(h.ring))]
	if s.tick != r.Tick || (r.Tick == 0 && s.published.IsZero()) {
		h.mu.Lock()
		h.stats.Unverified++
		h.mu.Unlock()
		return
	}
	// A peer with stage checksums off is compared on the tick's checksum,
	// and so is the tick before a takeover from a snapshot (the new host
	// knows only its checksum: adoption).
	if r.Checksum == s.checksum && (len(r.Stages) == 0 || len(s.stages) == 0 || slices.Equal(r.Stages, s.stages)) {
		s.reported++
		h.mu.Lock()
		h.stats.Verified++
		if s.reported == len(h.live()) {
			d := time.Since(s.published)
			h.stats.latencySum += d
			h.stats.latencyN++
			h.stats.MaxLatency = max(h.stats.MaxLatency, d)
		}
		h.mu.Unlock()
		return
	}
	h.desync(p, r, s)
}

// desync reports a peer whose checksums of tick r.Tick differ from the
// host's, then applies the policy.
func (h *Host) desync(p *peerState, r *ecs.TickRecord, s *tickSums) {
	h.mu.Lock()
	h.stats.Mismatches++
	h.mu.Unlock()
	rep := Report{Session: h.cfg.Session, Peer: p.id, Tick: r.Tick, DetectedAt: h.w.NextTick(),
		ExpectedChecksum: fmt.Sprintf("%016x", s.checksum), ActualChecksum: fmt.Sprintf("%016x", r.Checksum)}
	if i, ok := ecs.FirstStageDiff(s.stages, r.Stages); ok {
		rep.Stage = replay.StageName(h.names, s.stages, r.Stages)
		if i < len(s.stages) && i < len(r.Stages) {
			rep.ExpectedChecksum = fmt.Sprintf("%016x", s.stages[i])
			rep.ActualChecksum = fmt.Sprintf("%016x", r.Stages[i])
		}
	}
	// Both states after the host's last tick: the peer is at most there.
	at := h.w.NextTick()
	rep.StateTick = at - 1
	mine, err := h.snapshot()
	if err == nil {
		var theirs *ecs.Snapshot
		theirs, err = h.fetchState(p.id, at)
		if err == nil {
			rep.Diffs = replay.DiffSnapshots(mine, theirs)
		}
	}
	if err != nil {
		rep.DiffError = err.Error()
	}
	p.desynced, p.live = true, false
	if h.cfg.Policy == Halt {
		h.halted = true
		rep.Action = "halted"
		for _, id := range h.order { // every peer learns no frame will come
			h.nc.Publish(subjCtl(h.cfg.Session, id), []byte("halted"))
		}
	} else {
		rep.Action = "dropped (resyncs from a snapshot)"
		if mine != nil {
			if err := h.storeSnapshot(mine); err != nil {
				rep.Action += ": " + err.Error()
			}
		}
		h.nc.Publish(subjCtl(h.cfg.Session, p.id), []byte("resync"))
	}
	h.emit(&rep)
}

// fetchState asks a peer for its state after tick at-1: the peer stores it
// in the snapshot store when it gets there and replies with its name.
func (h *Host) fetchState(peer string, at uint64) (*ecs.Snapshot, error) {
	reply, err := h.nc.Request(subjCtl(h.cfg.Session, peer), []byte("state "+strconv.FormatUint(at, 10)), h.cfg.PeerTimeout)
	if err != nil {
		return nil, fmt.Errorf("peer %s did not send its state: %w", peer, err)
	}
	name, ok := strings.CutPrefix(string(reply.Data), "ok ")
	if !ok {
		return nil, fmt.Errorf("peer %s: %s", peer, reply.Data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.cfg.PeerTimeout)
	defer cancel()
	raw, err := h.states.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("peer %s's state: %w", peer, err)
	}
	h.states.Delete(ctx, name)
	var snap ecs.Snapshot
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmt.Errorf("peer %s's state: %w", peer, err)
	}
	return &snap, nil
}

// emit sends a report to the console, the report file and subscribers.
func (h *Host) emit(rep *Report) {
	if h.cfg.ReportDir != "" {
		if path, err := rep.writeFile(h.cfg.ReportDir); err == nil {
			rep.File = path
		} else {
			h.say("desync report file: %v\n", err)
		}
	}
	h.say("%s", rep)
	if raw, err := json.Marshal(rep); err == nil {
		h.nc.Publish(SubjectReports(h.cfg.Session), raw)
	}
	h.mu.Lock()
	h.reports = append(h.reports, *rep)
	h.mu.Unlock()
}
