package ecs_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/ecs"
	"github.com/tickecon/tickecon/events"
)

// Content that tick 0 would partly reject is an error up front, naming the
// entry; Apply queues nothing for it.
func TestContentThatCannotLoadIsAnError(t *testing.T) {
	const defs = `"currencies":[{"key":"g"}],"items":[{"key":"i","max_stack":5}]`
	max := fmt.Sprint(int64(math.MaxInt64))
	cases := map[string]string{
		`{"items":[{"key":"i","max_stack":` + max + `}]}`:                                                                                `items[0] "i": max_stack must be 1..`,
		`{` + defs + `,"players":[{"key":"p","capacity":1,"items":[{"item":"i","qty":6}]}]}`:                                             `players[0] "p".items[0]: 6 i do not fit`,
		`{` + defs + `,"players":[{"key":"p","capacity":2,"items":[{"item":"i","qty":7},{"item":"i","qty":4}]}]}`:                        `players[0] "p".items[1]: 4 i do not fit`,
		`{` + defs + `,"players":[{"key":"p","items":[{"item":"i","qty":1}]}]}`:                                                          `players[0] "p".items[0]`,
		`{` + defs + `,"players":[{"key":"p","wallet":[{"currency":"g","amount":` + max + `},{"currency":"g","amount":1}]}]}`:            `players[0] "p".wallet[1]: the g amounts add up`,
		`{` + defs + `,"shops":[{"key":"s","funds":[{"currency":"g","amount":` + max + `},{"currency":"g","amount":1}],"listings":[]}]}`: `shops[0] "s".funds[1]`,
		`{"players":[{"key":"p","capacity":65537}]}`:                                                                                     `capacity must be 0..65536`,
		`{"currencies":[{"key":"g","decimals":19}]}`:                                                                                     `decimals must be 0..18`,
	}
	for in, want := range cases {
		_, err := ecs.ParseContent([]byte(in))
		require.Error(t, err, in)
		var ce *ecs.ContentError
		require.ErrorAs(t, err, &ce)
		assert.Contains(t, err.Error(), want, in)

		var c ecs.Content // built in code, not parsed: Apply validates too
		require.NoError(t, json.Unmarshal([]byte(in), &c))
		w := ecs.New()
		_, err = c.Apply(w)
		require.Error(t, err, in)
		assert.Empty(t, w.Pending(), "nothing queued for content that cannot load")
	}
}

// The limits hold for commands too, and together they keep inventory
// counts inside int64: granting MaxInt64 and then one more cannot wrap.
func TestItemCountsCannotOverflow(t *testing.T) {
	w := ecs.New()
	item := w.Command(events.DefineItem("", ecs.MaxStack)).ID
	tooBig := w.Command(events.DefineItem("", ecs.MaxStack+1)).ID
	player := w.Command(events.OpenPlayer("", ecs.MaxCapacity)).ID
	wide := w.Command(events.OpenPlayer("", ecs.MaxCapacity+1)).ID
	small := w.Command(events.OpenPlayer("", 2)).ID
	rec := w.Step()
	rejected := map[components.ID]events.Reason{}
	for _, ev := range rec.Events {
		if ev.Kind == events.CommandRejected {
			rejected[ev.Subject] = ev.Reason
		}
	}
	assert.Equal(t, map[components.ID]events.Reason{tooBig: events.ReasonBadCommand, wide: events.ReasonBadCommand}, rejected)

	w.Command(events.Grant(small, item, math.MaxInt64))
	w.Command(events.Grant(small, item, 2*ecs.MaxStack))
	w.Command(events.Grant(small, item, 1))
	// The largest inventory, full of the largest stacks, still counts.
	w.Command(events.Grant(player, item, ecs.MaxCapacity*ecs.MaxStack))
	rec = w.Step()
	require.Len(t, rec.Events, 4)
	assert.Equal(t, events.ReasonInventoryFull, rec.Events[0].Reason)
	assert.Equal(t, events.ItemsGranted, rec.Events[1].Kind)
	assert.Equal(t, events.ReasonInventoryFull, rec.Events[2].Reason)
	assert.Equal(t, events.ItemsGranted, rec.Events[3].Kind)
	se, _ := w.Lookup(small)
	assert.Equal(t, 2*ecs.MaxStack, w.Maps.Inventory.Get(se).Count(item))
	pe, _ := w.Lookup(player)
	assert.Equal(t, ecs.MaxCapacity*ecs.MaxStack, w.Maps.Inventory.Get(pe).Count(item))
	assert.Positive(t, w.Maps.Inventory.Get(pe).Count(item))
}

// FuzzContentLoadsWhole: whatever content ParseContent accepts is created
// whole at tick 0 — not one authoring command is rejected.
func FuzzContentLoadsWhole(f *testing.F) {
	shop, err := os.ReadFile("testdata/shop.json")
	require.NoError(f, err)
	f.Add(shop)
	max := fmt.Sprint(int64(math.MaxInt64))
	f.Add([]byte(`{"currencies":[{"key":"g"}],"items":[{"key":"i","max_stack":140737488355327}],` +
		`"shops":[{"key":"s","funds":[{"currency":"g","amount":` + max + `}],"listings":[{"key":"l","item":"i","currency":"g","price":` + max + `,"stock":` + max + `}]}],` +
		`"players":[{"key":"p","capacity":2,"wallet":[{"currency":"g","amount":9223372036854775806},{"currency":"g","amount":1}],` +
		`"items":[{"item":"i","qty":140737488355327},{"item":"i","qty":140737488355327}]}]}`))
	f.Add([]byte(`{"currencies":[{"key":"g"}],"items":[{"key":"i","max_stack":3}],"players":[{"key":"p","capacity":3,"items":[{"item":"i","qty":2},{"item":"i","qty":2},{"item":"i","qty":5}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ecs.ParseContent(data)
		if err != nil {
			return
		}
		w := ecs.New()
		_, err = c.Apply(w)
		require.NoError(t, err)
		for _, ev := range w.Step().Events {
			require.NotEqual(t, events.CommandRejected, ev.Kind, "content validated but tick 0 rejected %v", ev)
		}
	})
}

// A JSON error in content is a *ContentError naming its line, like every
// other content error (it was a bare wrapped json error).
func TestParseContentJSONErrorsAreContentErrors(t *testing.T) {
	for in, want := range map[string]string{
		"{\n\"items\": [\n{\"key\": \"potion\", \"name\": \"P\", \"maxstack\": 10}]}": `content: line 3: unknown field "maxstack"`,
		`{"currencies": []} {}`: "content: line 1: trailing data after the JSON object",
		"{\n\"items\": 5}":      "content: line 2: ",
		"":                      "content: line 1: empty: content is one JSON object of currencies, items, shops and players",
		" \n":                   "content: line 1: empty: ",
		`[{"key": "gold"}]`:     "content: line 1: a JSON array: content is one JSON object",
		`"shop.json"`:           "content: line 1: a JSON string: content is one JSON object",
	} {
		_, err := ecs.ParseContent([]byte(in))
		var ce *ecs.ContentError
		require.ErrorAs(t, err, &ce, "%q", in)
		require.Contains(t, err.Error(), want)
	}
}
