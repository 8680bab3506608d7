package timesheet_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestBudgetRearmedByReopen: a line announced at 80% is re-armed when the approved week that
// took it there is reopened (its time is spent no more), and announced again when the week is
// approved again; raising the budget re-arms it too.
func TestBudgetRearmedByReopen(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newBudgetOffice(t, e)
		lead, owner := e.As(o.lead), e.As(o.owner)
		line := o.created(t, lead, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "total", "minutes": 600})
		o.approveWeek(t, o.mem, "2026-W49", map[string]int{"2026-11-30": 300, "2026-12-01": 210}) // 85%
		if n := o.thresholdEvents(t); n != 1 {
			t.Fatalf("threshold events after the approval: %d, want 1 (80%%)", n)
		}
		week := fmt.Sprintf("%s/timesheets/%d/2026-W49", o.base, o.mem.ID)
		if r := owner.Post(week+"/reopen", map[string]any{"comment": "a typo"}); r.Status != http.StatusOK {
			t.Fatalf("reopen: %d %s", r.Status, r.Body)
		}
		if b := o.budget(t, lead, o.project); b.Lines[0].SpentMinutes != 0 || b.Lines[0].PendingMinutes != 510 {
			t.Errorf("the budget after the reopening: %+v", b.Lines[0])
		}
		if n := o.thresholdEvents(t); n != 1 {
			t.Errorf("a reopening announced something: %d events", n)
		}
		// Approved again: the line passes 80% again, announced again.
		if r := e.As(o.mem).Post(week+"/submit", nil); r.Status != http.StatusOK {
			t.Fatalf("submit again: %d %s", r.Status, r.Body)
		}
		if r := lead.Post(week+"/approve", nil); r.Status != http.StatusOK {
			t.Fatalf("approve again: %d %s", r.Status, r.Body)
		}
		if n := o.thresholdEvents(t); n != 2 {
			t.Errorf("threshold events after the second approval: %d, want 2", n)
		}
		// Raised to 1000 min (51%): re-armed; back to 600: announced a third time.
		patch := fmt.Sprintf("%s/projects/%d/budget-lines/%d", o.base, o.project, line)
		for _, m := range []int{1000, 600} {
			if r := lead.Patch(patch, map[string]any{"minutes": m}); r.Status != http.StatusOK {
				t.Fatalf("patch %d: %d %s", m, r.Status, r.Body)
			}
		}
		if n := o.thresholdEvents(t); n != 3 {
			t.Errorf("threshold events after the raise and the cut: %d, want 3", n)
		}
		if got := o.notices(t, o.lead); strings.Count(got, "past 80%") < 3 {
			t.Errorf("the leader was not told each time: %s", got)
		}
	})
}

// TestNavOneCurrent: on a page of a section nested in another's path (Budgets under
// Timesheet), only the nested section is current in the navigation.
func TestNavOneCurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		for path, want := range map[string]string{
			"/timesheet/budgets": `href="/` + o.acc.Slug + `/timesheet/budgets" aria-current="page"`,
			"/timesheet/reports": `href="/` + o.acc.Slug + `/timesheet" aria-current="page"`,
			"/timesheet":         `href="/` + o.acc.Slug + `/timesheet" aria-current="page"`,
		} {
			r := e.As(o.owner).Get("/" + o.acc.Slug + path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.Status)
			}
			if n := strings.Count(r.String(), `aria-current="page"`); n != 1 || !strings.Contains(r.String(), want) {
				t.Errorf("%s: %d current entries, want only %s", path, n, want)
			}
		}
	})
}
