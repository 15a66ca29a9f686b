package systems

import "github.com/tickecon/tickecon/components"

// DisableSlim sends every intent of p down the general path, so that tests
// can compare it with the slim one.
func DisableSlim(p *PurchaseSystem) { p.noSlim = true }

// AlwaysLookAhead makes p prefetch ahead in worlds of any size, so that
// tests can check the look-ahead changes nothing.
func AlwaysLookAhead(p *PurchaseSystem) { p.aheadAlways = true }

// ReceiptRow returns open receipt id's row, to tamper with behind the
// log's back.
func ReceiptRow(m *CommerceMaps, id components.ID) *components.Receipt { return m.rows.row(id) }
