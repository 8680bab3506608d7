package automation_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/events"
	"groupcamp/core/testkit"
)

// pinger is a test module whose named action emits a "test.ping" event: a rule "when
// test.ping, run test.echo" therefore feeds itself and must be cut at depth 5.
type pinger struct{}

func (pinger) Name() string { return "pinger" }
func (pinger) Register(r *app.Registry) error {
	r.Events("test.ping", "test.fail")
	r.Action(automation.NamedAction{Name: "test.echo", Description: "emit test.ping again", Run: func(ctx context.Context, tx bun.IDB, ev *events.Event, params map[string]any) (string, error) {
		if params["fail"] == true {
			_, _ = events.Emit(ctx, tx, ev.AccountID, "test.should_not_exist", nil)
			return "", fmt.Errorf("asked to fail")
		}
		_, err := events.Emit(ctx, tx, ev.AccountID, "test.ping", map[string]any{"n": ev.Depth + 1})
		return "echoed", err
	}})
	return nil
}

func emit(t *testing.T, e *testkit.Env, accountID int64, typ string, payload any) {
	t.Helper()
	if err := e.App.DB.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := events.Emit(ctx, tx, accountID, typ, payload)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.App.Events.Notify()
}

type runs struct {
	Items []automation.Run `json:"items"`
}

func waitRuns(t *testing.T, e *testkit.Env, c *testkit.Client, path string, n int) []automation.Run {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var out runs
		c.Get(path).JSON(t, &out)
		if len(out.Items) >= n {
			return out.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("runs = %d, want %d", len(out.Items), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRulesEndToEnd(t *testing.T) {
	testkit.EachDB(t, testkit.Options{Modules: []app.Module{pinger{}}}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		member := e.NewUser(acc, "member")
		c := e.As(admin)
		base := "/api/v1/" + acc.Slug + "/automation-rules"

		// Bad rules: field-level 422, nothing written; members: 403.
		before := e.Count("automation_rules")
		r := c.Post(base, map[string]any{"name": "", "event_type": "has space", "conditions": []map[string]any{{"field": "payload.x", "op": "like"}},
			"actions": []map[string]any{{"type": "run", "name": "nobody.provides"}}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad rule: %d %s", r.Status, r.Body)
		}
		for _, f := range []string{"name", "event_type", "conditions[0].op", "actions[0].name"} {
			if _, ok := r.FieldErrors()[f]; !ok {
				t.Errorf("no message for %s: %s", f, r.Body)
			}
		}
		if e.Count("automation_rules") != before {
			t.Error("a refused rule was written")
		}
		if r := e.As(member).Get(base); r.Status != http.StatusForbidden {
			t.Errorf("member lists rules: %d", r.Status)
		}

		// A rule that feeds itself stops at depth 5 and says so.
		r = c.Post(base, map[string]any{"name": "echo", "event_type": "test.ping",
			"conditions": []map[string]any{{"field": "payload.n", "op": "lt", "value": 100}},
			"actions":    []map[string]any{{"type": "run", "name": "test.echo"}}})
		if r.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var rule automation.Rule
		r.JSON(t, &rule)
		emit(t, e, acc.ID, "test.ping", map[string]any{"n": 0})
		got := waitRuns(t, e, c, fmt.Sprintf("%s/%d/runs", base, rule.ID), 6)
		if got[0].Outcome != automation.OutcomeStopped || got[0].Depth != 5 || !strings.Contains(got[0].Detail, "depth 5") {
			t.Errorf("last run = %+v", got[0])
		}
		for _, run := range got[1:] {
			if run.Outcome != automation.OutcomeDone || run.Detail != "echoed" {
				t.Errorf("run = %+v", run)
			}
		}
		// Once the background work is done (no event, no job left), the chain has stopped at 6.
		e.Settle()
		if n := len(waitRuns(t, e, c, fmt.Sprintf("%s/%d/runs", base, rule.ID), 6)); n != 6 {
			t.Errorf("runs = %d after the chain stopped, want 6", n)
		}

		// Test: what the rule would do with the last matching event, doing nothing.
		before = e.Count("automation_runs")
		r = c.Post(fmt.Sprintf("%s/%d/test", base, rule.ID), nil)
		var trial automation.Trial
		r.JSON(t, &trial)
		if r.Status != http.StatusOK || trial.Event == nil || !trial.Stopped {
			t.Errorf("test: %d %s", r.Status, r.Body)
		}
		if e.Count("automation_runs") != before {
			t.Error("testing a rule must not run it")
		}

		// Disabled rules do nothing; a failing action is logged and its partial work undone.
		if r := c.Post(fmt.Sprintf("%s/%d/disable", base, rule.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("disable: %d", r.Status)
		}
		r = c.Post(base, map[string]any{"name": "failing", "event_type": "test.fail",
			"actions": []map[string]any{{"type": "run", "name": "test.echo", "params": map[string]any{"fail": true}}}})
		var failing automation.Rule
		r.JSON(t, &failing)
		emit(t, e, acc.ID, "test.fail", nil)
		fr := waitRuns(t, e, c, fmt.Sprintf("%s/%d/runs", base, failing.ID), 1)
		if fr[0].Outcome != automation.OutcomeFailed || !strings.Contains(fr[0].Detail, "asked to fail") {
			t.Errorf("failing run = %+v", fr[0])
		}
		var n int64
		n, _ = e.App.DB.NewSelect().TableExpr("outbox").Where("type = ?", "test.should_not_exist").Count(context.Background())
		if n != 0 {
			t.Error("a failed rule's partial work was kept")
		}

		// Another account's rule ids are 404.
		other := e.NewAccount()
		if r := e.As(other.Owner).Get(fmt.Sprintf("/api/v1/%s/automation-rules/%d", other.Slug, rule.ID)); r.Status != http.StatusNotFound {
			t.Errorf("other account reads a rule: %d", r.Status)
		}
	})
}

func TestConditions(t *testing.T) {
	ev := &events.Event{Type: "user.invited", AccountID: 3, Payload: []byte(`{"role":"client","count":7,"email":"Bob@x.test"}`)}
	cases := []struct {
		c    automation.Condition
		want bool
	}{
		{automation.Condition{Field: "payload.role", Op: "eq", Value: "client"}, true},
		{automation.Condition{Field: "payload.role", Op: "ne", Value: "client"}, false},
		{automation.Condition{Field: "payload.count", Op: "gt", Value: 5.0}, true},
		{automation.Condition{Field: "payload.count", Op: "lt", Value: 5.0}, false},
		{automation.Condition{Field: "payload.email", Op: "contains", Value: "bob@"}, true},
		{automation.Condition{Field: "payload.role", Op: "in", Value: []any{"admin", "client"}}, true},
		{automation.Condition{Field: "payload.missing", Op: "exists"}, false},
		{automation.Condition{Field: "type", Op: "eq", Value: "user.invited"}, true},
		{automation.Condition{Field: "account_id", Op: "eq", Value: 3.0}, true},
	}
	for _, c := range cases {
		if got := automation.Matches([]automation.Condition{c.c}, ev); got != c.want {
			t.Errorf("%+v = %v, want %v", c.c, got, c.want)
		}
	}
}
