package systems

import (
	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
)

// credits sums what one operation will credit to each (wallet, currency),
// so that the combined effect is checked against the balance, not each
// credit alone: a till that redeems its own coupon receives its share of
// the price and the unused rest in the same purchase, and two credits that
// each fit can together wrap the balance. The buffer is reused: checking
// allocates nothing in steady state.
type credits struct {
	c []credit
}

type credit struct {
	to, currency components.ID
	sum          int64
	overflow     bool // the credits alone already exceed int64
}

func (cs *credits) reset() { cs.c = cs.c[:0] }

// add records a credit of amount (≥ 0) to the wallet of to.
func (cs *credits) add(to, currency components.ID, amount int64) {
	for i := range cs.c {
		if c := &cs.c[i]; c.to == to && c.currency == currency {
			var ok bool
			if c.sum, ok = components.AddInt64(c.sum, amount); !ok || amount < 0 {
				c.overflow = true
			}
			return
		}
	}
	cs.c = append(cs.c, credit{to: to, currency: currency, sum: amount, overflow: amount < 0})
}

// overflows returns the first recorded wallet whose balance cannot take
// the sum of its credits, or 0. A wallet that is gone is not checked: the
// operation checks that itself (TillGone) before it credits anything.
func (cs *credits) overflows(w *ecs.World) components.ID {
	for _, c := range cs.c {
		wal := TillWallet(w, c.to)
		if wal == nil {
			continue
		}
		if c.overflow || !wal.CanCredit(c.currency, c.sum) {
			return c.to
		}
	}
	return 0
}
