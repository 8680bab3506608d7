package timesheet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// The period lock: an admin closes the days before a date; every change of time on such a
// day is a 409 whatever the week's state (create, update, delete, the grid), nothing written;
// only admins move it (audited); the grid shows it; lifting it opens the days again.
func TestPeriodLock(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, owner, lead := e.As(o.mem), e.As(o.owner), e.As(o.lead)
		old := o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-20", "minutes": 60, "project_id": o.project})
		var l timesheet.PeriodLock
		owner.Get(o.base+"/timesheet/lock").JSON(t, &l)
		if l.LockedBefore != "" {
			t.Fatalf("a fresh account has a lock: %+v", l)
		}
		for _, bad := range []string{"2026-02-30", "soon", "30/11/2026"} {
			if r := owner.Put(o.base+"/timesheet/lock", map[string]any{"locked_before": bad}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["locked_before"] == "" {
				t.Errorf("lock %q: %d %s", bad, r.Status, r.Body)
			}
		}
		for _, c := range []*testkit.Client{mem, lead} {
			if r := c.Put(o.base+"/timesheet/lock", map[string]any{"locked_before": "2026-11-30"}); r.Status != http.StatusForbidden {
				t.Errorf("a non-admin moves the lock: %d", r.Status)
			}
		}
		if r := owner.Put(o.base+"/timesheet/lock", map[string]any{"locked_before": "2026-11-30"}); r.Status != http.StatusOK {
			t.Fatalf("lock: %d %s", r.Status, r.Body)
		}
		mem.Get(o.base+"/timesheet/lock").JSON(t, &l)
		if l.LockedBefore != "2026-11-30" {
			t.Errorf("lock read by a member: %+v", l)
		}
		before := o.entries(t, o.mem)
		for name, r := range map[string]*testkit.Response{
			"create":    mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-11-29", "minutes": 30, "project_id": o.project}),
			"update":    mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, old), map[string]any{"minutes": 90}),
			"move into": mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-11-01", "minutes": 30, "category_id": o.cat}),
			"delete":    mem.Delete(fmt.Sprintf("%s/time-entries/%d", o.base, old)),
			"as admin":  owner.Post(o.base+"/time-entries", map[string]any{"user_id": o.mem.ID, "date": "2026-11-02", "minutes": 30, "project_id": o.project}),
		} {
			if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "2026-11-30") {
				t.Errorf("%s before the lock: %d %s", name, r.Status, r.Body)
			}
		}
		// A day on or after the lock is open; an entry there cannot move before it.
		fresh := o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "minutes": 30, "project_id": o.project})
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, fresh), map[string]any{"date": "2026-11-27"}); r.Status != http.StatusConflict {
			t.Errorf("moving an entry into the locked period: %d %s", r.Status, r.Body)
		}
		if got := o.entries(t, o.mem); got != before+1 {
			t.Errorf("refused changes wrote: %d entries, want %d", got, before+1)
		}
		// The grid: the week of the lock shows it, its locked days read-only; a tampered post
		// of a locked day is refused.
		browser := e.BrowserLogin(o.mem)
		sheet := fmt.Sprintf("/%s/timesheet/%d/2026-W47", o.acc.Slug, o.mem.ID)
		page := browser.Get(sheet)
		if page.Status != http.StatusOK || !strings.Contains(page.String(), `id="period-locked"`) || strings.Count(page.String(), " readonly ") != 7 {
			t.Errorf("the grid of the locked week: %d, locked note %v, readonly cells %d", page.Status, strings.Contains(page.String(), `id="period-locked"`), strings.Count(page.String(), " readonly "))
		}
		key := fmt.Sprintf("p%d", o.project)
		r := browser.SubmitForm(sheet, sheet, url.Values{"row": {key}, "d_" + key + "_4": {"3:00"}, "action": {"save"}})
		if r.Status != http.StatusConflict {
			t.Errorf("grid post of a locked day: %d", r.Status)
		}
		// The audit trail names the move.
		e.Settle()
		if body := owner.Get(o.base + "/audit?limit=200").String(); !strings.Contains(body, "timesheet.period_lock.set") {
			t.Errorf("the audit trail lacks the lock: %.300s", body)
		}
		// Lifted: the days open again.
		if r := owner.Put(o.base+"/timesheet/lock", map[string]any{"locked_before": ""}); r.Status != http.StatusOK {
			t.Fatalf("lift: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(fmt.Sprintf("%s/time-entries/%d", o.base, old)); r.Status != http.StatusNoContent {
			t.Errorf("delete after the lift: %d %s", r.Status, r.Body)
		}
	})
}
