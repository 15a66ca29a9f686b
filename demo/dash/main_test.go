package dash

import (
	"os"
	"testing"
)

// TestMain lets this test binary be the dashboard's child process, as the
// demo's mains are (Follower starts the running executable again).
func TestMain(m *testing.M) {
	if Child() {
		os.Exit(0)
	}
	os.Exit(m.Run())
}
