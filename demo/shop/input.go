package shop

import (
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Input is one frame of player input, already decoded from keys and mouse.
type Input struct {
	Select      int   // listing index clicked, or -1 for none
	Move        int   // selection change: -1 up, +1 down
	QtyDelta    int64 // quantity change
	Buy         bool
	TogglePause bool
	Step        bool // run one tick while paused
	Restock     bool
}

// NoInput is the Input of a frame in which the player did nothing.
var NoInput = Input{Select: -1}

// Selected returns the index of the selected listing.
func (m *Model) Selected() int { return m.sel }

// Select selects listing i, clamped to the listings shown.
func (m *Model) Select(i int) {
	m.sel = max(0, min(i, len(m.listings)-1))
}

// Qty returns the quantity the next Buy asks for.
func (m *Model) Qty() int64 { return m.qty }

// SetQty sets the quantity, clamped to 1..MaxQty.
func (m *Model) SetQty(n int64) { m.qty = max(1, min(n, MaxQty)) }

// Paused reports whether the simulation is paused.
func (m *Model) Paused() bool { return m.paused }

// Pause stops the simulation; StepOnce still advances it.
func (m *Model) Pause() { m.paused = true }

// Resume restarts the simulation.
func (m *Model) Resume() { m.paused = false }

// TogglePause pauses a running simulation or resumes a paused one.
func (m *Model) TogglePause() { m.paused = !m.paused }

// Status is the outcome of the player's last action, for the HUD.
func (m *Model) Status() string { return m.status }

// StatusKind says how the HUD colours Status.
func (m *Model) StatusKind() FeedKind { return m.statusKind }

// Buy submits the player's purchase intent for the selected listing and
// quantity; the next tick completes or rejects it. It returns the request
// id. A purchase the player can see will fail (sold out, not enough money:
// the row's BuyBlock) is not submitted; the reason becomes the status.
func (m *Model) Buy() (uint64, error) {
	if m.mode != Live {
		return 0, errors.New("shop: cannot buy during a replay")
	}
	if len(m.listings) == 0 {
		return 0, errors.New("shop: nothing to buy")
	}
	l := m.Listing(m.sel)
	if l.BuyBlock != "" {
		m.setStatus(fmt.Sprintf("Cannot buy %d× %s: %s", m.qty, l.ItemName, l.BuyBlock), FeedRejection)
		return 0, errors.New("shop: " + l.BuyBlock)
	}
	req := m.nextReq
	m.nextReq++
	in := components.PurchaseIntent{Buyer: m.player, Listing: m.listings[m.sel], Quantity: m.qty, RequestID: req}
	if m.net == nil || !m.net.Submit(in) {
		m.w.Submit(in)
	}
	m.pending = req
	m.setStatus(fmt.Sprintf("Buying %d× %s (request %d)…", m.qty, l.ItemName, req), FeedOther)
	return req, nil
}

// Restock queues a command granting the selected listing its initial stock
// again: the items are created by a logged ItemsGranted event.
func (m *Model) Restock() error {
	if m.mode != Live {
		return errors.New("shop: cannot restock during a replay")
	}
	if len(m.listings) == 0 {
		return errors.New("shop: nothing to restock")
	}
	if m.build != nil {
		m.setStatus("Only the host restocks", FeedRejection)
		return errJoinedRestock
	}
	l := m.Listing(m.sel)
	m.restocking = m.w.Command(events.Grant(l.ID, l.Item, m.restock[m.sel]))
	m.setStatus(fmt.Sprintf("Restocking %s with %d…", l.ItemName, m.restock[m.sel]), FeedOther)
	return nil
}

// Update applies one frame of input, then runs one tick unless paused (or
// one tick anyway if in.Step asks for it).
func (m *Model) Update(in Input) {
	if in.Select >= 0 {
		m.Select(in.Select)
	}
	if in.Move != 0 {
		m.Select(m.sel + in.Move)
	}
	if in.QtyDelta != 0 {
		m.SetQty(m.qty + in.QtyDelta)
	}
	if in.Buy {
		_, _ = m.Buy() // the reason is the status line
	}
	if in.Restock {
		_ = m.Restock()
	}
	if in.TogglePause && m.build == nil { // a joiner cannot pause the host's session
		m.TogglePause()
	}
	if !m.paused || in.Step || m.build != nil { // a joiner cannot hold the session back
		m.StepOnce()
	}
}

func (m *Model) setStatus(s string, k FeedKind) { m.status, m.statusKind = s, k }

// settle turns the outcomes of the player's pending purchase and restock
// into the status line, matched by request id and command ticket, so the
// bots' outcomes never overwrite it.
func (m *Model) settle(rec *ecs.TickRecord) {
	if m.pending != 0 {
		if ev, ok := rec.IntentOutcome(m.player, m.pending); ok {
			m.pending = 0
			if v, ok := ev.AsPurchaseCompleted(); ok {
				m.setStatus("Bought "+m.describePurchase(v), FeedPurchase)
			} else if v, ok := ev.AsPurchaseRejected(); ok {
				m.setStatus(fmt.Sprintf("Rejected %d× %s: %s", v.Qty, m.listingItemName(v.Listing),
					m.ReasonText(v.Reason, v.Listing)), FeedRejection)
			}
		}
	}
	if m.restocking.Seq != 0 {
		if ev, ok := rec.Outcome(m.restocking); ok {
			m.restocking = ecs.Ticket{}
			if v, ok := ev.AsItemsGranted(); ok {
				m.setStatus(fmt.Sprintf("Restocked %s with %d", m.Name(v.Item), v.Qty), FeedMint)
			} else if v, ok := ev.AsCommandRejected(); ok {
				m.setStatus("Restock rejected: "+m.ReasonText(v.Reason, 0), FeedRejection)
			}
		}
	}
}
