package multi

import (
	"os"
	"testing"

	"github.com/tickecon/tickecon/demo/dash"
)

// TestMain lets this test binary be -dash's child process, as the demo's
// mains are (dash.NewFeed starts the running executable again).
func TestMain(m *testing.M) {
	if dash.Child() {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
