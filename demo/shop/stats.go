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
	if v, ok := ev.AsPurchaseCompleted(); ok {
		s.Purchases++
		if v.Buyer == player {
			s.PlayerPurchases++
		}
		return
	}
	if v, ok := ev.AsPurchaseRejected(); ok {
		if int(v.Reason) < len(s.Rejections) {
			s.Rejections[v.Reason]++
		}
		return
	}
	switch ev.Kind {
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
