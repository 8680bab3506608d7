package events

import (
	"context"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"
)

// Contract is an event type a module publishes, with the Go type of its payload. A module
// declares its contracts in a small exported package of its own (modules/projects/contract):
// the one package another module may import, to subscribe with typed payloads
// (app.Subscribe) instead of decoding JSON by hand against a shape it guesses.
type Contract[T any] struct {
	Type    string // "task.assigned"
	Summary string // one line for people choosing it (automation rules, documentation)
	// Notify: people may be notified of it, so it has a notification preference of its own
	// (its message key is "notify.event.<Type>", in the publishing module's catalogs).
	Notify bool
}

// Declared is what a registry keeps of a contract, whatever its payload type.
type Declared struct {
	Type    string
	Summary string
	Notify  bool
	Payload reflect.Type
}

// Declarer is any Contract.
type Declarer interface{ Declare() Declared }

// Declare describes the contract for the registry.
func (c Contract[T]) Declare() Declared {
	return Declared{Type: c.Type, Summary: c.Summary, Notify: c.Notify, Payload: reflect.TypeFor[T]()}
}

// Emit writes the event in tx, by the actor (0 for the system); see EmitBy.
func (c Contract[T]) Emit(ctx context.Context, tx bun.IDB, accountID, actorID int64, payload T) (*Event, error) {
	return EmitBy(ctx, tx, accountID, actorID, c.Type, payload)
}

// Pending is the event for a batch of EmitAll.
func (c Contract[T]) Pending(payload T) Pending { return Pending{Type: c.Type, Payload: payload} }

// Decode reads the payload of ev, which must be of this contract's type.
func (c Contract[T]) Decode(ev *Event) (T, error) {
	var v T
	if ev.Type != c.Type {
		return v, fmt.Errorf("events: %s decoded as %s", ev.Type, c.Type)
	}
	if err := ev.Decode(&v); err != nil {
		return v, fmt.Errorf("events: %s: %w", c.Type, err)
	}
	return v, nil
}

// Handle adapts a typed handler to a HandlerFunc of the bus.
func (c Contract[T]) Handle(fn func(ctx context.Context, tx bun.Tx, ev *Event, payload T) error) HandlerFunc {
	return func(ctx context.Context, tx bun.Tx, ev *Event) error {
		p, err := c.Decode(ev)
		if err != nil {
			return err
		}
		return fn(ctx, tx, ev, p)
	}
}
