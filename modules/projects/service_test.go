package projects_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/problem"
	"groupcamp/modules/projects"
)

// TestWorkdays: working-day arithmetic, Monday to Friday.
func TestWorkdays(t *testing.T) {
	for _, c := range []struct {
		from projects.Date
		n    int
		want projects.Date
	}{
		{"2026-01-05", 0, "2026-01-05"}, // Monday
		{"2026-01-05", 1, "2026-01-06"},
		{"2026-01-09", 1, "2026-01-12"}, // Friday + 1 = Monday
		{"2026-01-10", 1, "2026-01-12"}, // Saturday + 1 = Monday
		{"2026-01-11", 0, "2026-01-12"}, // Sunday + 0 = Monday
		{"2026-01-05", 5, "2026-01-12"},
		{"2026-01-08", 7, "2026-01-19"},
		{"2026-01-05", 260, "2027-01-04"},
		{"2026-12-31", 1, "2027-01-01"},
	} {
		if got := c.from.AddWorkdays(c.n); got != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		from, to projects.Date
		want     int
	}{
		{"2026-01-05", "2026-01-05", 0},
		{"2026-01-05", "2026-01-09", 4},
		{"2026-01-09", "2026-01-12", 1}, // Friday to Monday
		{"2026-01-10", "2026-01-12", 1}, // Saturday to Monday
		{"2026-01-05", "2026-01-19", 10},
		{"2026-01-19", "2026-01-05", 0},
		{"1969-12-01", "1970-01-05", 25},
	} {
		if got := c.from.Workdays(c.to); got != c.want {
			t.Errorf("working days from %s to %s = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	for _, s := range []string{"2026-02-30", "2026-1-05", "05/01/2026", "", "2026-01-05T00:00:00Z"} {
		if _, ok := projects.ParseDate(s); ok {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

// TestScheduleRules: due before start, long titles and texts, dependencies that close a cycle
// (named), links across projects, and the rescheduling of successors on working days.
func TestScheduleRules(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		mem := w.actor(w.member)
		p, err := w.svc.CreateProject(ctx, w.actor(w.manager), projects.ProjectInput{Name: "Schedule"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := w.svc.CreateList(ctx, mem, p.ID, projects.ListInput{Name: "Plan"})
		if err != nil {
			t.Fatal(err)
		}
		newTask := func(title, start, due string) *projects.Task {
			t.Helper()
			task, err := w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: title, StartsOn: start, DueOn: due})
			if err != nil {
				t.Fatalf("create %s: %v", title, err)
			}
			return task
		}
		fieldErr := func(what string, err error, field string) {
			t.Helper()
			pr, ok := problem.As(err)
			if !ok || pr.Status != 422 {
				t.Errorf("%s: %v, want a 422", what, err)
				return
			}
			for _, fe := range pr.Errors {
				if fe.Field == field {
					return
				}
			}
			t.Errorf("%s: no message for %s in %v", what, field, err)
		}

		before := w.snapshot()
		_, err = w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: "Back", StartsOn: "2026-03-10", DueOn: "2026-03-09"})
		fieldErr("due before start", err, "due_on")
		_, err = w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: strings.Repeat("é", 501)})
		fieldErr("title of 501 characters", err, "title")
		_, err = w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: "Long", Description: strings.Repeat("x", 20001)})
		fieldErr("description of 20,001 characters", err, "description")
		_, err = w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: "Day", DueOn: "2026-02-30"})
		fieldErr("no such day", err, "due_on")
		_, err = w.svc.ImportTasks(ctx, mem, p.ID, []projects.TaskInput{{ListID: l.ID, Title: "Fine"}, {ListID: l.ID, Title: ""}})
		fieldErr("import with a bad row", err, "tasks[1].title")
		if after := w.snapshot(); after != before {
			t.Errorf("refused tasks wrote something:\n%s\n%s", before, after)
		}
		if _, err := w.svc.CreateTask(ctx, mem, p.ID, projects.TaskInput{ListID: l.ID, Title: strings.Repeat("é", 500), Description: strings.Repeat("x\n", 10000)}); err != nil {
			t.Errorf("title of 500 characters: %v", err)
		}

		// A (Mon 2 – Wed 4 March) -> B (Thu 5 – Tue 10: 3 working days) -> C (Wed 11 – Wed 11);
		// A -> D, which is done; D -> E.
		a := newTask("Design", "2026-03-02", "2026-03-04")
		b := newTask("Build", "2026-03-05", "2026-03-10")
		c := newTask("Check", "2026-03-11", "2026-03-11")
		d := newTask("Done already", "2026-03-05", "2026-03-05")
		e := newTask("After done", "2026-03-06", "2026-03-06")
		link := func(succ, pred *projects.Task) *projects.Dependency {
			t.Helper()
			dep, _, err := w.svc.AddDependency(ctx, mem, succ.ID, projects.DependencyInput{PredecessorID: pred.ID})
			if err != nil {
				t.Fatalf("link %s -> %s: %v", pred.Title, succ.Title, err)
			}
			return dep
		}
		link(b, a)
		link(c, b)
		link(d, a)
		link(e, d)
		done := projects.StatusDone
		if _, err := w.svc.UpdateTask(ctx, mem, d.ID, projects.TaskPatch{Status: &done}); err != nil {
			t.Fatal(err)
		}
		if dep, created, err := w.svc.AddDependency(ctx, mem, c.ID, projects.DependencyInput{PredecessorID: b.ID}); err != nil || created || dep.PredecessorID != b.ID {
			t.Errorf("adding a link twice: %v %v %+v", created, err, dep)
		}

		// Cycles are refused with the cycle named.
		_, _, err = w.svc.AddDependency(ctx, mem, a.ID, projects.DependencyInput{PredecessorID: c.ID})
		fieldErr("C -> A closes a cycle", err, "predecessor_id")
		want := fmt.Sprintf(`"Check" (#%d) → "Design" (#%d) → "Build" (#%d) → "Check" (#%d)`, c.ID, a.ID, b.ID, c.ID)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("cycle message %v, want it to name %s", err, want)
		}
		_, _, err = w.svc.AddDependency(ctx, mem, a.ID, projects.DependencyInput{PredecessorID: a.ID})
		fieldErr("a task on itself", err, "predecessor_id")
		p2, _ := w.svc.CreateProject(ctx, w.actor(w.manager), projects.ProjectInput{Name: "Elsewhere"})
		l2, _ := w.svc.CreateList(ctx, mem, p2.ID, projects.ListInput{Name: "There"})
		far, _ := w.svc.CreateTask(ctx, mem, p2.ID, projects.TaskInput{ListID: l2.ID, Title: "Far"})
		_, _, err = w.svc.AddDependency(ctx, mem, a.ID, projects.DependencyInput{PredecessorID: far.ID})
		fieldErr("a task of another project", err, "predecessor_id")

		// A's due date moves from Wed 4 to Mon 9 March: B must start Tue 10 and keeps its 3
		// working days (Tue 10 – Fri 13); C follows on Mon 16. D is done and does not move, so
		// E does not either.
		due := "2026-03-09"
		got, err := w.svc.UpdateTask(ctx, mem, a.ID, projects.TaskPatch{DueOn: &due})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Rescheduled, []int64{b.ID, c.ID}) {
			t.Errorf("rescheduled %v, want B %d then C %d", got.Rescheduled, b.ID, c.ID)
		}
		dates := func(id int64) string {
			t.Helper()
			task, err := w.svc.Task(ctx, mem, id)
			if err != nil {
				t.Fatal(err)
			}
			return string(task.StartsOn) + ".." + string(task.DueOn)
		}
		for id, want := range map[int64]string{b.ID: "2026-03-10..2026-03-13", c.ID: "2026-03-16..2026-03-16", d.ID: "2026-03-05..2026-03-05", e.ID: "2026-03-06..2026-03-06"} {
			if got := dates(id); got != want {
				t.Errorf("task %d: %s, want %s", id, got, want)
			}
		}
		evs := w.events("task.rescheduled")
		if len(evs) != 2 || num(evs[0]["task_id"]) != b.ID || evs[0]["previous_starts_on"] != "2026-03-05" || evs[0]["due_on"] != "2026-03-13" ||
			num(evs[0]["cause_task_id"]) != a.ID || num(evs[1]["cause_task_id"]) != b.ID {
			t.Errorf("task.rescheduled: %v", evs)
		}
		// Moving A earlier moves nothing back.
		due = "2026-03-03"
		if got, err := w.svc.UpdateTask(ctx, mem, a.ID, projects.TaskPatch{DueOn: &due}); err != nil || len(got.Rescheduled) != 0 {
			t.Errorf("moving earlier: %v %v", got, err)
		}
		if got := dates(b.ID); got != "2026-03-10..2026-03-13" {
			t.Errorf("B after A moved earlier: %s", got)
		}
		// A due on a Friday: its new successor F, due the same Friday, is due on Monday after
		// the link is added.
		due = "2026-03-13"
		if _, err := w.svc.UpdateTask(ctx, mem, a.ID, projects.TaskPatch{DueOn: &due}); err != nil {
			t.Fatal(err)
		}
		f := newTask("Only a due day", "", "2026-03-13")
		if dep := link(f, a); !slices.Equal(dep.Rescheduled, []int64{f.ID}) {
			t.Errorf("linking F rescheduled %v", dep.Rescheduled)
		}
		if got := dates(f.ID); got != "..2026-03-16" {
			t.Errorf("F: %s", got)
		}
		// Removing a link moves nothing; removing it twice is a 404.
		if err := w.svc.RemoveDependency(ctx, mem, f.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.RemoveDependency(ctx, mem, f.ID, a.ID); err == nil {
			t.Error("removed a link twice")
		}
		task, _ := w.svc.Task(ctx, mem, a.ID)
		if !slices.Equal(task.SuccessorIDs, []int64{b.ID, d.ID}) {
			t.Errorf("A's successors %v", task.SuccessorIDs)
		}
	})
}

// TestMentions: @Full Name and @email of project members, case-insensitive, the longest name
// winning, never a person who cannot see the task, nor the author.
func TestMentions(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		p, err := w.svc.CreateProject(ctx, w.actor(w.manager), projects.ProjectInput{Name: "Talk", GuestsAllowed: true})
		if err != nil {
			t.Fatal(err)
		}
		own := w.actor(w.owner)
		for u, role := range map[int64]string{w.member.ID: "member", w.clientX.ID: "client", w.clientY.ID: "client"} {
			if _, err := w.svc.SetMember(ctx, own, p.ID, u, projects.MemberInput{Role: role}); err != nil {
				t.Fatal(err)
			}
		}
		shared, err := w.svc.CreateList(ctx, own, p.ID, projects.ListInput{Name: "Shared with X", Visibility: "clients", CompanyIDs: []int64{w.coX}})
		if err != nil {
			t.Fatal(err)
		}
		task, err := w.svc.CreateTask(ctx, own, p.ID, projects.TaskInput{ListID: shared.ID, Title: "Talk"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			body string
			want []int64
		}{
			{"@" + w.member.Name + " look", []int64{w.member.ID}},
			{"(@" + strings.ToUpper(w.member.Email) + ")", []int64{w.member.ID}},
			{"@" + w.clientX.Name + ", @" + w.clientY.Name, []int64{w.clientX.ID}}, // Y does not see the list
			{"@" + strings.Fields(w.member2.Name)[1], nil},                         // not a member of the project
			{"@" + w.manager.Name, nil},                                            // the author
			{"write to " + w.member.Email, nil},                                    // an address, not a mention
			{"@Zorro and @" + strings.Fields(w.member.Name)[1] + "x", nil},         // nobody's name, another name
			{"@@" + w.member.Name, []int64{w.member.ID}},
		} {
			cm, err := w.svc.AddComment(ctx, w.actor(w.manager), task.ID, projects.CommentInput{Body: c.body})
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if want == nil {
				want = []int64{}
			}
			slices.Sort(want)
			if !slices.Equal(cm.Mentions, want) {
				t.Errorf("%q mentions %v, want %v", c.body, cm.Mentions, want)
			}
		}
	})
}
