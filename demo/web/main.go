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
	"net"
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

// run listens on addr at once and, unless given a prebuilt wasm, builds
// the demo while a waiting page answers: the first build takes minutes,
// and a browser pointed at the address should say so rather than find
// the connection refused.
func run(addr, wasm string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err // a busy port is reported now, not after the build
	}
	b := &Building{}
	done := make(chan error, 1)
	go func() { done <- http.Serve(ln, b) }()
	if wasm == "" {
		dir, err := os.MkdirTemp("", "tickecon-web-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		log.Printf("building the demo for the browser (GOOS=js GOARCH=wasm)… the first build takes minutes (about 4½ on two cores), later ones seconds; http://%s shows a waiting page meanwhile", ln.Addr())
		if wasm, err = BuildWasm(dir); err != nil {
			b.Failed(err)
			return err
		}
	}
	h, err := NewHandler(wasm)
	if err != nil {
		b.Failed(err)
		return err
	}
	b.Ready(h)
	log.Printf("serving the demo shop on http://%s", ln.Addr())
	return <-done
}
