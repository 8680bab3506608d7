package projects_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNotificationCategories: being assigned a task, a mention and a done task of a project
// one leads are categories of their own in a person's notification preferences (they were all
// "other automation notices"), labelled in the reader's language; turning assignments off stops
// them and no other notice.
func TestNotificationCategories(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		prefs := w.want(w.as(w.member).Get(w.path("/notification-preferences")), http.StatusOK).String()
		for _, typ := range []string{`"task.assigned"`, `"comment.added"`, `"task.completed"`, `"task.reminder"`} {
			if !strings.Contains(prefs, typ) {
				t.Errorf("the preferences lack %s: %s", typ, prefs)
			}
		}
		page := w.want(w.e.BrowserLogin(w.member).Get("/"+w.acc.Slug+"/notifications/preferences"), http.StatusOK).String()
		for _, label := range []string{"A task is assigned to me", "Someone mentions me in a comment", "A task of a project I lead is done", "A task of mine is due soon (reminder)"} {
			if !strings.Contains(page, label) {
				t.Errorf("the preferences page lacks %q", label)
			}
		}

		w.want(w.as(w.member).Put(w.path("/notification-preferences"), map[string]any{"preferences": []map[string]string{{"event_type": "task.assigned", "channel": "off"}}}), http.StatusOK)
		pid := w.project(w.owner, nil)
		w.join(pid, w.member, "member")
		list := w.taskList(pid, "Work")
		task := w.task(w.owner, pid, list, "Quiet task", map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}}})
		w.want(w.as(w.owner).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "@" + w.member.Name + " have a look"}), http.StatusCreated)
		w.e.Settle()
		got := w.want(w.as(w.member).Get(w.path("/notifications")), http.StatusOK).String()
		if strings.Contains(got, "assigned") && strings.Contains(got, `"type":"task.assigned"`) {
			t.Errorf("an assignment reached a person who turned them off: %s", got)
		}
		if !strings.Contains(got, `"type":"comment.added"`) {
			t.Errorf("the mention did not reach the person: %s", got)
		}
	})
}
