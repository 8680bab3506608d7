package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestEditPageOffersOnlyWhatMayBeChosen: a task's edit page offers as assignees the project's
// colleagues, not its clients (who would be refused), and as "waits for" only the tasks that
// do not wait for it already, directly or through another (those would close a cycle).
func TestEditPageOffersOnlyWhatMayBeChosen(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.clientX, "client")
		list := w.taskList(pid, "Plan", w.coX)
		first := w.task(w.manager, pid, list, "First step", nil)
		second := w.task(w.manager, pid, list, "Second step", nil)
		third := w.task(w.manager, pid, list, "Third step", nil)
		free := w.task(w.manager, pid, list, "Unrelated step", nil)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", second), map[string]any{"predecessor_id": first}), http.StatusCreated)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", third), map[string]any{"predecessor_id": second}), http.StatusCreated)

		page := w.want(w.e.BrowserLogin(w.manager).Get(fmt.Sprintf("/%s/tasks/%d/edit", w.acc.Slug, first)), http.StatusOK).String()
		_, deps, _ := strings.Cut(page, `id="dependencies"`)
		if strings.Contains(deps, fmt.Sprintf(`value="%d"`, second)) || strings.Contains(deps, fmt.Sprintf(`value="%d"`, third)) {
			t.Error("the first step may be made to wait for a step that waits for it")
		}
		if !strings.Contains(deps, fmt.Sprintf(`value="%d"`, free)) {
			t.Error("the unrelated step is not offered")
		}
		if strings.Contains(page, fmt.Sprintf(`id="as-%d"`, w.clientX.ID)) || !strings.Contains(page, fmt.Sprintf(`id="as-%d"`, w.member.ID)) {
			t.Error("the assignees offer a client, or not the member")
		}
	})
}
