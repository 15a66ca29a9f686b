package ticklog

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
)

// Version 5 added an intent's preconditions behind a flag bit: an intent
// without them encodes exactly as in version 4, and any other flag bit,
// or preconditions cut short, is corrupt.
func TestIntentPreconditionsAreAFlaggedExtension(t *testing.T) {
	plain := components.PurchaseIntent{Buyer: 1, Listing: 2, Quantity: 3, RequestID: 4, Saga: true}
	var e enc
	e.intent(&plain)
	assert.Equal(t, []byte{1, 2, 6, 4, 0, 0, 0, 0, 1}, e.b, "version 4's bytes")

	for _, flags := range []byte{4, 0x80, 0xff} {
		d := dec{b: []byte{1, 2, 6, 4, 0, 0, 0, 0, flags}}
		var in components.PurchaseIntent
		d.intent(&in)
		assert.Error(t, d.err, "flags %#x", flags)
	}
	d := dec{b: []byte{1, 2, 6, 4, 0, 0, 0, 0, flagExpect, 10}} // no ListingVersion
	var in components.PurchaseIntent
	d.intent(&in)
	assert.Error(t, d.err)
}

// A version 4 log (what every build before preconditions wrote) reads as
// it is; appending to it is refused with a *VersionError and leaves it
// alone, so that no file holds records of two versions.
func TestVersion4LogsAreReadButNotAppendedTo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v4.log")
	want := record(t, path, 20, Options{SnapshotEvery: 10})
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	raw[8], raw[9] = 4, 0
	n := fixedHeader + int(binary.LittleEndian.Uint32(raw[20:])) + int(binary.LittleEndian.Uint32(raw[24:]))
	binary.LittleEndian.PutUint32(raw[n:], crc32.Checksum(raw[:n], castagnoli))
	require.NoError(t, os.WriteFile(path, raw, 0o644))

	hdr, recs, err := ReadAll(path)
	require.NoError(t, err)
	assert.Equal(t, uint16(4), hdr.Version)
	var ticks int
	for _, r := range recs {
		if r.Tick != nil {
			assert.Equal(t, want[ticks], *r.Tick)
			ticks++
		}
	}
	assert.Equal(t, len(want), ticks)

	_, _, err = OpenAppend(path, Options{})
	var ve *VersionError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, VersionError{Found: 4, Supported: Version}, *ve)
	assert.Contains(t, err.Error(), "not appended to")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(raw, after), "the log is left as it was")
}
