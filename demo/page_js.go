//go:build js

package main

import (
	"fmt"
	"syscall/js"

	"github.com/tickecon/tickecon/demo/shop"
)

// publish shows the game's progress to the page after every tick: the
// title says the tick, and window.tickecon holds what a test or a curious
// visitor reads (tick, checksum, the player's purchases and wallet).
func publish(m *shop.Model) {
	doc := js.Global().Get("document")
	doc.Set("title", fmt.Sprintf("tickecon demo shop · tick %d", m.LastTick()))
	var money int64
	if w := m.Wallet(m.Player()); len(w) > 0 {
		money = w[0].Amount
	}
	var units int64
	slots, _ := m.Inventory(m.Player())
	for _, s := range slots {
		units += s.Qty
	}
	js.Global().Set("tickecon", js.ValueOf(map[string]any{
		"tick":            float64(m.LastTick()),
		"checksum":        fmt.Sprintf("%016x", m.Checksum()),
		"playerPurchases": float64(m.Stats().PlayerPurchases),
		"purchases":       float64(m.Stats().Purchases),
		"money":           float64(money),
		"units":           float64(units),
		"status":          m.Status(),
		"selected":        m.Selected(),
	}))
}
