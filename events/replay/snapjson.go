package replay

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/tickecon/tickecon/ecs"
)

// sameSnapshotJSON reports whether raw, a snapshot record's JSON, is
// exactly what the log's writer (json.Marshal) writes for act, whatever
// hash seed the recording world had: the seed decides no outcome
// (ecs.World.HashSeed) and DiffSnapshots ignores it. Equal bytes decode to
// equal snapshots, so a verifier that finds them equal need not decode
// raw — which costs about three times as much as encoding act. Any
// difference, or a seed that is not a plain JSON number, is "not the
// same": the caller decodes and diffs as before.
func sameSnapshotJSON(raw []byte, act *ecs.Snapshot) bool {
	seed := act.HashSeed
	act.HashSeed = 0 // omitted (omitempty): the JSON ends with the checksum
	js, err := json.Marshal(act)
	act.HashSeed = seed
	if err != nil || len(js) == 0 || js[len(js)-1] != '}' {
		return false
	}
	body := js[:len(js)-1]
	if !bytes.HasPrefix(raw, body) {
		return false
	}
	rest := raw[len(body):]
	if string(rest) == "}" {
		return true // recorded with seed 0
	}
	const key = `,"hash_seed":`
	if !bytes.HasPrefix(rest, []byte(key)) || rest[len(rest)-1] != '}' {
		return false
	}
	digits := rest[len(key) : len(rest)-1]
	if len(digits) == 0 || len(digits) > 1 && digits[0] == '0' {
		return false // not how JSON writes a number
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	_, err = strconv.ParseUint(string(digits), 10, 64) // fits HashSeed, as decoding needs
	return err == nil
}
