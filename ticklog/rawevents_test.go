package ticklog

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/ecs"
)

// With raw events, every tick reads as it does decoded except its events,
// which DecodeEvents turns into exactly the decoded ones; snapshots and
// errors stay the same.
func TestRawEventsDecodeToTheDecodedOnes(t *testing.T) {
	data := unevenLog(t, 300, 40)
	fresh, err := readAll(data)
	require.NoError(t, err)
	r, err := NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	r.SetRawEvents(true)
	var into ecs.TickRecord
	for i := 0; ; i++ {
		rec, err := r.NextInto(&into)
		if err == io.EOF {
			require.Equal(t, len(fresh), i)
			break
		}
		require.NoError(t, err)
		require.Less(t, i, len(fresh))
		assert.Equal(t, fresh[i].Offset, rec.Offset)
		if rec.Tick == nil {
			assert.Nil(t, rec.EventsBinary)
			assert.Equal(t, fresh[i].Snapshot, rec.Snapshot, "record %d", i)
			continue
		}
		require.NotNil(t, rec.EventsBinary, "raw, even with no events")
		assert.Empty(t, rec.Tick.Events)
		assert.Equal(t, len(fresh[i].Tick.Events), rec.EventCount)
		require.NoError(t, rec.DecodeEvents())
		require.Equal(t, *fresh[i].Tick, rec.Tick.Clone(), "tick %d", fresh[i].Tick.Tick)
	}
}

// Events that fail to decode in a record whose checks pass (a writer's
// bug, or a crafted file): Next decoding them and DecodeEvents report the
// same *CorruptError, at the record's offset; a count over the limits or
// the bytes is Next's error either way.
func TestRawEventsReportDamageAsDecodingDoes(t *testing.T) {
	data := unevenLog(t, 3, 0)
	r, err := NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	head := data[:r.Offset()]
	rec, err := r.Next()
	require.NoError(t, err)
	require.NotEmpty(t, rec.Tick.Events)
	good := AppendTick(nil, rec.Tick)

	frame := func(payload []byte) []byte {
		body := append([]byte{typeTick}, payload...)
		b := bytes.Clone(head)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
		b = binary.LittleEndian.AppendUint32(b, lengthCheck(b[len(b)-4:]))
		b = append(b, body...)
		return binary.LittleEndian.AppendUint32(b, crc32.Checksum(body, castagnoli))
	}
	first := func(log []byte, raw bool) (Record, error) {
		r, err := NewReader(bytes.NewReader(log))
		require.NoError(t, err)
		r.SetRawEvents(raw)
		return r.Next()
	}
	for name, payload := range map[string][]byte{
		"trailing byte":   append(bytes.Clone(good), 0),
		"event cut short": good[:len(good)-3],
	} {
		log := frame(payload)
		_, want := first(log, false)
		var ce *CorruptError
		require.ErrorAs(t, want, &ce, name)
		rec, err := first(log, true)
		require.NoError(t, err, name)
		assert.Equal(t, want, rec.DecodeEvents(), name)
	}
}
