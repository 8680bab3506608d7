package automation

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
)

// RuleInput is the body of POST and PATCH /api/v1/{slug}/automation-rules.
type RuleInput struct {
	Name       string      `json:"name" openapi:"required" example:"Tell managers about urgent tasks"`
	EventType  string      `json:"event_type" openapi:"required" example:"task.created"`
	Conditions []Condition `json:"conditions" example:"[{\"field\":\"priority\",\"op\":\"eq\",\"value\":\"urgent\"}]"`
	Actions    []Action    `json:"actions" openapi:"required" example:"[{\"type\":\"notify\",\"roles\":[\"manager\"],\"message\":\"An urgent task was created\"}]"`
	Enabled    *bool       `json:"enabled,omitempty"`
}

// List returns the account's rules.
func (e *Engine) List(ctx context.Context, a *actor.Actor, p api.Page) (api.List[Rule], error) {
	var out []Rule
	if err := e.DB.NewSelect().Model(&out).Where("account_id = ? AND id > ?", a.AccountID(), p.After).OrderExpr("id").Limit(int64(p.Limit + 1)).Scan(ctx); err != nil {
		return api.List[Rule]{}, err
	}
	for i := range out {
		if err := out[i].decode(); err != nil {
			return api.List[Rule]{}, err
		}
	}
	return api.MakeList(out, p, func(r Rule) int64 { return r.ID }), nil
}

// Get returns one rule of the account, or 404.
func (e *Engine) Get(ctx context.Context, a *actor.Actor, id int64) (*Rule, error) {
	r := new(Rule)
	err := e.DB.NewSelect().Model(r).Where("account_id = ? AND id = ?", a.AccountID(), id).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return r, r.decode()
}

// Create adds a rule (enabled unless said otherwise).
func (e *Engine) Create(ctx context.Context, a *actor.Actor, in RuleInput) (*Rule, error) {
	if err := e.check(ctx, a, &in); err != nil {
		return nil, err
	}
	n, err := e.DB.NewSelect().Model((*Rule)(nil)).Where("account_id = ?", a.AccountID()).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n >= MaxRules {
		return nil, problem.Conflict("", fmt.Sprintf("an account may have at most %d rules", MaxRules))
	}
	now, uid := db.Now(), a.UserID
	r := &Rule{AccountID: a.AccountID(), Name: strings.TrimSpace(in.Name), EventType: in.EventType, Conditions: marshal(nonNil(in.Conditions)),
		Actions: marshal(in.Actions), Enabled: in.Enabled == nil || *in.Enabled, CreatedBy: &uid, CreatedAt: now, UpdatedAt: now}
	err = e.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "automation.rule_created", r.Name, map[string]string{"event_type": r.EventType})
	})
	if err != nil {
		return nil, err
	}
	return r, r.decode()
}

func nonNil(c []Condition) []Condition {
	if c == nil {
		return []Condition{}
	}
	return c
}

// Update replaces a rule's definition.
func (e *Engine) Update(ctx context.Context, a *actor.Actor, id int64, in RuleInput) (*Rule, error) {
	r, err := e.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := e.check(ctx, a, &in); err != nil {
		return nil, err
	}
	r.Name, r.EventType, r.Conditions, r.Actions, r.UpdatedAt = strings.TrimSpace(in.Name), in.EventType, marshal(nonNil(in.Conditions)), marshal(in.Actions), db.Now()
	if in.Enabled != nil {
		r.Enabled = *in.Enabled
	}
	err = e.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(r).Column("name", "event_type", "conditions", "actions", "enabled", "updated_at").Where("account_id = ? AND id = ?", r.AccountID, r.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "automation.rule_changed", r.Name, nil)
	})
	if err != nil {
		return nil, err
	}
	return r, r.decode()
}

// SetEnabled switches a rule on or off.
func (e *Engine) SetEnabled(ctx context.Context, a *actor.Actor, id int64, on bool) (*Rule, error) {
	r, err := e.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	action := "automation.rule_disabled"
	if on {
		action = "automation.rule_enabled"
	}
	err = e.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(r).Set("enabled = ?", on).Set("updated_at = ?", db.Now()).Where("account_id = ? AND id = ?", r.AccountID, r.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), action, r.Name, nil)
	})
	r.Enabled = on
	return r, err
}

// Delete removes a rule and its log.
func (e *Engine) Delete(ctx context.Context, a *actor.Actor, id int64) error {
	r, err := e.Get(ctx, a, id)
	if err != nil {
		return err
	}
	return e.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*Rule)(nil)).Where("account_id = ? AND id = ?", r.AccountID, r.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "automation.rule_deleted", r.Name, nil)
	})
}

// Trial is the answer to "what would this rule do with the last matching event?".
type Trial struct {
	Event   *events.Event `json:"event"`
	Actions []string      `json:"actions"`
	Stopped bool          `json:"stopped"`
	Detail  string        `json:"detail"`
}

// Test finds the latest event of the rule's type that matches its conditions (among the last
// 500 of that type) and describes what the rule would do with it, doing nothing.
func (e *Engine) Test(ctx context.Context, a *actor.Actor, id int64) (*Trial, error) {
	r, err := e.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	var recent []events.Event
	if err := e.DB.NewSelect().Model(&recent).Where("account_id = ? AND type = ?", a.AccountID(), r.EventType).OrderExpr("id DESC").Limit(500).Scan(ctx); err != nil {
		return nil, err
	}
	for i := range recent {
		ev := &recent[i]
		if !Matches(r.If, ev) {
			continue
		}
		t := &Trial{Event: ev, Actions: []string{}}
		if ev.Depth >= MaxDepth {
			t.Stopped, t.Detail = true, fmt.Sprintf("the chain would stop at depth %d", ev.Depth)
			return t, nil
		}
		for _, act := range r.Then {
			desc, err := e.do(ctx, e.DB, act, ev, true)
			if err != nil {
				desc = "would fail: " + err.Error()
			}
			t.Actions = append(t.Actions, desc)
		}
		return t, nil
	}
	return &Trial{Actions: []string{}, Detail: "no recent " + r.EventType + " event matches the conditions"}, nil
}

// Runs returns a rule's log, newest first.
func (e *Engine) Runs(ctx context.Context, a *actor.Actor, id int64, p api.Page) (api.List[Run], error) {
	if _, err := e.Get(ctx, a, id); err != nil {
		return api.List[Run]{}, err
	}
	var out []Run
	q := e.DB.NewSelect().Model(&out).Where("account_id = ? AND rule_id = ?", a.AccountID(), id).OrderExpr("id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("id < ?", p.After)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[Run]{}, err
	}
	return api.MakeList(out, p, func(r Run) int64 { return r.ID }), nil
}
