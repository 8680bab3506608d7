package automation

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/core/workflow"
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

// Bounds on the parts of a rule (besides MaxConditions and MaxActions): what an administrator
// defines is stored as is and read on every event, so every part of it has a limit.
const (
	MaxName       = 100  // a rule's name
	MaxPath       = 100  // an event type, a condition's field path, an action's names
	MaxMessage    = 500  // a notify action's message
	MaxValue      = 500  // a string a condition compares with, or a parameter's value
	MaxInValues   = 50   // the values of an "in" condition
	MaxUsers      = 50   // the users a notify action names
	MaxParams     = 20   // the parameters of a run action
	MaxParamsJSON = 4096 // the parameters of a run action, as JSON
)

// pathRe is the shape of an event type ("projects.task_created") and of a field path
// ("payload.user.role").
var pathRe = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

// check validates a rule's definition and reports field errors; ids must be the account's.
func (e *Engine) check(ctx context.Context, a *actor.Actor, in *RuleInput) error {
	var f problem.Fields
	name := strings.TrimSpace(in.Name)
	f.Check(name != "" && utf8.RuneCountInString(name) <= MaxName, "name", fmt.Sprintf("must be 1 to %d characters", MaxName))
	f.Check(f.Has("name") || !validate.Control(name, false), "name", "must not contain control characters")
	f.Check(len(in.EventType) <= MaxPath && pathRe.MatchString(in.EventType), "event_type", "must name an event type, e.g. user.invited")
	f.Check(f.Has("event_type") || !strings.HasPrefix(in.EventType, "mail."), "event_type", "mail events cannot start rules")
	f.Check(f.Has("event_type") || e.EventTypes == nil || slices.Contains(e.EventTypes, in.EventType), "event_type",
		"is not an event type of this server: choose one of "+strings.Join(e.EventTypes, ", "))
	f.Check(len(in.Conditions) <= MaxConditions, "conditions", fmt.Sprintf("at most %d conditions", MaxConditions))
	f.Check(len(in.Actions) >= 1 && len(in.Actions) <= MaxActions, "actions", fmt.Sprintf("from 1 to %d actions", MaxActions))
	if f.Has("conditions") || f.Has("actions") {
		return f.Err() // a list past its bound is not read further
	}
	for i, c := range in.Conditions {
		key := fmt.Sprintf("conditions[%d]", i)
		f.Check(len(c.Field) <= MaxPath && pathRe.MatchString(c.Field), key+".field", "must be a field path such as payload.role")
		f.Check(slices.Contains(Ops, c.Op), key+".op", "must be one of: "+strings.Join(Ops, ", "))
		switch c.Op {
		case "exists":
			f.Check(c.Value == nil, key+".value", "must be left out for exists")
		case "gt", "lt":
			_, ok := number(c.Value)
			f.Check(ok, key+".value", "must be a number")
		case "in":
			list, ok := c.Value.([]any)
			f.Check(ok && len(list) >= 1 && len(list) <= MaxInValues, key+".value", fmt.Sprintf("must be a list of 1 to %d values", MaxInValues))
			for j := 0; ok && j < len(list) && !f.Has(key+".value"); j++ {
				checkScalar(&f, fmt.Sprintf("%s.value[%d]", key, j), list[j])
			}
		default:
			checkScalar(&f, key+".value", c.Value)
		}
	}
	var users []int64
	for i, act := range in.Actions {
		key := fmt.Sprintf("actions[%d]", i)
		// Only the fields of its type: the others would be stored and never read.
		unused := func(field string, empty bool) {
			f.Check(empty, key+"."+field, "must be left out for a "+act.Type+" action")
		}
		switch act.Type {
		case "notify":
			f.Check(len(act.Users)+len(act.Roles) > 0, key+".users", "name at least one user or role")
			f.Check(len(act.Users) <= MaxUsers, key+".users", fmt.Sprintf("at most %d users", MaxUsers))
			if !f.Has(key + ".users") {
				seen := map[int64]bool{}
				for _, u := range act.Users {
					f.Check(u > 0 && !seen[u], key+".users", "must be distinct user ids")
					seen[u] = true
				}
				if !f.Has(key + ".users") {
					users = append(users, act.Users...)
				}
			}
			f.Check(len(act.Roles) <= len(roles), key+".roles", "must be distinct roles")
			for j, r := range act.Roles {
				f.Check(slices.Contains(roles, r) && !slices.Contains(act.Roles[:j], r), key+".roles", "must be distinct roles among: "+strings.Join(roles, ", "))
				if f.Has(key + ".roles") {
					break
				}
			}
			msg := strings.TrimSpace(act.Message)
			f.Check(msg != "" && utf8.RuneCountInString(act.Message) <= MaxMessage, key+".message", fmt.Sprintf("must be 1 to %d characters", MaxMessage))
			f.Check(f.Has(key+".message") || !validate.Control(act.Message, true), key+".message", "must not contain control characters other than line breaks and tabs")
			unused("definition", act.Definition == "" && act.EntityType == "" && act.EntityField == "" && act.Transition == "")
			unused("name", act.Name == "" && act.Params == nil)
		case "transition":
			var d *workflow.Definition
			if e.Workflows != nil && len(act.Definition) <= MaxPath {
				d, _ = e.Workflows.Definition(act.Definition)
			}
			f.Check(d != nil, key+".definition", "is not a known workflow")
			f.Check(d == nil || slices.ContainsFunc(d.Transitions, func(t workflow.Transition) bool { return t.Name == act.Transition }), key+".transition", "is not a transition of the workflow")
			f.Check(len(act.EntityType) <= MaxPath && pathRe.MatchString(act.EntityType), key+".entity_type", "must name a kind of entity, e.g. grant")
			f.Check(len(act.EntityField) <= MaxPath && pathRe.MatchString(act.EntityField), key+".entity_field", "must be a field path such as payload.entity_id")
			unused("users", act.Users == nil && act.Roles == nil && act.Message == "")
			unused("name", act.Name == "" && act.Params == nil)
		case "run":
			_, ok := e.actions[act.Name]
			f.Check(ok, key+".name", "is not an action any module or plugin provides")
			checkParams(&f, key+".params", act.Params)
			unused("users", act.Users == nil && act.Roles == nil && act.Message == "")
			unused("definition", act.Definition == "" && act.EntityType == "" && act.EntityField == "" && act.Transition == "")
		default:
			f.Add(key+".type", "must be notify, transition or run")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	return e.checkUsers(ctx, a, in, users)
}

// checkScalar checks a value a condition compares with: a string, a number or true/false.
func checkScalar(f *problem.Fields, field string, v any) {
	switch x := v.(type) {
	case nil:
		f.Add(field, "is required")
	case string:
		f.Check(utf8.RuneCountInString(x) <= MaxValue && !validate.Control(x, false), field, fmt.Sprintf("must be text of at most %d characters, without control characters", MaxValue))
	case float64, bool, json.Number:
	default:
		f.Add(field, "must be a string, a number or true/false")
	}
}

// checkParams checks a run action's parameters: a few named values, small.
func checkParams(f *problem.Fields, field string, params map[string]any) {
	if len(params) > MaxParams {
		f.Add(field, fmt.Sprintf("at most %d parameters", MaxParams))
		return
	}
	for k, v := range params {
		if k == "" || len(k) > MaxPath || validate.Control(k, false) {
			f.Add(field, fmt.Sprintf("names must be 1 to %d characters", MaxPath))
			return
		}
		if v == nil {
			f.Add(field+"."+k, "must not be null")
			return
		}
	}
	if b, err := json.Marshal(params); err != nil || len(b) > MaxParamsJSON {
		f.Add(field, fmt.Sprintf("must be at most %d bytes of JSON", MaxParamsJSON))
	}
}

// checkUsers refuses user ids that are not people of the actor's account (a 422 naming the
// action: an id of another account is no more known here than an id nobody has).
func (e *Engine) checkUsers(ctx context.Context, a *actor.Actor, in *RuleInput, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	var known []int64
	if err := e.DB.NewSelect().TableExpr("memberships").Column("user_id").
		Where("account_id = ? AND user_id IN (?)", a.AccountID(), bun.In(slices.Compact(slices.Sorted(slices.Values(ids))))).
		Scan(ctx, &known); err != nil {
		return err
	}
	var f problem.Fields
	for i, act := range in.Actions {
		for _, u := range act.Users {
			if !slices.Contains(known, u) {
				f.Add(fmt.Sprintf("actions[%d].users", i), fmt.Sprintf("user %d is not a person of this account", u))
				break
			}
		}
	}
	return f.Err()
}

var roles = []string{"owner", "admin", "manager", "member", "client"}
