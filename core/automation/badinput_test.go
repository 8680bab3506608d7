package automation_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
)

// TestRulesRefuseBadInput: a rule's every part is bounded and checked — control characters,
// lengths, list sizes, nulls where a value is needed, ids of other accounts — with a 422 naming
// the field, and nothing is written (on create and on replace).
func TestRulesRefuseBadInput(t *testing.T) {
	testkit.EachDB(t, testkit.Options{Modules: []app.Module{pinger{}}}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		other := e.NewAccount()
		member := e.NewUser(acc, "member")
		c := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/automation-rules"
		notify := func(a map[string]any) map[string]any {
			out := map[string]any{"type": "notify", "roles": []string{"admin"}, "message": "Hello"}
			for k, v := range a {
				out[k] = v
			}
			return out
		}
		rule := func(name, event string, conds []map[string]any, actions ...map[string]any) map[string]any {
			if conds == nil {
				conds = []map[string]any{}
			}
			return map[string]any{"name": name, "event_type": event, "conditions": conds, "actions": actions}
		}
		ok := rule("ok", "user.invited", nil, notify(nil))
		good := c.Post(base, ok)
		if good.Status != http.StatusCreated {
			t.Fatalf("a good rule: %d %s", good.Status, good.Body)
		}
		path := fmt.Sprintf("%s/%d", base, int64(good.Map()["id"].(float64)))
		long := strings.Repeat("x", 100_000)
		many := make([]int64, 20_000)
		for i := range many {
			many[i] = int64(i + 1)
		}
		cond := func(op string, v any) []map[string]any {
			return []map[string]any{{"field": "payload.role", "op": op, "value": v}}
		}
		cases := []struct {
			name  string
			body  any
			field string
		}{
			{"NUL in the name", rule("a\x00b", "user.invited", nil, notify(nil)), "name"},
			{"NUL in the event type", rule("r", "user.\x00invited", nil, notify(nil)), "event_type"},
			{"NUL in a message", rule("r", "user.invited", nil, notify(map[string]any{"message": "hi\x00"})), "actions[0].message"},
			{"escape in a message", rule("r", "user.invited", nil, notify(map[string]any{"message": "\x1b[2Jhi"})), "actions[0].message"},
			{"NUL in a condition's value", rule("r", "user.invited", cond("eq", "a\x00")), "conditions[0].value"},
			{"long name", rule(long, "user.invited", nil, notify(nil)), "name"},
			{"long event type", rule("r", long, nil, notify(nil)), "event_type"},
			{"undeclared event type", rule("r", "no.such.event", nil, notify(nil)), "event_type"},
			{"long message", rule("r", "user.invited", nil, notify(map[string]any{"message": long})), "actions[0].message"},
			{"long condition value", rule("r", "user.invited", cond("eq", long), notify(nil)), "conditions[0].value"},
			{"long field path", rule("r", "user.invited", []map[string]any{{"field": long, "op": "exists"}}, notify(nil)), "conditions[0].field"},
			{"huge in list", rule("r", "user.invited", cond("in", make([]string, 10_000)), notify(nil)), "conditions[0].value"},
			{"object as a value", rule("r", "user.invited", cond("eq", map[string]any{"a": long}), notify(nil)), "conditions[0].value"},
			{"null value", rule("r", "user.invited", cond("eq", nil), notify(nil)), "conditions[0].value"},
			{"null condition", rule("r", "user.invited", []map[string]any{nil}, notify(nil)), "conditions[0].field"},
			{"null action", map[string]any{"name": "r", "event_type": "user.invited", "actions": []any{nil}}, "actions[0].type"},
			{"null actions", map[string]any{"name": "r", "event_type": "user.invited", "actions": nil}, "actions"},
			{"null name", map[string]any{"name": nil, "event_type": "user.invited", "actions": []any{notify(nil)}}, "name"},
			{"20,000 users", rule("r", "user.invited", nil, notify(map[string]any{"users": many})), "actions[0].users"},
			{"null user", rule("r", "user.invited", nil, notify(map[string]any{"users": []any{nil}})), "actions[0].users"},
			{"repeated user", rule("r", "user.invited", nil, notify(map[string]any{"users": []int64{member.ID, member.ID}})), "actions[0].users"},
			{"user of another account", rule("r", "user.invited", nil, notify(map[string]any{"users": []int64{member.ID, other.Owner.ID}})), "actions[0].users"},
			{"nobody's id", rule("r", "user.invited", nil, notify(map[string]any{"users": []int64{999_999_999}})), "actions[0].users"},
			{"20,000 roles", rule("r", "user.invited", nil, notify(map[string]any{"roles": strings.Split(strings.Repeat("admin,", 19_999)+"admin", ",")})), "actions[0].roles"},
			{"long stowaway field", rule("r", "user.invited", nil, notify(map[string]any{"entity_field": long})), "actions[0].definition"},
			{"huge params", rule("r", "test.ping", nil, map[string]any{"type": "run", "name": "test.echo", "params": map[string]any{"x": long}}), "actions[0].params"},
			{"null param", rule("r", "test.ping", nil, map[string]any{"type": "run", "name": "test.echo", "params": map[string]any{"x": nil}}), "actions[0].params.x"},
			{"NUL in a param", rule("r", "test.ping", nil, map[string]any{"type": "run", "name": "test.echo", "params": map[string]any{"x": "\x00"}}), "actions[0].params.x"},
			{"long run name", rule("r", "test.ping", nil, map[string]any{"type": "run", "name": long}), "actions[0].name"},
			{"transition without workflow", rule("r", "test.ping", nil, map[string]any{"type": "transition", "definition": long, "transition": long, "entity_type": long, "entity_field": long}), "actions[0].definition"},
		}
		before, rules := e.Snapshot(), e.Count("automation_rules")
		for _, tc := range cases {
			for _, call := range []struct {
				method string
				do     func() *testkit.Response
			}{
				{"POST", func() *testkit.Response { return c.Post(base, tc.body) }},
				{"PATCH", func() *testkit.Response { return c.Patch(path, tc.body) }},
			} {
				r := call.do()
				if r.Status != http.StatusUnprocessableEntity {
					t.Errorf("%s (%s): %d, want 422: %.300s", tc.name, call.method, r.Status, r.Body)
					continue
				}
				if _, ok := r.FieldErrors()[tc.field]; !ok {
					t.Errorf("%s (%s): no message for %s: %.300s", tc.name, call.method, tc.field, r.Body)
				}
			}
		}
		if n := e.Count("automation_rules"); n != rules {
			t.Errorf("refused rules were written: %d rules, want %d", n, rules)
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("refused rules wrote:\n%s\n---\n%s", before, after)
		}
		got := c.Get(path).Map()
		if got["name"] != "ok" || got["event_type"] != "user.invited" {
			t.Errorf("the rule changed: %v", got)
		}
		// What is allowed stays allowed: a message of several lines, a person of the account.
		if r := c.Patch(path, rule("ok", "user.invited", cond("in", []any{"admin", 2}), notify(map[string]any{"users": []int64{member.ID}, "message": "Two\nlines\tand a tab"}))); r.Status != http.StatusOK {
			t.Errorf("a good change: %d %s", r.Status, r.Body)
		}
	})
}

// TestRulePageRefusesControlCharacters: the page form is held to the same rules (web.CheckForm
// before the handler, then the service's checks): 422, the rule not written; a message of
// several lines is fine.
func TestRulePageRefusesControlCharacters(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		b := e.BrowserLogin(acc.Owner)
		page := "/" + acc.Slug + "/automation"
		form := func(name, message string) url.Values {
			return url.Values{"name": {name}, "event_type": {"user.invited"}, "action_type": {"notify"}, "role_owner": {"on"}, "message": {message}}
		}
		before := e.Count("automation_rules")
		for _, v := range []url.Values{form("a\x00b", "Hello"), form("Rule", "hi\x00"), form("Rule", "\x1b[2J"), form("Rule\x7f", "Hello")} {
			if r := b.SubmitForm(page, page, v); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%q: %d, want 422", v.Encode(), r.Status)
			}
		}
		if n := e.Count("automation_rules"); n != before {
			t.Fatalf("refused forms wrote %d rules", n-before)
		}
		if r := b.SubmitForm(page, page, form("Rule", "Two\r\nlines\tand a tab")); r.Status != http.StatusSeeOther {
			t.Fatalf("a good form: %d %.300s", r.Status, r.Body)
		}
	})
}
