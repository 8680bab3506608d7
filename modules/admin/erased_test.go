package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// The audit trail names an erased person "Deleted user" where it named them.
func TestAuditShowsDeletedUser(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ada := e.Join(acc, &testkit.User{Name: "Ada Lovelace", Email: "ada@" + acc.Slug + ".test"}, actor.RoleAdmin)
		if r := e.As(ada).Post("/api/v1/"+acc.Slug+"/teams", map[string]any{"name": "Design"}); r.Status != http.StatusCreated {
			t.Fatalf("team: %d %s", r.Status, r.Body)
		}
		s := hooks.Subject{AccountID: acc.ID, UserID: ada.ID, Email: ada.Email, Name: ada.Name}
		if err := walk.Erase(context.Background(), e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		body := signIn(t, e, acc.Owner).get("/" + acc.Slug + "/audit?action=team.created").String()
		if !strings.Contains(body, "Deleted user") || strings.Contains(body, "Ada Lovelace") {
			t.Errorf("the audit page of an erased person's line:\n%.3000s", body)
		}
	})
}
