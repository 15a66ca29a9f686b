package ecs

import (
	"errors"
	"fmt"

	"github.com/tickecon/tickecon/components"
)

// ErrUnknownKey is the error of a content key that names nothing: a typo
// such as "potoins" (test with errors.Is; it comes as a *KeyError).
var ErrUnknownKey = errors.New("unknown content key")

// KeyError says which content key is unknown and, when one key is close
// to it (one or two letters off), which key was probably meant.
type KeyError struct {
	Key  string
	Near string // the closest known key, "" if none is close
}

// Error implements error.
func (e *KeyError) Error() string {
	if e.Near != "" {
		return fmt.Sprintf("ecs: content key %q unknown (did you mean %q?)", e.Key, e.Near)
	}
	return fmt.Sprintf("ecs: content key %q unknown", e.Key)
}

// Unwrap returns ErrUnknownKey, for errors.Is.
func (e *KeyError) Unwrap() error { return ErrUnknownKey }

// IDs is what Content.Apply allocated: the stable id of every content key.
// A key it does not hold is an error, never id 0 (which a map would give,
// and which fails a tick later as UnknownListing or UnknownBuyer, far from
// the typo). The zero IDs holds no key.
type IDs struct {
	byKey map[string]components.ID
	keys  []string // in content order
}

func (ids *IDs) add(key string, id components.ID) {
	if ids.byKey == nil {
		ids.byKey = map[string]components.ID{}
	}
	ids.byKey[key] = id
	ids.keys = append(ids.keys, key)
}

// ID returns the stable id of key, or a *KeyError (ErrUnknownKey) naming
// the key and the nearest known one.
func (ids IDs) ID(key string) (components.ID, error) {
	if id, ok := ids.byKey[key]; ok {
		return id, nil
	}
	return 0, &KeyError{Key: key, Near: ids.near(key)}
}

// MustID is ID for keys written in the program itself (tests, examples, a
// game's fixed content): it panics with the *KeyError of an unknown key,
// so a typo stops the program at the line that has it. Use ID for keys
// that come from input.
func (ids IDs) MustID(key string) components.ID {
	id, err := ids.ID(key)
	if err != nil {
		panic(err)
	}
	return id
}

// Lookup returns the stable id of key and whether the content has it.
func (ids IDs) Lookup(key string) (components.ID, bool) {
	id, ok := ids.byKey[key]
	return id, ok
}

// Keys returns every key in content order (currencies, items, shops and
// their listings, players): the order Apply allocated their ids in.
func (ids IDs) Keys() []string { return append([]string(nil), ids.keys...) }

// Len returns the number of keys.
func (ids IDs) Len() int { return len(ids.keys) }

// near returns the known key closest to key, if it is at most two edits
// away (and closer than any other); "" otherwise. It runs on errors only.
func (ids IDs) near(key string) string {
	const limit = 3 // a key three edits away is another word, not a typo
	best, bestD, tie := "", limit, false
	for _, k := range ids.keys {
		d := editDistance(key, k, limit)
		switch {
		case d >= limit:
		case d < bestD:
			best, bestD, tie = k, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie || best == "" {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance of a and b (a swap
// of two neighbouring letters is one edit, as in "potoins"), or limit when
// it is at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit)
}
