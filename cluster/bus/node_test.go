package bus

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// nodeDir holds the Node.js consumer docs/nats.md shows.
var nodeDir = filepath.Join("..", "..", "examples", "node")

// needNode returns the paths of node and npm, or skips the test when they
// are missing outside CI (./test installs them; under CI=true their
// absence fails).
func needNode(t *testing.T) (node, npm string) {
	t.Helper()
	node, err1 := exec.LookPath("node")
	npm, err2 := exec.LookPath("npm")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: node and npm are required for the Node.js consumer test (./test installs them): %v %v", err1, err2)
		}
		t.Skip("node or npm not found: the Node.js consumer (examples/node) is not tested here; CI runs it")
	}
	return node, npm
}

var npmOnce sync.Once

// npmCI installs examples/node's pinned packages (package-lock.json) once
// per test process.
func npmCI(t *testing.T, npm string) {
	var out []byte
	var err error
	ran := false
	npmOnce.Do(func() {
		ran = true
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		ci := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
		ci.Dir = nodeDir
		out, err = ci.CombinedOutput()
	})
	if ran {
		require.NoError(t, err, "npm ci in examples/node: %s", out)
	}
	_, err = os.Stat(filepath.Join(nodeDir, "node_modules", "nats"))
	require.NoError(t, err, "npm ci failed in an earlier test")
}

// kindTally is what the consumer prints per kind: its events and the sum
// of each money field (the view fields held in Event.Amount and Rest).
type kindTally struct {
	Count int               `json:"count"`
	Money map[string]string `json:"money"`
}

// exportTally tallies the events of `tickecon export` of a log (the same
// ticklog.ExportJSONL): counts per kind, exact money sums.
func exportTally(t *testing.T, path string) (map[string]kindTally, int) {
	var jl bytes.Buffer
	require.NoError(t, ticklog.ExportJSONL(path, &jl))
	sums := map[string]map[string]*big.Int{}
	counts := map[string]int{}
	total := 0
	sc := bufio.NewScanner(&jl)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var line struct {
			Type   string         `json:"type"`
			Events []events.Event `json:"events"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
		for _, ev := range line.Events {
			k := ev.Kind.String()
			counts[k]++
			total++
			if sums[k] == nil {
				sums[k] = map[string]*big.Int{}
			}
			for _, f := range ev.Kind.Fields() {
				v := map[string]int64{"Amount": ev.Amount, "Rest": ev.Rest}
				if n, ok := v[f.Event]; ok {
					if sums[k][f.View] == nil {
						sums[k][f.View] = new(big.Int)
					}
					sums[k][f.View].Add(sums[k][f.View], big.NewInt(n))
				}
			}
		}
	}
	require.NoError(t, sc.Err())
	out := map[string]kindTally{}
	for k, n := range counts {
		m := map[string]string{}
		for f, s := range sums[k] {
			m[f] = s.String()
		}
		out[k] = kindTally{Count: n, Money: m}
	}
	return out, total
}

// A consumer written in Node.js (examples/node, the official nats package
// and ajv, pinned in its package-lock.json) reads a relayed commerce
// session's stream, validates every event against docs/schema, and its
// counts per kind and money totals equal `tickecon export` of the log;
// then it sends a JSON command to the inbox and gets the world's answer.
func TestNodeConsumer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Node.js consumer test runs npm ci")
	}
	node, npm := needNode(t)
	npmCI(t, npm)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	r := newRig(t, systems.DefaultConfig)
	r.startRelay()
	r.startInbox(InboxConfig{Accept: []events.Kind{events.Minted}})
	for range 150 {
		r.tick(20, 5, 0)
	}
	// Everything so far durable and in the stream; the world then waits
	// (no tick) until the consumer's command arrives, so the stream holds
	// exactly the exported ticks while it reads.
	require.NoError(t, r.g.lw.Sync())
	last, _ := r.g.lw.Durable()
	r.h.Set(last)
	require.Eventually(t, func() bool {
		st := r.relay.Stats()
		return st.HasTick && st.LastTick >= last
	}, 30*time.Second, 10*time.Millisecond)
	want, total := exportTally(t, r.g.path)

	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, node, "consumer.js", r.box.URL(), world, "250")
	cmd.Dir, cmd.Stdout, cmd.Stderr = nodeDir, &stdout, &stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	var runErr error
loop:
	for {
		select {
		case runErr = <-exited:
			break loop
		default:
		}
		require.True(t, time.Now().Before(deadline), "the Node.js consumer did not finish: %s", stderr.String())
		if r.inbox.Stats().Received == 0 {
			time.Sleep(5 * time.Millisecond) // pace the wait, the world stays still
			continue
		}
		r.tick(0, 0, time.Millisecond) // the command is applied, its tick made durable
	}
	require.NoError(t, runErr, "node consumer.js: %s", stderr.String())

	var got struct {
		Events   int                  `json:"events"`
		Kinds    map[string]kindTally `json:"kinds"`
		Player   string               `json:"player"`
		Currency string               `json:"currency"`
		Reply    Reply                `json:"reply"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), stdout.String())
	require.Equal(t, total, got.Events)
	require.Equal(t, want, got.Kinds)
	require.Greater(t, len(got.Kinds), 8, "a commerce session: many kinds")
	require.NotZero(t, want["PurchaseCompleted"].Count)

	require.Equal(t, ReplyApplied, got.Reply.Status, "%+v", got.Reply)
	require.NotNil(t, got.Reply.Event)
	require.Equal(t, events.Minted, got.Reply.Event.Kind)
	require.Equal(t, int64(250), got.Reply.Event.Amount)
	require.Equal(t, got.Player, strconv.FormatUint(uint64(got.Reply.Event.Subject), 10))
	require.Greater(t, got.Reply.Tick, last)
}

// Every kind's CloudEvents form, as the Go encoder writes it (a batch
// with every view field set and a CommandRejected carrying a refused
// command in data.Other, and a single structured-mode event), validates
// against docs/schema: the schemas and the encoder agree on every kind,
// not only those a session happens to emit.
func TestSchemasAcceptEveryKind(t *testing.T) {
	node, npm := needNode(t)
	npmCI(t, npm)
	dir := t.TempDir()
	var files []string
	n := 0
	for k := events.Kind(1); k.Valid(); k++ {
		ev := events.Event{Kind: k, Tick: 5, Ticket: 3, Reason: events.ReasonOutOfStock, Of: events.Minted,
			Subject: 1, Object: 2, Till: 3, Ref: 4, Item: 5, Currency: 6, Qty: -7, Amount: -1 << 63, Rest: 1<<63 - 1,
			Size: 8, Request: 1<<64 - 1, At: 10, Name: "Ünïcode \"quoted\"\n"}
		used := map[string]bool{}
		for _, f := range k.Fields() {
			used[f.Event] = true
		}
		if k != events.CommandRejected { // the others conform: only their view's fields
			ev = keepFields(ev, used)
		}
		zero := ev
		zero = keepFields(zero, nil)
		zero.Kind, zero.Tick = k, 5
		for i, single := range []bool{false, true} {
			evs, ids := []events.Event{ev, zero}, []EventID{{5, 0}, {5, 1}}
			if single {
				evs, ids = evs[:1], ids[:1]
			}
			p, err := AppendCloudEvents(nil, "shop_1-a", k, evs, ids, single)
			require.NoError(t, err)
			f := filepath.Join(dir, k.String()+strconv.Itoa(i)+".json")
			require.NoError(t, os.WriteFile(f, p, 0o644))
			files = append(files, f)
			n += len(evs)
		}
	}
	cmd := exec.Command(node, append([]string{"validate.js"}, files...)...)
	cmd.Dir = nodeDir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, strconv.Itoa(n), string(bytes.TrimSpace(out)))
}

// keepFields zeroes the Event fields (Tick, Kind, Ticket aside) not in keep.
func keepFields(ev events.Event, keep map[string]bool) events.Event {
	z := func(name string, f func()) {
		if !keep[name] {
			f()
		}
	}
	z("Reason", func() { ev.Reason = 0 })
	z("Of", func() { ev.Of = 0 })
	z("Subject", func() { ev.Subject = 0 })
	z("Object", func() { ev.Object = 0 })
	z("Till", func() { ev.Till = 0 })
	z("Ref", func() { ev.Ref = 0 })
	z("Item", func() { ev.Item = 0 })
	z("Currency", func() { ev.Currency = 0 })
	z("Qty", func() { ev.Qty = 0 })
	z("Amount", func() { ev.Amount = 0 })
	z("Rest", func() { ev.Rest = 0 })
	z("Size", func() { ev.Size = 0 })
	z("Request", func() { ev.Request = 0 })
	z("At", func() { ev.At = 0 })
	z("Name", func() { ev.Name = "" })
	return ev
}

// The Go constant and the generated schemas name the same version.
func TestSchemaVersionHasItsSchemas(t *testing.T) {
	require.FileExists(t, filepath.Join("..", "..", "docs", "schema", "v"+strconv.Itoa(SchemaVersion), "cloudevent.json"))
}

// docs/nats.md shows the consumer whole: the two copies stay the same.
func TestReadmeShowsTheNodeConsumer(t *testing.T) {
	js, err := os.ReadFile(filepath.Join(nodeDir, "consumer.js"))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join("..", "..", "docs", "nats.md"))
	require.NoError(t, err)
	require.Contains(t, string(readme), "```js\n"+string(js)+"```\n", "docs/nats.md's copy of examples/node/consumer.js is stale")
}
