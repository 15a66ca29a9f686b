package bus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Encoding selects the payload of event messages (RelayConfig.Encoding).
type Encoding uint8

const (
	// CloudEvents (the default) writes each message as CloudEvents 1.0 in
	// the JSON event format: a batch (a JSON array of events,
	// Content-Type application/cloudevents-batch+json), or with
	// RelayConfig.MaxEvents 1 a single structured-mode event
	// (application/cloudevents+json), the NATS protocol binding exactly.
	// Any language reads it; docs/schema/ has a JSON Schema per kind.
	CloudEvents Encoding = iota
	// Binary writes the compact wire form (AppendBatch): fewer bytes per
	// event, readable only by a decoder that knows events/binary.go.
	Binary
)

// String names the encoding as tickecon-relay's -encoding flag does.
func (e Encoding) String() string {
	switch e {
	case CloudEvents:
		return "cloudevents"
	case Binary:
		return "binary"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// ParseEncoding reads an encoding's name (Encoding.String).
func ParseEncoding(s string) (Encoding, error) {
	switch s {
	case "cloudevents":
		return CloudEvents, nil
	case "binary":
		return Binary, nil
	}
	return 0, fmt.Errorf("%w: encoding %q (cloudevents or binary)", ErrConfig, s)
}

// Content types of event messages (the Content-Type header).
const (
	// ContentTypeCloudEvent is one structured-mode CloudEvent.
	ContentTypeCloudEvent = "application/cloudevents+json"
	// ContentTypeCloudEventBatch is a JSON array of CloudEvents.
	ContentTypeCloudEventBatch = "application/cloudevents-batch+json"
	// ContentTypeBinary is the binary wire form (AppendBatch).
	ContentTypeBinary = "application/vnd.tickecon.batch"
)

// HeaderContentType is the NATS header naming a message's content type.
const HeaderContentType = "Content-Type"

// CloudEventTypePrefix starts every event's CloudEvents type:
// "tickecon.PurchaseCompleted".
const CloudEventTypePrefix = "tickecon."

// SchemaVersion is the version of the event data's JSON form and of its
// schemas (docs/schema/v1/). It rises only when a change could break a
// consumer that follows the compatibility rule in docs/schema/README.md.
const SchemaVersion = 1

// The CloudEvents form of one event (docs/schema/README.md):
//
//	{"specversion":"1.0","id":"TICK/INDEX","source":"WORLD",
//	 "type":"tickecon.KIND","ticket":"N","data":{VIEW}}
//
// id is the event's EventID; ticket (an extension attribute, absent when
// 0) is the command that caused it; data holds every field of the kind's
// typed view, by the view's field names (docs/events.md). Every integer
// (ids, amounts, quantities, ticks) is a string of decimal digits, so no
// language reads it through a float; Kind and Reason values are their
// names. An event that sets Event fields outside its view (a
// CommandRejected carries the refused command's) has them in data.Other,
// by Event field name: the form is lossless.

// evField is one field of events.Event besides Tick, Kind and Ticket.
type evField uint8

const (
	fReason evField = iota
	fOf
	fSubject
	fObject
	fTill
	fRef
	fItem
	fCurrency
	fQty
	fAmount
	fRest
	fSize
	fRequest
	fAt
	fName
	fieldCount
)

var evFieldNames = [fieldCount]string{"Reason", "Of", "Subject", "Object", "Till", "Ref", "Item",
	"Currency", "Qty", "Amount", "Rest", "Size", "Request", "At", "Name"}

// viewField is one field of a kind's typed view.
type viewField struct {
	name string
	f    evField
}

// ceKind is what the CloudEvents form needs of a kind, computed once.
type ceKind struct {
	typ    string
	fields []viewField
	used   [fieldCount]bool
	err    error // a view field this encoder does not know
}

var ceKinds = func() (t [256]ceKind) {
	for k := 1; k < 256 && events.Kind(k).Valid(); k++ {
		c := &t[k]
		c.typ = CloudEventTypePrefix + events.Kind(k).String()
		for _, f := range events.Kind(k).Fields() {
			i := fieldByName(f.Event)
			if i == fieldCount {
				c.err = fmt.Errorf("bus: kind %v: view field %s is Event.%s, which the CloudEvents encoder does not know", events.Kind(k), f.View, f.Event)
				break
			}
			c.fields = append(c.fields, viewField{name: f.View, f: i})
			c.used[i] = true
		}
	}
	return t
}()

func fieldByName(name string) evField {
	for i, n := range evFieldNames {
		if n == name {
			return evField(i)
		}
	}
	return fieldCount
}

// AppendCloudEvents appends the CloudEvents JSON form of one message to
// dst: evs, all of kind, from world; ids[i] names evs[i]. single writes
// one structured-mode event (len(evs) must be 1), otherwise a batch.
func AppendCloudEvents(dst []byte, world string, kind events.Kind, evs []events.Event, ids []EventID, single bool) ([]byte, error) {
	if len(ids) != len(evs) || single && len(evs) != 1 {
		return dst, fmt.Errorf("bus: %d events, %d ids (single %v)", len(evs), len(ids), single)
	}
	if !kind.Valid() {
		return dst, fmt.Errorf("bus: kind %v has no CloudEvents type", kind)
	}
	c := &ceKinds[kind]
	if c.err != nil {
		return dst, c.err
	}
	if !single {
		dst = append(dst, '[')
	}
	for i := range evs {
		e := &evs[i]
		if e.Kind != kind || e.Tick != ids[i].Tick {
			return dst, fmt.Errorf("bus: event %v is a %v at tick %d, in a message of %v", ids[i], e.Kind, e.Tick, kind)
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"specversion":"1.0","id":"`...)
		dst = strconv.AppendUint(dst, ids[i].Tick, 10)
		dst = append(dst, '/')
		dst = strconv.AppendUint(dst, uint64(ids[i].Index), 10)
		dst = append(dst, `","source":`...)
		dst = appendJSONString(dst, world)
		dst = append(dst, `,"type":"`...)
		dst = append(dst, c.typ...)
		dst = append(dst, '"')
		if e.Ticket != 0 {
			dst = append(dst, `,"ticket":"`...)
			dst = strconv.AppendUint(dst, uint64(e.Ticket), 10)
			dst = append(dst, '"')
		}
		dst = append(dst, `,"data":{`...)
		for j, vf := range c.fields {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = append(dst, vf.name...)
			dst = append(dst, `":`...)
			dst = appendField(dst, e, vf.f)
		}
		other := false
		for f := range fieldCount {
			if c.used[f] || isZero(e, f) {
				continue
			}
			if !other {
				if len(c.fields) > 0 {
					dst = append(dst, ',')
				}
				dst = append(dst, `"Other":{`...)
				other = true
			} else {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = append(dst, evFieldNames[f]...)
			dst = append(dst, `":`...)
			dst = appendField(dst, e, f)
		}
		if other {
			dst = append(dst, '}')
		}
		dst = append(dst, "}}"...)
	}
	if !single {
		dst = append(dst, ']')
	}
	return dst, nil
}

func appendField(dst []byte, e *events.Event, f evField) []byte {
	str := func(s string) []byte { return append(append(append(dst, '"'), s...), '"') }
	num := func(v uint64) []byte {
		return append(strconv.AppendUint(append(dst, '"'), v, 10), '"')
	}
	inum := func(v int64) []byte {
		return append(strconv.AppendInt(append(dst, '"'), v, 10), '"')
	}
	switch f {
	case fReason:
		return str(e.Reason.String())
	case fOf:
		return str(e.Of.String())
	case fSubject:
		return num(uint64(e.Subject))
	case fObject:
		return num(uint64(e.Object))
	case fTill:
		return num(uint64(e.Till))
	case fRef:
		return num(uint64(e.Ref))
	case fItem:
		return num(uint64(e.Item))
	case fCurrency:
		return num(uint64(e.Currency))
	case fQty:
		return inum(e.Qty)
	case fAmount:
		return inum(e.Amount)
	case fRest:
		return inum(e.Rest)
	case fSize:
		return inum(e.Size)
	case fRequest:
		return num(e.Request)
	case fAt:
		return num(e.At)
	case fName:
		return appendJSONString(dst, e.Name)
	}
	return dst
}

func isZero(e *events.Event, f evField) bool {
	switch f {
	case fReason:
		return e.Reason == 0
	case fOf:
		return e.Of == 0
	case fSubject:
		return e.Subject == 0
	case fObject:
		return e.Object == 0
	case fTill:
		return e.Till == 0
	case fRef:
		return e.Ref == 0
	case fItem:
		return e.Item == 0
	case fCurrency:
		return e.Currency == 0
	case fQty:
		return e.Qty == 0
	case fAmount:
		return e.Amount == 0
	case fRest:
		return e.Rest == 0
	case fSize:
		return e.Size == 0
	case fRequest:
		return e.Request == 0
	case fAt:
		return e.At == 0
	case fName:
		return e.Name == ""
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Bytes that are not UTF-8
// are written as U+FFFD, as encoding/json does (a name is text).
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return append(dst, '"')
}

// ceEvent is a CloudEvent as decoded.
type ceEvent struct {
	SpecVersion string                     `json:"specversion"`
	ID          string                     `json:"id"`
	Source      string                     `json:"source"`
	Type        string                     `json:"type"`
	Ticket      string                     `json:"ticket"`
	Data        map[string]json.RawMessage `json:"data"`
}

// DecodeCloudEvents decodes a CloudEvents payload (a batch, or a single
// structured-mode event) written by AppendCloudEvents into b, reusing b's
// slices. A CloudEvents body does not name its run of ticks: b.Tick and
// b.Last are the first and last event's ticks (DecodeMessage takes them
// from the headers). Errors wrap ErrPayload; it never panics, and its
// memory is bounded by the payload's size.
func DecodeCloudEvents(p []byte, b *Batch) error {
	var evs []ceEvent
	p = bytes.TrimSpace(p)
	if len(p) > 0 && p[0] == '{' {
		evs = make([]ceEvent, 1)
		if err := json.Unmarshal(p, &evs[0]); err != nil {
			return fmt.Errorf("%w: %v", ErrPayload, err)
		}
	} else if err := json.Unmarshal(p, &evs); err != nil {
		return fmt.Errorf("%w: %v", ErrPayload, err)
	}
	if len(evs) == 0 {
		return fmt.Errorf("%w: no events", ErrPayload)
	}
	b.Events, b.IDs = b.Events[:0], b.IDs[:0]
	for i := range evs {
		ev, id, err := decodeCloudEvent(&evs[i])
		if err != nil {
			return fmt.Errorf("%w: event %d: %v", ErrPayload, i, err)
		}
		if i == 0 {
			b.Kind = ev.Kind
		} else if ev.Kind != b.Kind {
			return fmt.Errorf("%w: event %d is a %v in a message of %v", ErrPayload, i, ev.Kind, b.Kind)
		}
		b.Events = append(b.Events, ev)
		b.IDs = append(b.IDs, id)
	}
	b.Tick, b.Last = b.IDs[0].Tick, b.IDs[len(b.IDs)-1].Tick
	for _, id := range b.IDs {
		b.Tick, b.Last = min(b.Tick, id.Tick), max(b.Last, id.Tick)
	}
	return nil
}

func decodeCloudEvent(c *ceEvent) (events.Event, EventID, error) {
	var ev events.Event
	if c.SpecVersion != "1.0" {
		return ev, EventID{}, fmt.Errorf("specversion %q, not 1.0", c.SpecVersion)
	}
	id, err := ParseEventID(c.ID)
	if err != nil {
		return ev, id, err
	}
	name, ok := strings.CutPrefix(c.Type, CloudEventTypePrefix)
	if !ok || ev.Kind.UnmarshalText([]byte(name)) != nil || !ev.Kind.Valid() {
		return ev, id, fmt.Errorf("type %q is no tickecon event kind", c.Type)
	}
	ev.Tick = id.Tick
	if c.Ticket != "" {
		t, err := strconv.ParseUint(c.Ticket, 10, 64)
		if err != nil {
			return ev, id, fmt.Errorf("ticket %q", c.Ticket)
		}
		ev.Ticket = events.Ticket(t)
	}
	k := &ceKinds[ev.Kind]
	if k.err != nil {
		return ev, id, k.err
	}
	for _, vf := range k.fields {
		raw, ok := c.Data[vf.name]
		if !ok {
			return ev, id, fmt.Errorf("data has no %s", vf.name)
		}
		if err := decodeField(raw, &ev, vf.f); err != nil {
			return ev, id, fmt.Errorf("data.%s: %v", vf.name, err)
		}
	}
	if raw, ok := c.Data["Other"]; ok {
		var other map[string]json.RawMessage
		if err := json.Unmarshal(raw, &other); err != nil {
			return ev, id, fmt.Errorf("data.Other: %v", err)
		}
		for name, raw := range other {
			f := fieldByName(name)
			if f == fieldCount || k.used[f] {
				return ev, id, fmt.Errorf("data.Other.%s: not an Event field outside the view", name)
			}
			if err := decodeField(raw, &ev, f); err != nil {
				return ev, id, fmt.Errorf("data.Other.%s: %v", name, err)
			}
		}
	}
	return ev, id, nil
}

func decodeField(raw json.RawMessage, e *events.Event, f evField) error {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	u := func() (uint64, error) {
		if s == "" || s[0] == '+' {
			return 0, fmt.Errorf("%q is not a decimal string", s)
		}
		return strconv.ParseUint(s, 10, 64)
	}
	i := func() (int64, error) {
		if s == "" || s[0] == '+' {
			return 0, fmt.Errorf("%q is not a decimal string", s)
		}
		return strconv.ParseInt(s, 10, 64)
	}
	var (
		err error
		v   uint64
		n   int64
	)
	switch f {
	case fReason:
		err = e.Reason.UnmarshalText([]byte(s))
	case fOf:
		err = e.Of.UnmarshalText([]byte(s))
	case fSubject, fObject, fTill, fRef, fItem, fCurrency:
		v, err = u()
		*idField(e, f) = components.ID(v)
	case fQty, fAmount, fRest, fSize:
		n, err = i()
		*intField(e, f) = n
	case fRequest:
		e.Request, err = u()
	case fAt:
		e.At, err = u()
	case fName:
		e.Name = s
	}
	return err
}

// idField returns the entity field f of e.
func idField(e *events.Event, f evField) *components.ID {
	switch f {
	case fSubject:
		return &e.Subject
	case fObject:
		return &e.Object
	case fTill:
		return &e.Till
	case fRef:
		return &e.Ref
	case fItem:
		return &e.Item
	}
	return &e.Currency
}

// intField returns the int64 field f of e.
func intField(e *events.Event, f evField) *int64 {
	switch f {
	case fQty:
		return &e.Qty
	case fAmount:
		return &e.Amount
	case fRest:
		return &e.Rest
	}
	return &e.Size
}

// ParseEventID reads an id as EventID.String writes it ("tick/index").
func ParseEventID(s string) (EventID, error) {
	a, b, ok := strings.Cut(s, "/")
	t, err1 := strconv.ParseUint(a, 10, 64)
	i, err2 := strconv.ParseUint(b, 10, 32)
	if !ok || err1 != nil || err2 != nil || a == "" || a[0] == '+' || b == "" || b[0] == '+' || i > math.MaxUint32 {
		return EventID{}, fmt.Errorf("event id %q is not tick/index", s)
	}
	return EventID{Tick: t, Index: uint32(i)}, nil
}
