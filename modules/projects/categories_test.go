package projects_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// category adds a project category as the account's admin and returns its id.
func (w *world) category(name string, body map[string]any) int64 {
	w.t.Helper()
	b := map[string]any{"name": name}
	for k, v := range body {
		b[k] = v
	}
	return idOf(w.t, w.want(w.as(w.admin).Post(w.path("/project-categories"), b), http.StatusCreated))
}

// Administrators keep the list: names unique in the account whatever their case (in every
// script), colours of the palette, positions; colleagues read it; bad input changes nothing.
func TestCategoriesList(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		mkt := w.category("Marketing", map[string]any{"color": "teal"})
		rus := w.category("Маркетинг", nil)
		ops := w.category("Ops", map[string]any{"position": 0})
		before := w.snapshot()
		for _, c := range []struct {
			what   string
			body   map[string]any
			status int
			field  string
		}{
			{"the same name in another case", map[string]any{"name": " MARKETING "}, http.StatusConflict, "name"},
			{"a Cyrillic name in another case", map[string]any{"name": "маркетинг"}, http.StatusConflict, "name"},
			{"no name", map[string]any{"name": "  "}, http.StatusUnprocessableEntity, "name"},
			{"a name of two lines", map[string]any{"name": "a\nb"}, http.StatusUnprocessableEntity, "name"},
			{"a name too long", map[string]any{"name": strings.Repeat("x", 101)}, http.StatusUnprocessableEntity, "name"},
			{"a colour out of the palette", map[string]any{"name": "X", "color": "mauve"}, http.StatusUnprocessableEntity, "color"},
			{"a negative position", map[string]any{"name": "X", "position": -1}, http.StatusUnprocessableEntity, "position"},
		} {
			wantField(t, c.what, w.as(w.admin).Post(w.path("/project-categories"), c.body), c.status, c.field)
		}
		wantField(t, "rename onto another's name", w.as(w.admin).Patch(w.path("/project-categories/%d", ops), map[string]any{"name": "marketing"}), http.StatusConflict, "name")
		wantField(t, "a bad colour", w.as(w.owner).Patch(w.path("/project-categories/%d", ops), map[string]any{"color": "mauve"}), http.StatusUnprocessableEntity, "color")
		w.want(w.as(w.manager).Post(w.path("/project-categories"), map[string]any{"name": "Managers'"}), http.StatusForbidden)
		w.want(w.as(w.member).Patch(w.path("/project-categories/%d", ops), map[string]any{"name": "Members'"}), http.StatusForbidden)
		w.want(w.as(w.manager).Delete(w.path("/project-categories/%d", ops)), http.StatusForbidden)
		w.want(w.as(w.clientX).Get(w.path("/project-categories")), http.StatusForbidden, http.StatusNotFound)
		if after := w.snapshot(); after != before {
			t.Errorf("refused changes wrote something:\n before %s\n after  %s", before, after)
		}

		// In order: position, then name; a member reads the list (the project form needs it).
		var list struct {
			Items []struct {
				ID       int64  `json:"id"`
				Name     string `json:"name"`
				Color    string `json:"color"`
				Position int    `json:"position"`
				Projects int    `json:"projects"`
			} `json:"items"`
		}
		w.want(w.as(w.member).Get(w.path("/project-categories")), http.StatusOK).JSON(t, &list)
		var got []string
		for _, c := range list.Items {
			got = append(got, fmt.Sprintf("%s/%s/%d", c.Name, c.Color, c.Position))
		}
		if want := "Ops//0 Marketing/teal/1 Маркетинг//2"; strings.Join(got, " ") != want {
			t.Errorf("list %v, want %s", got, want)
		}
		// A change of case alone is a rename of the same category.
		r := w.want(w.as(w.admin).Patch(w.path("/project-categories/%d", rus), map[string]any{"name": "маркетинг", "position": 5, "color": ""}), http.StatusOK).Map()
		if r["name"] != "маркетинг" || num(r["position"]) != 5 {
			t.Errorf("renamed: %v", r)
		}
		w.want(w.as(w.admin).Get(w.path("/project-categories/%d", mkt)), http.StatusOK)
		w.want(w.as(w.admin).Get(w.path("/project-categories/%d", mkt+100000)), http.StatusNotFound)
	})
}

// A project takes a category of the list — by id, or by name in any case (the free text it
// was) — and shows its name as before; renaming the category renames it on every project;
// deleting it moves the projects to another category or leaves them without one.
func TestCategoriesOfProjects(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		mkt := w.category("Marketing", nil)
		ops := w.category("Ops", nil)
		p1 := w.project(w.manager, map[string]any{"category": "marketing"})
		p2 := w.project(w.manager, map[string]any{"category_id": mkt})
		p3 := w.project(w.manager, map[string]any{"category_id": ops})
		get := func(id int64) map[string]any {
			return w.want(w.as(w.manager).Get(w.path("/projects/%d", id)), http.StatusOK).Map()
		}
		for _, id := range []int64{p1, p2} {
			if p := get(id); p["category"] != "Marketing" || num(p["category_id"]) != mkt {
				t.Errorf("project %d: category %v (%v)", id, p["category"], p["category_id"])
			}
		}

		before := w.snapshot()
		wantField(t, "an unknown name", w.as(w.manager).Post(w.path("/projects"), map[string]any{"name": "P", "category": "Sales"}), http.StatusUnprocessableEntity, "category")
		wantField(t, "an unknown id", w.as(w.manager).Post(w.path("/projects"), map[string]any{"name": "P", "category_id": ops + 1000}), http.StatusUnprocessableEntity, "category_id")
		wantField(t, "an id and another name", w.as(w.manager).Post(w.path("/projects"), map[string]any{"name": "P", "category_id": ops, "category": "Marketing"}), http.StatusUnprocessableEntity, "category")
		wantField(t, "a change to an unknown name", w.as(w.manager).Patch(w.path("/projects/%d", p1), map[string]any{"category": "Sales"}), http.StatusUnprocessableEntity, "category")
		if after := w.snapshot(); after != before {
			t.Errorf("refused projects wrote something:\n before %s\n after  %s", before, after)
		}
		if p := get(p1); p["category"] != "Marketing" {
			t.Errorf("a refused change changed the category: %v", p["category"])
		}

		// A rename shows on the projects at once; the list counts them.
		w.want(w.as(w.admin).Patch(w.path("/project-categories/%d", mkt), map[string]any{"name": "Communication"}), http.StatusOK)
		if p := get(p2); p["category"] != "Communication" {
			t.Errorf("after the rename: %v", p["category"])
		}
		if c := w.want(w.as(w.admin).Get(w.path("/project-categories/%d", mkt)), http.StatusOK).Map(); num(c["projects"]) != 2 {
			t.Errorf("projects of the category: %v", c["projects"])
		}
		// Clearing, by id 0 or by an empty name.
		w.want(w.as(w.manager).Patch(w.path("/projects/%d", p1), map[string]any{"category": ""}), http.StatusOK)
		if p := get(p1); p["category"] != "" || p["category_id"] != nil {
			t.Errorf("cleared: %v %v", p["category"], p["category_id"])
		}

		// Deleting: move_to must be another category of the account.
		wantField(t, "move to itself", w.as(w.admin).Delete(w.path("/project-categories/%d?move_to=%d", mkt, mkt)), http.StatusUnprocessableEntity, "move_to")
		wantField(t, "move to none such", w.as(w.admin).Delete(w.path("/project-categories/%d?move_to=%d", mkt, ops+1000)), http.StatusUnprocessableEntity, "move_to")
		wantField(t, "move to no id", w.as(w.admin).Delete(w.path("/project-categories/%d?move_to=x", mkt)), http.StatusUnprocessableEntity, "move_to")
		w.want(w.as(w.admin).Delete(w.path("/project-categories/%d?move_to=%d", mkt, ops)), http.StatusNoContent)
		if p := get(p2); p["category"] != "Ops" || num(p["category_id"]) != ops {
			t.Errorf("moved: %v %v", p["category"], p["category_id"])
		}
		w.want(w.as(w.admin).Get(w.path("/project-categories/%d", mkt)), http.StatusNotFound)
		w.want(w.as(w.owner).Delete(w.path("/project-categories/%d", ops)), http.StatusNoContent)
		for _, id := range []int64{p2, p3} {
			if p := get(id); p["category"] != "" || p["category_id"] != nil {
				t.Errorf("project %d after the deletion: %v %v", id, p["category"], p["category_id"])
			}
		}
		audit := string(w.want(w.as(w.owner).Get(w.path("/audit")), http.StatusOK).Body)
		for _, action := range []string{"projects.category.created", "projects.category.changed", "projects.category.deleted"} {
			if !strings.Contains(audit, action) {
				t.Errorf("the audit trail lacks %s", action)
			}
		}
	})
}

// The administration page: the empty state, adding, a refusal next to its field, renaming,
// and the deletion confirmed on the page with the choice of another category; the project
// form picks from the list.
func TestCategoriesPage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		page := "/" + w.acc.Slug + "/admin/project-categories"
		b := w.e.BrowserLogin(w.admin)
		if r := w.want(b.Get(page), http.StatusOK); !strings.Contains(r.String(), "No project categories yet") {
			t.Errorf("no empty state: %.400s", r.Body)
		}
		w.want(b.SubmitForm(page, page, url.Values{"name": {"Events"}, "color": {"red"}}), http.StatusSeeOther, http.StatusOK)
		r := b.SubmitForm(page, page, url.Values{"name": {"events"}})
		if r.Status != http.StatusConflict && r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "another project category has this name") {
			t.Errorf("a duplicate: %d %.600s", r.Status, r.Body)
		}
		var list struct {
			Items []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"items"`
		}
		w.want(w.as(w.admin).Get(w.path("/project-categories")), http.StatusOK).JSON(t, &list)
		if len(list.Items) != 1 {
			t.Fatalf("categories: %+v", list.Items)
		}
		ev := list.Items[0].ID
		w.want(b.SubmitForm(page, fmt.Sprintf("%s/%d", page, ev), url.Values{"name": {"Events & fairs"}, "position": {"3"}}), http.StatusSeeOther, http.StatusOK)
		other := w.category("Other", nil)

		// The project form offers the list; the settings save the choice.
		pid := w.project(w.manager, nil)
		settings := fmt.Sprintf("/%s/projects/%d/settings", w.acc.Slug, pid)
		m := w.e.BrowserLogin(w.manager)
		form := w.want(m.Get(settings), http.StatusOK).String()
		if !strings.Contains(form, `name="category_id"`) || !strings.Contains(form, "Events &amp; fairs") {
			t.Errorf("the project form offers no categories: %.300s", form)
		}
		w.want(m.SubmitForm(settings, settings, url.Values{"name": {"With a category"}, "apps": {"tasks"}, "access": {"open"}, "category_id": {fmt.Sprint(ev)}}), http.StatusSeeOther, http.StatusOK)
		if p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pid)), http.StatusOK).Map(); p["category"] != "Events & fairs" {
			t.Errorf("the settings' category: %v", p["category"])
		}

		// The deletion asks first, with the count and the other categories.
		confirm := w.want(b.Get(fmt.Sprintf("%s?delete=%d", page, ev)), http.StatusOK).String()
		if !strings.Contains(confirm, "1 project is in this category") || !strings.Contains(confirm, `name="move_to"`) {
			t.Errorf("no confirmation: %s", confirm[strings.Index(confirm, "<main"):])
		}
		w.want(b.SubmitForm(page, fmt.Sprintf("%s/%d/delete", page, ev), url.Values{"move_to": {fmt.Sprint(other)}}), http.StatusSeeOther, http.StatusOK)
		if p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pid)), http.StatusOK).Map(); p["category"] != "Other" {
			t.Errorf("after the deletion: %v", p["category"])
		}
		// Colleagues do not reach the page.
		w.want(w.e.BrowserLogin(w.manager).Get(page), http.StatusForbidden, http.StatusNotFound)
	})
}
