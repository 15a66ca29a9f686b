package components

// Stack is a number of units of one item type in one inventory slot.
type Stack struct {
	Item ID
	Qty  int64
}

// Inventory holds item stacks in at most Capacity slots. A slot holds up to
// the item's MaxStack units. Slot order is insertion order: deterministic,
// and it is what a UI shows.
type Inventory struct {
	Capacity int
	Slots    []Stack
}

// Count returns the number of units of item held.
func (inv *Inventory) Count(item ID) int64 {
	var n int64
	for _, s := range inv.Slots {
		if s.Item == item {
			n += s.Qty
		}
	}
	return n
}

// Room returns how many more units of item fit, saturating at MaxInt64.
func (inv *Inventory) Room(item ID, maxStack int64) int64 {
	if maxStack < 1 {
		return 0
	}
	var room int64
	for _, s := range inv.Slots {
		if s.Item == item && s.Qty < maxStack {
			room = SatAdd(room, maxStack-s.Qty)
		}
	}
	free := int64(inv.Capacity - len(inv.Slots))
	if free > 0 {
		room = SatAdd(room, SatMul(free, maxStack))
	}
	return room
}

// FitsOne reports whether qty more units of one item type fit (qty may be
// any number of units), exactly as Room(item, maxStack) >= qty, but it
// stops as soon as it knows: free slots
// that hold qty answer at once, and the stacks of item are only summed
// until they have room enough. It is the purchase path's room check.
func (inv *Inventory) FitsOne(item ID, qty, maxStack int64) bool {
	if qty <= 0 || maxStack < 1 {
		return qty <= 0
	}
	need := qty
	if free := int64(inv.Capacity - len(inv.Slots)); free > 0 {
		if SatMul(free, maxStack) >= need {
			return true
		}
		need -= free * maxStack // no overflow: free·maxStack < need here
	}
	for _, s := range inv.Slots {
		if s.Item == item && s.Qty < maxStack {
			// need > 0 and the room added is ≤ maxStack: no overflow.
			if need -= maxStack - s.Qty; need <= 0 {
				return true
			}
		}
	}
	return false
}

// TryAdd puts qty (≥ 0) units of item in, exactly as Add would, if they
// fit (FitsOne); otherwise it changes nothing and reports false. The
// usual purchase tops up one stack that has room for all of it, and is
// found and written in one pass over the slots: then slot is that stack's
// index (so a caller can tell exactly what changed); it is -1 when the
// units went elsewhere (several stacks, new slots) or nowhere (ok false).
func (inv *Inventory) TryAdd(item ID, qty, maxStack int64) (slot int, ok bool) {
	if qty < 0 {
		return -1, false
	}
	if maxStack >= 1 {
		for i := range inv.Slots {
			if st := &inv.Slots[i]; st.Item == item && st.Qty < maxStack {
				if maxStack-st.Qty >= qty { // Add would put it all here
					st.Qty += qty
					return i, true
				}
				break
			}
		}
	}
	if !inv.FitsOne(item, qty, maxStack) {
		return -1, false
	}
	inv.Add(item, qty, maxStack)
	return -1, true
}

// Load is a number of units of one item type to put in an inventory, with
// the item's max stack.
type Load struct {
	Item     ID
	Qty      int64
	MaxStack int64
}

// Fits reports whether all loads fit at once, placed as Add places them:
// existing stacks of the item topped up first, then new slots. Loads name
// distinct items. It is the one "does it fit" check for purchases,
// parcels and trades; it writes nothing and allocates nothing.
func (inv *Inventory) Fits(loads []Load) bool {
	if len(loads) == 1 { // the common case: Room is exact for one item
		return loads[0].Qty >= 0 && inv.FitsOne(loads[0].Item, loads[0].Qty, loads[0].MaxStack)
	}
	slots := int64(inv.Capacity - len(inv.Slots))
	for _, g := range loads {
		if g.MaxStack < 1 || g.Qty < 0 {
			return false
		}
		rest := g.Qty
		for _, st := range inv.Slots {
			if st.Item == g.Item && st.Qty < g.MaxStack {
				rest -= min(rest, g.MaxStack-st.Qty)
			}
		}
		// New slots needed: ceil(rest / MaxStack), without overflow.
		slots -= rest / g.MaxStack
		if rest%g.MaxStack != 0 {
			slots--
		}
		if slots < 0 {
			return false
		}
	}
	return true
}

// Add puts qty units of item in, topping up existing stacks first, then
// opening new slots. The caller checks Room first; Add never overfills.
func (inv *Inventory) Add(item ID, qty, maxStack int64) {
	for i := range inv.Slots {
		if qty == 0 {
			return
		}
		s := &inv.Slots[i]
		if s.Item == item && s.Qty < maxStack {
			n := min(maxStack-s.Qty, qty)
			s.Qty += n
			qty -= n
		}
	}
	for qty > 0 && len(inv.Slots) < inv.Capacity {
		n := min(maxStack, qty)
		inv.Slots = append(inv.Slots, Stack{Item: item, Qty: n})
		qty -= n
	}
}

// Remove takes qty units of item out, from the last slots first, and drops
// emptied slots. It reports false and changes nothing if fewer are held.
func (inv *Inventory) Remove(item ID, qty int64) bool {
	if qty < 0 || inv.Count(item) < qty {
		return false
	}
	for i := len(inv.Slots) - 1; i >= 0 && qty > 0; i-- {
		s := &inv.Slots[i]
		if s.Item != item {
			continue
		}
		n := min(s.Qty, qty)
		s.Qty -= n
		qty -= n
	}
	// Compact in place, preserving order.
	out := inv.Slots[:0]
	for _, s := range inv.Slots {
		if s.Qty > 0 {
			out = append(out, s)
		}
	}
	inv.Slots = out
	return true
}
