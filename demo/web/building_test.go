package main

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While the demo builds, the address answers with a page that says so
// and reloads itself; then the demo is served (issue 22: for the minutes
// of the first build the browser found the connection refused).
func TestWaitingPageWhileBuilding(t *testing.T) {
	b := &Building{}
	srv := httptest.NewServer(b)
	defer srv.Close()
	get := func(path string) (int, string) {
		res, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, string(body)
	}
	code, body := get("/")
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "Building the demo for the browser…")
	assert.Contains(t, body, "takes minutes")
	assert.Contains(t, body, `http-equiv="refresh"`)
	code, _ = get("/demo.wasm")
	assert.Equal(t, http.StatusServiceUnavailable, code)

	b.Ready(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "the demo") }))
	code, body = get("/")
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "the demo", body)

	f := &Building{}
	f.Failed(errors.New("no go command"))
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, rec.Body.String(), "the demo did not build: no go command")
}
