// Package workflow runs state machines for approvals: timesheet weeks, leave requests, client
// approval of deliverables, invoices, privacy requests, support-consent grants.
//
// A Definition is states and named transitions; each transition says which states it leaves,
// the state it reaches, the capability the actor needs (object:action, checked with the
// actor's role in the account; a nil actor is the system, e.g. an expiry job) and optional
// guards (Go funcs). An Instance belongs to one entity (entity type + id) of an account.
// Every transition is recorded (who, when, from, to, comment) and emitted as the domain events
// "workflow.transitioned" and "<definition>.<transition>", in the caller's transaction.
//
// A transition that is not allowed from the current state is a 409 that lists the allowed
// ones. Two concurrent transitions from the same state: one wins, the other gets the 409.
package workflow

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
)

// Guard may refuse a transition with a problem (or any error).
type Guard func(ctx context.Context, tx bun.IDB, in *Instance, a *actor.Actor) error

// Transition moves an instance from one of From to To.
type Transition struct {
	Name   string
	From   []string
	To     string
	Object string // capability needed; empty: anyone who may see the entity
	Action string
	// System transitions can only be fired with a nil actor (jobs, expiry).
	System bool
	Guards []Guard
}

// Definition is a state machine.
type Definition struct {
	Name        string
	Initial     string
	States      []string
	Transitions []Transition
}

// Validate checks the definition is coherent.
func (d *Definition) Validate() error {
	if d.Name == "" || !slices.Contains(d.States, d.Initial) {
		return fmt.Errorf("workflow %q: initial state %q is not a state", d.Name, d.Initial)
	}
	seen := map[string]bool{}
	for _, t := range d.Transitions {
		if seen[t.Name] {
			return fmt.Errorf("workflow %q: transition %q defined twice", d.Name, t.Name)
		}
		seen[t.Name] = true
		if !slices.Contains(d.States, t.To) {
			return fmt.Errorf("workflow %q: transition %q goes to unknown state %q", d.Name, t.Name, t.To)
		}
		for _, f := range t.From {
			if !slices.Contains(d.States, f) {
				return fmt.Errorf("workflow %q: transition %q leaves unknown state %q", d.Name, t.Name, f)
			}
		}
	}
	return nil
}

// Instance is one entity's position in a definition.
type Instance struct {
	bun.BaseModel `bun:"table:workflow_instances"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	Definition string    `bun:"definition" json:"definition"`
	EntityType string    `bun:"entity_type" json:"entity_type"`
	EntityID   int64     `bun:"entity_id" json:"entity_id"`
	State      string    `bun:"state" json:"state"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at" json:"updated_at"`
}

// Step is one recorded transition.
type Step struct {
	bun.BaseModel `bun:"table:workflow_transitions"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	InstanceID int64     `bun:"instance_id" json:"instance_id"`
	Transition string    `bun:"transition" json:"transition"`
	From       string    `bun:"from_state" json:"from"`
	To         string    `bun:"to_state" json:"to"`
	ActorID    *int64    `bun:"actor_id" json:"actor_id"`
	ActorName  string    `bun:"actor_name" json:"actor_name"`
	Comment    string    `bun:"comment" json:"comment"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
}

// Transitioned is the payload of the events a transition emits.
type Transitioned struct {
	InstanceID int64  `json:"instance_id"`
	Definition string `json:"definition"`
	EntityType string `json:"entity_type"`
	EntityID   int64  `json:"entity_id"`
	Transition string `json:"transition"`
	From       string `json:"from"`
	To         string `json:"to"`
	Comment    string `json:"comment,omitempty"`
}

// Engine holds the definitions.
type Engine struct {
	defs map[string]*Definition
}

// NewEngine returns an engine with no definitions.
func NewEngine() *Engine { return &Engine{defs: map[string]*Definition{}} }

// Define adds a definition (at start-up; it panics on an incoherent one, a programming error).
func (e *Engine) Define(d *Definition) {
	if err := d.Validate(); err != nil {
		panic(err)
	}
	if _, dup := e.defs[d.Name]; dup {
		panic("workflow: definition registered twice: " + d.Name)
	}
	e.defs[d.Name] = d
}

// Definition returns a definition by name.
func (e *Engine) Definition(name string) (*Definition, bool) {
	d, ok := e.defs[name]
	return d, ok
}

// Start creates the instance of an entity in the initial state.
func (e *Engine) Start(ctx context.Context, tx bun.IDB, accountID int64, def, entityType string, entityID int64) (*Instance, error) {
	d, ok := e.defs[def]
	if !ok {
		return nil, fmt.Errorf("workflow: unknown definition %q", def)
	}
	now := db.Now()
	in := &Instance{AccountID: accountID, Definition: d.Name, EntityType: entityType, EntityID: entityID, State: d.Initial, CreatedAt: now, UpdatedAt: now}
	if _, err := tx.NewInsert().Model(in).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, problem.Conflict("", "this item already has a "+def+" workflow")
		}
		return nil, err
	}
	return in, nil
}

// Find returns the instance of an entity in the account, or 404.
func (e *Engine) Find(ctx context.Context, idb bun.IDB, accountID int64, def, entityType string, entityID int64) (*Instance, error) {
	in := new(Instance)
	err := idb.NewSelect().Model(in).Where("account_id = ? AND definition = ? AND entity_type = ? AND entity_id = ?", accountID, def, entityType, entityID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	return in, err
}

// Allowed lists the transitions the actor may fire from the instance's current state
// (capability and System checked; guards are not run).
func (e *Engine) Allowed(in *Instance, a *actor.Actor) []string {
	d := e.defs[in.Definition]
	var out []string
	for _, t := range d.Transitions {
		if slices.Contains(t.From, in.State) && permitted(t, a) {
			out = append(out, t.Name)
		}
	}
	sort.Strings(out)
	return out
}

func permitted(t Transition, a *actor.Actor) bool {
	if a == nil {
		return true // the system may fire any transition
	}
	if t.System {
		return false
	}
	return t.Object == "" || a.May(t.Object, t.Action)
}

// Fire moves the instance through the named transition inside tx, records it and emits its
// events. a nil actor is the system.
func (e *Engine) Fire(ctx context.Context, tx bun.IDB, in *Instance, name string, a *actor.Actor, comment string) error {
	d, ok := e.defs[in.Definition]
	if !ok {
		return fmt.Errorf("workflow: unknown definition %q", in.Definition)
	}
	if len(comment) > 2000 {
		return problem.Invalid(problem.FieldError{Field: "comment", Message: "must be at most 2000 characters"})
	}
	idx := slices.IndexFunc(d.Transitions, func(t Transition) bool { return t.Name == name })
	if idx < 0 || !slices.Contains(d.Transitions[idx].From, in.State) {
		return e.illegal(in, name, a)
	}
	t := d.Transitions[idx]
	if !permitted(t, a) {
		return problem.Forbidden("your role may not " + name + " this")
	}
	for _, g := range t.Guards {
		if err := g(ctx, tx, in, a); err != nil {
			return err
		}
	}
	from, now := in.State, db.Now()
	// The state condition makes concurrent transitions safe: the loser changes nothing.
	res, err := tx.NewUpdate().Model(in).Set("state = ?", t.To).Set("updated_at = ?", now).
		Where("id = ? AND state = ?", in.ID, from).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return e.illegal(in, name, a)
	}
	step := &Step{AccountID: in.AccountID, InstanceID: in.ID, Transition: name, From: from, To: t.To, Comment: comment, CreatedAt: now}
	var actorID int64
	if a != nil {
		actorID = a.UserID
		step.ActorID, step.ActorName = &actorID, a.Name
	}
	if _, err := tx.NewInsert().Model(step).Exec(ctx); err != nil {
		return err
	}
	in.State, in.UpdatedAt = t.To, now
	payload := Transitioned{InstanceID: in.ID, Definition: in.Definition, EntityType: in.EntityType, EntityID: in.EntityID,
		Transition: name, From: from, To: t.To, Comment: comment}
	if _, err := events.EmitBy(ctx, tx, in.AccountID, actorID, "workflow.transitioned", payload); err != nil {
		return err
	}
	_, err = events.EmitBy(ctx, tx, in.AccountID, actorID, in.Definition+"."+name, payload)
	return err
}

// illegal is the 409 listing what may be done instead.
func (e *Engine) illegal(in *Instance, name string, a *actor.Actor) error {
	p := problem.Conflict("", fmt.Sprintf("%q is not possible while the state is %q", name, in.State))
	p.Allowed = e.Allowed(in, a)
	if p.Allowed == nil {
		p.Allowed = []string{}
	}
	return p
}

// History returns the recorded transitions of an instance, oldest first.
func (e *Engine) History(ctx context.Context, idb bun.IDB, accountID, instanceID int64) ([]Step, error) {
	var out []Step
	err := idb.NewSelect().Model(&out).Where("account_id = ? AND instance_id = ?", accountID, instanceID).OrderExpr("id").Scan(ctx)
	return out, err
}

// InState lists instances of a definition in a state (for periodic jobs such as expiry).
func (e *Engine) InState(ctx context.Context, idb bun.IDB, def, state string, limit int) ([]Instance, error) {
	var out []Instance
	err := idb.NewSelect().Model(&out).Where("definition = ? AND state = ?", def, state).OrderExpr("id").Limit(int64(limit)).Scan(ctx)
	return out, err
}
