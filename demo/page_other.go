//go:build !js

package main

import "github.com/tickecon/tickecon/demo/shop"

// publish only does something in the browser (page_js.go).
func publish(*shop.Model) {}
