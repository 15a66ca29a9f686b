// Package components is a second package named components, for tests that
// component types are named by their full package path in snapshots.
package components

// Wallet has the same package and type name as tickecon's Wallet.
type Wallet struct {
	Gems int64
}
