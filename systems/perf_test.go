package systems

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
)

func fieldNames(v any) []string {
	t := reflect.TypeOf(v)
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Name
	}
	return out
}

// resolvePorts resets p.Pay and p.Ship field by field (a composite literal
// costs 8% of a purchase), so a field added to Payment or Delivery would
// keep the previous intent's value. This test fails until resolvePorts
// sets the new field too and the list below is updated.
func TestPlanResetSetsEveryField(t *testing.T) {
	assert.Equal(t, []string{"Buyer", "Payer", "Entity", "Request", "Dues"}, fieldNames(Payment{}))
	assert.Equal(t, []string{"Buyer", "Target", "Entity", "Goods"}, fieldNames(Delivery{}))
}
