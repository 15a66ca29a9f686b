package screen

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/demo/shop"
)

func center(r Rect) (float32, float32) { return r.X + r.W/2, r.Y + r.H/2 }

func TestClickSelectsRow(t *testing.T) {
	for i := range 8 {
		in := shop.NoInput
		x, y := center(RowRect(i))
		Click(&in, x, y, 0, 8)
		assert.Equal(t, i, in.Select)
	}
	// Rows beyond the listings are empty space.
	in := shop.NoInput
	x, y := center(RowRect(5))
	Click(&in, x, y, 0, 3)
	assert.Equal(t, shop.NoInput, in)
}

func TestClickScrolledRows(t *testing.T) {
	// 12 listings, the 11th selected: rows show listings 3..10.
	assert.Equal(t, 3, RowOffset(10, 12))
	assert.Equal(t, 0, RowOffset(7, 12))
	assert.Equal(t, 0, RowOffset(2, 3))
	in := shop.NoInput
	x, y := center(RowRect(0))
	Click(&in, x, y, 10, 12)
	assert.Equal(t, 3, in.Select)
}

func TestClickButtons(t *testing.T) {
	for _, c := range []struct {
		r    Rect
		want shop.Input
	}{
		{BtnMinus, shop.Input{Select: -1, QtyDelta: -1}},
		{BtnPlus, shop.Input{Select: -1, QtyDelta: 1}},
		{BtnBuy, shop.Input{Select: -1, Buy: true}},
		{BtnRestock, shop.Input{Select: -1, Restock: true}},
		{BtnPause, shop.Input{Select: -1, TogglePause: true}},
		{BtnStep, shop.Input{Select: -1, Step: true}},
	} {
		in := shop.NoInput
		x, y := center(c.r)
		Click(&in, x, y, 0, 8)
		assert.Equal(t, c.want, in)
	}
	in := shop.NoInput
	Click(&in, W-1, H-1, 0, 8)
	assert.Equal(t, shop.NoInput, in, "a click on nothing does nothing")
}

// TestLayoutFits guards the layout: controls stay inside the left column,
// inventory slots inside the right one, nothing overlaps or leaves the screen.
func TestLayoutFits(t *testing.T) {
	buttons := []Rect{BtnMinus, BtnPlus, BtnBuy, BtnRestock, BtnPause, BtnStep}
	for i, b := range buttons {
		assert.LessOrEqual(t, b.X+b.W, float32(Margin+LeftW), "button %d leaves the left column", i)
		for j := range i {
			o := buttons[j]
			assert.False(t, b.X < o.X+o.W && o.X < b.X+b.W, "buttons %d and %d overlap", i, j)
		}
	}
	last := RowRect(MaxRows - 1)
	assert.LessOrEqual(t, last.Y+last.H, float32(ControlsY), "rows run into the controls")
	s := SlotRect(2*InvCols - 1)
	assert.LessOrEqual(t, s.X+s.W, float32(W-Margin))
	assert.Less(t, s.Y+s.H, float32(ChartY-20), "inventory runs into the chart title")
	assert.Less(t, ChartY+ChartH, FeedY-20, "chart runs into the feed title")
	assert.Less(t, FeedY+8*FeedLineH, FooterY-10, "the feed shows at least 8 lines")
	assert.Less(t, ControlsY+ButtonH, TotalY)
	assert.Less(t, StatusY+20, ShoppersY, "status line runs into the shoppers title")
	assert.LessOrEqual(t, ShoppersY-StatusY, 40, "no empty band above the shoppers")
	assert.Less(t, ShoppersY+28+28+5*22, FooterY, "five shoppers fit above the footer")
	assert.GreaterOrEqual(t, SlotRect(0).X, float32(Margin+LeftW))
}
