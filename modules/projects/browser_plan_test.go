package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
	"groupcamp/modules/admin"
	"groupcamp/modules/projects"
)

// TestBrowserPlanAndShareWithAClient walks the second half of the story in Chromium:
// a manager plans a milestone, a list shared with the client's company and an internal one,
// tasks in both, and a dependency between them from the edit page; then a client of that
// company signs in — in French — and sees the shared list's work on every view of the
// project, and nothing of the internal list, not even by its address.
func TestBrowserPlanAndShareWithAClient(t *testing.T) { onEachDB(t, browserPlanAndShareWithAClient) }

func browserPlanAndShareWithAClient(t *testing.T, kind string) {
	b := browser.Shared(t)
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{admin.New(), projects.New()}})
	acc := e.NewAccount()
	manager := e.NewUser(acc, "manager")
	co := e.ClientCompany(acc)
	client := e.NewClient(acc, co)
	api := e.As(manager)
	base := "/api/v1/" + acc.Slug
	pr := api.Post(base+"/projects", map[string]any{"name": "Harbour website", "guests_allowed": true})
	if pr.Status != http.StatusCreated {
		t.Fatalf("project: %d %s", pr.Status, pr.Body)
	}
	pid := int64(pr.Map()["id"].(float64))
	if r := api.Put(fmt.Sprintf("%s/projects/%d/members/%d", base, pid, client.ID), map[string]any{"role": "client"}); r.Status != http.StatusOK {
		t.Fatalf("client joins: %d %s", r.Status, r.Body)
	}
	coName := "Client of " + acc.Slug // testkit.ClientCompany's name

	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
	tab.Go("/login")
	tab.Fill("Email", manager.Email)
	tab.Fill("Password", manager.Password)
	tab.Submit("Sign in")
	project := fmt.Sprintf("/%s/projects/%d", acc.Slug, pid)

	// A milestone, from the overview.
	tab.Go(project)
	tab.Fill("Milestone", "Go live")
	tab.Fill("Due", time.Now().AddDate(0, 1, 0).Format("01022006"))
	tab.Submit("Add the milestone")
	tab.WantText("The milestone is added.", "Go live")
	tab.Screenshot("overview-milestones")

	// A list shared with the client's company, in the milestone, and an internal list.
	tab.Follow("List")
	tab.Fill("List name", "Deliverables")
	tab.Select("Milestone", "Go live")
	tab.Check(coName)
	tab.Submit("Add the list")
	tab.WantText("The list is added.")
	tab.Fill("List name", "Budget")
	tab.Submit("Add the list")
	tab.WantText("The list is added.")
	for _, task := range []struct{ title, list string }{{"Home page mockup", "Deliverables"}, {"Hosting costs", "Budget"}} {
		tab.Fill("Title", task.title)
		tab.Select("List", task.list)
		tab.Submit("Add")
		tab.WantText("The task is added.", task.title)
	}

	// The mockup waits for the costs: from the mockup's edit page.
	tab.Follow("Home page mockup")
	tab.Follow("Edit")
	tab.Select("Waits for", "Hosting costs")
	tab.Submit("Add")
	tab.WantText("The dependency is added; the dates follow it.", "Hosting costs")
	tab.Screenshot("task-edit")
	mockup := taskID(t, api, base, pid, "Home page mockup")
	if preds := api.Get(fmt.Sprintf("%s/tasks/%d", base, mockup)).Map()["predecessor_ids"].([]any); len(preds) != 1 {
		t.Errorf("the mockup waits for %v", preds)
	}
	costs := taskID(t, api, base, pid, "Hosting costs")

	// The client, in French.
	ct := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "fr"})
	ct.Go("/login")
	ct.Fill("E-mail", client.Email)
	ct.Fill("Mot de passe", client.Password)
	ct.Submit("Se connecter")
	ct.Nav("Projets")
	ct.Follow("Harbour website")
	for _, view := range []string{"", "/tasks", "/board", "/gantt"} {
		ct.Go(project + view)
		text := ct.Text()
		if strings.Contains(text, "Hosting costs") || strings.Contains(text, "Budget") {
			t.Errorf("the client sees internal work on %s:\n%s", project+view, text)
		}
		if view == "/tasks" || view == "/board" {
			ct.WantText("Home page mockup")
		}
	}
	ct.Go(project + "/tasks")
	ct.Screenshot("client-tasks-fr")
	// The mockup's page: its dependency on an internal task is not shown.
	ct.Follow("Home page mockup")
	if strings.Contains(ct.Text(), "Hosting costs") {
		t.Errorf("the client's task page shows the internal predecessor")
	}
	// The internal task by its address: not found, in French.
	ct.Go(fmt.Sprintf("/%s/tasks/%d", acc.Slug, costs))
	ct.WantText("Page introuvable")
}

// taskID finds a task of the project by its title, through the API.
func taskID(t *testing.T, api *testkit.Client, base string, pid int64, title string) int64 {
	t.Helper()
	var p struct {
		Items []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"items"`
	}
	api.Get(fmt.Sprintf("%s/projects/%d/tasks?limit=200", base, pid)).JSON(t, &p)
	for _, it := range p.Items {
		if it.Title == title {
			return it.ID
		}
	}
	t.Fatalf("no task %q in project %d", title, pid)
	return 0
}
