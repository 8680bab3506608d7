package projects_test

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"testing"

	"groupcamp/core/testkit"
)

// found searches as u and returns "kind:title" of every hit, in order.
func (w *world) found(u *testkit.User, query string, filters ...string) []string {
	w.t.Helper()
	path := w.path("/search?q=%s", url.QueryEscape(query))
	for _, f := range filters {
		path += "&" + f
	}
	r := w.want(w.as(u).Get(path), http.StatusOK)
	var out struct {
		Items []struct{ Kind, Title, URL string } `json:"items"`
	}
	r.JSON(w.t, &out)
	got := make([]string, len(out.Items))
	for i, h := range out.Items {
		got[i] = h.Kind + ":" + h.Title
	}
	return got
}

func sorted(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }

// TestSearchVisibility: the search finds what each person may see of projects, tasks and
// comments, and nothing else — a client only the shared lists of their company in projects
// that allow guests, a member outside an invite-only project nothing of it — with the hidden
// documents matching the same words (the page of a client is as long as their share, never
// longer). Trash, archive and a list's unsharing take documents out once the outbox relays.
func TestSearchVisibility(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		open := w.project(w.manager, map[string]any{"name": "Zephyr open", "guests_allowed": true})
		w.join(open, w.clientX, "client")
		w.join(open, w.clientY, "client")
		internal := w.taskList(open, "Internal")
		shared := w.taskList(open, "For X", w.coX)
		tInternal := w.task(w.member, open, internal, "Zephyr internal plan", map[string]any{"description": "Éléonore's budget"})
		tShared := w.task(w.member, open, shared, "Zephyr deliverable", nil)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", tInternal), map[string]any{"body": "Zephyr secret margin"}), http.StatusCreated)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", tShared), map[string]any{"body": "Zephyr draft attached"}), http.StatusCreated)
		secret := w.project(w.manager, map[string]any{"name": "Zephyr secret", "access": "invite"})
		w.join(secret, w.member2, "member")
		sl := w.taskList(secret, "Plans")
		w.task(w.member2, secret, sl, "Zephyr acquisition", nil)
		w.e.Settle()

		everything := []string{"comment:Zephyr deliverable", "comment:Zephyr internal plan", "project:Zephyr open", "project:Zephyr secret",
			"task:Zephyr acquisition", "task:Zephyr deliverable", "task:Zephyr internal plan"}
		if got := sorted(w.found(w.owner, "zephyr")); !slices.Equal(got, everything) {
			t.Errorf("owner: %v", got)
		}
		if got := sorted(w.found(w.member2, "zephyr")); !slices.Equal(got, everything) {
			t.Errorf("member of the secret project: %v", got)
		}
		// The member outside the invite-only project finds nothing of it.
		outside := []string{"comment:Zephyr deliverable", "comment:Zephyr internal plan", "project:Zephyr open", "task:Zephyr deliverable", "task:Zephyr internal plan"}
		if got := sorted(w.found(w.member, "zephyr")); !slices.Equal(got, outside) {
			t.Errorf("member outside: %v", got)
		}
		if got := w.found(w.member, "acquisition"); len(got) != 0 {
			t.Errorf("member outside found %v", got)
		}
		// Client X: the project, the shared task and its comment. Client Y: the project only.
		if got := sorted(w.found(w.clientX, "zephyr")); !slices.Equal(got, []string{"comment:Zephyr deliverable", "project:Zephyr open", "task:Zephyr deliverable"}) {
			t.Errorf("client X: %v", got)
		}
		if got := w.found(w.clientY, "zephyr"); !slices.Equal(got, []string{"project:Zephyr open"}) {
			t.Errorf("client Y: %v", got)
		}
		for _, words := range []string{"secret margin", "eleonore", "internal", "acquisition"} {
			if got := w.found(w.clientX, words); len(got) != 0 {
				t.Errorf("client X, %q: %v", words, got)
			}
		}
		// Diacritics: "eleonore" finds "Éléonore", highlighted.
		r := w.want(w.as(w.member).Get(w.path("/search?q=eleonore&kind=task")), http.StatusOK)
		var res struct {
			Items []struct{ Title, Snippet, URL string } `json:"items"`
		}
		r.JSON(t, &res)
		if len(res.Items) != 1 || res.Items[0].Snippet != "<mark>Éléonore</mark>&#39;s budget" || res.Items[0].URL != w.path("/tasks/%d", tInternal)[len("/api/v1"):] {
			t.Errorf("diacritics: %+v", res.Items)
		}
		// The project filter.
		if got := w.found(w.owner, "zephyr", "project_id="+itoa(secret)); len(got) != 2 {
			t.Errorf("project filter: %v", got)
		}

		// Unsharing the list takes the task from client X once the outbox relays.
		w.want(w.as(w.owner).Patch(w.path("/projects/%d/lists/%d", open, shared), map[string]any{"visibility": "internal"}), http.StatusOK)
		w.e.Settle()
		if got := w.found(w.clientX, "zephyr"); !slices.Equal(got, []string{"project:Zephyr open"}) {
			t.Errorf("client X after unsharing: %v", got)
		}
		// An edit is found by its new words; a trashed task leaves with its comments.
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", tShared), map[string]any{"title": "Quokka deliverable"}), http.StatusOK)
		w.e.Settle()
		if got := w.found(w.member, "quokka"); !slices.Equal(got, []string{"task:Quokka deliverable", "comment:Quokka deliverable"}) {
			t.Errorf("after the edit: %v", got)
		}
		w.want(w.as(w.member).Delete(w.path("/tasks/%d", tShared)), http.StatusNoContent)
		w.e.Settle()
		if got := w.found(w.member, "quokka"); len(got) != 0 {
			t.Errorf("after the trash: %v", got)
		}
		// An archived project leaves with everything in it.
		w.want(w.as(w.owner).Post(w.path("/projects/%d/archive", secret), nil), http.StatusOK)
		w.e.Settle()
		if got := w.found(w.owner, "acquisition"); len(got) != 0 {
			t.Errorf("after the archive: %v", got)
		}
	})
}
