package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// TestBrowserProjectFromTemplate walks the issue's "a manager creates a project from a
// template" in a real Chromium: the Templates tab of the projects list, "New project from this one", the
// New project page with the template chosen, a new start date, and the copied lists and
// tasks with their dates moved. Screenshots of the new-project page and of the list go to
// $GROUPCAMP_SCREENSHOTS when set.
func TestBrowserProjectFromTemplate(t *testing.T) { onEachDB(t, browserProjectFromTemplate) }

func browserProjectFromTemplate(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	acc := e.NewAccount()
	manager := e.NewUser(acc, "manager")
	member := e.NewUser(acc, "member")
	api := e.As(manager)
	base := "/api/v1/" + acc.Slug
	co := e.ClientCompany(acc)
	want(t, "category", e.As(acc.Owner).Post(base+"/project-categories", map[string]any{"name": "Events"}), http.StatusCreated)
	tpl := idOf(t, want(t, "template", api.Post(base+"/projects", map[string]any{"name": "Event template", "code": "EVT", "category": "Events",
		"tags": []string{"event", "fixed price"}, "tag_colors": map[string]string{"event": "purple"}, "starts_on": "2026-01-05", "ends_on": "2026-02-27",
		"is_template": true, "client_company_id": co}), http.StatusCreated))
	want(t, "member", api.Put(fmt.Sprintf("%s/projects/%d/members/%d", base, tpl, member.ID), map[string]any{"role": "member"}), http.StatusOK)
	list := idOf(t, want(t, "list", api.Post(fmt.Sprintf("%s/projects/%d/lists", base, tpl), map[string]any{"name": "Venue"}), http.StatusCreated))
	var prev int64
	for i, title := range []string{"Book the venue", "Send the invitations"} {
		id := idOf(t, want(t, "task", api.Post(fmt.Sprintf("%s/projects/%d/tasks", base, tpl), map[string]any{"list_id": list, "title": title,
			"starts_on": fmt.Sprintf("2026-01-%02d", 5+7*i), "due_on": fmt.Sprintf("2026-01-%02d", 9+7*i), "assignees": []map[string]any{{"user_id": member.ID}}}), http.StatusCreated))
		if prev != 0 {
			want(t, "dependency", api.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, id), map[string]any{"predecessor_id": prev}), http.StatusCreated)
		}
		prev = id
	}
	for _, name := range []string{"Annual report", "Website refresh"} {
		want(t, "project", api.Post(base+"/projects", map[string]any{"name": name, "tags": []string{"web"}, "starts_on": "2026-03-02", "client_company_id": co}), http.StatusCreated)
	}

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	tab.Go("/login")
	tab.Fill("Email", manager.Email)
	tab.Fill("Password", manager.Password)
	tab.Submit("Sign in")

	tab.Nav("Projects")
	tab.WantText("Annual report", "Website refresh")
	if strings.Contains(tab.Text(), "Event template") {
		t.Errorf("the active projects list shows the template")
	}
	tab.Follow("Templates")
	tab.WantText("Event template", "event", "fixed price")
	tab.Follow("New project from this one")
	if p := tab.Path(); p != fmt.Sprintf("/%s/projects/new?template=%d", acc.Slug, tpl) {
		t.Fatalf("'New project from this one' opens %s", p)
	}
	tab.Fill("Name", "Spring gala")
	tab.Fill("Start", "03022026") // en: mm/dd/yyyy — 2026-03-02, 56 days after the template's start
	tab.Screenshot("new-project")
	tab.Submit("Create the project")
	tab.WantText("The project is created.", "Spring gala")
	tab.Follow("List")
	tab.WantText("Book the venue", "Send the invitations")
	tasks := browser.Evaluate[string](tab, "read the due dates", `Array.from(document.querySelectorAll(".tasks-table td.due[data-sort^='20']")).map((c) => c.dataset.sort).join(",")`)
	if tasks != "2026-03-06,2026-03-13" {
		t.Errorf("due dates of the copied tasks: %s", tasks)
	}

	// Back on the list: star the new project.
	tab.Nav("Projects")
	tab.Click("Star Spring gala")
	tab.WaitText("The project is starred.")
	tab.Screenshot("projects-list-tabs")
	tab.Follow("Starred")
	tab.WantText("Spring gala")
	if strings.Contains(tab.Text(), "Annual report") {
		t.Errorf("the starred tab shows a project that is not starred")
	}

	// Its settings: the copied tags and members are there.
	tab.Follow("Spring gala")
	tab.Follow("Settings")
	tab.WantText("Members", "Apps and tags", "Move to the trash")
	tab.Screenshot("project-settings")
}
