package projects_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestTodayIsTheReadersDay: "today" on the home and the task pages begins at the reader's
// midnight (their profile's time zone), not the server's. At 05:00 UTC on 10 March it is
// still 9 March in Los Angeles: a task due on the 9th is due today there, not overdue, and one
// due on the 10th is tomorrow's; a reader without a zone counts in UTC.
func TestTodayIsTheReadersDay(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		w.svc.Now = func() time.Time { return time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC) }
		if _, err := w.e.App.DB.NewUpdate().Table("users").Set("time_zone = ?", "America/Los_Angeles").
			Where("id = ?", w.member.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		pid := w.project(w.owner, map[string]any{"name": "Website"})
		w.join(pid, w.member, "member")
		w.join(pid, w.manager, "manager")
		list := w.taskList(pid, "Work")
		both := []map[string]any{{"user_id": w.member.ID}, {"user_id": w.manager.ID}}
		w.task(w.owner, pid, list, "Ninth task", map[string]any{"due_on": "2026-03-09", "assignees": both})
		w.task(w.owner, pid, list, "Tenth task", map[string]any{"due_on": "2026-03-10", "assignees": both})

		sections := func(page string) map[string]string {
			out := map[string]string{}
			for _, task := range []string{"Ninth task", "Tenth task"} {
				i := strings.Index(page, task)
				if i < 0 {
					t.Fatalf("the home lacks %q", task)
				}
				h := strings.LastIndex(page[:i], "<h3>")
				if h < 0 {
					t.Fatalf("%q is under no heading", task)
				}
				section, _, _ := strings.Cut(page[h+len("<h3>"):i], " <span")
				out[task] = section
			}
			return out
		}
		home := "/" + w.acc.Slug
		la := sections(string(w.want(w.e.BrowserLogin(w.member).Get(home), http.StatusOK).Body))
		if la["Ninth task"] != "Today" || la["Tenth task"] != "Next 7 days" {
			t.Errorf("in Los Angeles: %v", la)
		}
		utc := sections(string(w.want(w.e.BrowserLogin(w.manager).Get(home), http.StatusOK).Body))
		if utc["Ninth task"] != "Overdue" || utc["Tenth task"] != "Today" {
			t.Errorf("in UTC: %v", utc)
		}
	})
}
