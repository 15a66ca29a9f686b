//go:build !js

package main

import "github.com/tickecon/tickecon/demo/shop"

// publish and poll only do something in the browser (page_js.go).
func publish(*shop.Model) {}
func (g *game) poll()     {}
