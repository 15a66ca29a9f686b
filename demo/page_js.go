//go:build js

package main

import (
	"fmt"
	"sync"
	"syscall/js"

	"github.com/tickecon/tickecon/demo/shop"
)

// upload holds a replay log the page handed over, until the next Update
// takes it (page callbacks run outside the game loop).
var upload struct {
	sync.Mutex
	log []byte
}

func init() {
	// window.tickeconReplay(bytes): the page's "Replay a log…" button
	// passes the chosen file's bytes (a Uint8Array).
	js.Global().Set("tickeconReplay", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) != 1 {
			return nil
		}
		b := make([]byte, args[0].Get("length").Int())
		js.CopyBytesToGo(b, args[0])
		upload.Lock()
		upload.log = b
		upload.Unlock()
		return nil
	}))
}

// openSession records the browser's live session in memory (there is no
// file system); window.tickeconLog() returns the log so far, which the
// page's "Download the log" button saves. -replay and -record need files.
func openSession(o shop.Options) (*shop.Model, func() error, error) {
	m, log, err := shop.RecordMemory(o.Seed)
	if err != nil {
		return nil, nil, err
	}
	js.Global().Set("tickeconLog", js.FuncOf(func(this js.Value, args []js.Value) any {
		b, err := log()
		if err != nil {
			js.Global().Get("console").Call("error", "tickecon: the log:", err.Error())
			return js.Null()
		}
		a := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(a, b)
		return a
	}))
	return m, func() error { return nil }, nil
}

// poll swaps in a replay of an uploaded log, if the page handed one over.
func (g *game) poll() {
	upload.Lock()
	b := upload.log
	upload.log = nil
	upload.Unlock()
	if b == nil {
		return
	}
	m, err := shop.ReplayBytes(b)
	if err != nil {
		js.Global().Set("tickeconError", "not a replay log: "+err.Error())
		js.Global().Get("console").Call("error", "tickecon: not a replay log:", err.Error())
		return
	}
	g.m = m
}

// publish shows the game's progress to the page after every tick: the
// title says the tick, and window.tickecon holds what a test or a curious
// visitor reads (tick, checksum, the player's purchases and wallet, the
// replay's verdict).
func publish(m *shop.Model) {
	doc := js.Global().Get("document")
	doc.Set("title", fmt.Sprintf("tickecon demo shop · tick %d", m.LastTick()))
	var money int64
	if w := m.Wallet(m.Player()); len(w) > 0 {
		money = w[0].Amount
	}
	js.Global().Set("tickecon", js.ValueOf(map[string]any{
		"tick":            float64(m.LastTick()),
		"checksum":        fmt.Sprintf("%016x", m.Checksum()),
		"playerPurchases": float64(m.Stats().PlayerPurchases),
		"purchases":       float64(m.Stats().Purchases),
		"money":           float64(money),
		"units":           float64(m.Units(m.Player())),
		"status":          m.Status(),
		"selected":        m.Selected(),
		"replay":          m.Replay().Headline(),
		"replayTicks":     float64(m.Replay().Ticks),
	}))
}
