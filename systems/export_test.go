package systems

// DisableSlim sends every intent of p down the general path, so that tests
// can compare it with the slim one.
func DisableSlim(p *PurchaseSystem) { p.noSlim = true }

// AlwaysLookAhead makes p prefetch ahead in worlds of any size, so that
// tests can check the look-ahead changes nothing.
func AlwaysLookAhead(p *PurchaseSystem) { p.aheadAlways = true }
