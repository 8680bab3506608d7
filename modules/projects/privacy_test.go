package projects_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// projectsPerson makes, in the world's account, a manager who leads a project, created
// another, is a member of both, starred one, created a task titled after her, is assigned to
// it and to another, commented, and was mentioned by a colleague's comment. It returns her,
// the project she leads, and the task she created.
func projectsPerson(t *testing.T, w *world, name, email string) (*testkit.User, int64, int64) {
	t.Helper()
	ada := w.e.Join(w.acc, &testkit.User{Name: name, Email: email}, actor.RoleManager)
	led := w.project(w.owner, map[string]any{"name": "Led by " + name, "leader_id": ada.ID, "assistant_leader_id": w.manager.ID})
	w.join(led, ada, "manager")
	w.join(led, w.member, "member")
	w.category("Ops of "+name, nil)
	mine := w.project(ada, map[string]any{"name": "Hers", "category": "Ops of " + name, "leader_id": w.manager.ID, "assistant_leader_id": ada.ID})
	w.want(w.as(ada).Put(w.path("/projects/%d/star", led), nil), http.StatusNoContent)
	list := w.taskList(led, "Work")
	task := w.task(ada, led, list, "Call "+name+" back", map[string]any{"description": "Write to " + email,
		"assignees": []map[string]any{{"user_id": ada.ID, "estimate_minutes": 60}, {"user_id": w.member.ID}}})
	other := w.task(w.owner, led, list, "Plain", map[string]any{"assignees": []map[string]any{{"user_id": ada.ID}}})
	w.want(w.as(ada).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "My notes, " + email}), http.StatusCreated)
	w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "Thanks @" + name + "!"}), http.StatusCreated)
	w.want(w.as(ada).Patch(w.path("/tasks/%d", other), map[string]any{"status": "in_progress"}), http.StatusOK)
	_ = mine
	w.e.Settle()
	return ada, led, task
}

type comment struct {
	AuthorID   *int64  `json:"author_id"`
	AuthorName string  `json:"author_name"`
	Body       string  `json:"body"`
	Mentions   []int64 `json:"mentioned_user_ids"`
}

func (w *world) comments(task int64) []comment {
	w.t.Helper()
	var out struct {
		Items []comment `json:"items"`
	}
	w.want(w.as(w.owner).Get(w.path("/tasks/%d/comments", task)), http.StatusOK).JSON(w.t, &out)
	return out.Items
}

// A person erased from the account of two: the projects keep their records without her name,
// her memberships, stars and assignments go, her comments lose their author and their text,
// and nothing of the account names her; twice is the same; her other account keeps her.
func TestEraseFromProjects(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		name, email := "Ada Lovelace", "ada.lovelace@"+w.acc.Slug+".test"
		ada, led, task := projectsPerson(t, w, name, email)
		accB := w.e.NewAccount()
		w.e.Join(accB, ada, actor.RoleMember)
		s := hooks.Subject{AccountID: w.acc.ID, UserID: ada.ID, Email: email, Name: name}

		counts := map[string]int64{}
		x := &walk.Export{}
		for _, p := range w.e.App.Hooks.PersonalData {
			if p.Module != "projects" {
				continue
			}
			cs, err := p.Hook.Describe(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				counts[c.Name] = c.Count
			}
			if err := p.Hook.Export(ctx, s, x); err != nil {
				t.Fatal(err)
			}
		}
		// Led, assistant of, created, member of (twice: led and hers), starred; two tasks
		// assigned and one created; one comment; some activity.
		if counts["projects.data.projects"] < 4 || counts["projects.data.tasks"] != 3 || counts["projects.data.comments"] != 1 || counts["projects.data.activity"] < 2 {
			t.Errorf("Describe: %v", counts)
		}
		if !strings.Contains(string(x.Files["projects.json"]), "Led by "+name) || !strings.Contains(string(x.Files["comments.json"]), "My notes") ||
			!strings.Contains(string(x.Files["assignments.json"]), `"estimate_minutes":60`) {
			t.Errorf("Export: %s", x.Files)
		}
		if got, _ := walk.Traces(ctx, w.e.App.DB, w.acc.ID, name, email); len(got) < 8 {
			t.Fatalf("before: the account names her in %d places: %v", len(got), got)
		}

		for round := 1; round <= 2; round++ {
			if err := walk.Erase(ctx, w.e.App.DB, w.e.App.Hooks, s, hooks.Erasure{}); err != nil {
				t.Fatalf("erase (round %d): %v", round, err)
			}
			got, err := walk.Traces(ctx, w.e.App.DB, w.acc.ID, name, email)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) > 0 {
				t.Errorf("round %d: the account still names her:\n%s", round, strings.Join(got, "\n"))
			}
		}
		var p struct {
			LeaderID          *int64 `json:"leader_id"`
			AssistantLeaderID *int64 `json:"assistant_leader_id"`
		}
		w.want(w.as(w.owner).Get(w.path("/projects/%d", led)), http.StatusOK).JSON(t, &p)
		if p.LeaderID != nil || p.AssistantLeaderID == nil || *p.AssistantLeaderID != w.manager.ID {
			t.Errorf("the project she led: %+v", p)
		}
		cs := w.comments(task)
		if len(cs) != 2 || cs[0].AuthorID != nil || cs[0].AuthorName != "" || cs[0].Body != "" ||
			cs[1].Body != "Thanks @"+personal.Redacted+"!" || len(cs[1].Mentions) != 0 {
			t.Errorf("the task's comments: %+v", cs)
		}
		var members struct {
			Items []struct {
				UserID int64 `json:"user_id"`
			} `json:"items"`
		}
		w.want(w.as(w.owner).Get(w.path("/projects/%d/members", led)), http.StatusOK).JSON(t, &members)
		for _, m := range members.Items {
			if m.UserID == ada.ID {
				t.Errorf("she is still a member of the project: %+v", members)
			}
		}
		var tk struct {
			Assignees []struct {
				UserID int64 `json:"user_id"`
			} `json:"assignees"`
			CreatedBy *int64 `json:"created_by"`
		}
		w.want(w.as(w.owner).Get(w.path("/tasks/%d", task)), http.StatusOK).JSON(t, &tk)
		if len(tk.Assignees) != 1 || tk.Assignees[0].UserID != w.member.ID || tk.CreatedBy != nil {
			t.Errorf("her task: %+v", tk)
		}
		// The task page and the project's feed still render.
		page := w.e.BrowserLogin(w.owner)
		for _, path := range []string{"/" + w.acc.Slug + "/tasks/" + itoa(task), "/" + w.acc.Slug + "/projects/" + itoa(led)} {
			if r := page.Get(path); r.Status != http.StatusOK {
				t.Errorf("%s: %d", path, r.Status)
			}
		}
		for _, p := range w.e.App.Hooks.PersonalData {
			if p.Module != "projects" {
				continue
			}
			cs, _ := p.Hook.Describe(ctx, s)
			for _, c := range cs {
				if c.Count != 0 {
					t.Errorf("after: %s counts %d", c.Name, c.Count)
				}
			}
		}
		if r := w.e.As(ada).Get("/api/v1/" + accB.Slug + "/projects"); r.Status != http.StatusOK {
			t.Errorf("her other account: %d", r.Status)
		}
	})
}

// KeepText keeps the text of her comments, without her name.
func TestEraseFromProjectsKeepsText(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		name, email := "Grace Hopper", "grace.hopper@"+w.acc.Slug+".test"
		grace, _, task := projectsPerson(t, w, name, email)
		s := hooks.Subject{AccountID: w.acc.ID, UserID: grace.ID, Email: email, Name: name}
		if err := walk.Erase(ctx, w.e.App.DB, w.e.App.Hooks, s, hooks.Erasure{KeepText: true}); err != nil {
			t.Fatal(err)
		}
		cs := w.comments(task)
		if len(cs) != 2 || cs[0].AuthorID != nil || cs[0].Body != "My notes, "+personal.Redacted {
			t.Errorf("her comment: %+v", cs)
		}
		if got, _ := walk.Traces(ctx, w.e.App.DB, w.acc.ID, name, email); len(got) > 0 {
			t.Errorf("the account still names her:\n%s", strings.Join(got, "\n"))
		}
	})
}

// The project categories an administrator added are in her data; erased, the categories stay
// the account's without her.
func TestEraseCategoriesAuthor(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		name, email := "Bea Admin", "bea.admin@"+w.acc.Slug+".test"
		bea := w.e.Join(w.acc, &testkit.User{Name: name, Email: email}, actor.RoleAdmin)
		cat := idOf(t, w.want(w.as(bea).Post(w.path("/project-categories"), map[string]any{"name": "Research"}), http.StatusCreated))
		s := hooks.Subject{AccountID: w.acc.ID, UserID: bea.ID, Email: email, Name: name}
		var p hooks.PersonalData
		for _, h := range w.e.App.Hooks.PersonalData {
			if h.Module == "projects" {
				p = h.Hook
			}
		}
		cs, err := p.Describe(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		n := int64(-1)
		for _, c := range cs {
			if c.Name == "projects.data.categories" {
				n = c.Count
			}
		}
		x := &walk.Export{}
		if err := p.Export(ctx, s, x); err != nil {
			t.Fatal(err)
		}
		if n != 1 || !strings.Contains(string(x.Files["categories.json"]), `"name":"Research"`) {
			t.Errorf("Describe %d, export %s", n, x.Files["categories.json"])
		}
		if err := walk.Erase(ctx, w.e.App.DB, w.e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		c := w.want(w.as(w.owner).Get(w.path("/project-categories/%d", cat)), http.StatusOK).Map()
		if c["name"] != "Research" || c["created_by"] != nil {
			t.Errorf("the category after the erasure: %v", c)
		}
	})
}
