package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/events"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// listTasks are the tasks of a list as the owner sees them, in position order.
func (w *world) listTasks(pid, list int64) []map[string]any {
	w.t.Helper()
	var out []map[string]any
	for _, it := range w.list(w.owner, w.path("/projects/%d/tasks?limit=100", pid)).Items {
		if num(it["list_id"]) == list {
			out = append(out, it)
		}
	}
	return out
}

// notices are the texts of u's notifications, newest first.
func (w *world) notices(u *testkit.User) []string {
	w.t.Helper()
	var out []string
	for _, it := range w.list(u, w.path("/notifications?limit=100")).Items {
		s, _ := it["text"].(string)
		out = append(out, s)
	}
	return out
}

func countWith(texts []string, part string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, part) {
			n++
		}
	}
	return n
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// TestRecurringOnCompletion: completing a recurring task creates its next occurrence once —
// dates moved by the rule with the same duration, same people and estimates, no progress —
// and completing it again after a reopen creates nothing more.
func TestRecurringOnCompletion(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		w.join(pid, w.member, "member")
		list := w.taskList(pid, "Chores")
		id := w.task(w.manager, pid, list, "Water the plants", map[string]any{"starts_on": "2030-01-06", "due_on": "2030-01-08",
			"assignees":  []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 60}},
			"recurrence": map[string]any{"every": "week", "interval": 2}})
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", id), map[string]any{"status": "done"}), http.StatusOK)
		w.e.Settle()
		ts := w.listTasks(pid, list)
		if len(ts) != 2 {
			t.Fatalf("after completion: %d tasks, want 2", len(ts))
		}
		next := ts[1]
		if next["starts_on"] != "2030-01-20" || next["due_on"] != "2030-01-22" || next["status"] != "open" || next["title"] != "Water the plants" {
			t.Errorf("next occurrence: %v", next)
		}
		as, _ := next["assignees"].([]any)
		if len(as) != 1 || num(as[0].(map[string]any)["user_id"]) != w.member.ID || num(as[0].(map[string]any)["estimate_minutes"]) != 60 ||
			num(as[0].(map[string]any)["progress"]) != 0 {
			t.Errorf("next occurrence's assignees: %v", as)
		}
		// Task responses say how a task repeats, and which task came next.
		rec, _ := w.want(w.as(w.member).Get(w.path("/tasks/%d", id)), http.StatusOK).Map()["recurrence"].(map[string]any)
		if rec["every"] != "week" || num(rec["interval"]) != 2 || num(rec["next_task_id"]) != num(next["id"]) {
			t.Errorf("the done task's recurrence: %v (next is %v)", rec, next["id"])
		}
		if rec, _ := next["recurrence"].(map[string]any); rec["every"] != "week" || rec["next_task_id"] != nil {
			t.Errorf("the next occurrence's recurrence: %v", next["recurrence"])
		}
		// Reopen and complete again: the event comes again, the occurrence does not.
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", id), map[string]any{"status": "open"}), http.StatusOK)
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", id), map[string]any{"status": "done"}), http.StatusOK)
		w.e.Settle()
		if n := len(w.listTasks(pid, list)); n != 2 {
			t.Errorf("after a second completion: %d tasks, want 2", n)
		}
		// The schedule finds nothing to do either: the task is done and spawned.
		if n, err := w.svc.SpawnOverdueRecurrences(context.Background()); err != nil || n != 0 {
			t.Errorf("schedule after completion: %d, %v", n, err)
		}
		// Months keep the day, or the month's last; a PATCH stops the recurrence.
		monthly := w.task(w.manager, pid, list, "Pay rent", map[string]any{"due_on": "2030-01-31", "recurrence": map[string]any{"every": "month"}})
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", monthly), map[string]any{"status": "done"}), http.StatusOK)
		stopped := w.task(w.manager, pid, list, "Stopped", map[string]any{"due_on": "2030-01-31", "recurrence": map[string]any{"every": "day"}})
		if r := w.want(w.as(w.manager).Patch(w.path("/tasks/%d", stopped), map[string]any{"recurrence": map[string]any{"every": "none"}}), http.StatusOK).Map(); r["recurrence"] != nil {
			t.Errorf("a stopped task still says it repeats: %v", r["recurrence"])
		}
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", stopped), map[string]any{"status": "done"}), http.StatusOK)
		w.e.Settle()
		// The next "Pay rent" comes with its event, before or after "Stopped" is created.
		ts = w.listTasks(pid, list)
		rents := 0
		for _, x := range ts {
			if x["title"] == "Pay rent" && x["due_on"] == "2030-02-28" && x["status"] == "open" {
				rents++
			}
		}
		if len(ts) != 5 || rents != 1 {
			t.Errorf("monthly and stopped: %d tasks, %d next rents: %v", len(ts), rents, ts)
		}
	})
}

// TestRecurringSchedule: when a recurring task's day is over without it being done, the
// periodic job creates the next occurrence (not in the past), once however often it runs.
func TestRecurringSchedule(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		list := w.taskList(pid, "Daily")
		now := time.Now().UTC()
		w.task(w.manager, pid, list, "Stand-up", map[string]any{"starts_on": day(now.AddDate(0, 0, -3)), "due_on": day(now.AddDate(0, 0, -2)),
			"recurrence": map[string]any{"every": "day"}})
		w.task(w.manager, pid, list, "Not yet", map[string]any{"due_on": day(now), "recurrence": map[string]any{"every": "day"}})
		w.e.Settle()
		ctx := context.Background()
		if n, err := w.svc.SpawnOverdueRecurrences(ctx); err != nil || n != 1 {
			t.Fatalf("first run: %d, %v; want 1", n, err)
		}
		if n, err := w.svc.SpawnOverdueRecurrences(ctx); err != nil || n != 0 {
			t.Errorf("second run: %d, %v; want 0", n, err)
		}
		ts := w.listTasks(pid, list)
		if len(ts) != 3 {
			t.Fatalf("%d tasks, want 3", len(ts))
		}
		if ts[2]["starts_on"] != day(now.AddDate(0, 0, -1)) || ts[2]["due_on"] != day(now) || ts[0]["status"] != "open" {
			t.Errorf("occurrence of the overdue task: %v (the overdue one: %v)", ts[2], ts[0])
		}
	})
}

// TestRecurrenceInput: a wrong recurrence is a 422 naming its field, and nothing is written.
func TestRecurrenceInput(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		list := w.taskList(pid, "L")
		id := w.task(w.manager, pid, list, "Dated", map[string]any{"due_on": "2030-01-01"})
		w.e.Settle()
		before := fmt.Sprint(w.snapshot(), " task_recurrences=", w.e.Count("task_recurrences"))
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"every": "year"}, "recurrence.every"},
			{map[string]any{"every": "none"}, "recurrence.every"},
			{map[string]any{"every": "day", "interval": 13}, "recurrence.interval"},
			{map[string]any{"every": "day", "interval": -1}, "recurrence.interval"},
		} {
			r := w.as(w.manager).Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "X", "due_on": "2030-01-01", "recurrence": c.body})
			wantField(t, "create", r, http.StatusUnprocessableEntity, c.field)
			if c.body["every"] != "none" {
				wantField(t, "patch", w.as(w.manager).Patch(w.path("/tasks/%d", id), map[string]any{"recurrence": c.body, "title": "Changed"}), http.StatusUnprocessableEntity, c.field)
			}
		}
		wantField(t, "no day", w.as(w.manager).Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "X",
			"recurrence": map[string]any{"every": "day"}}), http.StatusUnprocessableEntity, "recurrence")
		if after := fmt.Sprint(w.snapshot(), " task_recurrences=", w.e.Count("task_recurrences")); after != before {
			t.Errorf("written on refusal:\n%s\n%s", before, after)
		}
	})
}

// TestReminders: a task starting today and due tomorrow reminds each assignee who has not
// finished once of each — however often the job runs — and never one who has.
func TestReminders(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		list := w.taskList(pid, "Soon")
		now := time.Now().UTC()
		id := w.task(w.manager, pid, list, "Ship it", map[string]any{"starts_on": day(now), "due_on": day(now.AddDate(0, 0, 1)),
			"assignees": []map[string]any{{"user_id": w.member.ID}, {"user_id": w.member2.ID}}})
		w.task(w.manager, pid, list, "Later", map[string]any{"due_on": day(now.AddDate(0, 0, 3)), "assignees": []map[string]any{{"user_id": w.member.ID}}})
		w.want(w.as(w.member2).Patch(w.path("/tasks/%d", id), map[string]any{"progress": []map[string]any{{"user_id": w.member2.ID, "progress": 100}}}), http.StatusOK)
		ctx := context.Background()
		if n, err := w.svc.SendReminders(ctx, w.e.App.Notify); err != nil || n != 2 {
			t.Fatalf("first run: %d, %v; want 2", n, err)
		}
		if n, err := w.svc.SendReminders(ctx, w.e.App.Notify); err != nil || n != 0 {
			t.Errorf("second run: %d, %v; want 0", n, err)
		}
		w.e.Settle()
		got := w.notices(w.member)
		if countWith(got, "“Ship it” starts today") != 1 || countWith(got, "“Ship it” is due tomorrow") != 1 || countWith(got, "Later") != 1 {
			t.Errorf("member's notices: %q", got)
		}
		if got := w.notices(w.member2); countWith(got, "starts")+countWith(got, "is due") != 0 {
			t.Errorf("member2 finished their part yet got: %q", got)
		}
	})
}

// TestTaskNotices: assignment, mention and completion notices reach the people concerned —
// never the actor — and a client is never told about a list they cannot see.
func TestTaskNotices(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"guests_allowed": true, "leader_id": w.admin.ID})
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		w.join(pid, w.clientX, "client")
		shared := w.taskList(pid, "Shared", w.coX)
		internal := w.taskList(pid, "Internal")
		// Notices speak each person's language: member2 reads French.
		if _, err := w.e.App.DB.NewUpdate().Table("users").Set("locale = ?", "fr").Where("id = ?", w.member2.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		id := w.task(w.manager, pid, shared, "Draft the plan", map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}, {"user_id": w.manager.ID}}})
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", id), map[string]any{"body": "@" + w.member2.Email + " and @" + w.clientX.Email + " please look"}), http.StatusCreated)
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", id), map[string]any{"status": "done"}), http.StatusOK)
		// An assignment event naming a client on an internal list (the API refuses it; an
		// automation or a later change could still produce one): the client is not told.
		internalTask := w.task(w.manager, pid, internal, "Internal budget", nil)
		err := w.e.App.DB.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := events.EmitBy(ctx, tx, w.acc.ID, w.manager.ID, "task.assigned", projects.TaskEvent{TaskID: internalTask, ProjectID: pid, ListID: internal,
				Title: "Internal budget", UserIDs: []int64{w.clientX.ID, w.member2.ID}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w.e.App.Events.Notify()
		w.e.Settle()
		if got := w.notices(w.member); countWith(got, "assigned to the task “Draft the plan”") != 1 {
			t.Errorf("assignee's notices: %q", got)
		}
		// The manager (the task's author and an assignee, so a follower) hears of the comment,
		// not of the completion they did not do or the assignment they made.
		if got := w.notices(w.manager); len(got) != 1 || countWith(got, "commented on the task “Draft the plan”") != 1 {
			t.Errorf("the actor was notified, or the follower not: %q", got)
		}
		if got := w.notices(w.member2); countWith(got, "mentionné(e) dans un commentaire sur la tâche « Draft the plan »") != 1 || countWith(got, "« Internal budget »") != 1 {
			t.Errorf("mentioned colleague's notices (in French): %q", got)
		}
		// A notice leads to its task.
		var links []string
		if err := w.e.App.DB.NewSelect().Table("notifications").Column("link").Where("account_id = ? AND user_id = ?", w.acc.ID, w.member.ID).Scan(context.Background(), &links); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("/%s/tasks/%d", w.acc.Slug, id); len(links) != 1 || links[0] != want {
			t.Errorf("the assignee's notice leads to %q, want %s", links, want)
		}
		if got := w.notices(w.clientX); countWith(got, "mentioned") != 1 || countWith(got, "Internal budget") != 0 {
			t.Errorf("client's notices: %q", got)
		}
		if got := w.notices(w.admin); countWith(got, "“Draft the plan” is done") != 1 {
			t.Errorf("leader's notices: %q", got)
		}
		// The leader completing a task is not told about it.
		own := w.task(w.admin, pid, shared, "Leader's own", nil)
		w.want(w.as(w.admin).Patch(w.path("/tasks/%d", own), map[string]any{"status": "done"}), http.StatusOK)
		w.e.Settle()
		if got := w.notices(w.admin); countWith(got, "Leader's own") != 0 {
			t.Errorf("leader told of their own completion: %q", got)
		}
	})
}
