package systems

import (
	arche "github.com/tickecon/tickecon/third_party/arche/ecs"
	"github.com/tickecon/tickecon/third_party/arche/generic"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// CommerceMaps gives typed access to the commerce components of one world.
//
// Receipts are not arche entities (receipt.go): read one with Receipt.
type CommerceMaps struct {
	Cart    generic.Map[components.Cart]
	Account generic.Map[components.Account]
	Package generic.Map[components.Package]
	Coupon  generic.Map[components.Coupon]
	Trade   generic.Map[components.Trade]
	Record  generic.Map[components.PurchaseRecord]

	// receipt is the component type of receipts: the one component of
	// their stand-in entity (core.Rows), whose value is not theirs; rows
	// hold the values.
	receipt generic.Map[components.Receipt]
	rows    receiptRows
	stand   arche.Entity // the receipts' stand-in entity
	terms   uint8        // Config.ChecksumVersion: how receipts are hashed

	loads   []components.Load // reused by checkUnpack
	comps   []arche.ID        // hashed commerce components, in hash order
	any     arche.Mask        // all of comps
	others  arche.Mask        // all of comps but the Receipt
	holders arche.Mask        // the components holdings reads
}

func newCommerceMaps(w *ecs.World) *CommerceMaps {
	e := w.ECS()
	m := &CommerceMaps{
		receipt: generic.NewMap[components.Receipt](e),
		Cart:    generic.NewMap[components.Cart](e),
		Account: generic.NewMap[components.Account](e),
		Package: generic.NewMap[components.Package](e),
		Coupon:  generic.NewMap[components.Coupon](e),
		Trade:   generic.NewMap[components.Trade](e),
		Record:  generic.NewMap[components.PurchaseRecord](e),
	}
	m.comps = []arche.ID{m.receipt.ID(), m.Cart.ID(), m.Account.ID(), m.Package.ID(),
		m.Coupon.ID(), m.Trade.ID(), m.Record.ID()}
	m.any = arche.All(m.comps...)
	m.others = arche.All(m.comps[1:]...)
	m.holders = arche.All(m.Coupon.ID(), m.Package.ID(), m.Record.ID())
	return m
}

// holdings reports what commerce entities hold (ecs.AddHoldings): a
// coupon's value, a parcel's goods, a purchase record's escrowed goods and
// money. Closing such an entity burns exactly these, with events; a closed
// account's receivables are forgiven (they are not money).
func (m *CommerceMaps) holdings(w *ecs.World, e arche.Entity, buf []ecs.Holding) []ecs.Holding {
	if mask := w.ECS().Mask(e); !mask.ContainsAny(&m.holders) {
		return buf // a receipt, a wallet: nothing of ours
	}
	if c := m.Coupon.Get(e); c != nil {
		buf = append(buf, ecs.Holding{Kind: ecs.Money, What: c.Currency, Amount: c.Value})
	}
	if pk := m.Package.Get(e); pk != nil {
		for _, g := range pk.Goods {
			buf = append(buf, ecs.Holding{Kind: ecs.Items, What: g.Item, Amount: g.Qty})
		}
	}
	if r := m.Record.Get(e); r != nil {
		buf = append(buf, ecs.Holding{Kind: ecs.Items, What: r.Item, Amount: r.Qty},
			ecs.Holding{Kind: ecs.Money, What: r.Currency, Amount: r.Paid})
	}
	return buf
}
