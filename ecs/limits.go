package ecs

import "math"

// Limits every command and content file is held to. They make the count
// of an item in one inventory fit an int64 whatever it holds: a full
// inventory of MaxCapacity slots of MaxStack units each is below
// math.MaxInt64, so no inventory count can overflow.
const (
	// MaxCapacity is the most slots an inventory may have.
	MaxCapacity = 1 << 16
	// MaxStack is the most units one inventory slot of an item may hold
	// (ItemDefined Qty, content max_stack): about 1.4·10^14.
	MaxStack int64 = math.MaxInt64 / MaxCapacity
	// MaxDecimals is the most minor-unit digits a currency may show.
	MaxDecimals = 18
)
