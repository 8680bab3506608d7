package gcapi_test

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

// TestPersonalData: the key pairs an admin created are described and exported (never their
// secrets); on erasure the account keeps them, without the person, and the kept pages go.
func TestPersonalData(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, actor.RoleAdmin)
		res := e.As(admin).Post("/api/v1/"+acc.Slug+"/gcapi-keys", map[string]any{"application": "reporting-1", "label": "Export"})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		secret, _ := res.Map()["secret"].(string)
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "gcapi" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: acc.ID, UserID: admin.ID, Email: admin.Email, Name: admin.Name}
		cats, err := provider.Describe(ctx, s)
		if err != nil || len(cats) != 1 || cats[0].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if got := string(x.Files["gcapi-keys.json"]); !strings.Contains(got, "Export") || secret == "" || strings.Contains(got, secret) {
			t.Errorf("export: %s", got)
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []struct {
				CreatedBy *int64 `json:"created_by"`
			}
		}
		r := e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/gcapi-keys")
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 1 || list.Items[0].CreatedBy != nil {
			t.Fatalf("after the erasure: %d %s", r.Status, r.Body)
		}
		traces, err := walk.Traces(ctx, e.App.DB, acc.ID, admin.Email, admin.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "gcapi_") {
				t.Errorf("trace left: %s", tr)
			}
		}
	})
}
