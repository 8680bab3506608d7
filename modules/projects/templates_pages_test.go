package projects_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestNewProjectPageFromTemplate(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		tw := newTemplateWorld(t, w)
		b := w.e.BrowserLogin(w.manager)
		newPage := "/" + w.acc.Slug + "/projects/new"
		html := want(t, "new page", b.Get(newPage), http.StatusOK).String()
		for _, s := range []string{`name="name"`, `name="code"`, `name="client_company_id"`, `name="category_id"`, `name="tags"`, `name="starts_on"`,
			`name="ends_on"`, `name="leader_id"`, `name="assistant_leader_id"`, `name="access"`, `name="guests_allowed"`, `name="template_id"`,
			`name="copy_tasks" type="checkbox" checked`, ">Website template</option>", ">Company Y</option>"} {
			if !strings.Contains(html, s) {
				t.Errorf("the new-project page lacks %s", s)
			}
		}
		// "New project from this one" preselects the project.
		if html := b.Get(fmt.Sprintf("%s?template=%d", newPage, tw.tpl)).String(); !strings.Contains(html, fmt.Sprintf(`<option value="%d" selected>Website template`, tw.tpl)) {
			t.Errorf("?template= does not preselect the template")
		}
		// A refused form keeps what was typed and says what is wrong next to the field.
		r := want(t, "bad template", b.SubmitForm(newPage, "/"+w.acc.Slug+"/projects", url.Values{"name": {"Kept name"}, "template_id": {"999999"},
			"category_id": {fmt.Sprint(tw.other)}}), http.StatusUnprocessableEntity)
		if s := r.String(); !strings.Contains(s, `id="e-template_id"`) || !strings.Contains(s, `value="Kept name"`) || !strings.Contains(s, fmt.Sprintf(`<option value="%d" selected>Other`, tw.other)) {
			t.Errorf("the refused form lost its values or its message")
		}
		// Creating from the template: to the new project, whose lists and tasks exist.
		r = want(t, "create from template", b.SubmitForm(newPage, "/"+w.acc.Slug+"/projects", url.Values{"name": {"ACME site"}, "template_id": {fmt.Sprint(tw.tpl)},
			"starts_on": {"2025-05-05"}, "copy_tasks": {"on"}, "tags": {"acme, web"}}), http.StatusSeeOther)
		loc := r.Header.Get("Location")
		var id int64
		if _, err := fmt.Sscanf(loc, "/"+w.acc.Slug+"/projects/%d", &id); err != nil || id == tw.tpl {
			t.Fatalf("after creating, the browser goes to %q", loc)
		}
		if s := b.Get(loc).String(); !strings.Contains(s, "ACME site") || !strings.Contains(s, "The project is created.") {
			t.Errorf("the new project's page does not show it")
		}
		lists := w.list(w.manager, w.path("/projects/%d/lists", id))
		if len(lists.Items) != 2 || lists.Items[0]["name"] != "Deliverables" {
			t.Errorf("lists of the new project: %v", lists.Items)
		}
		tasks := w.list(w.manager, w.path("/projects/%d/tasks", id))
		if len(tasks.Items) != 2 || tasks.Items[0]["due_on"] != "2025-05-12" {
			t.Errorf("tasks of the new project: %v", tasks.Items)
		}
		if p := w.want(w.as(w.manager).Get(w.path("/projects/%d", id)), http.StatusOK).Map(); fmt.Sprint(p["tags"]) != "[acme web]" || p["category"] != "Web" {
			t.Errorf("the form's tags win, the template's category stays: %v %v", p["tags"], p["category"])
		}
		// Without "copy tasks": lists, no tasks.
		r = want(t, "create without tasks", b.SubmitForm(newPage, "/"+w.acc.Slug+"/projects", url.Values{"name": {"No tasks"}, "template_id": {fmt.Sprint(tw.tpl)}}), http.StatusSeeOther)
		fmt.Sscanf(r.Header.Get("Location"), "/"+w.acc.Slug+"/projects/%d", &id)
		if n := len(w.list(w.manager, w.path("/projects/%d/tasks", id)).Items); n != 0 {
			t.Errorf("%d tasks copied without copy_tasks", n)
		}
		// A member may not create projects: no page.
		check(t, "member new page", w.e.BrowserLogin(w.member).Get(newPage), http.StatusForbidden)
	})
}

func TestProjectSettingsPage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Intranet", "tags": []string{"web", "internal"}})
		b := w.e.BrowserLogin(w.manager)
		base := fmt.Sprintf("/%s/projects/%d", w.acc.Slug, pid)
		settings := base + "/settings"
		html := want(t, "settings", b.Get(settings), http.StatusOK).String()
		if !strings.Contains(html, `value="Intranet"`) || !strings.Contains(html, `value="web, internal"`) || !strings.Contains(html, `name="apps" value="gantt" type="checkbox" checked`) {
			t.Errorf("the settings do not show the project's values")
		}
		check(t, "member settings", w.e.BrowserLogin(w.member).Get(settings), http.StatusForbidden)
		// No module provides the Files app here: not offered, and kept as it is.
		if strings.Contains(html, `id="app-files"`) || !strings.Contains(html, `<input type="hidden" name="apps" value="files">`) {
			t.Errorf("the settings offer the Files app, or drop it, without a module that provides it")
		}

		// Edit: name, tags (one removed), a colour, fewer apps, a template.
		r := want(t, "save", b.SubmitForm(settings, settings, url.Values{"name": {"Intranet v2"}, "tags": {"web"}, "color_0": {"green"}, "color_1": {"red"},
			"apps": {"tasks", "gantt"}, "is_template": {"on"}, "access": {"invite"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != settings {
			t.Errorf("after saving: %q", loc)
		}
		p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pid)), http.StatusOK).Map()
		if p["name"] != "Intranet v2" || fmt.Sprint(p["tags"]) != "[web]" || fmt.Sprint(p["apps"]) != "[tasks gantt]" || p["is_template"] != true ||
			p["access"] != "invite" || p["tag_colors"].(map[string]any)["web"] != "green" {
			t.Errorf("after saving: %v", p)
		}
		// The tabs follow the apps.
		html = b.Get(base).String()
		if strings.Contains(html, base+`/board"`) || !strings.Contains(html, base+`/gantt"`) || !strings.Contains(html, base+`/settings"`) {
			t.Errorf("the project's tabs do not follow its apps")
		}
		// Bad input: next to the field, nothing saved.
		r = want(t, "bad dates", b.SubmitForm(settings, settings, url.Values{"name": {"Intranet v3"}, "starts_on": {"2025-05-01"}, "ends_on": {"2025-04-01"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-ends_on"`) || !strings.Contains(r.String(), `value="Intranet v3"`) {
			t.Errorf("the refused settings lost their message or values")
		}
		if p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pid)), http.StatusOK).Map(); p["name"] != "Intranet v2" {
			t.Errorf("a refused form saved: %v", p["name"])
		}

		// Members: add, change the role, remove.
		want(t, "add member", b.SubmitForm(settings, base+"/members", url.Values{"user_id": {fmt.Sprint(w.member2.ID)}, "role": {"member"}}), http.StatusSeeOther)
		want(t, "change role", b.SubmitForm(settings, fmt.Sprintf("%s/members/%d", base, w.member2.ID), url.Values{"role": {"manager"}}), http.StatusSeeOther)
		if !strings.Contains(b.Get(settings).String(), fmt.Sprintf(`action="%s/members/%d/remove" data-confirm=`, base, w.member2.ID)) {
			t.Errorf("no confirmed remove button for the new member")
		}
		roles := map[int64]string{}
		for _, m := range w.want(w.as(w.manager).Get(w.path("/projects/%d/members", pid)), http.StatusOK).Map()["items"].([]any) {
			roles[num(m.(map[string]any)["user_id"])] = m.(map[string]any)["role"].(string)
		}
		if roles[w.member2.ID] != "manager" {
			t.Errorf("member2's role: %q", roles[w.member2.ID])
		}
		want(t, "client in a project without guests", b.SubmitForm(settings, base+"/members", url.Values{"user_id": {fmt.Sprint(w.clientX.ID)}, "role": {"client"}}), http.StatusUnprocessableEntity)
		want(t, "remove the leader", b.SubmitForm(settings, fmt.Sprintf("%s/members/%d/remove", base, w.manager.ID), nil), http.StatusConflict)
		want(t, "remove", b.SubmitForm(settings, fmt.Sprintf("%s/members/%d/remove", base, w.member2.ID), nil), http.StatusSeeOther)
		if len(w.want(w.as(w.manager).Get(w.path("/projects/%d/members", pid)), http.StatusOK).Map()["items"].([]any)) != 1 {
			t.Errorf("member2 is still in the project")
		}

		// State: archive, restore, trash, restore from the list's trash tab.
		want(t, "archive", b.SubmitForm(settings, base+"/archive", nil), http.StatusSeeOther)
		if s := b.Get(settings).String(); !strings.Contains(s, "read-only") || !strings.Contains(s, base+"/restore") {
			t.Errorf("the settings of an archived project offer no restore")
		}
		want(t, "restore", b.SubmitForm(settings, base+"/restore", nil), http.StatusSeeOther)
		r = want(t, "trash", b.SubmitForm(settings, base+"/trash", nil), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/"+w.acc.Slug+"/projects?tab=trash" {
			t.Errorf("after trashing: %q", loc)
		}
		if s := b.Get(r.Header.Get("Location")).String(); !strings.Contains(s, "Intranet v2") || !strings.Contains(s, base+"/restore") {
			t.Errorf("the trash tab does not show the project with a restore button")
		}
		want(t, "restore from trash", b.SubmitForm("/"+w.acc.Slug+"/projects?tab=trash", base+"/restore", url.Values{"back": {"/" + w.acc.Slug + "/projects?tab=templates"}}), http.StatusSeeOther)
		if p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pid)), http.StatusOK).Map(); p["state"] != "active" {
			t.Errorf("state after restore: %v", p["state"])
		}
		// Another account's people do not reach the page.
		other := w.e.NewAccount()
		check(t, "stranger", w.e.BrowserLogin(other.Owner).Get(strings.Replace(settings, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1)), http.StatusNotFound)
	})
}

func TestProjectListTabsStarsAndFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		newTemplateWorld(t, w)
		alpha := w.project(w.manager, map[string]any{"name": "Alpha", "code": "ALP", "tags": []string{"ops"}, "client_company_id": w.coY})
		w.project(w.manager, map[string]any{"name": "Beta", "tags": []string{"web"}})
		b := w.e.BrowserLogin(w.manager)
		list := "/" + w.acc.Slug + "/projects"
		html := want(t, "list", b.Get(list), http.StatusOK).String()
		if !strings.Contains(html, ">Alpha</a>") || strings.Contains(html, ">Website template</a>") {
			t.Errorf("the active tab shows the template, or not the projects")
		}
		if !strings.Contains(html, fmt.Sprintf(`href="%s/new?template=%d"`, list, alpha)) || !strings.Contains(html, `href="`+list+`?tab=trash"`) {
			t.Errorf("no 'New project from this one' link, or no trash tab for a manager")
		}
		if s := b.Get(list + "?tab=templates").String(); !strings.Contains(s, ">Website template</a>") || strings.Contains(s, ">Alpha</a>") {
			t.Errorf("the templates tab is wrong")
		}
		// Star and unstar, back to the page the button was on.
		r := want(t, "star", b.SubmitForm(list, fmt.Sprintf("%s/%d/star", list, alpha), url.Values{"back": {list + "?sort=code"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != list+"?sort=code" {
			t.Errorf("after starring: %q", loc)
		}
		if s := b.Get(list + "?tab=starred").String(); !strings.Contains(s, ">Alpha</a>") || strings.Contains(s, ">Beta</a>") ||
			!strings.Contains(s, fmt.Sprintf(`action="%s/%d/unstar"`, list, alpha)) {
			t.Errorf("the starred tab is wrong")
		}
		want(t, "unstar", b.SubmitForm(list, fmt.Sprintf("%s/%d/unstar", list, alpha), url.Values{"back": {"https://evil.example/"}}), http.StatusSeeOther)
		if s := b.Get(list + "?tab=starred").String(); strings.Contains(s, ">Alpha</a>") {
			t.Errorf("Alpha is still starred")
		}
		// Filters and sort on the server.
		if s := b.Get(list + "?q=alp").String(); !strings.Contains(s, ">Alpha</a>") || strings.Contains(s, ">Beta</a>") {
			t.Errorf("q=alp")
		}
		if s := b.Get(list + "?tag=web").String(); strings.Contains(s, ">Alpha</a>") || !strings.Contains(s, ">Beta</a>") {
			t.Errorf("tag=web")
		}
		if s := b.Get(fmt.Sprintf("%s?client_company_id=%d", list, w.coY)).String(); !strings.Contains(s, ">Alpha</a>") || strings.Contains(s, ">Beta</a>") {
			t.Errorf("client Y")
		}
		if s := b.Get(list + "?q=nothing-like-this").String(); !strings.Contains(s, "No project matches these filters") {
			t.Errorf("no empty state for a filter that matches nothing")
		}
		s := b.Get(list + "?sort=name").String()
		if strings.Index(s, ">Alpha</a>") > strings.Index(s, ">Beta</a>") {
			t.Errorf("sort by name")
		}
		s = b.Get(list + "?sort=client").String()
		if strings.Index(s, ">Alpha</a>") > strings.Index(s, ">Beta</a>") {
			t.Errorf("sort by client: a project with a client comes first")
		}
		want(t, "bad sort", b.Get(list+"?sort=nonsense"), http.StatusUnprocessableEntity)
		// A member sees no trash tab, and the trash is no page for them; a client sees no client filter.
		m := w.e.BrowserLogin(w.member)
		if s := want(t, "member list", m.Get(list), http.StatusOK).String(); strings.Contains(s, "?tab=trash") || strings.Contains(s, "/new?template=") {
			t.Errorf("a member is offered the trash or templates")
		}
		want(t, "member trash", m.Get(list+"?tab=trash"), http.StatusNotFound)
		if s := want(t, "client list", w.e.BrowserLogin(w.clientX).Get(list+"?tab=templates"), http.StatusOK).String(); strings.Contains(s, "Company Y") || strings.Contains(s, `name="client_company_id"`) {
			t.Errorf("a client sees the account's client companies")
		}
	})
}
