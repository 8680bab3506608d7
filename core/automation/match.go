package automation

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"groupcamp/core/events"
	"groupcamp/core/problem"
)

// Ops are the condition operators.
var Ops = []string{"eq", "ne", "contains", "gt", "lt", "exists", "in"}

// view is the event as conditions see it.
func view(ev *events.Event) map[string]any {
	var payload any
	_ = json.Unmarshal(ev.Payload, &payload)
	m := map[string]any{"type": ev.Type, "account_id": float64(ev.AccountID), "depth": float64(ev.Depth), "payload": payload}
	if ev.ActorID != nil {
		m["actor_id"] = float64(*ev.ActorID)
	}
	return m
}

// lookup follows a dot path ("payload.user.role").
func lookup(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, part := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Matches reports whether every condition holds for the event.
func Matches(conds []Condition, ev *events.Event) bool {
	v := view(ev)
	for _, c := range conds {
		if !holds(c, v) {
			return false
		}
	}
	return true
}

func holds(c Condition, v map[string]any) bool {
	got, ok := lookup(v, c.Field)
	if c.Op == "exists" {
		return ok && got != nil
	}
	if !ok {
		return c.Op == "ne"
	}
	switch c.Op {
	case "eq":
		return equal(got, c.Value)
	case "ne":
		return !equal(got, c.Value)
	case "contains":
		return strings.Contains(strings.ToLower(fmt.Sprint(got)), strings.ToLower(fmt.Sprint(c.Value)))
	case "gt", "lt":
		a, aok := got.(float64)
		b, bok := number(c.Value)
		if !aok || !bok {
			return false
		}
		if c.Op == "gt" {
			return a > b
		}
		return a < b
	case "in":
		list, ok := c.Value.([]any)
		return ok && slices.ContainsFunc(list, func(x any) bool { return equal(got, x) })
	}
	return false
}

func number(x any) (float64, bool) {
	switch n := x.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func equal(a, b any) bool {
	if x, ok := number(a); ok {
		if y, ok := number(b); ok {
			return x == y
		}
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// check validates a rule's definition and reports field errors.
func (e *Engine) check(in *RuleInput) error {
	var f problem.Fields
	name := strings.TrimSpace(in.Name)
	f.Check(name != "" && len([]rune(name)) <= 100, "name", "must be 1 to 100 characters")
	f.Check(in.EventType != "" && len(in.EventType) <= 100 && !strings.ContainsAny(in.EventType, " \t\n"), "event_type", "must name an event type, e.g. user.invited")
	f.Check(!strings.HasPrefix(in.EventType, "mail."), "event_type", "mail events cannot start rules")
	f.Check(len(in.Conditions) <= MaxConditions, "conditions", fmt.Sprintf("at most %d conditions", MaxConditions))
	f.Check(len(in.Actions) >= 1 && len(in.Actions) <= MaxActions, "actions", fmt.Sprintf("from 1 to %d actions", MaxActions))
	for i, c := range in.Conditions {
		key := fmt.Sprintf("conditions[%d]", i)
		f.Check(c.Field != "" && len(c.Field) <= 100, key+".field", "must be a field path such as payload.role")
		f.Check(slices.Contains(Ops, c.Op), key+".op", "must be one of: "+strings.Join(Ops, ", "))
		if c.Op == "gt" || c.Op == "lt" {
			_, ok := number(c.Value)
			f.Check(ok, key+".value", "must be a number")
		}
	}
	for i, a := range in.Actions {
		key := fmt.Sprintf("actions[%d]", i)
		switch a.Type {
		case "notify":
			f.Check(len(a.Users)+len(a.Roles) > 0, key+".users", "name at least one user or role")
			for _, r := range a.Roles {
				f.Check(slices.Contains(roles, r), key+".roles", "unknown role "+r)
			}
			f.Check(strings.TrimSpace(a.Message) != "" && len([]rune(a.Message)) <= 500, key+".message", "must be 1 to 500 characters")
		case "transition":
			_, ok := e.Workflows.Definition(a.Definition)
			f.Check(e.Workflows != nil && ok, key+".definition", "is not a known workflow")
			f.Check(a.Transition != "", key+".transition", "is required")
			f.Check(a.EntityField != "" && a.EntityType != "", key+".entity_field", "entity_type and entity_field are required")
		case "run":
			_, ok := e.actions[a.Name]
			f.Check(ok, key+".name", "is not an action any module or plugin provides")
		default:
			f.Add(key+".type", "must be notify, transition or run")
		}
	}
	return f.Err()
}

var roles = []string{"owner", "admin", "manager", "member", "client"}
