package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestCounters: the counters page (the overview's quotas) counts the busiest open task's
// assignees and the plugins turned on; a completed task no longer counts.
func TestCounters(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		a, b := e.NewUser(acc, actor.RoleMember), e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		var id struct {
			ID int64 `json:"id"`
		}
		ok(t, owner.Post(base+"/projects", map[string]any{"name": "Counted"}), http.StatusCreated, "project").JSON(t, &id)
		pbase := fmt.Sprintf("%s/projects/%d", base, id.ID)
		for _, u := range []*testkit.User{a, b} {
			ok(t, owner.Put(fmt.Sprintf("%s/members/%d", pbase, u.ID), map[string]any{"role": "member"}), http.StatusOK, "project member")
		}
		ok(t, owner.Post(pbase+"/lists", map[string]any{"name": "Work"}), http.StatusCreated, "list").JSON(t, &id)
		list := id.ID
		three := []map[string]any{{"user_id": acc.Owner.ID}, {"user_id": a.ID}, {"user_id": b.ID}}
		ok(t, owner.Post(pbase+"/tasks", map[string]any{"list_id": list, "title": "Busy", "assignees": three}), http.StatusCreated, "busy task").JSON(t, &id)
		busy := id.ID
		ok(t, owner.Post(pbase+"/tasks", map[string]any{"list_id": list, "title": "Quiet", "assignees": three[:1]}), http.StatusCreated, "quiet task")
		ctx := context.Background()
		if _, err := e.App.DB.ExecContext(ctx, "INSERT INTO plugin_enablements (account_id, plugin, enabled, updated_at) VALUES (?, 'one', TRUE, ?), (?, 'two', FALSE, ?)",
			acc.ID, time.Now().UTC(), acc.ID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		used := func() map[string]int64 {
			var o billing.Overview
			ok(t, owner.Get(base+"/billing"), http.StatusOK, "overview").JSON(t, &o)
			out := map[string]int64{}
			for _, q := range o.Quotas {
				out[q.Name] = q.Used
			}
			return out
		}
		if u := used(); u[billing.QuotaAssignees] != 3 || u[billing.QuotaPlugins] != 1 {
			t.Fatalf("counters %v", u)
		}
		ok(t, owner.Patch(fmt.Sprintf("%s/tasks/%d", base, busy), map[string]any{"status": "done"}), http.StatusOK, "complete the busy task")
		if u := used(); u[billing.QuotaAssignees] != 1 {
			t.Fatalf("counters once the busy task is done: %v", u)
		}
	})
}
