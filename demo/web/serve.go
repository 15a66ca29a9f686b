package main

import (
	_ "embed"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
