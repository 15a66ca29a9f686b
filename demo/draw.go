package main

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/demo/screen"
	"github.com/tickecon/tickecon/demo/shop"
)

// Colours of the UI.
var (
	colBG        = color.RGBA{0x1b, 0x1e, 0x26, 0xff}
	colPanel     = color.RGBA{0x25, 0x29, 0x34, 0xff}
	colHeader    = color.RGBA{0x12, 0x14, 0x1a, 0xff}
	colLine      = color.RGBA{0x3a, 0x3f, 0x4d, 0xff}
	colText      = color.RGBA{0xe6, 0xe8, 0xee, 0xff}
	colDim       = color.RGBA{0x95, 0x9b, 0xab, 0xff}
	colAccent    = color.RGBA{0xf2, 0xc1, 0x4e, 0xff}
	colSelect    = color.RGBA{0x3b, 0x4f, 0x7a, 0xff}
	colGood      = color.RGBA{0x7b, 0xd8, 0x8f, 0xff}
	colBad       = color.RGBA{0xf0, 0x71, 0x6b, 0xff}
	colMint      = color.RGBA{0x6c, 0xb8, 0xf0, 0xff}
	colBurn      = color.RGBA{0xd0, 0x8c, 0xf0, 0xff}
	colButton    = color.RGBA{0x34, 0x3a, 0x4a, 0xff}
	colButtonOff = color.RGBA{0x2a, 0x2d, 0x36, 0xff}
	colBuy       = color.RGBA{0x2f, 0x7d, 0x4a, 0xff}
	colSlot      = color.RGBA{0x1f, 0x22, 0x2b, 0xff}
	colSoldOut   = color.RGBA{0x6a, 0x40, 0x40, 0xff}
	itemPalette  = []color.RGBA{
		{0xe5, 0x48, 0x4d, 0xff}, // potion: red
		{0x4d, 0x8d, 0xe5, 0xff}, // ether: blue
		{0xc9, 0xa2, 0x6b, 0xff}, // arrows: wood
		{0xd9, 0x9a, 0x3e, 0xff}, // bread: crust
		{0xb8, 0xc2, 0xcc, 0xff}, // sword: steel
		{0x8a, 0x5a, 0x32, 0xff}, // shield: oak
		{0xd6, 0x2f, 0x6a, 0xff}, // ring: ruby
		{0xf0, 0x8a, 0x24, 0xff}, // scroll: fire
	}
)

// ui holds the fonts and generated sprites.
type ui struct {
	title, body, bold, small *text.GoTextFace
	sprites                  map[int]*ebiten.Image // by item index; lookups only
	samples                  []shop.Sample         // the chart's, reused every frame
	seed                     uint64
}

func newUI(seed uint64) (*ui, error) {
	reg, bold, err := fontSources()
	if err != nil {
		return nil, err
	}
	return &ui{
		title:   &text.GoTextFace{Source: bold, Size: 22},
		bold:    &text.GoTextFace{Source: bold, Size: 16},
		body:    &text.GoTextFace{Source: reg, Size: 16},
		small:   &text.GoTextFace{Source: reg, Size: 14},
		sprites: map[int]*ebiten.Image{},
		seed:    seed,
	}, nil
}

// rgbaImage wraps ReadPixels output (opaque, so premultiplied = straight).
func rgbaImage(pix []byte, w, h int) *image.RGBA {
	return &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
}

func (u *ui) text(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, c color.Color) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(x, y)
	op.ColorScale.ScaleWithColor(c)
	text.Draw(dst, s, face, op)
}

// textRight draws s so that it ends at x.
func (u *ui) textRight(dst *ebiten.Image, s string, face *text.GoTextFace, x, y float64, c color.Color) {
	w, _ := text.Measure(s, face, 0)
	u.text(dst, s, face, x-w, y, c)
}

// textCenter draws s centred in r.
func (u *ui) textCenter(dst *ebiten.Image, s string, face *text.GoTextFace, r screen.Rect, c color.Color) {
	w, h := text.Measure(s, face, 0)
	u.text(dst, s, face, float64(r.X)+(float64(r.W)-w)/2, float64(r.Y)+(float64(r.H)-h)/2, c)
}

func fill(dst *ebiten.Image, r screen.Rect, c color.Color) {
	vector.DrawFilledRect(dst, r.X, r.Y, r.W, r.H, c, false)
}

func (u *ui) button(dst *ebiten.Image, r screen.Rect, label string, bg, fg color.Color) {
	fill(dst, r, bg)
	vector.StrokeRect(dst, r.X, r.Y, r.W, r.H, 1, colLine, false)
	u.textCenter(dst, label, u.bold, r, fg)
}

// draw renders the whole screen from the model.
func (u *ui) draw(dst *ebiten.Image, m *shop.Model) {
	dst.Fill(colBG)
	u.drawHeader(dst, m)
	u.drawListings(dst, m)
	u.drawControls(dst, m)
	u.drawShoppers(dst, m)
	u.drawWallet(dst, m)
	u.drawInventory(dst, m)
	u.drawChart(dst, m)
	u.drawFeed(dst, m)
	u.drawFooter(dst, m)
}

func (u *ui) drawHeader(dst *ebiten.Image, m *shop.Model) {
	fill(dst, screen.NewRect(0, 0, screen.W, screen.HeaderH), colHeader)
	u.text(dst, "tickecon demo shop", u.title, screen.Margin, 12, colAccent)
	state, sc := headline(m)
	x := float64(screen.W - screen.Margin)
	u.textRight(dst, state, u.bold, x, 18, sc)
	info := fmt.Sprintf("tick %d   checksum %016x", m.LastTick(), m.Checksum())
	if m.Mode() == shop.Live {
		info = fmt.Sprintf("seed %d   ", u.seed) + info
	}
	w, _ := text.Measure(state, u.bold, 0)
	u.textRight(dst, info, u.body, x-w-24, 18, colText)
}

// headline is the header's state and its colour: green only while all
// is well.
func headline(m *shop.Model) (string, color.RGBA) {
	if m.RecordErr() != nil {
		return "RECORDING FAILED", colBad
	}
	if n := m.Net(); n != nil { // a session: who we are and how far it agrees
		if m.NetErr() != nil {
			return "SESSION STOPPED · " + n.Header(), colBad
		}
		if m.Paused() { // the host paused: the whole session waits
			return "PAUSED · " + n.Header(), colAccent
		}
		return n.Header(), colGood
	}
	st := m.Replay()
	switch st.State {
	case shop.ReplayNone:
		if m.Paused() {
			return "PAUSED", colAccent
		}
		return "RUNNING", colGood
	case shop.ReplayPlaying:
		if m.Paused() {
			return "REPLAY PAUSED", colAccent
		}
		return "REPLAYING", colMint
	case shop.ReplayVerified:
		return st.Headline(), colGood
	case shop.ReplayTorn:
		return st.Headline(), colAccent
	}
	return st.Headline(), colBad
}

func (u *ui) panelTitle(dst *ebiten.Image, s string, x, y float64) {
	u.text(dst, s, u.bold, x, y, colAccent)
}

// Columns of the listings table (x offsets from the left screen.Margin).
const (
	colItem  = 48
	colShop  = 250
	colPrice = 500 // right edge
	colStock = 620 // right edge
)

func (u *ui) drawListings(dst *ebiten.Image, m *shop.Model) {
	u.panelTitle(dst, "Shop listings", screen.Margin, screen.HeaderH+16)
	y := float64(screen.TableY)
	for _, c := range []struct {
		s     string
		x     float64
		right bool
	}{{"#", 8, false}, {"Item", colItem, false}, {"Shop", colShop, false}, {"Price", colPrice, true}, {"Stock", colStock, true}} {
		if c.right {
			u.textRight(dst, c.s, u.small, screen.Margin+c.x, y, colDim)
		} else {
			u.text(dst, c.s, u.small, screen.Margin+c.x, y, colDim)
		}
	}
	vector.StrokeLine(dst, screen.Margin, float32(y)+21, screen.Margin+screen.LeftW, float32(y)+21, 1, colLine, false)
	off := screen.RowOffset(m.Selected(), m.Listings())
	for i := 0; i < min(m.Listings()-off, screen.MaxRows); i++ {
		idx := off + i
		l := m.Listing(idx)
		r := screen.RowRect(i)
		if idx == m.Selected() {
			fill(dst, r, colSelect)
			vector.DrawFilledRect(dst, r.X, r.Y, 4, r.H, colAccent, false)
		} else if i%2 == 1 {
			fill(dst, r, colPanel)
		}
		ty := float64(r.Y) + 7
		u.text(dst, strconv.Itoa(idx+1), u.small, screen.Margin+10, ty+1, colDim)
		u.sprite(dst, l.ItemIdx, float64(screen.Margin+22), float64(r.Y)+5, 24)
		u.text(dst, l.ItemName, u.body, screen.Margin+colItem+12, ty, colText)
		u.text(dst, l.Shop, u.body, screen.Margin+colShop, ty, colDim)
		pc := colText
		if strings.HasPrefix(l.BuyBlock, "not enough") {
			pc = colBad
		}
		u.textRight(dst, l.PriceText(), u.body, screen.Margin+colPrice, ty, pc)
		stock, sc := strconv.FormatInt(l.Stock, 10), colText
		if l.Stock == 0 {
			stock, sc = "sold out", colBad
			vector.DrawFilledRect(dst, screen.Margin+colStock-78, r.Y+5, 82, r.H-10, colSoldOut, false)
		}
		u.textRight(dst, stock, u.body, screen.Margin+colStock, ty, sc)
	}
}

func (u *ui) drawControls(dst *ebiten.Image, m *shop.Model) {
	u.text(dst, "Quantity", u.bold, screen.ControlsX0, screen.ControlsY+8, colText)
	u.button(dst, screen.BtnMinus, "-", colButton, colText)
	qty := screen.NewRect(screen.BtnMinus.X+screen.SmallBtnW, screen.ControlsY, screen.QtyValueW, screen.ButtonH)
	fill(dst, qty, colSlot)
	u.textCenter(dst, strconv.FormatInt(m.Qty(), 10), u.title, qty, colAccent)
	u.button(dst, screen.BtnPlus, "+", colButton, colText)
	block := ""
	if m.Listings() > 0 {
		block = m.Listing(m.Selected()).BuyBlock
	}
	if block == "" {
		u.button(dst, screen.BtnBuy, "Buy (Enter)", colBuy, colText)
	} else {
		u.button(dst, screen.BtnBuy, "Buy (Enter)", colButtonOff, colDim)
	}
	if m.Mode() == shop.Live {
		u.button(dst, screen.BtnRestock, "Restock (R)", colButton, colText)
	} else {
		u.button(dst, screen.BtnRestock, "Restock (R)", colButtonOff, colDim)
		u.text(dst, "A recording: inputs come from the log, every tick's events and checksum are verified.", u.body, screen.ControlsX0, screen.TotalY, colDim)
	}
	pause := "Pause"
	if m.Paused() {
		pause = "Resume"
	}
	u.button(dst, screen.BtnPause, pause, colButton, colText)
	u.button(dst, screen.BtnStep, "Step", colButton, colText)
	if m.Listings() > 0 && m.Mode() == shop.Live {
		l := m.Listing(m.Selected())
		total := "?"
		if p, ok := components.MulInt64(l.Price, m.Qty()); ok {
			total = shop.FormatAmount(p, l.Decimals) + " " + l.Currency
		}
		line := fmt.Sprintf("%d× %s = %s", m.Qty(), l.ItemName, total)
		u.text(dst, line, u.body, screen.ControlsX0, screen.TotalY, colDim)
		if l.BuyBlock != "" {
			w, _ := text.Measure(line, u.body, 0)
			u.text(dst, "   cannot buy: "+l.BuyBlock, u.bold, screen.ControlsX0+w, screen.TotalY, colBad)
		}
	}
	status, sc := m.Status(), colText
	switch m.StatusKind() {
	case shop.FeedRejection:
		sc = colBad
	case shop.FeedPurchase:
		sc = colGood
	}
	if status == "" {
		status, sc = "Pick a row, set the quantity, press Enter: the next tick buys it whole or not at all.", colDim
	}
	if m.Mode() == shop.Replay {
		status, sc = replayLine(m)
	}
	if err := m.RecordErr(); err != nil {
		status, sc = "Recording stopped: "+err.Error(), colBad
	}
	u.text(dst, status, u.body, screen.ControlsX0, screen.StatusY, sc)
}

// replayLine explains the replay's state in a sentence (shop's
// ReplayStatus.Line), in the state's colour.
func replayLine(m *shop.Model) (string, color.RGBA) {
	st := m.Replay()
	c := colBad
	switch st.State {
	case shop.ReplayPlaying:
		c = colDim
	case shop.ReplayVerified:
		c = colGood
	case shop.ReplayTorn:
		c = colAccent
	}
	return st.Line(), c
}

func (u *ui) drawShoppers(dst *ebiten.Image, m *shop.Model) {
	u.panelTitle(dst, "Shoppers", screen.Margin, screen.ShoppersY)
	y := float64(screen.ShoppersY + 28)
	u.text(dst, "Name", u.small, screen.Margin+8, y, colDim)
	cur := m.Wallet(m.Player())
	for j, b := range cur {
		u.textRight(dst, b.Currency, u.small, screen.Margin+float64(300+130*j), y, colDim)
	}
	u.textRight(dst, "Items", u.small, screen.Margin+colStock, y, colDim)
	vector.StrokeLine(dst, screen.Margin, float32(y)+21, screen.Margin+screen.LeftW, float32(y)+21, 1, colLine, false)
	y += 28
	for _, id := range m.Shoppers() {
		if y > screen.FooterY-22 {
			break
		}
		c := colText
		name := m.Name(id)
		if id == m.Player() {
			c, name = colAccent, name+" (player)"
		}
		u.text(dst, name, u.body, screen.Margin+8, y, c)
		for j, b := range m.Wallet(id) {
			u.textRight(dst, shop.FormatAmount(b.Amount, b.Decimals), u.body, screen.Margin+float64(300+130*j), y, c)
		}
		slots, capacity := m.Inventory(id)
		u.textRight(dst, fmt.Sprintf("%d units, %d/%d slots", m.Units(id), len(slots), capacity), u.body, screen.Margin+colStock, y, c)
		y += 22
	}
}

func (u *ui) drawWallet(dst *ebiten.Image, m *shop.Model) {
	u.panelTitle(dst, "Your wallet", screen.RightX, screen.WalletY)
	x := float64(screen.RightX)
	for _, b := range m.Wallet(m.Player()) {
		r := screen.NewRect(float32(x), screen.WalletY+30, 170, 44)
		fill(dst, r, colPanel)
		u.text(dst, b.Currency, u.small, x+10, screen.WalletY+32, colDim)
		u.text(dst, shop.FormatAmount(b.Amount, b.Decimals), u.title, x+10, screen.WalletY+46, colText)
		x += 182
	}
	s := m.Stats()
	u.text(dst, fmt.Sprintf("your purchases: %d", s.PlayerPurchases), u.small, x+4, screen.WalletY+34, colDim)
	u.text(dst, fmt.Sprintf("all: %d sold, %d rejected", s.Purchases, s.TotalRejections()), u.small, x+4, screen.WalletY+54, colDim)
}

func (u *ui) drawInventory(dst *ebiten.Image, m *shop.Model) {
	slots, capacity := m.Inventory(m.Player())
	u.panelTitle(dst, fmt.Sprintf("Your inventory  %d/%d slots", len(slots), capacity), screen.RightX, screen.InvY-26)
	for i := 0; i < capacity && i < 2*screen.InvCols; i++ {
		r := screen.SlotRect(i)
		fill(dst, r, colSlot)
		vector.StrokeRect(dst, r.X, r.Y, r.W, r.H, 1, colLine, false)
		if i >= len(slots) {
			continue
		}
		s := slots[i]
		u.sprite(dst, s.ItemIdx, float64(r.X)+15, float64(r.Y)+6, 48)
		u.textRight(dst, "×"+strconv.FormatInt(s.Qty, 10), u.bold, float64(r.X+r.W)-6, float64(r.Y+r.H)-22, colText)
		name := s.ItemName
		if w, _ := text.Measure(name, u.small, 0); w > float64(r.W)-30 {
			name = name[:min(len(name), 6)] + "."
		}
		u.text(dst, name, u.small, float64(r.X)+4, float64(r.Y+r.H)-20, colDim)
	}
}

// drawChart plots the money supply of the first currency over the last
// minute: all of it (mints raise it, burns lower it; purchases only move
// it between the shoppers and the tills) and the part the shoppers hold.
func (u *ui) drawChart(dst *ebiten.Image, m *shop.Model) {
	name, dec := m.ChartCurrency()
	u.samples = m.History(u.samples)
	h := u.samples
	box := screen.NewRect(screen.RightX, screen.ChartY, screen.RightW, screen.ChartH)
	u.panelTitle(dst, name+" in circulation", screen.RightX, screen.ChartY-26)
	fill(dst, box, colPanel)
	if len(h) == 0 {
		return
	}
	var top int64 = 1
	for _, s := range h {
		top = max(top, s.Supply())
	}
	scale := float64(top) * 1.4 // headroom for the label above the line
	now := m.Now()              // this tick's totals, not the last plotted sample's
	legend := fmt.Sprintf("total %s   shoppers %s   tills %s", shop.FormatAmount(now.Supply(), dec),
		shop.FormatAmount(now.Shoppers, dec), shop.FormatAmount(now.Shops(), dec))
	u.textRight(dst, legend, u.small, float64(box.X+box.W), screen.ChartY-24, colDim)
	u.text(dst, fmt.Sprintf("max %s   since t%d", shop.FormatAmount(top, dec), h[0].Tick), u.small, float64(box.X)+4, float64(box.Y)+2, colDim)
	// The samples fill the width; once the ring is full the plot scrolls.
	n := float32(max(len(h)-1, 1))
	px := func(i int) float32 { return box.X + 4 + (box.W-8)*float32(i)/n }
	py := func(v int64) float32 { return box.Y + box.H - 4 - (box.H-8)*float32(float64(v)/scale) }
	for i := 1; i < len(h); i++ {
		vector.StrokeLine(dst, px(i-1), py(h[i-1].Supply()), px(i), py(h[i].Supply()), 2, colAccent, true)
		vector.StrokeLine(dst, px(i-1), py(h[i-1].Shoppers), px(i), py(h[i].Shoppers), 2, colMint, true)
	}
}

func (u *ui) drawFeed(dst *ebiten.Image, m *shop.Model) {
	u.panelTitle(dst, "Event feed", screen.RightX, screen.FeedY-26)
	box := screen.NewRect(screen.RightX, screen.FeedY, screen.RightW, screen.FooterY-10-screen.FeedY)
	fill(dst, box, colPanel)
	n := int(box.H-8) / screen.FeedLineH
	y := float64(box.Y) + 4
	for _, l := range m.Feed(n) {
		c := colText
		switch l.Kind {
		case shop.FeedPurchase:
			c = colGood
		case shop.FeedRejection:
			c = colBad
		case shop.FeedMint:
			c = colMint
		case shop.FeedBurn:
			c = colBurn
		}
		face := u.small
		if l.Player {
			face = u.bold
		}
		u.text(dst, fmt.Sprintf("t%d", l.Tick), u.small, float64(box.X)+8, y, colDim)
		u.text(dst, l.Text, face, float64(box.X)+56, y, c)
		y += screen.FeedLineH
	}
}

func (u *ui) drawFooter(dst *ebiten.Image, m *shop.Model) {
	help := "↑↓ / 1-8 / click: select   ←→ / +-: quantity   Enter/B: buy   Space: pause   N: step   R: restock   Esc: quit"
	if m.Mode() == shop.Replay {
		help = "Replay: Space pause   N step one tick   Esc quit"
	}
	u.text(dst, help, u.small, screen.Margin, screen.FooterY+6, colDim)
}

// sprite draws the generated sprite of item type idx at (x, y), size s.
func (u *ui) sprite(dst *ebiten.Image, idx int, x, y, s float64) {
	img, ok := u.sprites[idx]
	if !ok {
		img = makeSprite(idx)
		u.sprites[idx] = img
	}
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(s/spriteSize, s/spriteSize)
	op.GeoM.Translate(x, y)
	op.Filter = ebiten.FilterLinear
	dst.DrawImage(img, op)
}

const spriteSize = 48

// makeSprite draws a simple icon for item type idx from shapes: no asset
// files. Unknown item indexes get a coloured gem.
func makeSprite(idx int) *ebiten.Image {
	img := ebiten.NewImage(spriteSize, spriteSize)
	c := color.RGBA{0x9a, 0x9a, 0x9a, 0xff}
	if idx >= 0 {
		c = itemPalette[idx%len(itemPalette)]
	}
	dark := color.RGBA{c.R / 2, c.G / 2, c.B / 2, 0xff}
	light := color.RGBA{0xf4, 0xf0, 0xe6, 0xff}
	switch idx {
	case 0, 1: // potion, ether: flask
		vector.DrawFilledRect(img, 20, 6, 8, 12, light, true)
		vector.DrawFilledCircle(img, 24, 30, 14, c, true)
		vector.DrawFilledCircle(img, 19, 26, 4, color.RGBA{0xff, 0xff, 0xff, 0x90}, true)
	case 2: // arrows
		for i := float32(0); i < 3; i++ {
			vector.StrokeLine(img, 10+i*8, 42, 22+i*8, 8, 3, c, true)
			vector.StrokeLine(img, 22+i*8, 8, 18+i*8, 14, 3, light, true)
		}
	case 3: // bread
		vector.DrawFilledCircle(img, 16, 26, 12, c, true)
		vector.DrawFilledCircle(img, 32, 26, 12, c, true)
		vector.DrawFilledRect(img, 16, 14, 16, 24, c, true)
		vector.StrokeLine(img, 18, 20, 22, 30, 2, dark, true)
		vector.StrokeLine(img, 26, 20, 30, 30, 2, dark, true)
	case 4: // sword
		vector.StrokeLine(img, 12, 36, 38, 8, 5, c, true)
		vector.StrokeLine(img, 8, 28, 20, 40, 4, dark, true)
		vector.StrokeLine(img, 12, 36, 6, 42, 4, color.RGBA{0x6b, 0x45, 0x23, 0xff}, true)
	case 5: // shield
		vector.DrawFilledCircle(img, 24, 24, 19, c, true)
		vector.StrokeCircle(img, 24, 24, 19, 3, dark, true)
		vector.DrawFilledCircle(img, 24, 24, 5, color.RGBA{0xc0, 0xc0, 0xc8, 0xff}, true)
	case 6: // ring
		vector.StrokeCircle(img, 24, 29, 13, 4, color.RGBA{0xe8, 0xc2, 0x4a, 0xff}, true)
		vector.DrawFilledCircle(img, 24, 13, 7, c, true)
	case 7: // scroll
		vector.DrawFilledRect(img, 12, 10, 24, 28, light, true)
		vector.DrawFilledCircle(img, 12, 24, 5, c, true)
		vector.DrawFilledCircle(img, 36, 24, 5, c, true)
		vector.DrawFilledRect(img, 8, 10, 8, 28, c, true)
		vector.DrawFilledRect(img, 32, 10, 8, 28, c, true)
		vector.StrokeLine(img, 18, 18, 30, 18, 2, dark, true)
		vector.StrokeLine(img, 18, 24, 30, 24, 2, dark, true)
		vector.StrokeLine(img, 18, 30, 26, 30, 2, dark, true)
	default: // gem
		vector.DrawFilledCircle(img, 24, 24, 16, c, true)
		vector.StrokeCircle(img, 24, 24, 16, 3, dark, true)
	}
	return img
}
