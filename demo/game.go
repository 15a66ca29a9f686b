package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/signal"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/tickecon/tickecon/demo/multi"
	"github.com/tickecon/tickecon/demo/screen"
	"github.com/tickecon/tickecon/demo/shop"
)

// game is the thin ebiten layer: it maps keys and clicks to shop.Input,
// runs one model tick per Update, and draws the model.
type game struct {
	m    *shop.Model
	opts options
	ui   *ui

	shotReady bool // the screenshot's tick is reached
	shotDone  bool
	shotErr   error
}

// play opens the window (or renders the screenshot) and runs the game.
func play(m *shop.Model, o options) error {
	u, err := newUI(o.Seed)
	if err != nil {
		return err
	}
	g := &game{m: m, opts: o, ui: u}
	ebiten.SetWindowSize(screen.W, screen.H)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowTitle("tickecon demo shop")
	ebiten.SetTPS(max(o.tps, 1))
	if err := ebiten.RunGame(g); err != nil && !errors.Is(err, ebiten.Termination) {
		return err
	}
	return g.shotErr
}

// playSession opens the window on a multiplayer session (-host, -join)
// and returns the exit code.
func playSession(mo multi.Options, o options) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	m, closeSession, err := multi.Open(ctx, mo, o.Seed, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	defer closeSession()
	if err := cmp.Or(play(m, o), m.NetErr()); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return 1
	}
	return 0
}

// repeatKey reports a key press, repeating while the key is held.
func repeatKey(k ebiten.Key) bool {
	d := inpututil.KeyPressDuration(k)
	return d == 1 || (d > 8 && d%2 == 0)
}

func anyJustPressed(keys ...ebiten.Key) bool {
	for _, k := range keys {
		if inpututil.IsKeyJustPressed(k) {
			return true
		}
	}
	return false
}

// input decodes this frame's keys and clicks.
func (g *game) input() shop.Input {
	in := shop.NoInput
	switch {
	case repeatKey(ebiten.KeyArrowUp) || repeatKey(ebiten.KeyW):
		in.Move = -1
	case repeatKey(ebiten.KeyArrowDown) || repeatKey(ebiten.KeyS):
		in.Move = 1
	}
	switch {
	case repeatKey(ebiten.KeyArrowLeft) || repeatKey(ebiten.KeyMinus) || repeatKey(ebiten.KeyKPSubtract):
		in.QtyDelta = -1
	case repeatKey(ebiten.KeyArrowRight) || repeatKey(ebiten.KeyEqual) || repeatKey(ebiten.KeyKPAdd):
		in.QtyDelta = 1
	}
	for k := ebiten.Key1; k <= ebiten.Key8; k++ {
		if inpututil.IsKeyJustPressed(k) {
			in.Select = int(k - ebiten.Key1)
		}
	}
	in.Buy = anyJustPressed(ebiten.KeyEnter, ebiten.KeyB, ebiten.KeyKPEnter)
	in.TogglePause = anyJustPressed(ebiten.KeySpace, ebiten.KeyP)
	in.Step = repeatKey(ebiten.KeyN) || repeatKey(ebiten.KeyPeriod)
	in.Restock = anyJustPressed(ebiten.KeyR)
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		x, y := ebiten.CursorPosition()
		screen.Click(&in, float32(x), float32(y), g.m.Selected(), g.m.Listings())
	}
	return in
}

// Update implements ebiten.Game: one simulation tick per call.
func (g *game) Update() error {
	if g.opts.screenshot != "" {
		if g.shotDone {
			return ebiten.Termination
		}
		if g.m.Net() != nil { // a session runs at its pace: the host waits for its peers, a joiner for frames
			g.m.StepOnce()
			g.shotReady = g.m.LastTick() >= cmp.Or(g.opts.Ticks, shop.DefaultTicks) || g.m.NetErr() != nil
			return nil
		}
		g.m.RunTo(g.opts.Options) // the frame after N ticks, however fast
		g.shotReady = true
		return nil
	}
	if inpututil.IsKeyJustPressed(ebiten.KeyEscape) || inpututil.IsKeyJustPressed(ebiten.KeyQ) {
		return ebiten.Termination
	}
	g.poll()
	g.m.Update(g.input())
	publish(g.m)
	return nil
}

// Draw implements ebiten.Game.
func (g *game) Draw(screen *ebiten.Image) {
	g.ui.draw(screen, g.m)
	if g.opts.screenshot != "" && g.shotReady && !g.shotDone {
		g.shotDone = true
		g.shotErr = g.saveShot()
	}
}

// saveShot renders the current frame offscreen and writes it as a PNG.
func (g *game) saveShot() error {
	img := ebiten.NewImage(screen.W, screen.H)
	g.ui.draw(img, g.m)
	pix := make([]byte, 4*screen.W*screen.H)
	img.ReadPixels(pix)
	var buf bytes.Buffer
	if err := png.Encode(&buf, rgbaImage(pix, screen.W, screen.H)); err != nil {
		return err
	}
	if err := shop.WriteFile(g.opts.screenshot, buf.Bytes(), g.opts.Force); err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return nil
}

// Layout implements ebiten.Game: a fixed logical screen, scaled to the window.
func (g *game) Layout(int, int) (int, int) { return screen.W, screen.H }

// fontSources parses the Go fonts once.
func fontSources() (regular, bold *text.GoTextFaceSource, err error) {
	regular, err = text.NewGoTextFaceSource(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, nil, err
	}
	bold, err = text.NewGoTextFaceSource(bytes.NewReader(gobold.TTF))
	return regular, bold, err
}
