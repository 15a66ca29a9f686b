package bus_test

import (
	"fmt"

	"github.com/nats-io/nats.go"

	"github.com/tickecon/tickecon/cluster/bus"
	"github.com/tickecon/tickecon/events"
)

// The CloudEvents form of a message with one event, and reading it back
// as the Consumer does: DecodeMessage takes the message's headers and
// body, in either encoding.
func ExampleDecodeMessage() {
	ev := events.MintedEvent{Holder: 7, Currency: 1, Amount: 9007199254740993}.Event() // 2^53+1: exact
	ev.Tick = 12
	body, err := bus.AppendCloudEvents(nil, "shop1", ev.Kind, []events.Event{ev}, []bus.EventID{{Tick: 12, Index: 3}}, false)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(body))

	h := nats.Header{}
	h.Set(bus.HeaderContentType, bus.ContentTypeCloudEventBatch)
	h.Set(bus.HeaderTick, "12-12")
	h.Set(bus.HeaderPart, "0/1")
	var b bus.Batch
	if err := bus.DecodeMessage(h, body, &b); err != nil {
		panic(err)
	}
	v, _ := b.Events[0].AsMinted()
	fmt.Println(b.ID(0), b.Kind, v.Amount)
	// Output:
	// [{"specversion":"1.0","id":"12/3","source":"shop1","type":"tickecon.Minted","data":{"Holder":"7","Currency":"1","Amount":"9007199254740993"}}]
	// 12/3 Minted 9007199254740993
}
