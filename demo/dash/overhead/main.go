// Command overhead measures what a live dashboard costs the recording
// game (issue 27: "the live dashboard adds ≤ 1% to the recording game's
// tick"). It plays the demo shop with -record for -ticks ticks as fast as
// it goes, -runs times per mode, the modes interleaved (their order
// rotating each run), with an HTTP client reading the page's event stream
// as an open page would:
//
//	none     no dashboard
//	inproc   report.Follow replays the log in a goroutine of the game's process (the demo's -dash before)
//	file     the demo's -dash: report.Follow in a child process (demo/dash.Follower, Child)
//	feed     demo/dash.Feed: a world subscriber hands events to a goroutine (events only; a -host's page)
//	process  `tickecon dash FILE` in a process of its own (-tickecon: its binary)
//
// The game loop runs locked to one OS thread, so the thread's CPU time
// (getrusage RUSAGE_THREAD) is the game goroutine's own: its tick, its
// log writes, and whatever the dashboard makes it pay (GC assists, write
// barriers, lock and channel waits, caches) but not the dashboard's work
// on other threads. The process's CPU time (with the child's for process)
// counts that work too. Medians and ranges per mode; the machine's load
// is printed at the start and the end.
//
//	go build -o /tmp/tickecon ./cmd/tickecon
//	go run ./demo/dash/overhead -runs 7 -ticks 20000 -tickecon /tmp/tickecon
//
// Under valgrind, instruction counts of the game's loop alone (the thread
// CPU of a loaded machine varies ±20% run to run; these do not):
//
//	go build -o /tmp/overhead ./demo/dash/overhead
//	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
//	  --separate-threads=yes --dump-before='main.markStart' --dump-before='main.markEnd' \
//	  --callgrind-out-file=/tmp/cg/file /tmp/overhead -warm=false -runs 1 -ticks 3000 -modes file
//
// The second dump's file of the thread that ran the loop (the one naming
// shop.(*Model).Run) holds the loop's instructions, whatever goroutine
// switches callgrind's call tracking loses (--toggle-collect loses them).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tickecon/tickecon/demo/dash"
	"github.com/tickecon/tickecon/demo/shop"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/report"
	"github.com/tickecon/tickecon/ticklog"
)

const rusageThread = 1 // RUSAGE_THREAD (Linux)

var noPage = flag.Bool("nopage", false, "open no page: the dashboards follow without making updates")

func cpu(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sync buffer for the address lines the dashboards print.
type lines struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *lines) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

var urlRe = regexp.MustCompile(`http://[0-9.:]+/`)

// watch reads the page's event stream like an open page and keeps the
// last tick it was told.
type watch struct {
	last atomic.Int64
	resp *http.Response
}

func openPage(out *lines) *watch {
	w := &watch{}
	w.last.Store(-1)
	deadline := time.Now().Add(30 * time.Second)
	for !urlRe.MatchString(out.String()) {
		if time.Now().After(deadline) {
			panic("no page address: " + out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	resp, err := http.Get(urlRe.FindString(out.String()) + "events")
	if err != nil {
		panic(err)
	}
	w.resp = resp
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "data: {") {
				continue
			}
			var m struct {
				LastTick int64 `json:"lastTick"`
			}
			if json.Unmarshal([]byte(line[6:]), &m) == nil {
				w.last.Store(m.LastTick)
			}
		}
	}()
	return w
}

type result struct {
	mode             string
	thread, wall     time.Duration // per tick
	proc             time.Duration // per tick, the dashboard's work included
	lagTicks, dashAt int64
}

func runOnce(mode, dir, tickecon string, ticks uint64, seed uint64) result {
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.log", mode, time.Now().UnixNano()))
	defer os.Remove(path)
	out := &lines{}
	var follow shop.Follower
	var cmd *exec.Cmd
	switch mode {
	case "file":
		follow = dash.Follower("127.0.0.1:0", nil, out)
	case "inproc":
		follow = func(string) (func(*ecs.World, *ticklog.Writer), func() error, error) {
			var d *report.Dash
			var srv *http.Server
			return func(*ecs.World, *ticklog.Writer) {
					var err error
					if d, err = report.Follow(path, report.Options{}, time.Second); err != nil {
						panic(err)
					}
					ln, err := net.Listen("tcp", "127.0.0.1:0")
					if err != nil {
						panic(err)
					}
					srv = &http.Server{Handler: d}
					go srv.Serve(ln)
					fmt.Fprintf(out, "http://%s/\n", ln.Addr())
				}, func() error {
					d.Close()
					return srv.Close()
				}, nil
		}
	case "feed":
		follow = func(string) (func(*ecs.World, *ticklog.Writer), func() error, error) {
			f, err := dash.NewFeed("127.0.0.1:0", "overhead", out)
			if err != nil {
				return nil, nil, err
			}
			return func(w *ecs.World, _ *ticklog.Writer) { f.Attach(w) }, func() error { f.Close(); return nil }, nil
		}
	case "process":
		follow = func(string) (func(*ecs.World, *ticklog.Writer), func() error, error) {
			return func(*ecs.World, *ticklog.Writer) {
					cmd = exec.Command(tickecon, "dash", "-addr", "127.0.0.1:0", path)
					cmd.Stdout, cmd.Stderr = out, out
					if err := cmd.Start(); err != nil {
						panic(err)
					}
				}, func() error {
					cmd.Process.Signal(os.Interrupt)
					return cmd.Wait()
				}, nil
		}
	}
	children0 := cpu(syscall.RUSAGE_CHILDREN)
	proc0 := cpu(syscall.RUSAGE_SELF)
	m, closeLog, err := shop.RecordFollowed(path, seed, follow)
	if err != nil {
		panic(err)
	}
	var w *watch
	if mode != "none" && !*noPage {
		w = openPage(out)
	}
	var r result
	r.mode = mode
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		t0, w0 := cpu(rusageThread), time.Now()
		markStart()
		m.Run(ticks)
		markEnd()
		r.thread = (cpu(rusageThread) - t0) / time.Duration(ticks)
		r.wall = time.Since(w0) / time.Duration(ticks)
		close(done)
	}()
	<-done
	if w != nil {
		r.dashAt = w.last.Load()
		// Let the dashboard catch up with what is synced, so its work is
		// all in the process CPU (bounded).
		deadline := time.Now().Add(2 * time.Minute)
		for w.last.Load() < int64(ticks)-40 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		r.lagTicks = int64(ticks) - r.dashAt
	}
	if err := closeLog(); err != nil && mode != "process" {
		panic(err)
	}
	if w != nil {
		w.resp.Body.Close()
	}
	r.proc = (cpu(syscall.RUSAGE_SELF) - proc0 + cpu(syscall.RUSAGE_CHILDREN) - children0) / time.Duration(ticks)
	return r
}

// markStart and markEnd bracket the game loop on its thread, for
// valgrind's --dump-before: the dump at markEnd holds what each thread
// executed since markStart.
//
//go:noinline
func markStart() { marks.Add(1) }

//go:noinline
func markEnd() { marks.Add(1) }

var marks atomic.Int64

func uptime() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(string(b))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func main() {
	if dash.Child() { // mode file's follower process
		return
	}
	runs := flag.Int("runs", 5, "runs per mode")
	ticks := flag.Uint64("ticks", 3000, "ticks per run")
	modesFlag := flag.String("modes", "none,inproc,file,feed,process", "modes, comma-separated")
	tickecon := flag.String("tickecon", "", "the tickecon binary (mode process)")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	warm := flag.Bool("warm", true, "a short run first, to warm the page cache and the code (off under valgrind: only the measured run calls Model.Run)")
	flag.Parse()
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			panic(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	modes := strings.Split(*modesFlag, ",")
	if slices.Contains(modes, "process") && *tickecon == "" {
		fmt.Fprintln(os.Stderr, "mode process needs -tickecon BINARY (go build -o /tmp/tickecon ./cmd/tickecon)")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "overhead-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	fmt.Printf("GOMAXPROCS=%d, %d ticks per run, %d runs per mode, load at start: %s\n", runtime.GOMAXPROCS(0), *ticks, *runs, uptime())
	res := map[string][]result{}
	if *warm {
		runOnce("none", dir, *tickecon, 200, 1)
	}
	for i := range *runs {
		for j := range modes {
			mode := modes[(i+j)%len(modes)] // the order rotates
			r := runOnce(mode, dir, *tickecon, *ticks, 1)
			res[mode] = append(res[mode], r)
			fmt.Printf("run %d %-8s game thread %6.1f µs/tick  wall %6.1f µs/tick  process+dash CPU %6.1f µs/tick  dash at tick %d when the game ended\n",
				i, mode, us(r.thread), us(r.wall), us(r.proc), r.dashAt)
		}
	}
	fmt.Printf("load at end: %s\n\nmedians (range) per tick:\n", uptime())
	base := map[string]time.Duration{}
	for _, mode := range modes {
		var th, wa, pr []time.Duration
		for _, r := range res[mode] {
			th, wa, pr = append(th, r.thread), append(wa, r.wall), append(pr, r.proc)
		}
		if mode == "none" {
			base["th"], base["wa"], base["pr"] = median(th), median(wa), median(pr)
		}
		rel := func(k string, v time.Duration) string {
			if b := base[k]; b > 0 && mode != "none" {
				return fmt.Sprintf(" (%+.1f%%)", 100*(float64(v)/float64(b)-1))
			}
			return ""
		}
		fmt.Printf("%-8s game thread CPU %6.1f µs%s [%.1f–%.1f]  wall %6.1f µs%s [%.1f–%.1f]  all CPU %6.1f µs%s [%.1f–%.1f]\n", mode,
			us(median(th)), rel("th", median(th)), us(slices.Min(th)), us(slices.Max(th)),
			us(median(wa)), rel("wa", median(wa)), us(slices.Min(wa)), us(slices.Max(wa)),
			us(median(pr)), rel("pr", median(pr)), us(slices.Min(pr)), us(slices.Max(pr)))
	}
}

func us(d time.Duration) float64 { return float64(d) / 1e3 }

var _ io.Writer = (*lines)(nil)
