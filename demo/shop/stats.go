package shop

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Stats counts what a session did, for the headless summary and the HUD.
type Stats struct {
	Purchases       uint64
	PlayerPurchases uint64
	Rejections      []uint64 // indexed by events.Reason
	CommandRejected uint64
	Minted          uint64 // Minted events
	Burned          uint64 // Burned events
	Granted         uint64 // ItemsGranted events (restocks and starting items)
	ItemsBurned     uint64 // ItemsBurned events (items used up)
}

// TotalRejections is the number of rejected purchases.
func (s *Stats) TotalRejections() uint64 {
	var n uint64
	for _, c := range s.Rejections {
		n += c
	}
	return n
}

// count adds one committed event.
func (s *Stats) count(ev events.Event, player components.ID) {
	switch ev.Kind {
	case events.PurchaseCompleted:
		s.Purchases++
		if ev.Subject == player {
			s.PlayerPurchases++
		}
	case events.PurchaseRejected:
		if int(ev.Reason) < len(s.Rejections) {
			s.Rejections[ev.Reason]++
		}
	case events.CommandRejected:
		s.CommandRejected++
	case events.Minted:
		s.Minted++
	case events.Burned:
		s.Burned++
	case events.ItemsGranted:
		s.Granted++
	case events.ItemsBurned:
		s.ItemsBurned++
	}
}
