package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestAssigneesQuota: the starter plan allows 3 people on one task at once. A task created
// with 4 is refused by the projects module (402 naming the quota "assignees" and the team
// plan that lifts it) and nothing is written; a task of 3 is created, and adding a fourth to
// it is refused too; other tasks of 3 are fine (the quota bounds each task, not the
// account); removing one is always allowed. On the team plan the fourth goes on.
func TestAssigneesQuota(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug
		people := []*testkit.User{acc.Owner}
		for range 3 {
			people = append(people, e.NewUser(acc, actor.RoleMember))
		}
		var id struct {
			ID int64 `json:"id"`
		}
		ok(t, owner.Post(base+"/projects", map[string]any{"name": "Crowded"}), http.StatusCreated, "project").JSON(t, &id)
		pbase := fmt.Sprintf("%s/projects/%d", base, id.ID)
		for _, u := range people[1:] {
			ok(t, owner.Put(fmt.Sprintf("%s/members/%d", pbase, u.ID), map[string]any{"role": "member"}), http.StatusOK, "project member")
		}
		ok(t, owner.Post(pbase+"/lists", map[string]any{"name": "Work"}), http.StatusCreated, "list").JSON(t, &id)
		list := id.ID
		who := func(us []*testkit.User) []map[string]any {
			out := []map[string]any{}
			for _, u := range us {
				out = append(out, map[string]any{"user_id": u.ID})
			}
			return out
		}
		subscribed(t, owner, acc.Slug, "FR", "", "tok_test_visa", "starter", 5, "projects")
		refused := func(r *testkit.Response, what string) {
			t.Helper()
			body := string(r.Body)
			if r.Status != http.StatusPaymentRequired || !strings.Contains(body, "assignees") || !strings.Contains(body, "team") || r.FieldErrors()["quota"] == "" {
				t.Fatalf("%s: %d %s, want a 402 naming the assignees quota and the team plan", what, r.Status, body)
			}
		}
		before := e.Count("tasks")
		refused(owner.Post(pbase+"/tasks", map[string]any{"list_id": list, "title": "Four at once", "assignees": who(people)}), "a task with 4 assignees")
		if n := e.Count("tasks"); n != before {
			t.Fatalf("the refused task was written: %d tasks, %d before", n, before)
		}
		ok(t, owner.Post(pbase+"/tasks", map[string]any{"list_id": list, "title": "Three", "assignees": who(people[:3])}), http.StatusCreated, "a task with 3").JSON(t, &id)
		task := fmt.Sprintf("%s/tasks/%d", base, id.ID)
		ok(t, owner.Post(pbase+"/tasks", map[string]any{"list_id": list, "title": "Three more", "assignees": who(people[1:])}), http.StatusCreated, "another task with 3")
		refused(owner.Patch(task, map[string]any{"assignees": who(people)}), "a fourth assignee added")
		var got struct {
			Assignees []struct {
				UserID int64 `json:"user_id"`
			} `json:"assignees"`
		}
		ok(t, owner.Get(task), http.StatusOK, "task").JSON(t, &got)
		if len(got.Assignees) != 3 {
			t.Fatalf("the refused change was written: %+v", got.Assignees)
		}
		ok(t, owner.Patch(task, map[string]any{"assignees": who(people[:2])}), http.StatusOK, "one assignee removed")
		ok(t, owner.Post(base+"/billing/subscription", map[string]any{"plan": "team", "offerings": []string{"projects"}, "seats": 5}), http.StatusOK, "upgrade to team")
		ok(t, owner.Patch(task, map[string]any{"assignees": who(people)}), http.StatusOK, "4 assignees on the team plan")

		// A recurring task's next occurrence asks the quota too. Made on the team plan with 4,
		// it repeats once the account is back on starter (its scheduled downgrade applied): the
		// copy is created with the first 3 — nobody is there to be refused — and the owner is
		// told who was left out.
		ok(t, owner.Patch(task, map[string]any{"due_on": "2031-03-03", "recurrence": map[string]any{"every": "week"}}), http.StatusOK, "recurring")
		if _, err := e.App.DB.ExecContext(context.Background(), "UPDATE billing_subscriptions SET plan = 'starter' WHERE account_id = ?", acc.ID); err != nil {
			t.Fatal(err)
		}
		ok(t, owner.Patch(task, map[string]any{"status": "done"}), http.StatusOK, "done")
		e.Settle()
		var rec struct {
			Recurrence struct {
				NextTaskID int64 `json:"next_task_id"`
			} `json:"recurrence"`
		}
		ok(t, owner.Get(task), http.StatusOK, "task").JSON(t, &rec)
		if rec.Recurrence.NextTaskID == 0 {
			t.Fatal("no next occurrence")
		}
		ok(t, owner.Get(fmt.Sprintf("%s/tasks/%d", base, rec.Recurrence.NextTaskID)), http.StatusOK, "next").JSON(t, &got)
		if len(got.Assignees) != 3 {
			t.Fatalf("the next occurrence's assignees on starter: %+v", got.Assignees)
		}
		var notes struct {
			Items []struct {
				Text string `json:"text"`
			} `json:"items"`
		}
		ok(t, owner.Get(base+"/notifications?limit=100"), http.StatusOK, "notifications").JSON(t, &notes)
		told := false
		for _, n := range notes.Items {
			told = told || (strings.Contains(n.Text, "without "+people[3].Name) && strings.Contains(n.Text, "allows 3"))
		}
		if !told {
			t.Errorf("the owner was not told of the assignee left out: %+v", notes.Items)
		}
	})
}
