package webhooks_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestPersonalData: the hooks an admin registered are described (counted) and exported
// (never with their secret); on erasure the account keeps them, without the person.
func TestPersonalData(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, actor.RoleAdmin)
		e.Settle() // the admin's invitation goes by before the hook exists
		base := "/api/v1/" + acc.Slug + "/webhooks"
		const secret = "the-secret-never-exported"
		created(t, e.As(admin), base, map[string]any{"url": "https://hooks.invalid/crm", "events": []string{"user.invited"}, "secret": secret})
		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "webhooks" {
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
		if got := string(x.Files["webhooks.json"]); !strings.Contains(got, "https://hooks.invalid/crm") || strings.Contains(got, secret) {
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
		r := e.As(acc.Owner).Get(base)
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 1 || list.Items[0].CreatedBy != nil {
			t.Fatalf("after the erasure: %d %s", r.Status, r.Body)
		}
		traces, err := walk.Traces(ctx, e.App.DB, acc.ID, admin.Email, admin.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "webhooks_") {
				t.Errorf("trace left: %s", tr)
			}
		}

		// A person an event quoted (an invitation) leaves no trace in the messages sent.
		invited := e.NewUser(acc, actor.RoleMember)
		e.Settle()
		var quoted int
		if err := e.App.DB.NewSelect().TableExpr("webhooks_messages").ColumnExpr("COUNT(*)").
			Where("account_id = ? AND body LIKE ?", acc.ID, "%"+invited.Email+"%").Scan(ctx, &quoted); err != nil || quoted == 0 {
			t.Fatalf("the invitation's message: %d %v", quoted, err)
		}
		si := hooks.Subject{AccountID: acc.ID, UserID: invited.ID, Email: invited.Email, Name: invited.Name}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, si, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		if traces, err = walk.Traces(ctx, e.App.DB, acc.ID, invited.Email, invited.Name); err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "webhooks_") {
				t.Errorf("trace of the invited person left: %s", tr)
			}
		}
	})
}

// TestAccountClosure: closing the account takes its webhooks, messages and delivery log.
func TestAccountClosure(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		rcv := newReceiver(t, http.StatusOK)
		hook := created(t, owner, "/api/v1/"+acc.Slug+"/webhooks", map[string]any{"url": rcv.URL, "events": []string{"user.invited"}})
		e.NewUser(acc, actor.RoleMember)
		owner.Post(fmt.Sprintf("/api/v1/%s/webhooks/%d/test", acc.Slug, idOf(hook)), nil)
		e.Settle()
		count := func() (n int) {
			for _, table := range []string{"webhooks_hooks", "webhooks_messages", "webhooks_deliveries"} {
				var c int
				if err := e.App.DB.NewSelect().TableExpr(table).ColumnExpr("COUNT(*)").Where("account_id = ?", acc.ID).Scan(context.Background(), &c); err != nil {
					t.Fatal(err)
				}
				n += c
			}
			return n
		}
		if n := count(); n < 5 {
			t.Fatalf("%d rows before the closure", n)
		}
		if r := owner.Post("/api/v1/"+acc.Slug+"/account/closure", map[string]any{"password": acc.Owner.Password, "immediately": true}); r.Status != http.StatusAccepted {
			t.Fatalf("closure: %d %s", r.Status, r.Body)
		}
		e.Settle()
		if n := count(); n != 0 {
			t.Fatalf("%d rows after the closure", n)
		}
	})
}
