package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/internal/syncbuf"
	"github.com/tickecon/tickecon/report"
)

func TestReportWritesOnceAndRefusesToReplace(t *testing.T) {
	dir := t.TempDir()
	a, out := filepath.Join(dir, "a.log"), filepath.Join(dir, "r.html")
	code, _, errs := tool("record", "-commerce", "-ticks", "150", "-players", "30", a)
	require.Equal(t, exitOK, code, errs)

	code, stdout, errs := tool("report", a, "-o", out)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, stdout, "ticks 0–149")
	assert.Contains(t, stdout, "supply cross-check ok")
	page, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.Contains(page, []byte(`id="supply-1" data-minor="`)), "the exact supply cell")
	assert.True(t, bytes.Contains(page, []byte("uPlot (v1.6.32)")), "uPlot is inlined")

	// An existing target is refused, and left as it was.
	require.NoError(t, os.WriteFile(out, []byte("mine"), 0o644))
	code, _, errs = tool("report", "-o", out, a)
	assert.Equal(t, exitBadFile, code)
	assert.Equal(t, "tickecon: "+out+": exists; left as it is (-force replaces it)\n", errs, "as record and import say it")
	kept, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "mine", string(kept))
	code, _, errs = tool("report", "-o", out, "-force", a)
	assert.Equal(t, exitOK, code, errs)
	page2, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, page, page2, "the same log gives the same page")

	// Never the log itself, even with -force.
	code, _, errs = tool("report", "-o", a, "-force", a)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "is the log itself")
	code, _, errs = tool("verify", a)
	assert.Equal(t, exitOK, code, errs)

	// Without -o: next to the log.
	code, _, errs = tool("report", a)
	assert.Equal(t, exitOK, code, errs)
	assert.FileExists(t, filepath.Join(dir, "a.html"))

	code, _, errs = tool("report", "-wealth-at", "1,x", a)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `"x" is not a tick`)

	tmps, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	require.NoError(t, err)
	assert.Empty(t, tmps, "no temporary file is left")
}

// Bad logs get verify's one-line errors and exit codes; a torn log's
// report covers its good part, with a warning, exit 4.
func TestReportOfBadLogs(t *testing.T) {
	dir := t.TempDir()
	a, bad := filepath.Join(dir, "a.log"), filepath.Join(dir, "bad.log")
	code, _, _ := tool("record", "-ticks", "200", "-players", "10", "-snapshot-every", "0", a)
	require.Equal(t, exitOK, code)
	data, err := os.ReadFile(a)
	require.NoError(t, err)
	out := func(name string) string { return filepath.Join(dir, name+".html") }

	broken := bytes.Clone(data)
	broken[len(broken)*3/4] ^= 0x20
	require.NoError(t, os.WriteFile(bad, broken, 0o644))
	_, _, verr := tool("verify", bad)
	code, _, errs := tool("report", "-o", out("bad"), bad)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, bad+": replay log corrupt at byte")
	assert.Equal(t, 1, strings.Count(errs, "\n"), "one line")
	assert.Equal(t, strings.SplitN(verr, " (after", 2)[0], strings.TrimSuffix(errs, "\n"), "verify's message")
	assert.NoFileExists(t, out("bad"))

	require.NoError(t, os.WriteFile(bad, data[:len(data)-5], 0o644))
	code, stdout, errs := tool("report", "-o", out("torn"), bad)
	assert.Equal(t, exitTorn, code)
	assert.Contains(t, errs, "torn tail")
	assert.Contains(t, errs, "the report covers every complete tick before it")
	assert.Contains(t, stdout, "ticks 0–198")
	page, err := os.ReadFile(out("torn"))
	require.NoError(t, err)
	assert.True(t, bytes.Contains(page, []byte(`id="torn"`)), "the page says it is torn")

	require.NoError(t, os.WriteFile(bad, nil, 0o644))
	code, _, errs = tool("report", "-o", out("empty"), bad)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "file too short for a header")
	assert.NoFileExists(t, out("empty"))

	// A header and no tick: nothing to report.
	_, dump, _ := tool("dump", a)
	at := strings.SplitN(strings.SplitN(dump, "\n", 3)[1], " ", 2)[0] // "@N tick 0 …": where the first record starts
	first, err := strconv.Atoi(strings.TrimPrefix(at, "@"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bad, data[:first], 0o644))
	code, _, errs = tool("report", "-o", out("hdr"), bad)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "holds no complete tick")

	code, _, errs = tool("report", "-o", out("dir"), dir)
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, dir+": is a directory, not a replay log")
	code, _, errs = tool("report", "-o", dir, "-force", a)
	assert.Equal(t, exitBadFile, code)
	assert.Equal(t, "tickecon: "+dir+": is a directory\n", errs, "never replaced, even with -force")
}

// tickecon dash serves the live page and its event stream for a log,
// and stops on a signal.
func TestDashServesTheLivePage(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.log")
	code, _, errs := tool("record", "-ticks", "30", "-players", "10", a)
	require.Equal(t, exitOK, code, errs)
	stop := make(chan os.Signal, 1)
	var out, errb syncbuf.Buffer
	done := make(chan int, 1)
	go func() { done <- dash(a, "127.0.0.1:0", report.Options{}, 50*time.Millisecond, stop, &out, &errb) }()
	var url string
	require.Eventually(t, func() bool {
		_, rest, ok := strings.Cut(out.String(), "http://")
		url, _, _ = strings.Cut(rest, " ")
		return ok
	}, time.Minute, 10*time.Millisecond, "dash prints its address")
	url = "http://" + url
	// The page, once the follower read the ticks (a waiting page before).
	// page is written by Eventually's condition (its own goroutine: no
	// require inside) and read after Eventually returned.
	var page string
	require.Eventually(t, func() bool {
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		page = string(b)
		return err == nil && strings.Contains(page, "ticks 0–29 (30 ticks)")
	}, time.Minute, 20*time.Millisecond)
	assert.Contains(t, page, `"live":"events"`)
	assert.Contains(t, page, `id="supply-1" data-minor="`)
	// One event of the stream: the report's data.
	resp, err := http.Get(url + "events")
	require.NoError(t, err)
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	resp.Body.Close()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(line, `data: {"charts":[`), line)
	assert.Contains(t, line, `"lastTick":29`)
	assert.Equal(t, "404 page not found\n", get(t, url+"nope"))

	stop <- os.Interrupt
	assert.Equal(t, exitOK, <-done)
	assert.Empty(t, errb.String())

	code, _, errs = tool("dash", filepath.Join(dir, "nope.log"))
	assert.Equal(t, exitBadFile, code)
	assert.Contains(t, errs, "no such file")
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}
