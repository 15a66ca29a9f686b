package shard

import (
	"fmt"

	"github.com/tickecon/tickecon/components"
)

// Addr names an entity anywhere in a sharded economy: its shard's number
// in the top 16 bits and its stable id on that shard below. Shard numbers
// start at 1, so an address is never a plain local id, and a world that
// meets one where it expects a local id finds no such entity.
type Addr uint64

// idBits is how many low bits of an Addr hold the local stable id.
const idBits = 48

// MaxLocalID is the largest stable id an address can name (2⁴⁸−1: a world
// allocating a million ids a second reaches it after nine years).
const MaxLocalID = components.ID(1)<<idBits - 1

// AddrOf returns the address of id on shard n (n ≥ 1, id ≤ MaxLocalID;
// otherwise 0, which names nothing).
func AddrOf(n uint16, id components.ID) Addr {
	if n == 0 || id == 0 || id > MaxLocalID {
		return 0
	}
	return Addr(uint64(n)<<idBits | uint64(id))
}

// Shard returns the address's shard number (0: not an address).
func (a Addr) Shard() uint16 { return uint16(a >> idBits) }

// ID returns the stable id on the address's shard.
func (a Addr) ID() components.ID { return components.ID(a) & MaxLocalID }

// Valid reports whether a names an entity: a shard and a non-zero id.
func (a Addr) Valid() bool { return a.Shard() != 0 && a.ID() != 0 }

// String renders "2:17" (entity 17 on shard 2).
func (a Addr) String() string { return fmt.Sprintf("%d:%d", a.Shard(), a.ID()) }

// AddrError is an address that names no shard or entity a call can use.
type AddrError struct {
	Addr Addr
	Msg  string
}

// Error implements error.
func (e *AddrError) Error() string { return fmt.Sprintf("shard: address %v: %s", e.Addr, e.Msg) }
