package intranet_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/intranet"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// options boot every module (search, notifications and the walkers' neighbours included).
func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// service is the intranet module's service of the App.
func service(t testing.TB, e *testkit.Env) *intranet.Service {
	for _, m := range e.Modules {
		if w, ok := m.(*intranet.Module); ok {
			return w.Service()
		}
	}
	t.Fatal("no intranet module")
	return nil
}

// created posts body and returns the answer, failing on anything but 201.
func created(t testing.TB, c *testkit.Client, path string, body any) map[string]any {
	t.Helper()
	r := c.Post(path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	return r.Map()
}

func idOf(m map[string]any) int64 { return int64(m["id"].(float64)) }

// team creates a team of the account with the given people, as its owner.
func team(t testing.TB, e *testkit.Env, acc *testkit.Account, name string, members ...*testkit.User) int64 {
	t.Helper()
	owner := e.As(acc.Owner)
	id := idOf(created(t, owner, "/api/v1/"+acc.Slug+"/teams", map[string]any{"name": name}))
	for _, u := range members {
		if r := owner.Put(fmt.Sprintf("/api/v1/%s/teams/%d/members/%d", acc.Slug, id, u.ID), nil); r.Status >= 300 {
			t.Fatalf("team member: %d %s", r.Status, r.Body)
		}
	}
	return id
}

// actorOf is u as the App sees them in account slug (role, company, capabilities).
func actorOf(t testing.TB, e *testkit.Env, slug string, u *testkit.User) *actor.Actor {
	t.Helper()
	acc, err := e.App.Identity.AccessFor(context.Background(), slug, u.ID)
	if err != nil || acc == nil {
		t.Fatalf("access of %s: %v", u.Email, err)
	}
	a := &actor.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Account: &actor.Account{ID: acc.AccountID, Slug: slug, Name: acc.AccountName},
		Role: acc.Role, CompanyID: acc.CompanyID}
	a.Can = func(object, action string) bool { return e.App.Enforcer.Allowed(a.Role, slug, object, action) }
	return a
}

// activityLinks are the links of the intranet's "what changed" for u (since ever).
func activityLinks(t testing.TB, e *testkit.Env, slug string, u *testkit.User) []string {
	t.Helper()
	var links []string
	for _, src := range e.App.Hooks.Activity {
		if src.Module != "intranet" {
			continue
		}
		entries, err := src.Hook.Activity(context.Background(), actorOf(t, e, slug, u), time.Unix(0, 0), 50)
		if err != nil {
			t.Fatalf("activity: %v", err)
		}
		for _, en := range entries {
			links = append(links, en.URL)
		}
	}
	return links
}
