package main

import (
	_ "embed"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

//go:embed index.html
var indexHTML []byte

// demoPkg is the ebiten demo, built for the browser.
const demoPkg = "github.com/tickecon/tickecon/demo"

// BuildWasm builds the demo for GOOS=js GOARCH=wasm into dir and returns
// the path of demo.wasm. It runs the go command, so it needs the module's
// source (run it from inside the repository).
func BuildWasm(dir string) (string, error) {
	out := filepath.Join(dir, "demo.wasm")
	cmd := exec.Command("go", "build", "-o", out, demoPkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the demo for wasm: %w\n%s", err, msg)
	}
	return out, nil
}

// WasmExec finds wasm_exec.js in the Go toolchain ($(go env GOROOT)/lib/wasm;
// misc/wasm before Go 1.24). It must match the toolchain that built the wasm.
func WasmExec() (string, error) {
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		p := filepath.Join(strings.TrimSpace(string(root)), dir, "wasm_exec.js")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("wasm_exec.js not found under %s", strings.TrimSpace(string(root)))
}

// NewHandler serves the page, wasm_exec.js and the demo's wasm file.
func NewHandler(wasm string) (http.Handler, error) {
	if _, err := os.Stat(wasm); err != nil {
		return nil, err
	}
	exec, err := WasmExec()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(indexHTML)
	})
	mux.HandleFunc("GET /wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		http.ServeFile(w, r, exec)
	})
	mux.HandleFunc("GET /demo.wasm", func(w http.ResponseWriter, r *http.Request) {
		// instantiateStreaming insists on this type.
		w.Header().Set("Content-Type", "application/wasm")
		http.ServeFile(w, r, wasm)
	})
	return mux, nil
}

// waitingHTML is the page served while the demo builds: it reloads
// itself every few seconds, so the demo appears once it is ready instead
// of the browser showing a refused connection for minutes.
const waitingHTML = `<!doctype html>
<meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>tickecon demo shop · building…</title>
<body style="font-family:sans-serif;background:#14161c;color:#dde">
<h1>Building the demo for the browser…</h1>
<p>The first build compiles the game and its graphics library for WebAssembly:
it takes minutes (about 4½ on two cores); later ones take seconds.
This page reloads itself and shows the demo when it is ready.</p>
`

// Building serves a waiting page (and 503 for everything else) until
// Ready or Failed is called, then the demo's handler or the build error.
// go run ./demo/web listens at once with it, so the address answers while
// the demo builds.
type Building struct {
	mu  sync.Mutex
	h   http.Handler // set by Ready
	err error        // set by Failed
}

// Ready makes b serve h from now on.
func (b *Building) Ready(h http.Handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.h = h
}

// Failed makes b answer every request with the build error.
func (b *Building) Failed(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.err = err
}

// ServeHTTP implements http.Handler.
func (b *Building) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	h, err := b.h, b.err
	b.mu.Unlock()
	switch {
	case h != nil:
		h.ServeHTTP(w, r)
	case err != nil:
		http.Error(w, "the demo did not build: "+err.Error(), http.StatusInternalServerError)
	case r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Retry-After", "3")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, waitingHTML)
	default:
		w.Header().Set("Retry-After", "3")
		http.Error(w, "the demo is still building", http.StatusServiceUnavailable)
	}
}
