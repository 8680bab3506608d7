package intranet_test

import (
	"fmt"
	"net/http"
	"testing"

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
