package replay_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/replay"
)

// A field diff's JSON keys are lower case like the desync report around
// it, and a report written with the old capitalised keys still decodes.
func TestFieldDiffJSONKeys(t *testing.T) {
	d := replay.FieldDiff{ID: 12, Component: "Wallet", Field: "Balances[0].Amount", Expected: "100", Actual: "99"}
	data, err := json.Marshal(d)
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":12,"component":"Wallet","field":"Balances[0].Amount","expected":"100","actual":"99"}`, string(data))

	var old replay.FieldDiff
	require.NoError(t, json.Unmarshal([]byte(`{"ID":12,"Component":"Wallet","Field":"Balances[0].Amount","Expected":"100","Actual":"99"}`), &old))
	assert.Equal(t, d, old)
}
