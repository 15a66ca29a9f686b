package lockstep_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/cluster/lockstep"
)

// The frame-delay hook of the tests is not part of PeerConfig.
func TestPeerConfigHasNoTestSeam(t *testing.T) {
	f, ok := reflect.TypeOf(lockstep.PeerConfig{}).FieldByName("Jitter")
	assert.False(t, ok && f.IsExported(), "PeerConfig.Jitter is exported")
}
