package projects_test

// Issue 11: a company can be opened (its people, its projects), renamed and deleted — deleted
// only once nobody belongs to it; projects then let go of it.

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

func TestCompanyRenameAndDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		owner := w.as(w.owner)
		globex := idOf(t, w.want(owner.Post(w.path("/companies"), map[string]any{"name": "Globex", "kind": "client"}), http.StatusCreated))
		pid := w.project(w.manager, map[string]any{"name": "Globex site", "client_company_id": globex, "guests_allowed": true})
		alone := w.taskList(pid, "For Globex", globex)
		both := w.taskList(pid, "For everyone", globex, w.coX)
		other := w.project(w.manager, map[string]any{"name": "Unrelated"})

		// Read and rename: owners and admins; managers read; members do not.
		if got := w.want(w.as(w.manager).Get(w.path("/companies/%d", globex)), http.StatusOK).Map(); got["name"] != "Globex" || got["kind"] != "client" {
			t.Errorf("company: %v", got)
		}
		check(t, "member reads a company", w.as(w.member).Get(w.path("/companies/%d", globex)), http.StatusForbidden)
		check(t, "manager renames", w.as(w.manager).Patch(w.path("/companies/%d", globex), map[string]any{"name": "x"}), http.StatusForbidden)
		if got := w.want(w.as(w.admin).Patch(w.path("/companies/%d", globex), map[string]any{"name": " Globex Europe "}), http.StatusOK).Map(); got["name"] != "Globex Europe" {
			t.Errorf("renamed: %v", got)
		}
		wantField(t, "empty name", owner.Patch(w.path("/companies/%d", globex), map[string]any{"name": "  "}), http.StatusUnprocessableEntity, "name")
		wantField(t, "long name", owner.Patch(w.path("/companies/%d", globex), map[string]any{"name": strings.Repeat("g", 101)}), http.StatusUnprocessableEntity, "name")
		wantField(t, "another's name", owner.Patch(w.path("/companies/%d", globex), map[string]any{"name": "Company Y"}), http.StatusConflict, "name")
		check(t, "unknown field", owner.Patch(w.path("/companies/%d", globex), map[string]any{"nmae": "x"}), http.StatusBadRequest)
		acc2 := w.e.NewAccount()
		check(t, "another account", w.e.As(acc2.Owner).Get("/api/v1/"+acc2.Slug+"/companies/"+itoa(globex)), http.StatusNotFound)
		check(t, "another account deletes", w.e.As(acc2.Owner).Delete("/api/v1/"+acc2.Slug+"/companies/"+itoa(globex)), http.StatusNotFound)

		// Who belongs to it: the people filter; nobody may delete it while someone does.
		client := w.e.NewClient(w.acc, globex)
		if ids := w.list(w.owner, w.path("/users?company_id=%d", globex)).ids(); !slices.Equal(ids, []int64{client.ID}) {
			t.Errorf("people of Globex: %v", ids)
		}
		wantField(t, "bad company filter", owner.Get(w.path("/users?company_id=x")), http.StatusUnprocessableEntity, "company_id")
		before := w.snapshot()
		r := w.want(owner.Delete(w.path("/companies/%d", globex)), http.StatusConflict)
		if !strings.Contains(string(r.Body), "1 person belongs to Globex Europe") {
			t.Errorf("refusal: %s", r.Body)
		}
		if after := w.snapshot(); after != before {
			t.Errorf("a refused delete wrote: %s -> %s", before, after)
		}
		w.want(owner.Patch(w.path("/users/%d", client.ID), map[string]any{"active": false}), http.StatusOK)
		check(t, "a deactivated person still belongs", owner.Delete(w.path("/companies/%d", globex)), http.StatusConflict)
		var internal int64
		for _, co := range w.list(w.owner, w.path("/companies")).Items {
			if co["kind"] == "internal" {
				internal = num(co["id"])
			}
		}
		check(t, "the internal company", owner.Delete(w.path("/companies/%d", internal)), http.StatusConflict)
		check(t, "admin may not delete without people moved", w.as(w.admin).Delete(w.path("/companies/%d", globex)), http.StatusConflict)

		// Once the person moved, it goes; the project keeps going without a client, the list
		// shared with Globex alone becomes internal, the other is shared with X only.
		w.want(owner.Patch(w.path("/users/%d", client.ID), map[string]any{"company_id": w.coX}), http.StatusOK)
		check(t, "manager deletes", w.as(w.manager).Delete(w.path("/companies/%d", globex)), http.StatusForbidden)
		w.want(w.as(w.admin).Delete(w.path("/companies/%d", globex)), http.StatusNoContent)
		check(t, "deleted company", owner.Get(w.path("/companies/%d", globex)), http.StatusNotFound)
		if p := w.want(owner.Get(w.path("/projects/%d", pid)), http.StatusOK).Map(); p["client_company_id"] != nil {
			t.Errorf("the project still names the deleted company: %v", p["client_company_id"])
		}
		if l := w.listItem(pid, alone); l["visibility"] != "internal" || len(l["company_ids"].([]any)) != 0 {
			t.Errorf("the list shared with Globex alone: %v", l)
		}
		if l := w.listItem(pid, both); l["visibility"] != "clients" || !slices.Equal(toIDs(l["company_ids"]), []int64{w.coX}) {
			t.Errorf("the list shared with Globex and X: %v", l)
		}
		if p := w.want(owner.Get(w.path("/projects/%d", other)), http.StatusOK).Map(); p["name"] != "Unrelated" {
			t.Errorf("another project: %v", p)
		}
		audit := string(w.want(owner.Get(w.path("/audit")), http.StatusOK).Body)
		for _, action := range []string{"company.renamed", "company.deleted"} {
			if !strings.Contains(audit, action) {
				t.Errorf("the audit trail lacks %s", action)
			}
		}
	})
}

// TestCompanyPage: the company's page lists its people and the projects that name it (as the
// viewer may see them), renames it, and deletes it after its confirmation — not while people
// belong to it.
func TestCompanyPage(t *testing.T) {
	withAdmin(t, testCompanyPage)
}

// withAdmin runs fn on every test database in a world of an App with the admin pages too.
func withAdmin(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			mod := projects.New()
			e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), mod}})
			fn(t, newWorld(t, e, mod.Service()))
		})
	}
}

func testCompanyPage(t *testing.T, w *world) {
	e := w.e
	owner := w.as(w.owner)
	globex := idOf(t, w.want(owner.Post(w.path("/companies"), map[string]any{"name": "Globex", "kind": "client"}), http.StatusCreated))
	pid := w.project(w.manager, map[string]any{"name": "Globex site", "client_company_id": globex, "guests_allowed": true})
	w.taskList(pid, "For Globex", globex)
	secret := w.project(w.owner, map[string]any{"name": "Secret plan", "access": "invite"})
	w.taskList(secret, "Shared secret", globex)
	client := e.NewClient(w.acc, globex)
	page := "/" + w.acc.Slug + "/companies/" + itoa(globex)

	body := string(w.want(w.as(w.manager).Get(page), http.StatusOK).Body)
	for _, s := range []string{"Globex", client.Name, "Globex site", "its client", "1 task list shared with it"} {
		if !strings.Contains(body, s) {
			t.Errorf("the company page lacks %q", s)
		}
	}
	if strings.Contains(body, "Secret plan") {
		t.Errorf("a manager sees an invite-only project they are not in")
	}
	if strings.Contains(body, "Rename the company") {
		t.Errorf("a manager is offered the rename")
	}
	if list := string(w.want(w.as(w.manager).Get("/"+w.acc.Slug+"/companies"), http.StatusOK).Body); !strings.Contains(list, `href="`+page+`"`) {
		t.Errorf("the companies list does not link the company's page")
	}
	body = string(w.want(owner.Get(page), http.StatusOK).Body)
	if !strings.Contains(body, "Secret plan") || !strings.Contains(body, "1 person belongs to Globex") || strings.Contains(body, "Yes, delete the company") {
		t.Errorf("the owner's page: the secret project, the people who block the delete, no delete button")
	}
	check(t, "member opens the page", w.as(w.member).Get(page), http.StatusForbidden)

	b := e.BrowserLogin(w.owner)
	r := b.SubmitForm(page, page, map[string][]string{"name": {""}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "Rename the company") {
		t.Errorf("an empty name: %d", r.Status)
	}
	w.want(b.SubmitForm(page, page, map[string][]string{"name": {"Globex Europe"}}), http.StatusOK, http.StatusSeeOther)
	r = b.SubmitForm(page, page+"/delete", nil)
	if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("refused delete: %d", r.Status)
	}
	check(t, "still there", owner.Get(w.path("/companies/%d", globex)), http.StatusOK)
	w.want(owner.Patch(w.path("/users/%d", client.ID), map[string]any{"company_id": w.coX}), http.StatusOK)
	if body := string(w.want(owner.Get(page), http.StatusOK).Body); !strings.Contains(body, "Yes, delete the company") || !strings.Contains(body, "will have no client") {
		t.Errorf("the delete is not offered once nobody belongs to the company")
	}
	b.SubmitForm(page, page+"/delete", nil)
	check(t, "deleted", owner.Get(w.path("/companies/%d", globex)), http.StatusNotFound)
}
