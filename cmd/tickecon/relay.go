package main

import (
	"fmt"
	"io"
)

// relayMoved answers `tickecon relay …`: the relay links NATS (nats.go and
// nats-server), so it is its own command, cmd/tickecon-relay; this one
// stays free of them for games that run it with `go run` or `go tool`.
func relayMoved(stderr io.Writer) int {
	fmt.Fprintln(stderr, "tickecon: the relay is its own command: go run github.com/tickecon/tickecon/cmd/tickecon-relay [flags] FILE")
	return exitUsage
}
