package allocs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/internal/allocs"
)

var sink []byte

// One allocation in 20 runs is invisible to AllocsPerRun's rounded-down
// average, but not to Total.
func TestTotalSeesWhatAllocsPerRunRoundsAway(t *testing.T) {
	i := 0
	rare := func() {
		i++
		if i%20 == 0 {
			sink = make([]byte, 64)
		}
	}
	assert.Zero(t, testing.AllocsPerRun(19, rare), "the rounding this package exists for")
	i = 0
	assert.Equal(t, uint64(5), allocs.Total(100, rare))
	assert.Zero(t, allocs.Total(100, func() {}))
}
