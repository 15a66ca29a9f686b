package systems

// DisableSlim sends every intent of p down the general path, so that tests
// can compare it with the slim one.
func DisableSlim(p *PurchaseSystem) { p.noSlim = true }
