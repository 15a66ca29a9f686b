package shop

import "github.com/tickecon/tickecon/events"

// The shops' calendar: wages keep shoppers buying, upkeep drains the tills,
// and suppliers refill what sold out. All are authoring commands, so money
// and items enter and leave only through logged mints, burns and grants.
// The numbers are part of what a seed reproduces.
const (
	paydayEvery   = 100  // ticks between wage mints to every shopper
	paydayGold    = 1500 // minor units of the first currency per payday
	upkeepEvery   = 100  // ticks between shop upkeep burns
	upkeepGold    = 500  // minor units burned from each shop till (at most)
	deliveryEvery = 150  // ticks between supplier restocks of empty listings
)

// schedule queues the calendar's commands for the coming tick.
func (m *Model) schedule() {
	tick := m.w.NextTick()
	cur := m.w.Currencies()
	if len(cur) == 0 {
		return
	}
	if tick%paydayEvery == 0 {
		for _, p := range m.shoppers {
			m.w.Command(events.Mint(p, cur[0], paydayGold))
		}
	}
	if tick%upkeepEvery == upkeepEvery/2 {
		for _, s := range m.shops {
			if amt := min(m.balance(s, cur[0]), upkeepGold); amt > 0 {
				m.w.Command(events.Burn(s, cur[0], amt))
			}
		}
	}
	if tick%deliveryEvery == 0 {
		for i, id := range m.listings {
			if l, ok := m.listing(id); ok && l.Stock == 0 {
				m.w.Command(events.Grant(id, l.Item, m.restock[i]))
			}
		}
	}
}
