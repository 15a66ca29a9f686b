//go:build !js

package main

import "github.com/tickecon/tickecon/demo/shop"

// openSession opens the session the flags ask for (page_js.go records
// the browser's in memory instead).
func openSession(o shop.Options) (*shop.Model, func() error, error) { return shop.Open(o) }

// publish and poll only do something in the browser (page_js.go).
func publish(*shop.Model) {}
func (g *game) poll()     {}
