package projects_test

// Query counts: what a page or a job reads is a fixed number of queries, whatever the number
// of rows it is about (no query per dependency, per recipient, per task).

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// queryCounter is a bun query hook that records the module's queries while it is on (the
// background work of the App — outbox, jobs — is left out by the tables it names).
type queryCounter struct {
	on atomic.Bool
	mu sync.Mutex
	qs []string
}

func (c *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (c *queryCounter) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if !c.on.Load() {
		return
	}
	q := ev.Query
	for _, table := range []string{"tasks", "task_", "projects", "project_", "milestones", "comments", "memberships", "activity"} {
		if strings.Contains(q, table) {
			c.mu.Lock()
			c.qs = append(c.qs, q)
			c.mu.Unlock()
			return
		}
	}
}

// eachCountedDB is eachOwnDB with a queryCounter on the App's database, hooked before the App
// serves (bun's hooks may not change once queries run: the race detector said so).
func eachCountedDB(t *testing.T, fn func(t *testing.T, w *world, qc *queryCounter)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			qc, mod := &queryCounter{}, projects.New()
			e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{mod},
				BeforeServe: func(a *app.App) { a.DB.AddQueryHook(qc) }})
			fn(t, newWorld(t, e, mod.Service()), qc)
		})
	}
}

// during returns the queries of the module that fn made.
func (c *queryCounter) during(fn func()) []string {
	c.mu.Lock()
	c.qs = nil
	c.mu.Unlock()
	c.on.Store(true)
	fn()
	c.on.Store(false)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.qs
}

// ours drops the notifier's queries.
func ours(qs []string) []string {
	var out []string
	for _, q := range qs {
		if !strings.Contains(q, `"notifications"`) && !strings.Contains(q, `"outbox"`) && !strings.Contains(q, "u.locale") {
			out = append(out, q)
		}
	}
	return out
}

func matching(qs []string, sub string) int {
	n := 0
	for _, q := range qs {
		if strings.Contains(q, sub) {
			n++
		}
	}
	return n
}

// TestTaskPageQueriesDoNotGrowWithDependencies: the task page reads the tasks at the other
// end of its dependencies in one query, be there one or six. (On an App of its own: the query
// hook counts every query the App makes.)
func TestTaskPageQueriesDoNotGrowWithDependencies(t *testing.T) {
	eachCountedDB(t, func(t *testing.T, w *world, qc *queryCounter) {
		pid := w.project(w.owner, nil)
		list := w.taskList(pid, "Plan")
		task := func(title string) int64 { return w.task(w.owner, pid, list, title, nil) }
		link := func(succ, pred int64) {
			w.want(w.as(w.owner).Post(w.path("/tasks/%d/dependencies", succ), map[string]any{"predecessor_id": pred}), http.StatusCreated)
		}
		few, many := task("Few"), task("Many")
		link(few, task("Before few"))
		for i := range 3 {
			link(many, task(fmt.Sprintf("Before many %d", i)))
			link(task(fmt.Sprintf("After many %d", i)), many)
		}
		b := w.e.BrowserLogin(w.owner)
		count := func(id int64) []string {
			w.e.Settle()
			return qc.during(func() {
				r := b.Get(fmt.Sprintf("/%s/tasks/%d", w.acc.Slug, id))
				w.want(r, http.StatusOK)
				if id == many && (!strings.Contains(r.String(), "Before many 2") || !strings.Contains(r.String(), "After many 2")) {
					t.Errorf("the task page does not list its dependencies")
				}
			})
		}
		qFew, qMany := count(few), count(many)
		t.Logf("task page: %d queries with 1 dependency, %d with 6", len(qFew), len(qMany))
		if len(qMany) != len(qFew) {
			t.Errorf("the task page makes %d queries with 6 dependencies and %d with 1:\n%s", len(qMany), len(qFew), strings.Join(qMany, "\n"))
		}
	})
}

// TestRemindersQueryCount: a run of reminders reads the assignees of all its tasks in one
// query, and who may see each task in one query per reminder, however many people it has.
func TestRemindersQueryCount(t *testing.T) {
	eachCountedDB(t, func(t *testing.T, w *world, qc *queryCounter) {
		pid := w.project(w.owner, nil)
		list := w.taskList(pid, "Soon")
		tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
		people := []map[string]any{{"user_id": w.member.ID}, {"user_id": w.member2.ID}, {"user_id": w.manager.ID}}
		run := func(tasks, assignees int) []string {
			for i := range tasks {
				w.task(w.owner, pid, list, fmt.Sprintf("Due %d-%d", tasks, i), map[string]any{"due_on": tomorrow, "assignees": people[:assignees]})
			}
			w.e.Settle()
			return qc.during(func() {
				n, err := w.svc.SendReminders(context.Background(), w.e.App.Notify)
				if err != nil || n != tasks {
					t.Fatalf("reminders: %d, %v; want %d", n, err, tasks)
				}
			})
		}
		one, three, six := run(2, 1), run(2, 3), run(6, 3)
		t.Logf("reminders: %d queries for 2 tasks of 1 assignee, %d for 2 of 3, %d for 6 of 3 (notifier's included)", len(one), len(three), len(six))
		// The notifier (core/automation) writes a notification and a mail per person and
		// reads their addresses: its queries are not this module's.
		one, three, six = ours(one), ours(three), ours(six)
		t.Logf("the module's: %d, %d, %d", len(one), len(three), len(six))
		if len(three) != len(one) {
			t.Errorf("more assignees, more queries: %d for 1 assignee a task, %d for 3:\n%s", len(one), len(three), strings.Join(three, "\n"))
		}
		for _, qs := range [][]string{one, three, six} {
			if n := matching(qs, "task_assignees"); n != 1 {
				t.Errorf("%d queries of task_assignees in one run, want 1", n)
			}
		}
		if n := matching(six, "JOIN projects AS p ON p.account_id = m.account_id"); n != 6 {

			t.Errorf("%d queries of who sees the task for 6 reminders, want 6 (one each)", n)
		}
	})
}
