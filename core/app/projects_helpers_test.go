package app_test

// The table-driven tests of this package walk every API route the App registers: the role
// matrix, tenancy, guards, the OpenAPI document, odd input. They boot the App with the business
// modules too, so that a module's routes are held to the same rules as core's. This file holds
// what those tests need to know about the projects module: a fixture of real ids, and the
// state a route needs before an allowed role calls it.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// withModules are the options of an App with the business modules whose routes the
// table-driven tests walk (a fresh module per App: a module holds its service).
func withModules() testkit.Options {
	return testkit.Options{Modules: []app.Module{projects.New()}}
}

// projectFixture gives the account an open project that allows guests, with client as a
// client member, a list shared with the account's client company, two tasks (the second
// waiting for the first), and an invited colleague to make a member. It fills the ids into fx.
func projectFixture(t testing.TB, e *testkit.Env, owner, client *testkit.User, acc *testkit.Account, fx *fixture) {
	t.Helper()
	c := e.As(owner)
	base := "/api/v1/" + acc.Slug
	fx.ProjectID = idOf(t, c.Post(base+"/projects", map[string]any{"name": "Matrix project", "guests_allowed": true}))
	wantStatus(t, "client joins the project", c.Put(fmt.Sprintf("%s/projects/%d/members/%d", base, fx.ProjectID, client.ID), map[string]any{"role": "client"}), http.StatusOK)
	fx.ListID = idOf(t, c.Post(fmt.Sprintf("%s/projects/%d/lists", base, fx.ProjectID), map[string]any{"name": "Shared",
		"visibility": "clients", "company_ids": []int64{e.ClientCompany(acc)}}))
	fx.ProjectMemberID, _ = invitation(t, e, owner, acc.Slug, map[string]any{"name": "Project Person", "email": "project-person@" + acc.Slug + ".test", "role": "member"})
	fx.PredID = newTask(t, e, owner, acc.Slug, fx)
	fx.TaskID = newTask(t, e, owner, acc.Slug, fx)
	wantStatus(t, "dependency", c.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, fx.TaskID), map[string]any{"predecessor_id": fx.PredID}), http.StatusCreated)
	fx.StatusID, fx.LabelID, fx.ItemID = newStatus(t, e, owner, acc.Slug, fx), newLabel(t, e, owner, acc.Slug, fx), newItem(t, e, owner, acc.Slug, fx)
	fx.MilestoneID = newMilestone(t, e, owner, acc.Slug, fx)
}

// newMilestone adds a milestone to the fixture's project and returns its id.
func newMilestone(t testing.TB, e *testkit.Env, owner *testkit.User, slug string, fx *fixture) int64 {
	t.Helper()
	r := e.As(owner).Post(fmt.Sprintf("/api/v1/%s/projects/%d/milestones", slug, fx.ProjectID), map[string]any{"name": "Matrix milestone", "due_on": "2026-06-30"})
	wantStatus(t, "milestone", r, http.StatusCreated)
	return idOf(t, r)
}

// newStatus adds a custom status to the fixture's project and returns its id.
func newStatus(t testing.TB, e *testkit.Env, owner *testkit.User, slug string, fx *fixture) int64 {
	t.Helper()
	r := e.As(owner).Post(fmt.Sprintf("/api/v1/%s/projects/%d/statuses", slug, fx.ProjectID), map[string]any{"name": "Matrix status", "base": "in_progress"})
	wantStatus(t, "status", r, http.StatusCreated)
	return idOf(t, r)
}

// newLabel adds a label to the fixture's project and returns its id.
func newLabel(t testing.TB, e *testkit.Env, owner *testkit.User, slug string, fx *fixture) int64 {
	t.Helper()
	labelN++
	r := e.As(owner).Post(fmt.Sprintf("/api/v1/%s/projects/%d/labels", slug, fx.ProjectID), map[string]any{"name": fmt.Sprintf("Matrix label %d", labelN)})
	wantStatus(t, "label", r, http.StatusCreated)
	return idOf(t, r)
}

// labelN makes label names unique (they are unique in a project).
var labelN int

// newItem adds a checklist item to the fixture's task and returns its id.
func newItem(t testing.TB, e *testkit.Env, owner *testkit.User, slug string, fx *fixture) int64 {
	t.Helper()
	r := e.As(owner).Post(fmt.Sprintf("/api/v1/%s/tasks/%d/checklist", slug, fx.TaskID), map[string]any{"text": "Matrix step"})
	wantStatus(t, "checklist item", r, http.StatusCreated)
	return idOf(t, r)
}

// newTask adds a task to the fixture's list and returns its id.
func newTask(t testing.TB, e *testkit.Env, owner *testkit.User, slug string, fx *fixture) int64 {
	t.Helper()
	r := e.As(owner).Post(fmt.Sprintf("/api/v1/%s/projects/%d/tasks", slug, fx.ProjectID), map[string]any{"list_id": fx.ListID, "title": "Matrix task"})
	wantStatus(t, "task", r, http.StatusCreated)
	return idOf(t, r)
}

// prepareProjects puts the account in the state a projects route needs before an allowed role
// calls it, and returns the path to call: the fixture project is active again (a previous
// call may have archived or trashed it), a member or a dependency to remove is there, and a
// task to delete is a fresh one.
func prepareProjects(t testing.TB, e *testkit.Env, owner *testkit.User, r api.Route, fx *fixture, path string) string {
	t.Helper()
	if !strings.Contains(r.Path, "/projects/:id") && !strings.HasPrefix(r.Path, "/api/v1/:slug/tasks/") && r.Path != "/api/v1/:slug/projects" {
		return path
	}
	c := e.As(owner)
	base := "/api/v1/" + fx.Slug
	// (POST .../projects starts from the fixture project: a template must be visible.)
	wantStatus(t, "restore the fixture project", c.Post(fmt.Sprintf("%s/projects/%d/restore", base, fx.ProjectID), nil), http.StatusOK)
	switch r.Method + " " + r.Path {
	case "DELETE /api/v1/:slug/projects/:id/members/:user_id":
		wantStatus(t, "a member to remove", c.Put(path, map[string]any{"role": "member"}), http.StatusOK)
	case "DELETE /api/v1/:slug/tasks/:id/dependencies/:pred_id":
		wantStatus(t, "a dependency to remove", c.Post(fmt.Sprintf("%s/tasks/%d/dependencies", base, fx.TaskID), map[string]any{"predecessor_id": fx.PredID}), http.StatusOK, http.StatusCreated)
	case "DELETE /api/v1/:slug/tasks/:id":
		return fmt.Sprintf("%s/tasks/%d", base, newTask(t, e, owner, fx.Slug, fx))
	// Deleting needs a fresh one each time: the fixture's stays for the other routes.
	case "DELETE /api/v1/:slug/projects/:id/statuses/:status_id":
		return fmt.Sprintf("%s/projects/%d/statuses/%d", base, fx.ProjectID, newStatus(t, e, owner, fx.Slug, fx))
	case "DELETE /api/v1/:slug/projects/:id/milestones/:milestone_id":
		return fmt.Sprintf("%s/projects/%d/milestones/%d", base, fx.ProjectID, newMilestone(t, e, owner, fx.Slug, fx))
	case "DELETE /api/v1/:slug/projects/:id/labels/:label_id":
		return fmt.Sprintf("%s/projects/%d/labels/%d", base, fx.ProjectID, newLabel(t, e, owner, fx.Slug, fx))
	case "DELETE /api/v1/:slug/tasks/:id/checklist/:item_id":
		return fmt.Sprintf("%s/tasks/%d/checklist/%d", base, fx.TaskID, newItem(t, e, owner, fx.Slug, fx))
	}
	return path
}

// projectsPathID fills the ids of the projects module into a path segment (s after prev), or
// reports that it has none for it.
func projectsPathID(s, prev string, fx fixture) (string, bool) {
	switch {
	case s == ":id" && prev == "projects" && fx.ProjectID != 0:
		return fmt.Sprint(fx.ProjectID), true
	case s == ":id" && prev == "tasks" && fx.TaskID != 0:
		return fmt.Sprint(fx.TaskID), true
	case s == ":pred_id" && fx.PredID != 0:
		return fmt.Sprint(fx.PredID), true
	case s == ":status_id" && fx.StatusID != 0:
		return fmt.Sprint(fx.StatusID), true
	case s == ":label_id" && fx.LabelID != 0:
		return fmt.Sprint(fx.LabelID), true
	case s == ":item_id" && fx.ItemID != 0:
		return fmt.Sprint(fx.ItemID), true
	case s == ":milestone_id" && fx.MilestoneID != 0:
		return fmt.Sprint(fx.MilestoneID), true
	}
	return "", false
}

// projectsBody is a valid body for a write route of the projects module (n makes names
// unique); known is false for a route it does not know.
func projectsBody(r api.Route, fx fixture, n int) (body any, known bool) {
	switch r.Method + " " + r.Path {
	case "POST /api/v1/:slug/projects":
		// From the fixture project as a template (members, lists, tasks, dependencies copied).
		body := map[string]any{"name": fmt.Sprintf("Project %d", n)}
		if fx.ProjectID != 0 {
			body["template_id"] = fx.ProjectID
		}
		return body, true
	case "PATCH /api/v1/:slug/projects/:id":
		return map[string]any{"name": fmt.Sprintf("Renamed project %d", n), "apps": []string{"tasks", "board", "gantt"}, "tag_colors": map[string]string{}}, true
	case "PUT /api/v1/:slug/projects/:id/members/:user_id":
		return map[string]any{"role": "member"}, true
	case "PATCH /api/v1/:slug/projects/:id/milestones/:milestone_id":
		return map[string]any{"name": fmt.Sprintf("Milestone renamed %d", n), "completed": n%2 == 0}, true
	case "POST /api/v1/:slug/projects/:id/milestones":
		return map[string]any{"name": fmt.Sprintf("Milestone %d", n), "due_on": "2026-06-30"}, true
	case "POST /api/v1/:slug/projects/:id/lists":
		return map[string]any{"name": fmt.Sprintf("List %d", n)}, true
	case "POST /api/v1/:slug/projects/:id/tasks":
		return map[string]any{"list_id": fx.ListID, "title": fmt.Sprintf("Task %d", n)}, true
	case "PATCH /api/v1/:slug/tasks/:id":
		return map[string]any{"title": fmt.Sprintf("Task renamed %d", n)}, true
	case "POST /api/v1/:slug/tasks/:id/dependencies":
		return map[string]any{"predecessor_id": fx.PredID}, true
	case "POST /api/v1/:slug/tasks/:id/comments":
		return map[string]any{"body": fmt.Sprintf("Comment %d", n)}, true
	case "POST /api/v1/:slug/projects/:id/statuses":
		return map[string]any{"name": fmt.Sprintf("Status %d", n), "base": "open"}, true
	case "PATCH /api/v1/:slug/projects/:id/statuses/:status_id":
		return map[string]any{"name": fmt.Sprintf("Status renamed %d", n), "color": "blue"}, true
	case "POST /api/v1/:slug/projects/:id/labels":
		return map[string]any{"name": fmt.Sprintf("Label %d", n), "color": "green"}, true
	case "PATCH /api/v1/:slug/projects/:id/labels/:label_id":
		return map[string]any{"name": fmt.Sprintf("Label renamed %d", n)}, true
	case "POST /api/v1/:slug/tasks/:id/checklist":
		return map[string]any{"text": fmt.Sprintf("Step %d", n)}, true
	case "PATCH /api/v1/:slug/tasks/:id/checklist/:item_id":
		return map[string]any{"done": n%2 == 0, "text": fmt.Sprintf("Step renamed %d", n)}, true
	case "DELETE /api/v1/:slug/projects/:id", "POST /api/v1/:slug/projects/:id/archive", "POST /api/v1/:slug/projects/:id/restore",
		"PUT /api/v1/:slug/projects/:id/star", "DELETE /api/v1/:slug/projects/:id/star", "DELETE /api/v1/:slug/projects/:id/members/:user_id",
		"DELETE /api/v1/:slug/tasks/:id", "DELETE /api/v1/:slug/tasks/:id/dependencies/:pred_id",
		"DELETE /api/v1/:slug/projects/:id/statuses/:status_id", "DELETE /api/v1/:slug/projects/:id/labels/:label_id",
		"DELETE /api/v1/:slug/tasks/:id/checklist/:item_id", "DELETE /api/v1/:slug/projects/:id/milestones/:milestone_id":
		return nil, true
	}
	return nil, false
}
