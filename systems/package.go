package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// registerPackages adds the PackageOpened and PackageDelivered commands: a
// parcel receives goods for its recipient and hands them over on delivery.
func registerPackages(w *ecs.World, m *CommerceMaps) {
	w.HandleCommand(events.PackageOpened, cmd{creates: true, check: objectAlive,
		apply: func(w *ecs.World, c *events.Event) {
			e := w.SpawnAs(c.Subject, m.Package.ID())
			m.Package.Get(e).Recipient = c.Object
			w.Emit(*c)
		}})
	w.HandleCommand(events.PackageDelivered, cmd{check: m.checkUnpack, apply: m.unpack})
}

// PackageTarget puts goods in a parcel (a Package entity) for its
// recipient; anyone may send goods to a parcel. PackageDelivered later
// moves them into the recipient's inventory.
type PackageTarget struct{ M *CommerceMaps }

// Accepts implements DeliveryTarget: entities with a Package.
func (t PackageTarget) Accepts(w *ecs.World, e arche.Entity) bool { return t.M.Package.Has(e) }

// Check implements DeliveryTarget: Overflow if a count would overflow.
func (t PackageTarget) Check(w *ecs.World, d *Delivery) events.Reason {
	pk := t.M.Package.Get(d.Entity)
	for _, g := range d.Goods {
		if _, ok := components.AddInt64(pk.Count(g.Item), g.Qty); !ok {
			return events.ReasonOverflow
		}
	}
	return events.ReasonNone
}

// Commit implements DeliveryTarget.
func (t PackageTarget) Commit(w *ecs.World, d *Delivery) {
	pk := t.M.Package.Get(d.Entity)
	w.Touch(d.Target) // the purchase's events name the buyer, not the parcel
	for _, g := range d.Goods {
		pk.Add(g.Item, g.Qty)
	}
}

func (m *CommerceMaps) checkUnpack(w *ecs.World, c *events.Event) events.Reason {
	e, ok := alive(w, c.Subject)
	if !ok || !m.Package.Has(e) {
		return events.ReasonUnknownEntity
	}
	pk := m.Package.Get(e)
	re, ok := alive(w, pk.Recipient)
	if !ok || !w.Maps.Inventory.Has(re) {
		return events.ReasonUnknownEntity
	}
	m.loads = m.loads[:0] // Goods is sorted by item, one stack each: what Fits takes
	for _, g := range pk.Goods {
		ie, _ := w.Lookup(g.Item)
		m.loads = append(m.loads, components.Load{Item: g.Item, Qty: g.Qty, MaxStack: w.Maps.Item.Get(ie).MaxStack})
	}
	if !w.Maps.Inventory.Get(re).Fits(m.loads) {
		return events.ReasonInventoryFull
	}
	return events.ReasonNone
}

func (m *CommerceMaps) unpack(w *ecs.World, c *events.Event) {
	e, _ := w.Lookup(c.Subject)
	pk := m.Package.Get(e)
	re, _ := w.Lookup(pk.Recipient)
	inv := w.Maps.Inventory.Get(re)
	for _, g := range pk.Goods {
		ie, _ := w.Lookup(g.Item)
		inv.Add(g.Item, g.Qty, w.Maps.Item.Get(ie).MaxStack)
	}
	pk.Goods = pk.Goods[:0]
	c.Object = pk.Recipient
	w.Emit(*c)
}
