package ticklog

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/internal/allocs"
	"github.com/tickecon/tickecon/internal/session"
	"github.com/tickecon/tickecon/internal/varint"
)

// unevenLog records a session whose ticks grow and shrink (0 to 80
// intents; tick 0's content events carry names, later ones mostly do
// not; paydays every 50 ticks) and returns the file's bytes.
func unevenLog(t *testing.T, ticks int, snapshotEvery uint64) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "uneven.log")
	c := session.Content(5, 30)
	s, err := session.New(5, c)
	require.NoError(t, err)
	w, err := Create(path, c, Options{SnapshotEvery: snapshotEvery, wrapFile: noSync})
	require.NoError(t, err)
	w.Record(s.World)
	sizes := []int{80, 0, 3, 60, 1, 40, 0, 0, 25}
	for i := range ticks {
		s.Step(sizes[i%len(sizes)])
	}
	require.NoError(t, w.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// With reuse on, every tick decodes to exactly what a fresh decode gives
// (Clone turns the reused record's empty lists into nil ones, as a fresh
// decode has them): no field of a longer or named earlier tick survives
// in a shorter or unnamed later one. Errors stay the same too.
func TestReusedTicksEqualFreshOnes(t *testing.T) {
	data := unevenLog(t, 300, 40)
	fresh, err := readAll(data)
	require.NoError(t, err)
	r, err := NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	r.SetReuse(true)
	var prev *ecs.TickRecord
	ticks := 0
	for i := 0; ; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			require.Equal(t, len(fresh), i)
			break
		}
		require.NoError(t, err)
		require.Less(t, i, len(fresh))
		assert.Equal(t, fresh[i].Offset, rec.Offset)
		if rec.Tick == nil {
			assert.Equal(t, fresh[i].Snapshot, rec.Snapshot, "record %d", i)
			continue
		}
		ticks++
		if prev != nil {
			require.Same(t, prev, rec.Tick, "one record, reused")
		}
		prev = rec.Tick
		require.NotNil(t, fresh[i].Tick)
		require.Equal(t, *fresh[i].Tick, rec.Tick.Clone(), "tick %d", fresh[i].Tick.Tick)
	}
	require.Equal(t, 300, ticks)

	// Damage after some good ticks: the same error, at the same record.
	bad := bytes.Clone(data)
	bad[len(bad)*2/3] ^= 0x40
	want, wantErr := readAll(bad)
	require.Error(t, wantErr)
	r, err = NewReader(bytes.NewReader(bad))
	require.NoError(t, err)
	r.SetReuse(true)
	n := 0
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
		n++
	}
	assert.Equal(t, len(want), n)
	assert.Equal(t, wantErr, err)
}

// Reading a log with reuse on allocates nothing per tick once the buffers
// have grown to the log's busiest tick (here: warmed up over the first
// 100 ticks, then 200 more read). Without reuse every tick allocates its
// lists.
func TestReusedTicksAllocateNothing(t *testing.T) {
	// 100 warm-up ticks, then up to three rounds of 200 (allocs.Total).
	data := unevenLog(t, 800, 0)
	count := func(reuse bool) uint64 {
		r, err := NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		r.SetReuse(reuse)
		for range 100 {
			_, err := r.Next()
			require.NoError(t, err)
		}
		var err2 error
		n := allocs.Total(200, func() {
			if _, err := r.Next(); err != nil {
				err2 = err
			}
		})
		require.NoError(t, err2)
		return n
	}
	assert.Zero(t, count(true), "reused")
	assert.Greater(t, count(false), uint64(200), "fresh: at least one list per tick")
}

// busyPayloads returns the tick payloads of a busy session (players,
// intents per tick), as AppendTick writes them, after its content tick.
func busyPayloads(t testing.TB, players, intents, ticks int) [][]byte {
	t.Helper()
	s, err := session.New(1, session.Content(1, players))
	require.NoError(t, err)
	s.Step(0)
	var out [][]byte
	for range ticks {
		out = append(out, AppendTick(nil, s.Step(intents)))
	}
	return out
}

// BenchmarkDecodeTick decodes ticks of the verify target's session (10k
// players, 1,000 intents per tick), into a fresh record each time
// (DecodeTick) and into a reused one (the Reader with SetReuse).
func BenchmarkDecodeTick(b *testing.B) {
	ps := busyPayloads(b, 10000, 1000, 50)
	var n int
	for _, p := range ps {
		n += len(p)
	}
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(n / len(ps)))
		i := 0
		for b.Loop() {
			_, err := DecodeTick(ps[i%len(ps)])
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("reuse", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(n / len(ps)))
		benchReuse(b, ps)
	})
}

func benchReuse(b *testing.B, ps [][]byte) {
	var r ecs.TickRecord
	i := 0
	for b.Loop() {
		d := dec{b: ps[i%len(ps)], lim: &DefaultLimits}
		d.tick(&r)
		if d.err != nil {
			b.Fatal(d.err)
		}
		i++
	}
}

// uvarint (the inlined field decoder) agrees with binary.Uvarint on every
// input: values of every length, non-minimal encodings, overflow past 64
// bits, short input, and any position.
func TestUvarintMatchesBinaryUvarint(t *testing.T) {
	inputs := [][]byte{nil, {0}, {0x7f}, {0x80}, {0x80, 0}, {0xff, 0x7f}, {0x80, 0x80, 0x80}}
	for _, v := range []uint64{0, 1, 127, 128, 300, 1 << 32, 1<<63 - 1, 1 << 63, 1<<64 - 1} {
		inputs = append(inputs, binary.AppendUvarint(nil, v))
	}
	max := binary.AppendUvarint(nil, 1<<64-1) // 10 bytes, the last 0x01
	over := bytes.Clone(max)
	over[9] = 0x02                                    // 65 bits
	long := append(bytes.Repeat([]byte{0x80}, 10), 0) // 11 bytes
	inputs = append(inputs, over, long, max[:9])
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.Uint32())
			if rng.IntN(3) == 0 {
				b[i] |= 0x80
			}
		}
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		for p := -1; p <= len(in); p++ {
			got, gp := varint.Uvarint(in, p)
			want, n := uint64(0), 0
			if p >= 0 {
				want, n = binary.Uvarint(in[p:])
			}
			if p < 0 || n <= 0 {
				require.Equal(t, -1, gp, "%x at %d", in, p)
				continue
			}
			require.Equal(t, want, got, "%x at %d", in, p)
			require.Equal(t, p+n, gp, "%x at %d", in, p)
			sv, _ := binary.Varint(in[p:])
			require.Equal(t, sv, varint.Zigzag(got), "%x at %d", in, p)
		}
	}
}
