package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/api"
	"groupcamp/core/testkit"
)

// ids are the rows of one account that a route can name.
type ids struct {
	slug                           string
	project, list, milestone, task int64
	pred, user, company            int64
	status, label, item            int64 // a custom status, a label, a checklist item of task
	category                       int64 // a project category (the project's)
}

// fill puts ids into a route's path parameters.
func (x ids) fill(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		switch {
		case s == ":slug":
			segs[i] = x.slug
		case s == ":id" && prev == "projects":
			segs[i] = fmt.Sprint(x.project)
		case s == ":id" && prev == "tasks":
			segs[i] = fmt.Sprint(x.task)
		case s == ":id" && prev == "project-categories":
			segs[i] = fmt.Sprint(x.category)
		case s == ":user_id":
			segs[i] = fmt.Sprint(x.user)
		case s == ":pred_id":
			segs[i] = fmt.Sprint(x.pred)
		case s == ":status_id":
			segs[i] = fmt.Sprint(x.status)
		case s == ":label_id":
			segs[i] = fmt.Sprint(x.label)
		case s == ":item_id":
			segs[i] = fmt.Sprint(x.item)
		case s == ":milestone_id":
			segs[i] = fmt.Sprint(x.milestone)
		}
	}
	return strings.Join(segs, "/")
}

// body is a request for a write route that names the ids wherever a body can.
func (x ids) body(r api.Route) any {
	switch r.Method + " " + r.Path {
	case "POST /api/v1/:slug/projects":
		return map[string]any{"name": "Cross", "client_company_id": x.company, "leader_id": x.user, "category_id": x.category}
	case "PATCH /api/v1/:slug/projects/:id":
		return map[string]any{"client_company_id": x.company, "assistant_leader_id": x.user, "category_id": x.category}
	case "POST /api/v1/:slug/project-categories", "PATCH /api/v1/:slug/project-categories/:id":
		return map[string]any{"name": "Cross"}
	case "PUT /api/v1/:slug/projects/:id/members/:user_id":
		return map[string]any{"role": "member"}
	case "POST /api/v1/:slug/projects/:id/milestones", "PATCH /api/v1/:slug/projects/:id/milestones/:milestone_id":
		return map[string]any{"name": "Cross", "due_on": "2026-01-05"}
	case "POST /api/v1/:slug/projects/:id/lists":
		return map[string]any{"name": "Cross", "milestone_id": x.milestone, "visibility": "clients", "company_ids": []int64{x.company}}
	case "POST /api/v1/:slug/projects/:id/tasks":
		return map[string]any{"list_id": x.list, "title": "Cross", "assignees": []map[string]any{{"user_id": x.user}}, "labels": []int64{x.label}}
	case "POST /api/v1/:slug/projects/:id/statuses":
		return map[string]any{"name": "Cross", "base": "open"}
	case "PATCH /api/v1/:slug/projects/:id/statuses/:status_id", "POST /api/v1/:slug/projects/:id/labels", "PATCH /api/v1/:slug/projects/:id/labels/:label_id":
		return map[string]any{"name": "Cross"}
	case "POST /api/v1/:slug/tasks/:id/checklist", "PATCH /api/v1/:slug/tasks/:id/checklist/:item_id":
		return map[string]any{"text": "Cross"}
	case "PATCH /api/v1/:slug/tasks/:id":
		return map[string]any{"list_id": x.list, "assignees": []map[string]any{{"user_id": x.user}}, "progress": []map[string]any{{"user_id": x.user, "progress": 50}}, "labels": []int64{x.label}}
	case "POST /api/v1/:slug/tasks/:id/dependencies":
		return map[string]any{"predecessor_id": x.pred}
	case "POST /api/v1/:slug/tasks/:id/comments":
		return map[string]any{"body": "Cross"}
	}
	return nil
}

// namesIDs are the write routes whose bodies name rows by id.
var namesIDs = map[string]bool{
	"POST /api/v1/:slug/projects": true, "PATCH /api/v1/:slug/projects/:id": true, "POST /api/v1/:slug/projects/:id/lists": true,
	"POST /api/v1/:slug/projects/:id/tasks": true, "PATCH /api/v1/:slug/tasks/:id": true, "POST /api/v1/:slug/tasks/:id/dependencies": true,
}

// moduleRoutes are the API routes of the projects module.
func moduleRoutes(e *testkit.Env) []api.Route {
	var out []api.Route
	for _, r := range e.App.Routes.All() {
		if r.Doc.Tag == "Projects" {
			out = append(out, r)
		}
	}
	return out
}

// fixture gives an account a project with a member, a milestone, a list shared with a client
// company, two linked tasks with an assignee and a comment.
func fixture(t testing.TB, w *world, acc *testkit.Account) ids {
	t.Helper()
	owner := w.e.As(acc.Owner)
	path := func(f string, a ...any) string { return "/api/v1/" + acc.Slug + fmt.Sprintf(f, a...) }
	x := ids{slug: acc.Slug, company: w.e.ClientCompany(acc)}
	x.user = w.e.NewUser(acc, "member").ID
	x.category = idOf(t, want(t, "category", owner.Post(path("/project-categories"), map[string]any{"name": "Category of " + acc.Slug}), http.StatusCreated))
	x.project = idOf(t, want(t, "project", owner.Post(path("/projects"), map[string]any{"name": "Project of " + acc.Slug, "guests_allowed": true, "category_id": x.category}), http.StatusCreated))
	want(t, "member", owner.Put(path("/projects/%d/members/%d", x.project, x.user), map[string]any{"role": "member"}), http.StatusOK)
	x.milestone = idOf(t, want(t, "milestone", owner.Post(path("/projects/%d/milestones", x.project), map[string]any{"name": "M", "due_on": "2026-02-02"}), http.StatusCreated))
	x.list = idOf(t, want(t, "list", owner.Post(path("/projects/%d/lists", x.project), map[string]any{"name": "L", "milestone_id": x.milestone, "visibility": "clients", "company_ids": []int64{x.company}}), http.StatusCreated))
	task := map[string]any{"list_id": x.list, "title": "T of " + acc.Slug, "assignees": []map[string]any{{"user_id": x.user}}}
	x.pred = idOf(t, want(t, "pred", owner.Post(path("/projects/%d/tasks", x.project), task), http.StatusCreated))
	x.task = idOf(t, want(t, "task", owner.Post(path("/projects/%d/tasks", x.project), task), http.StatusCreated))
	want(t, "dependency", owner.Post(path("/tasks/%d/dependencies", x.task), map[string]any{"predecessor_id": x.pred}), http.StatusCreated)
	want(t, "comment", owner.Post(path("/tasks/%d/comments", x.task), map[string]any{"body": "C of " + acc.Slug}), http.StatusCreated)
	x.status = idOf(t, want(t, "status", owner.Post(path("/projects/%d/statuses", x.project), map[string]any{"name": "Review", "base": "in_progress"}), http.StatusCreated))
	x.label = idOf(t, want(t, "label", owner.Post(path("/projects/%d/labels", x.project), map[string]any{"name": "L of " + acc.Slug}), http.StatusCreated))
	x.item = idOf(t, want(t, "item", owner.Post(path("/tasks/%d/checklist", x.task), map[string]any{"text": "I of " + acc.Slug}), http.StatusCreated))
	return x
}

// TestOtherAccount: people of account B reach nothing of account A — not under A's slug, not
// with A's ids under B's slug, not with A's ids in a body (404 or 422 naming the field, and
// nothing written) — and B's lists show nothing of A.
func TestOtherAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		a := fixture(t, w, w.acc)
		accB := w.e.NewAccount()
		b := fixture(t, w, accB)
		bAdmin := w.e.NewUser(accB, "admin")
		before := w.snapshot()
		routes := moduleRoutes(w.e)
		if len(routes) < 25 {
			t.Fatalf("only %d routes of the module", len(routes))
		}
		for _, who := range []*testkit.User{accB.Owner, bAdmin} {
			c := w.e.As(who)
			for _, r := range routes {
				// A's slug and A's ids: the account does not exist for B.
				check(t, "A's slug: "+r.Method+" "+a.fill(r.Path), c.Do(r.Method, a.fill(r.Path), a.body(r)), http.StatusNotFound)
				// B's slug, one of A's ids at a time in the path, the rest B's.
				for _, mixed := range []ids{
					{slug: b.slug, project: a.project, task: b.task, pred: b.pred, user: b.user},
					{slug: b.slug, project: b.project, task: a.task, pred: b.pred, user: b.user},
					{slug: b.slug, project: b.project, task: b.task, pred: a.pred, user: b.user},
					{slug: b.slug, project: b.project, task: b.task, pred: b.pred, user: a.user},
					{slug: b.slug, project: b.project, task: b.task, pred: b.pred, user: b.user, status: a.status, label: b.label, item: b.item},
					{slug: b.slug, project: b.project, task: b.task, pred: b.pred, user: b.user, status: b.status, label: a.label, item: b.item},
					{slug: b.slug, project: b.project, task: b.task, pred: b.pred, user: b.user, status: b.status, label: b.label, item: a.item},
					{slug: b.slug, project: b.project, task: b.task, pred: b.pred, user: b.user, status: b.status, label: b.label, item: b.item, category: a.category},
				} {
					path := mixed.fill(r.Path)
					if path == b.fill(r.Path) {
						continue // this route names none of the ids changed
					}
					check(t, "B "+r.Method+" "+path, c.Do(r.Method, path, b.body(r)), http.StatusNotFound)
				}
				// B's slug and ids in the path, A's ids in the body.
				if namesIDs[r.Method+" "+r.Path] {
					res := c.Do(r.Method, b.fill(r.Path), a.body(r))
					if res.Status != http.StatusNotFound && (res.Status != http.StatusUnprocessableEntity || len(res.FieldErrors()) == 0) {
						t.Errorf("B %s %s with A's ids in the body: %d %s", r.Method, r.Path, res.Status, res.Body)
					}
				}
			}
		}
		if after := w.snapshot(); after != before {
			t.Errorf("B's attempts wrote something:\n before %s\n after  %s", before, after)
		}
		// B's lists show nothing of A.
		for _, p := range []string{"/projects", "/projects?state=archived", "/my-tasks", "/project-categories",
			fmt.Sprintf("/projects/%d/tasks", b.project), fmt.Sprintf("/projects/%d/lists", b.project), fmt.Sprintf("/projects/%d/activity", b.project),
			fmt.Sprintf("/projects/%d/members", b.project), fmt.Sprintf("/tasks/%d/comments", b.task), fmt.Sprintf("/tasks/%d", b.task)} {
			r := want(t, "B GET "+p, w.e.As(accB.Owner).Get("/api/v1/"+b.slug+p), http.StatusOK)
			if strings.Contains(string(r.Body), w.acc.Slug) {
				t.Errorf("B GET %s shows something of A: %s", p, r.Body)
			}
		}
	})
}
