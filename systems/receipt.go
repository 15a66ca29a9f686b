package systems

import (
	"math/bits"
	"unsafe"

	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/internal/core"
)

// Receipts are rows, not arche entities (internal/core's row ids): a
// receipt takes the next stable id and the world answers for it as for an
// entity holding a components.Receipt — Lookup says Alive, the Close
// command closes it, checksums, audits and snapshots count it, with the
// same terms and the same snapshot entry as the receipt entity it used to
// be, so logs and checksums are unchanged. Its value is a row of
// receiptRows, addressed by id. Creating and removing an arche entity per
// purchase (a batch spawn, a swap-remove, their id table and hash upkeep)
// was half of what a commerce purchase cost on top of a plain one.

// issueReceipt creates receipt r and announces it. When the commerce
// hasher is the world's only one the receipt's whole hash is known here
// and set at once, and ReceiptIssued touches nothing (the buyer and the
// listing it names are changed and touched by the purchase's own event);
// otherwise the event touches the receipt, which the checksum hashes.
func (s *PurchaseSystem) issueReceipt(w *ecs.World, r components.Receipt) components.ID {
	c := s.core
	hashed := c.Hashers == 1
	id := w.NextID() // the id NewRow takes
	var h uint64
	if hashed {
		h = s.m.receiptEntityHash(id, &r)
	}
	c.NewRow(h)
	*s.m.rows.put(id) = r
	// w.Emit(events.ReceiptIssuedEvent{…}.Event()), built in place (as
	// slim's PurchaseCompleted): receipts are issued in systems' Updates
	// only, where an event carries no command's ticket.
	ev := nextEvent(c.Events())
	ev.Tick, ev.Kind, ev.Subject, ev.Object, ev.Ref = w.NextTick(), events.ReceiptIssued, id, r.Buyer, r.What
	ev.Amount, ev.Size, ev.Request = r.Amount, r.Lines, r.Request
	if hashed {
		c.EventHashed()
	}
	return id
}

// nextEvent appends a zero event to *evs and returns it, to be filled in
// place: a composite literal appended was built aside and copied, 160
// bytes, which cost more than the fields it sets.
func nextEvent(evs *[]events.Event) *events.Event {
	n := len(*evs)
	if n < cap(*evs) {
		*evs = (*evs)[:n+1]
		e := &(*evs)[n]
		*e = events.Event{}
		return e
	}
	*evs = append(*evs, events.Event{})
	return &(*evs)[n]
}

// spawnReceipt is issueReceipt from the general path and the sagas.
func (s *PurchaseSystem) spawnReceipt(w *ecs.World, r components.Receipt) components.ID {
	s.core = core.Of(w) // the sagas run after this system's Update: the same world
	return s.issueReceipt(w, r)
}

// receiptRows holds the open receipts by stable id, in pages of
// core.PageSize ids (the id table's): row id is pages[id/PageSize-base]
// at id%PageSize. A page is allocated when its first receipt is issued
// and dropped (kept for reuse) when its last open receipt closes, and the
// directory starts at the oldest page still held, so memory follows the
// open receipts, not the history. It is the world's core.RowOwner for
// receipts.
type receiptRows struct {
	pages []*receiptPage
	base  int // page index of pages[0]
	free  []*receiptPage
	// The page of the last put and its index: receipts are issued in
	// ascending id, a thousand to a page.
	last      *receiptPage
	lastIndex int
}

// receiptPage is core.PageSize receipt rows, which of them are open (a
// bit each: CloseReceipts visits the open ones of a range without asking
// the id table about every id), and how many.
type receiptPage struct {
	rows   [core.PageSize]components.Receipt
	isOpen [core.PageSize / 64]uint64
	open   int32
}

// maxFreeReceiptPages bounds the dropped pages kept for reuse: a steady
// stream of receipts closed a tick later needs two or three (a tick of
// 64k purchases, 64 pages' worth of ids).
const maxFreeReceiptPages = 64

// put opens row id and returns it to be filled.
func (t *receiptRows) put(id components.ID) *components.Receipt {
	i := int(uint64(id) / core.PageSize)
	p := t.last
	if p == nil || i != t.lastIndex { // not the page of the last put (ids ascend: most are)
		p = t.page(i)
		t.last, t.lastIndex = p, i
	}
	p.open++
	r := int(id & (core.PageSize - 1))
	p.isOpen[r>>6] |= 1 << (r & 63)
	return &p.rows[r]
}

// page returns page i (absolute: id/core.PageSize), held from now on.
func (t *receiptRows) page(i int) *receiptPage {
	if len(t.pages) == 0 {
		t.base = i
	}
	if i < t.base { // an older id than any held (a snapshot's rows load in id order: never)
		k := t.base - i
		t.pages = append(make([]*receiptPage, k, k+len(t.pages)), t.pages...)
		t.base = i
	}
	i -= t.base
	for len(t.pages) <= i {
		t.pages = append(t.pages, nil)
	}
	p := t.pages[i]
	if p == nil {
		if n := len(t.free); n > 0 {
			p, t.free = t.free[n-1], t.free[:n-1]
		} else {
			p = new(receiptPage)
		}
		t.pages[i] = p
	}
	return p
}

// row returns open row id.
func (t *receiptRows) row(id components.ID) *components.Receipt {
	return &t.pages[int(uint64(id)/core.PageSize)-t.base].rows[id&(core.PageSize-1)]
}

// Row implements core.RowOwner.
func (t *receiptRows) Row(id components.ID) unsafe.Pointer { return unsafe.Pointer(t.row(id)) }

// Load implements core.RowOwner.
func (t *receiptRows) Load(id components.ID, v unsafe.Pointer) {
	*t.put(id) = *(*components.Receipt)(v)
}

// Close implements core.RowOwner.
func (t *receiptRows) Close(id components.ID) {
	i := int(uint64(id)/core.PageSize) - t.base
	p := t.pages[i]
	r := id & (core.PageSize - 1)
	p.isOpen[r>>6] &^= 1 << (r & 63)
	if p.open--; p.open > 0 { // the row keeps its value: only a live one is read
		return
	}
	t.pages[i] = nil
	if p == t.last {
		t.last = nil
	}
	if len(t.free) < maxFreeReceiptPages {
		t.free = append(t.free, p) // every bit clear again
	}
	if i == 0 { // the oldest page: the directory starts at the next one held
		k := 0
		for k < len(t.pages) && t.pages[k] == nil {
			k++
		}
		t.pages = t.pages[:copy(t.pages, t.pages[k:])]
		t.base += k
	}
}

// Reset implements core.RowOwner.
func (t *receiptRows) Reset() { *t = receiptRows{} }

// IsReceipt reports whether e is what Lookup returns for a receipt id: the
// stand-in entity every receipt shares (for ports that serve receipts).
func (m *CommerceMaps) IsReceipt(e arche.Entity) bool { return e == m.stand && !e.IsZero() }

// Receipt returns receipt id's value; ok is false unless id is an open
// receipt of w (the world m belongs to).
func (m *CommerceMaps) Receipt(w *ecs.World, id components.ID) (r components.Receipt, ok bool) {
	if e, st := w.Lookup(id); st != ecs.Alive || !core.Of(w).IsRow(e) {
		return r, false
	}
	return *m.rows.row(id), true
}

// registerReceipts adds the CloseReceipts command.
func registerReceipts(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.ReceiptsClosed, cmd{check: checkCloseReceipts,
		apply: func(w *ecs.World, c *events.Event) { m.closeReceipts(w, c) }})
}

// checkCloseReceipts accepts a range of ids that exist already, at most
// events.MaxReceiptsClosed wide, in a command that leaves Closed to the
// world. Which of its ids are open receipts decides nothing here: the
// others are left alone.
func checkCloseReceipts(w *ecs.World, c *events.Event) events.Reason {
	switch {
	case c.Size != 0 || c.Subject == 0 || c.Ref < c.Subject || c.Ref-c.Subject >= events.MaxReceiptsClosed:
		return events.ReasonBadCommand
	case c.Ref >= w.NextID():
		return events.ReasonIDOutOfRange
	}
	return events.ReasonNone
}

// closeReceipts closes the open receipts of c's range in ascending id, as
// the Close command closes one (core.State.CloseRow) but under the one
// ReceiptsClosed event, which touches nothing: each receipt's hash left
// the checksum as it closed.
func (m *CommerceMaps) closeReceipts(w *ecs.World, c *events.Event) {
	cs := core.Of(w)
	t := &m.rows
	var n int64
	first, last := uint64(c.Subject), uint64(c.Ref)
	for pi := first / core.PageSize; pi <= last/core.PageSize; pi++ {
		i := int(pi) - t.base
		if i < 0 || i >= len(t.pages) || t.pages[i] == nil {
			continue
		}
		p := t.pages[i]
		lo, hi := pi*core.PageSize, pi*core.PageSize+core.PageSize-1
		lo, hi = max(lo, first), min(hi, last)
		for wi := (lo % core.PageSize) >> 6; wi <= (hi%core.PageSize)>>6; wi++ {
			word := p.isOpen[wi]
			base := pi*core.PageSize + wi*64
			if base < lo { // the range starts inside this word
				word &= ^uint64(0) << (lo - base)
			}
			if base+63 > hi { // and ends inside it
				word &= ^uint64(0) >> (base + 63 - hi)
			}
			for word != 0 {
				id := components.ID(base + uint64(bits.TrailingZeros64(word)))
				word &= word - 1
				if cs.Closers == 0 { // what CloseRow does, without two indirect calls
					t.Close(id) // may drop page p: its bits were read already
					cs.EntSum -= cs.IDs.CloseRow(id)
				} else {
					cs.CloseRow(id)
				}
				n++
			}
		}
	}
	ev := *c
	ev.Size = n
	w.Emit(ev)
	cs.EventHashed()
}
