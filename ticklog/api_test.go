package ticklog_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tickecon/tickecon/ticklog"
)

// The fault-injection hook of the tests is not part of Options.
func TestOptionsHaveNoTestSeam(t *testing.T) {
	f, ok := reflect.TypeOf(ticklog.Options{}).FieldByName("WrapFile")
	assert.False(t, ok && f.IsExported(), "Options.WrapFile is exported")
}
