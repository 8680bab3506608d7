package billing_test

import (
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
	})
}
