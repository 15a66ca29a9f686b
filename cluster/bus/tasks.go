package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tickecon/tickecon/components"
	"github.com/tickecon/tickecon/events"
)

// Task types: the two side effects of a saga purchase.
const (
	TaskPayment  = "payment"  // charge the buyer through a payment provider
	TaskDelivery = "delivery" // hand the goods to a carrier
)

// Task is one side effect the economy asks for, queued on the world's
// work-queue stream as JSON. Its ID is unique per (purchase record, type):
// a saga's payment and delivery are two tasks, never deduplicated against
// each other, and a republished task is dropped by the stream.
type Task struct {
	ID       string        `json:"id"`   // "<record>.<type>"
	Type     string        `json:"type"` // TaskPayment or TaskDelivery
	World    string        `json:"world"`
	Record   components.ID `json:"record"` // the purchase record (saga) entity
	Buyer    components.ID `json:"buyer"`
	Listing  components.ID `json:"listing"`
	Item     components.ID `json:"item"`
	Qty      int64         `json:"qty"`
	Currency components.ID `json:"currency"`
	Amount   int64         `json:"amount"`  // total price to charge
	Request  uint64        `json:"request"` // the buyer's request id
	Tick     uint64        `json:"tick"`    // tick the saga started
}

// Outcome is what a worker reports for a task: accepted (payment
// confirmed, delivery accepted) or refused (declined, refused), with the
// provider's or carrier's reference (≠ 0; the world rejects 0).
type Outcome struct {
	Accepted bool
	Ref      uint64
}

// Command turns a task's outcome into the world command that records it
// (built with the events package's constructors).
func (t *Task) Command(o Outcome) (events.Event, error) {
	switch {
	case t.Type == TaskPayment && o.Accepted:
		return events.ConfirmPayment(t.Record, o.Ref, t.Amount), nil
	case t.Type == TaskPayment:
		return events.DeclinePayment(t.Record, o.Ref), nil
	case t.Type == TaskDelivery && o.Accepted:
		return events.AcceptDelivery(t.Record, o.Ref), nil
	case t.Type == TaskDelivery:
		return events.RefuseDelivery(t.Record, o.Ref), nil
	}
	return events.Event{}, fmt.Errorf("bus: task %s has unknown type %q", t.ID, t.Type)
}

// sagaTasks returns the tasks a SagaStarted event asks for.
func sagaTasks(world string, tick uint64, ev *events.Event) ([2]Task, bool) {
	v, ok := ev.AsSagaStarted()
	if !ok {
		return [2]Task{}, false
	}
	base := Task{World: world, Record: v.Record, Buyer: v.Buyer, Listing: v.Listing, Item: v.Item,
		Qty: v.Qty, Currency: v.Currency, Amount: v.Price, Request: v.Request, Tick: tick}
	pay, del := base, base
	rec := strconv.FormatUint(uint64(v.Record), 10)
	pay.ID, pay.Type = rec+"."+TaskPayment, TaskPayment
	del.ID, del.Type = rec+"."+TaskDelivery, TaskDelivery
	return [2]Task{pay, del}, true
}

// Tasker turns committed SagaStarted events into tasks: a durable consumer
// of the event stream that publishes a payment and a delivery task per
// saga and acknowledges the event only after both are stored. A crash in
// between republishes them with the same Nats-Msg-Id (dropped inside the
// dedup window); outside it a worker would run the task again, and the
// world accepts one outcome per slot (the second is DuplicateRequest).
type Tasker struct {
	world string
	js    jetstream.JetStream
	cons  *Consumer
}

// NewTasker creates the tasker's durable consumer ("tasker") on nc.
func NewTasker(ctx context.Context, nc *nats.Conn, world string) (*Tasker, error) {
	c, err := NewConsumer(ctx, nc, ConsumerConfig{World: world, Durable: "tasker", Kinds: []events.Kind{events.SagaStarted}})
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	return &Tasker{world: world, js: js, cons: c}, nil
}

// Run queues tasks until ctx ends.
func (t *Tasker) Run(ctx context.Context) error {
	return t.cons.Run(ctx, func(ctx context.Context, b *Batch) error {
		for i := range b.Events {
			tasks, ok := sagaTasks(t.world, b.IDs[i].Tick, &b.Events[i])
			if !ok {
				continue
			}
			for _, task := range tasks {
				if err := t.publish(ctx, &task); err != nil {
					return err // the batch is retried: nothing after it runs first
				}
			}
		}
		return nil
	})
}

func (t *Tasker) publish(ctx context.Context, task *Task) error {
	data, err := json.Marshal(task)
	if err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = t.js.Publish(pctx, TaskSubject(t.world, task.Type), data, jetstream.WithMsgID("task:"+t.world+":"+task.ID))
	return err
}
