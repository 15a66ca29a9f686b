package components

// Balance is an amount of one currency, in integer minor units.
type Balance struct {
	Currency ID
	Amount   int64
}

// Wallet holds balances per currency, sorted by currency id so that
// iteration (checksums, UIs, logs) is deterministic. Amounts never go below
// zero: every debit is validated before it is applied.
type Wallet struct {
	Balances []Balance
}

// index returns the position of currency c, or where it would be inserted.
func (w *Wallet) index(c ID) (int, bool) {
	lo, hi := 0, len(w.Balances)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if w.Balances[m].Currency < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(w.Balances) && w.Balances[lo].Currency == c
}

// Balance returns the amount of currency c held (0 if none).
func (w *Wallet) Balance(c ID) int64 {
	if i, ok := w.index(c); ok {
		return w.Balances[i].Amount
	}
	return 0
}

// Amount returns where the amount of currency c is kept, or nil if the
// wallet has no slot for c (its balance is 0). Checking and then writing
// through one pointer finds the slot once instead of at every call. It is
// for systems inside a tick, which emit an event for every change: game
// code reads balances with World.Balance and changes them with commands,
// never through this pointer (a write outside a system is money the log
// and the checksum never see). The pointer is valid until the wallet
// gains a currency slot (Credit of a new currency) or the entity moves.
func (w *Wallet) Amount(c ID) *int64 {
	if i, ok := w.index(c); ok {
		return &w.Balances[i].Amount
	}
	return nil
}

// CanCredit reports whether amount (≥ 0) can be added without overflow.
func (w *Wallet) CanCredit(c ID, amount int64) bool {
	_, ok := AddInt64(w.Balance(c), amount)
	return ok && amount >= 0
}

// Credit adds amount (≥ 0) of currency c. The caller validates with
// CanCredit first; Credit itself never fails half-way.
func (w *Wallet) Credit(c ID, amount int64) {
	i, ok := w.index(c)
	if ok {
		w.Balances[i].Amount += amount
		return
	}
	// Insert keeps the slice sorted; steady state never reaches here because
	// wallets are opened with a slot for every known currency.
	w.Balances = append(w.Balances, Balance{})
	copy(w.Balances[i+1:], w.Balances[i:])
	w.Balances[i] = Balance{Currency: c, Amount: amount}
}

// Debit removes amount (0 ≤ amount ≤ Balance(c)) of currency c.
// The caller validates first. Empty balances keep their slot so that the
// next credit does not allocate.
func (w *Wallet) Debit(c ID, amount int64) {
	if i, ok := w.index(c); ok {
		w.Balances[i].Amount -= amount
	}
}
