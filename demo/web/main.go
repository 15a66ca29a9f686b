// Command web serves the tickecon demo shop to a browser: it builds the
// demo for GOOS=js GOARCH=wasm, then serves it with the Go toolchain's
// wasm_exec.js and a small page.
//
//	go run ./demo/web                 # then open http://localhost:8080
//	go run ./demo/web -addr :9000     # another port, all interfaces
//
// The page's query becomes the demo's flags: ?seed=3&tps=60 runs
// `demo -seed=3 -tps=60`. Record and replay (-record, -replay) need a
// file system and are not available in the browser.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to serve on")
	wasm := flag.String("wasm", "", "serve this prebuilt demo.wasm instead of building one")
	flag.Parse()
	if err := run(*addr, *wasm); err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		os.Exit(1)
	}
}

func run(addr, wasm string) error {
	if wasm == "" {
		dir, err := os.MkdirTemp("", "tickecon-web-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		log.Print("building the demo for the browser (GOOS=js GOARCH=wasm)…")
		if wasm, err = BuildWasm(dir); err != nil {
			return err
		}
	}
	h, err := NewHandler(wasm)
	if err != nil {
		return err
	}
	log.Printf("serving the demo shop on http://%s", addr)
	return http.ListenAndServe(addr, h)
}
