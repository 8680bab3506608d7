// Package automation runs the rules administrators define: *when* an event of a type
// happens, *if* conditions on the event's fields hold, *then* do actions — notify users or
// roles, fire a workflow transition, or run a named action that a module or a plugin provides
// (assigning a task, calling a webhook...).
//
// Rules react through the event bus (a subscriber to every event), inside the delivery's
// transaction, so a rule acts once per event. Events emitted by an action are one step deeper
// than the event that caused them; at depth MaxDepth a chain stops and the run log says so.
// Every run is logged with its outcome.
package automation

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// MaxDepth is how many events deep a chain of rules may go.
const MaxDepth = 5

// Limits on what an administrator may define.
const (
	MaxConditions = 20
	MaxActions    = 10
	MaxRules      = 200
)

// Condition tests one field of the event: Field is a dot path into the event ("type",
// "actor_id", "payload.role"...), Op one of eq, ne, contains, gt, lt, exists, in.
type Condition struct {
	Field string `json:"field" openapi:"required"`
	Op    string `json:"op" openapi:"required" enum:"eq,ne,contains,gt,lt,exists,in"`
	Value any    `json:"value,omitempty"`
}

// Action is one thing a rule does.
//   - notify: Users (ids) and/or Roles get Message (in-app and email per their preferences).
//   - transition: fire Transition on the workflow Definition of the entity whose id is at
//     EntityField of the event (e.g. "payload.entity_id"), EntityType naming its kind.
//   - run: the named action Name, with Params, as a module or plugin provides it.
type Action struct {
	Type        string         `json:"type" openapi:"required" enum:"notify,transition"`
	Users       []int64        `json:"users,omitempty"`
	Roles       []string       `json:"roles,omitempty"`
	Message     string         `json:"message,omitempty" text:"multiline"`
	Definition  string         `json:"definition,omitempty"`
	EntityType  string         `json:"entity_type,omitempty"`
	EntityField string         `json:"entity_field,omitempty"`
	Transition  string         `json:"transition,omitempty"`
	Name        string         `json:"name,omitempty"`
	Params      map[string]any `json:"params,omitempty"`
}

// Rule is when / if / then.
type Rule struct {
	bun.BaseModel `bun:"table:automation_rules"`

	ID         int64           `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64           `bun:"account_id" json:"-"`
	Name       string          `bun:"name" json:"name"`
	EventType  string          `bun:"event_type" json:"event_type"`
	Conditions json.RawMessage `bun:"conditions,type:text" json:"-"`
	Actions    json.RawMessage `bun:"actions,type:text" json:"-"`
	Enabled    bool            `bun:"enabled" json:"enabled"`
	CreatedBy  *int64          `bun:"created_by" json:"created_by"`
	CreatedAt  time.Time       `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time       `bun:"updated_at" json:"updated_at"`

	If   []Condition `bun:"-" json:"conditions"`
	Then []Action    `bun:"-" json:"actions"`
}

func (r *Rule) decode() error {
	if err := json.Unmarshal(r.Conditions, &r.If); err != nil {
		return err
	}
	return json.Unmarshal(r.Actions, &r.Then)
}

// Run is one line of a rule's log.
type Run struct {
	bun.BaseModel `bun:"table:automation_runs"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	RuleID    int64     `bun:"rule_id" json:"rule_id"`
	EventID   int64     `bun:"event_id" json:"event_id"`
	Depth     int       `bun:"depth" json:"depth"`
	Outcome   string    `bun:"outcome" json:"outcome"` // done, failed, stopped
	Detail    string    `bun:"detail" json:"detail"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// Run outcomes.
const (
	OutcomeDone    = "done"
	OutcomeFailed  = "failed"
	OutcomeStopped = "stopped"
)
