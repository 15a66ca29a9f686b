package bus

import (
	"fmt"

	"github.com/nats-io/nats.go"
)

// DecodeMessage decodes one message of a world's event stream, in either
// encoding (the Content-Type header says which; without it the first
// byte does), into b, reusing b's slices: its events, each one's EventID
// (b.ID(i)), its kind, and from the headers its run of ticks (b.Tick to
// b.Last) and part (b.Part of b.Parts). It checks that every event lies
// in the run the headers name. This is the one decoder of stream
// messages: the Consumer, the Relay's resume and any reader of the stream
// use it. Errors wrap ErrPayload (or say which header is bad).
func DecodeMessage(h nats.Header, data []byte, b *Batch) error {
	tick, last, part, parts, err := partOf(h)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrPayload, err)
	}
	binary, err := decodePayload(h.Get(HeaderContentType), data, b)
	if err != nil {
		return err
	}
	if binary && (b.Tick != tick || b.Last != last) {
		return fmt.Errorf("%w: header ticks %d-%d, payload ticks %d-%d", ErrPayload, tick, last, b.Tick, b.Last)
	}
	for _, id := range b.IDs {
		if id.Tick < tick || id.Tick > last {
			return fmt.Errorf("%w: event %v outside the run %d-%d of its headers", ErrPayload, id, tick, last)
		}
	}
	b.Tick, b.Last, b.Part, b.Parts = tick, last, part, parts
	return nil
}

// decodePayload decodes a payload of content type ct ("": told by its
// first byte); binary says it was the binary form.
func decodePayload(ct string, data []byte, b *Batch) (binary bool, err error) {
	switch {
	case ct == ContentTypeBinary || ct == "" && len(data) > 0 && data[0] == WireVersion:
		return true, DecodeBatch(data, b)
	case ct == "" || ct == ContentTypeCloudEvent || ct == ContentTypeCloudEventBatch:
		return false, DecodeCloudEvents(data, b)
	}
	return false, fmt.Errorf("%w: content type %q", ErrPayload, ct)
}
