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
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/events"
	"github.com/tickecon/tickecon/systems"
	"github.com/tickecon/tickecon/ticklog"
)

// nodeDir holds the Node.js consumer the README shows.
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ci := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
	ci.Dir = nodeDir
	out, err := ci.CombinedOutput()
	require.NoError(t, err, "npm ci in examples/node: %s", out)

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
