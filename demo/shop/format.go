package shop

import (
	"strconv"
	"strings"
)

// FormatAmount renders an integer amount of minor units with the given
// number of decimals: (1234, 2) → "12.34", (-5, 2) → "-0.05", (7, 0) → "7".
// It works on integers only, so no float rounding ever shows in the UI.
func FormatAmount(amount int64, decimals uint8) string {
	neg := amount < 0
	// uint64 negation handles MinInt64, whose magnitude does not fit int64.
	mag := uint64(amount)
	if neg {
		mag = -mag
	}
	digits := strconv.FormatUint(mag, 10)
	d := int(decimals)
	if d > 0 {
		if len(digits) <= d {
			digits = strings.Repeat("0", d-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-d] + "." + digits[len(digits)-d:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}
