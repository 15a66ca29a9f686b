package systems

import (
	"encoding/json"
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// savedRequest is one remembered request in a snapshot.
type savedRequest struct {
	Buyer   components.ID `json:"b"`
	Req     uint64        `json:"r"`
	Kind    events.Kind   `json:"k"`
	Reason  events.Reason `json:"x,omitempty"`
	Receipt components.ID `json:"c,omitempty"`
	Tick    uint64        `json:"t"`
}

type savedWindow struct {
	Size     uint64         `json:"size"`
	Requests []savedRequest `json:"requests"` // ring order: oldest bucket first
}

// SaveState implements ecs.StateSaver: the idempotency window, so that a
// world restored from a snapshot treats retries exactly as the original.
func (s *PurchaseSystem) SaveState() ([]byte, error) {
	win := &s.seen
	sw := savedWindow{Size: win.size}
	for i := uint64(1); i <= win.size; i++ {
		// Oldest tick first, each bucket in insertion order: canonical.
		for _, k := range win.buckets[(win.now+i)%win.size] {
			o, _ := win.lookup(k.buyer, k.req)
			sw.Requests = append(sw.Requests, savedRequest{Buyer: k.buyer, Req: k.req,
				Kind: o.kind, Reason: o.reason, Receipt: o.receipt, Tick: o.tick})
		}
	}
	return json.Marshal(sw)
}

// LoadState implements ecs.StateSaver.
func (s *PurchaseSystem) LoadState(data []byte) error {
	var sw savedWindow
	if err := json.Unmarshal(data, &sw); err != nil {
		return err
	}
	if sw.Size != s.seen.size {
		return fmt.Errorf("idempotency window is %d ticks here, %d in the snapshot", s.seen.size, sw.Size)
	}
	win := &s.seen
	win.resize(sw.Size)
	for i, r := range sw.Requests {
		if sw.Size == 0 || (i > 0 && r.Tick < sw.Requests[i-1].Tick) {
			return fmt.Errorf("saved requests out of order")
		}
		if _, dup := win.lookup(r.Buyer, r.Req); dup {
			return fmt.Errorf("request (%d, %d) saved twice", r.Buyer, r.Req)
		}
		win.now = r.Tick
		win.add(r.Buyer, r.Req, outcome{kind: r.Kind, reason: r.Reason, receipt: r.Receipt})
	}
	return nil
}
