//go:build js

package main

import (
	"errors"
	"io"

	"github.com/tickecon/tickecon/demo/shop"
)

// hookDash: in the browser there is no log file to follow (see
// dash_other.go).
func hookDash(_ *shop.Options, addr string, _ io.Writer) error {
	if addr != "" {
		return errors.New("-dash is not available in the browser")
	}
	return nil
}

// dashChild: the browser build starts no dashboard process.
func dashChild() bool { return false }
