package automation

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/workflow"
)

// Notice is what a notify action asks the notification service to deliver.
type Notice struct {
	AccountID int64
	UserIDs   []int64
	Roles     []string
	EventType string
	Text      string
	// Key, when set, is a catalog message translated for each recipient in their language
	// (their profile's, else the account's), with Args as its name/value pairs; Text is then
	// only the fallback. A module's notices use it; a rule's text is the admin's own words.
	Key  string
	Args []any
	// Path is where the notice leads, inside the account ("/tasks/42"); empty: the list of
	// notifications.
	Path string
}

// Notifier delivers notices (core/notify provides it).
type Notifier interface {
	Notify(ctx context.Context, tx bun.IDB, n Notice) error
}

// ReadMarker is implemented by a Notifier that can mark a person's notices read when they saw
// the thing another way (core/notify): the notices leading to path (inside the account).
type ReadMarker interface {
	MarkPathRead(ctx context.Context, tx bun.IDB, accountID, userID int64, path string) error
}

// ActionFunc is a named action; it returns a short description of what it did.
type ActionFunc func(ctx context.Context, tx bun.IDB, ev *events.Event, params map[string]any) (string, error)

// NamedAction is an action a module or plugin provides.
type NamedAction struct {
	Name        string
	Description string
	Run         ActionFunc
}

// Engine evaluates rules against events and runs their actions.
type Engine struct {
	DB        *bun.DB
	Notifier  Notifier
	Workflows *workflow.Engine
	// EventTypes are the declared event types (core's and the modules' published contracts):
	// a rule's "when" must be one of them. Nil takes any well-formed type.
	EventTypes []string
	actions    map[string]NamedAction
}

// NewEngine returns an engine; Notifier and Workflows may be set later.
func NewEngine(d *bun.DB) *Engine { return &Engine{DB: d, actions: map[string]NamedAction{}} }

// Provide registers a named action (modules and plugins, at start).
func (e *Engine) Provide(a NamedAction) {
	if _, dup := e.actions[a.Name]; dup {
		panic("automation: action provided twice: " + a.Name)
	}
	e.actions[a.Name] = a
}

// Actions lists the named actions, by name.
func (e *Engine) Actions() []NamedAction {
	out := make([]NamedAction, 0, len(e.actions))
	for _, a := range e.actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Subscribe makes the engine react to every event of the bus.
func (e *Engine) Subscribe(bus *events.Bus) { bus.OnAny("automation.rules", e.handle) }

func (e *Engine) handle(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	// Plumbing events (queued mail carries recipients and message text) are not facts an
	// administrator reacts to, and a rule's "test" must never show their payloads.
	if ev.AccountID == 0 || strings.HasPrefix(ev.Type, "mail.") {
		return nil
	}
	var rules []Rule
	if err := tx.NewSelect().Model(&rules).Where("account_id = ? AND event_type = ? AND enabled", ev.AccountID, ev.Type).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	for i := range rules {
		r := &rules[i]
		if err := r.decode(); err != nil {
			return err
		}
		if !Matches(r.If, ev) {
			continue
		}
		run := &Run{AccountID: ev.AccountID, RuleID: r.ID, EventID: ev.ID, Depth: ev.Depth, CreatedAt: db.Now()}
		if ev.Depth >= MaxDepth {
			run.Outcome = OutcomeStopped
			run.Detail = fmt.Sprintf("chain stopped at depth %d: this event was caused by %d events in a row; rules may loop", ev.Depth, ev.Depth)
		} else {
			// Each rule's actions run inside a savepoint: a failing rule is logged, its partial
			// work undone, and the other rules' work kept.
			sp := fmt.Sprintf("rule_%d", r.ID)
			if _, err := tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
				return err
			}
			done, err := e.act(ctx, tx, r, ev)
			run.Outcome, run.Detail = OutcomeDone, strings.Join(done, "; ")
			if err != nil {
				run.Outcome, run.Detail = OutcomeFailed, err.Error()
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+sp); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
				return err
			}
		}
		if _, err := tx.NewInsert().Model(run).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// act runs a rule's actions and describes what they did.
func (e *Engine) act(ctx context.Context, tx bun.IDB, r *Rule, ev *events.Event) ([]string, error) {
	var done []string
	for _, a := range r.Then {
		desc, err := e.do(ctx, tx, a, ev, false)
		if err != nil {
			return done, fmt.Errorf("%s: %w", a.Type, err)
		}
		done = append(done, desc)
	}
	return done, nil
}

// do runs (or, with dry, only describes) one action.
func (e *Engine) do(ctx context.Context, tx bun.IDB, a Action, ev *events.Event, dry bool) (string, error) {
	switch a.Type {
	case "notify":
		desc := fmt.Sprintf("notify %s: %q", describeTargets(a), a.Message)
		if dry {
			return desc, nil
		}
		if e.Notifier == nil {
			return "", fmt.Errorf("notifications are not available")
		}
		return desc, e.Notifier.Notify(ctx, tx, Notice{AccountID: ev.AccountID, UserIDs: a.Users, Roles: a.Roles, EventType: ev.Type, Text: a.Message})
	case "transition":
		raw, ok := lookup(view(ev), a.EntityField)
		id, isNum := number(raw)
		if !ok || !isNum {
			return "", fmt.Errorf("the event has no number at %s", a.EntityField)
		}
		desc := fmt.Sprintf("%s %s #%d: %s", a.Definition, a.EntityType, int64(id), a.Transition)
		if dry {
			return desc, nil
		}
		in, err := e.Workflows.Find(ctx, tx, ev.AccountID, a.Definition, a.EntityType, int64(id))
		if err != nil {
			return "", err
		}
		return desc, e.Workflows.Fire(ctx, tx, in, a.Transition, nil, "automation rule")
	case "run":
		na, ok := e.actions[a.Name]
		if !ok {
			return "", fmt.Errorf("action %q is no longer provided", a.Name)
		}
		if dry {
			return "run " + a.Name + ": " + na.Description, nil
		}
		return na.Run(ctx, tx, ev, a.Params)
	}
	return "", fmt.Errorf("unknown action type %q", a.Type)
}

func describeTargets(a Action) string {
	var parts []string
	for _, r := range a.Roles {
		parts = append(parts, "every "+r)
	}
	for _, u := range a.Users {
		parts = append(parts, fmt.Sprintf("user #%d", u))
	}
	return strings.Join(parts, ", ")
}

// marshal encodes conditions and actions for storage.
func marshal(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
