package projects

import (
	"fmt"
	"net/http"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): an open project that
// allows guests, the walker's client as a client member, a list shared with the account's
// client company, two tasks (the second waiting for the first), a custom status, a label, a
// checklist item, a milestone, an invited colleague whom the member routes add and remove,
// and a project category the project is filed under.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	var err error
	if p["projects/:id"], err = app.Created(c, "POST", base+"/projects", map[string]any{"name": "Fixture project", "guests_allowed": true}); err != nil {
		return nil, err
	}
	proj := base + "/projects/" + p["projects/:id"]
	if st, body := c.Do("PUT", fmt.Sprintf("%s/members/%d", proj, c.User("client")), map[string]any{"role": "client"}); st != http.StatusOK {
		return nil, fmt.Errorf("the client joins the project: %d %s", st, body)
	}
	if p[":list_id"], err = app.Created(c, "POST", proj+"/lists", map[string]any{"name": "Shared", "visibility": "clients", "company_ids": []int64{c.ClientCompany()}}); err != nil {
		return nil, err
	}
	if p["members/:user_id"], err = app.Created(c, "POST", base+"/users", map[string]any{"name": "Project Person", "email": fmt.Sprintf("project-person-%d@%s.test", c.N(), c.Slug()), "role": "member"}, "user"); err != nil {
		return nil, err
	}
	if p[":pred_id"], err = newTask(c, p); err != nil {
		return nil, err
	}
	if p["tasks/:id"], err = newTask(c, p); err != nil {
		return nil, err
	}
	if st, body := c.Do("POST", base+"/tasks/"+p["tasks/:id"]+"/dependencies", map[string]any{"predecessor_id": p.ID(":pred_id")}); st != http.StatusCreated {
		return nil, fmt.Errorf("dependency: %d %s", st, body)
	}
	for _, x := range []struct{ key, path string }{{":status_id", "/statuses"}, {":label_id", "/labels"}, {":milestone_id", "/milestones"}} {
		if p[x.key], err = fixtureChild(c, p, x.path); err != nil {
			return nil, err
		}
	}
	if p[":item_id"], err = fixtureChild(c, p, "/checklist"); err != nil {
		return nil, err
	}
	// A project category, which the fixture project is filed under.
	if p["project-categories/:id"], err = fixtureCategory(c); err != nil {
		return nil, err
	}
	if st, body := c.Do("PATCH", proj, map[string]any{"category_id": p.ID("project-categories/:id")}); st != http.StatusOK {
		return nil, fmt.Errorf("the project's category: %d %s", st, body)
	}
	return p, nil
}

func fixtureCategory(c app.FixtureClient) (string, error) {
	return app.Created(c, "POST", "/api/v1/"+c.Slug()+"/project-categories", map[string]any{"name": fmt.Sprintf("Fixture category %d", c.N()), "color": "teal"})
}

func newTask(c app.FixtureClient, p app.Params) (string, error) {
	return app.Created(c, "POST", "/api/v1/"+c.Slug()+"/projects/"+p["projects/:id"]+"/tasks", map[string]any{"list_id": p.ID(":list_id"), "title": fmt.Sprintf("Fixture task %d", c.N())})
}

// fixtureChild makes a status, label or milestone of the project, or a checklist item of the
// task, and returns its id.
func fixtureChild(c app.FixtureClient, p app.Params, what string) (string, error) {
	base := "/api/v1/" + c.Slug()
	n := c.N()
	switch what {
	case "/statuses":
		return app.Created(c, "POST", base+"/projects/"+p["projects/:id"]+what, map[string]any{"name": fmt.Sprintf("Fixture status %d", n), "base": "in_progress"})
	case "/labels":
		return app.Created(c, "POST", base+"/projects/"+p["projects/:id"]+what, map[string]any{"name": fmt.Sprintf("Fixture label %d", n)})
	case "/milestones":
		return app.Created(c, "POST", base+"/projects/"+p["projects/:id"]+what, map[string]any{"name": fmt.Sprintf("Fixture milestone %d", n), "due_on": "2026-06-30"})
	default:
		return app.Created(c, "POST", base+"/tasks/"+p["tasks/:id"]+"/checklist", map[string]any{"text": fmt.Sprintf("Fixture step %d", n)})
	}
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/projects":
		// From the fixture project as a template (members, lists, tasks, dependencies copied).
		return map[string]any{"name": fmt.Sprintf("Project %d", n), "template_id": p.ID("projects/:id")}, true
	case "PATCH /api/v1/:slug/projects/:id":
		return map[string]any{"name": fmt.Sprintf("Renamed project %d", n), "apps": AllApps, "tag_colors": map[string]string{}}, true
	case "POST /api/v1/:slug/project-categories", "POST /:slug/admin/project-categories":
		return map[string]any{"name": fmt.Sprintf("Category %d", n), "color": "blue"}, true
	case "PATCH /api/v1/:slug/project-categories/:id", "POST /:slug/admin/project-categories/:id":
		return map[string]any{"name": fmt.Sprintf("Category renamed %d", n)}, true
	case "DELETE /api/v1/:slug/project-categories/:id", "POST /:slug/admin/project-categories/:id/delete":
		return nil, true
	case "PUT /api/v1/:slug/projects/:id/members/:user_id":
		return map[string]any{"role": "member"}, true
	case "PATCH /api/v1/:slug/projects/:id/milestones/:milestone_id":
		return map[string]any{"name": fmt.Sprintf("Milestone renamed %d", n), "completed": n%2 == 0}, true
	case "POST /api/v1/:slug/projects/:id/milestones":
		return map[string]any{"name": fmt.Sprintf("Milestone %d", n), "due_on": "2026-06-30"}, true
	case "POST /api/v1/:slug/projects/:id/lists":
		return map[string]any{"name": fmt.Sprintf("List %d", n)}, true
	case "PATCH /api/v1/:slug/projects/:id/lists/:list_id":
		// Renamed and moved out of any milestone; its sharing stays (a member may do this).
		return map[string]any{"name": fmt.Sprintf("Shared %d", n), "milestone_id": nil}, true
	case "POST /api/v1/:slug/projects/:id/tasks":
		return map[string]any{"list_id": p.ID(":list_id"), "title": fmt.Sprintf("Task %d", n)}, true
	case "PATCH /api/v1/:slug/tasks/:id":
		return map[string]any{"title": fmt.Sprintf("Task renamed %d", n)}, true
	case "POST /api/v1/:slug/tasks/:id/dependencies":
		return map[string]any{"predecessor_id": p.ID(":pred_id")}, true
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
		"DELETE /api/v1/:slug/tasks/:id", "POST /api/v1/:slug/tasks/:id/restore", "PUT /api/v1/:slug/tasks/:id/follow", "DELETE /api/v1/:slug/tasks/:id/follow", "DELETE /api/v1/:slug/tasks/:id/dependencies/:pred_id",
		"DELETE /api/v1/:slug/projects/:id/statuses/:status_id", "DELETE /api/v1/:slug/projects/:id/labels/:label_id",
		"DELETE /api/v1/:slug/tasks/:id/checklist/:item_id", "DELETE /api/v1/:slug/projects/:id/milestones/:milestone_id",
		"DELETE /api/v1/:slug/projects/:id/lists/:list_id", "POST /api/v1/:slug/projects/:id/lists/:list_id/restore":
		return nil, true
	// The pages' forms, with the fields a person fills.
	case "POST /:slug/projects":
		return map[string]any{"name": fmt.Sprintf("Page project %d", n)}, true
	case "POST /:slug/projects/:id/tasks":
		return map[string]any{"list_id": p.ID(":list_id"), "title": fmt.Sprintf("Page task %d", n)}, true
	case "POST /:slug/tasks/:id/comments":
		return map[string]any{"body": fmt.Sprintf("Page comment %d", n)}, true
	}
	return nil, false
}

// Prepare: the fixture project is active again (an earlier call may have archived or trashed
// it), a member or a dependency to remove is there, and what a call deletes is a fresh one.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	switch method + " " + path {
	case "DELETE /api/v1/:slug/project-categories/:id":
		id, err := fixtureCategory(c)
		return "/api/v1/" + c.Slug() + "/project-categories/" + id, err
	case "POST /:slug/admin/project-categories/:id/delete":
		id, err := fixtureCategory(c)
		return "/" + c.Slug() + "/admin/project-categories/" + id + "/delete", err
	}
	if !strings.Contains(path, "/projects/:id") && !strings.Contains(path, "/tasks/") && !strings.HasSuffix(path, "/projects") {
		return filled, nil
	}
	base := "/api/v1/" + c.Slug()
	if st, body := c.Do("POST", base+"/projects/"+p["projects/:id"]+"/restore", nil); st != http.StatusOK {
		return "", fmt.Errorf("restore the fixture project: %d %s", st, body)
	}
	switch method + " " + path {
	case "DELETE /api/v1/:slug/projects/:id/members/:user_id":
		if st, body := c.Do("PUT", filled, map[string]any{"role": "member"}); st != http.StatusOK {
			return "", fmt.Errorf("a member to remove: %d %s", st, body)
		}
	case "DELETE /api/v1/:slug/tasks/:id/dependencies/:pred_id":
		if st, body := c.Do("POST", base+"/tasks/"+p["tasks/:id"]+"/dependencies", map[string]any{"predecessor_id": p.ID(":pred_id")}); st != http.StatusOK && st != http.StatusCreated {
			return "", fmt.Errorf("a dependency to remove: %d %s", st, body)
		}
	case "DELETE /api/v1/:slug/tasks/:id":
		id, err := newTask(c, p)
		return base + "/tasks/" + id, err
	case "POST /:slug/tasks/:id/delete":
		id, err := newTask(c, p)
		return "/" + c.Slug() + "/tasks/" + id + "/delete", err
	case "POST /api/v1/:slug/tasks/:id/restore", "POST /:slug/tasks/:id/restore":
		// A task in the trash, to bring back.
		id, err := newTask(c, p)
		if err != nil {
			return "", err
		}
		if st, body := c.Do("DELETE", base+"/tasks/"+id, nil); st != http.StatusNoContent {
			return "", fmt.Errorf("a task to restore: %d %s", st, body)
		}
		return strings.Replace(filled, "/tasks/"+p["tasks/:id"]+"/", "/tasks/"+id+"/", 1), nil
	case "POST /api/v1/:slug/projects/:id/lists/:list_id/restore", "POST /:slug/projects/:id/lists/:list_id/restore":
		// A list in the trash, to bring back.
		lists := base + "/projects/" + p["projects/:id"] + "/lists"
		id, err := app.Created(c, "POST", lists, map[string]any{"name": fmt.Sprintf("List to restore %d", c.N())})
		if err != nil {
			return "", err
		}
		if st, body := c.Do("DELETE", lists+"/"+id, nil); st != http.StatusNoContent {
			return "", fmt.Errorf("a list to restore: %d %s", st, body)
		}
		return strings.Replace(filled, "/lists/"+p[":list_id"]+"/", "/lists/"+id+"/", 1), nil
	case "DELETE /api/v1/:slug/projects/:id/statuses/:status_id":
		id, err := fixtureChild(c, p, "/statuses")
		return base + "/projects/" + p["projects/:id"] + "/statuses/" + id, err
	case "DELETE /api/v1/:slug/projects/:id/milestones/:milestone_id":
		id, err := fixtureChild(c, p, "/milestones")
		return base + "/projects/" + p["projects/:id"] + "/milestones/" + id, err
	case "DELETE /api/v1/:slug/projects/:id/lists/:list_id":
		id, err := app.Created(c, "POST", base+"/projects/"+p["projects/:id"]+"/lists", map[string]any{"name": fmt.Sprintf("List to delete %d", c.N())})
		return base + "/projects/" + p["projects/:id"] + "/lists/" + id, err
	case "DELETE /api/v1/:slug/projects/:id/labels/:label_id":
		id, err := fixtureChild(c, p, "/labels")
		return base + "/projects/" + p["projects/:id"] + "/labels/" + id, err
	case "DELETE /api/v1/:slug/tasks/:id/checklist/:item_id":
		id, err := fixtureChild(c, p, "/checklist")
		return base + "/tasks/" + p["tasks/:id"] + "/checklist/" + id, err
	}
	return filled, nil
}
