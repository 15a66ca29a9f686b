//go:build !js

package main

import (
	"io"

	"github.com/tickecon/tickecon/demo/dash"
	"github.com/tickecon/tickecon/demo/shop"
)

// hookDash is the -dash flag (demo/dash). The browser build has no file
// to follow and no server to run (dash_js.go), and links none of it.
func hookDash(o *shop.Options, addr string, stdout io.Writer) error {
	return dash.Hook(o, addr, stdout)
}

// dashChild serves the dashboard if this process is the one -dash started
// (dash.Child) and reports whether it did.
func dashChild() bool { return dash.Child() }
