// Package screen is the geometry of the demo's 1280×720 screen: where the
// listings, buttons, inventory and feed are, and what a click at a point
// means. It has no ebiten dependency, so hit testing is tested without a
// window (ebiten's init needs a display on Linux).
package screen

import "github.com/tickecon/tickecon/demo/shop"

// Screen size of the demo's logical screen; the window scales it.
const (
	W = 1280
	H = 720
)

// Rect is an axis-aligned screen rectangle.
type Rect struct{ X, Y, W, H float32 }

// NewRect returns the rectangle at (x, y) of size w×h.
func NewRect(x, y, w, h float32) Rect { return Rect{X: x, Y: y, W: w, H: h} }

// Contains reports whether the point (x, y) is inside r.
func (r Rect) Contains(x, y float32) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Layout of the screen. It is plain data so that hit testing (clicks on
// listings and buttons) is testable without a window.
const (
	Margin     = 20
	HeaderH    = 52
	LeftW      = 660
	RightX     = Margin + LeftW + 20
	RightW     = W - RightX - Margin
	TableY     = HeaderH + 46 // column titles
	RowY0      = TableY + 26  // first listing row
	RowH       = 34
	MaxRows    = 8
	ControlsY  = RowY0 + MaxRows*RowH + 18
	TotalY     = ControlsY + ButtonH + 10 // "3× Potion = 7.50 Gold" line
	StatusY    = TotalY + 22              // the outcome of the last action
	ShoppersY  = StatusY + 36
	WalletY    = HeaderH + 18
	InvY       = WalletY + 112
	SlotSize   = 78
	SlotGap    = 8
	InvCols    = 6
	ChartY     = InvY + 2*(SlotSize+SlotGap) + 34 // money chart plot
	ChartH     = 76
	FeedY      = ChartY + ChartH + 40
	FooterY    = H - 30
	FeedLineH  = 21
	ButtonH    = 34
	SmallBtnW  = 34
	WideBtnW   = 112
	QtyValueW  = 56
	QtyLabelW  = 96
	BigBtnGap  = 10
	ControlsX0 = Margin
)

// Buttons of the controls row, left to right.
var (
	BtnMinus   = Rect{ControlsX0 + QtyLabelW, ControlsY, SmallBtnW, ButtonH}
	BtnPlus    = Rect{BtnMinus.X + SmallBtnW + QtyValueW, ControlsY, SmallBtnW, ButtonH}
	BtnBuy     = Rect{BtnPlus.X + SmallBtnW + 2*BigBtnGap, ControlsY, WideBtnW, ButtonH}
	BtnRestock = Rect{BtnBuy.X + WideBtnW + BigBtnGap, ControlsY, WideBtnW, ButtonH}
	BtnPause   = Rect{BtnRestock.X + WideBtnW + BigBtnGap, ControlsY, 80, ButtonH}
	BtnStep    = Rect{BtnPause.X + 80 + BigBtnGap, ControlsY, 60, ButtonH}
)

// RowRect is the screen rectangle of listing row i.
func RowRect(i int) Rect {
	return Rect{Margin, float32(RowY0 + i*RowH), LeftW, RowH}
}

// SlotRect is the screen rectangle of inventory slot i.
func SlotRect(i int) Rect {
	col, row := i%InvCols, i/InvCols
	return Rect{float32(RightX + col*(SlotSize+SlotGap)), float32(InvY + row*(SlotSize+SlotGap)), SlotSize, SlotSize}
}

// RowOffset is the first listing shown, so that the selection stays
// visible when there are more listings than rows.
func RowOffset(selected, listings int) int {
	return max(0, min(selected-MaxRows+1, listings-MaxRows))
}

// Click turns a left click at (x, y) into model input: a listing row
// selects it, a button does what its key does.
func Click(in *shop.Input, x, y float32, selected, listings int) {
	off := RowOffset(selected, listings)
	for i := 0; i < min(listings-off, MaxRows); i++ {
		if RowRect(i).Contains(x, y) {
			in.Select = off + i
			return
		}
	}
	switch {
	case BtnMinus.Contains(x, y):
		in.QtyDelta--
	case BtnPlus.Contains(x, y):
		in.QtyDelta++
	case BtnBuy.Contains(x, y):
		in.Buy = true
	case BtnRestock.Contains(x, y):
		in.Restock = true
	case BtnPause.Contains(x, y):
		in.TogglePause = true
	case BtnStep.Contains(x, y):
		in.Step = true
	}
}
