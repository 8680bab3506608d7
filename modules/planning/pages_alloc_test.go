package planning_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestAllocationForms: the keyboard's way to plan, without dragging. A manager books the
// member from the timeline row's link (a new allocation form), moves it to themselves with
// the edit form (the drag to another row), and deletes it; a bad form is refused field by
// field and writes nothing; a member may not open the new allocation page.
func TestAllocationForms(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		memRes, mgrRes := o.resourceOf(t, o.mem), o.resourceOf(t, o.mgr)
		b := e.BrowserLogin(o.mgr)
		timeline := b.Get("/" + o.acc.Slug + "/planning?from=2027-03-01")
		newPath := fmt.Sprintf("/%s/planning/allocations/new?resource_id=%d&amp;starts_on=2027-03-01", o.acc.Slug, memRes)
		if timeline.Status != http.StatusOK || !strings.Contains(timeline.String(), newPath) {
			t.Fatalf("the timeline has no link to book the member: %d", timeline.Status)
		}
		page := strings.ReplaceAll(newPath, "&amp;", "&")
		before := e.Count("planning_allocations")
		r := b.SubmitForm(page, "/"+o.acc.Slug+"/planning/allocations", url.Values{"resource_id": {""}, "project_id": {itoa(o.project)}, "starts_on": {"2027-03-05"}, "ends_on": {"2027-03-01"}, "minutes_per_day": {"2000"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-resource_id"`) || !strings.Contains(r.String(), `id="e-ends_on"`) {
			t.Errorf("a bad form: %d", r.Status)
		}
		if e.Count("planning_allocations") != before {
			t.Errorf("a refused form wrote an allocation")
		}
		r = b.SubmitForm(page, "/"+o.acc.Slug+"/planning/allocations", url.Values{"resource_id": {itoa(memRes)}, "project_id": {itoa(o.project)}, "starts_on": {"2027-03-01"}, "ends_on": {"2027-03-05"},
			"minutes_per_day": {"240"}, "repeat_weeks": {"1"}, "note": {"Design"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("book: %d %s", r.Status, r.Body)
		}
		var l struct {
			Items []struct {
				ID          int64
				ResourceID  int64 `json:"resource_id"`
				RepeatWeeks int   `json:"repeat_weeks"`
				Note        string
			}
		}
		e.As(o.mgr).Get(o.base+"/allocations?from=2027-03-01&to=2027-03-14").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].ResourceID != memRes || l.Items[0].RepeatWeeks != 1 || l.Items[0].Note != "Design" {
			t.Fatalf("booked = %+v", l.Items)
		}
		id := itoa(l.Items[0].ID)
		edit := "/" + o.acc.Slug + "/planning/allocations/" + id
		r = b.SubmitForm(edit, edit, url.Values{"resource_id": {itoa(mgrRes)}, "starts_on": {"2027-03-02"}, "ends_on": {"2027-03-05"}, "minutes_per_day": {"240"}, "repeat_weeks": {"1"}, "note": {"Design"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("move: %d %s", r.Status, r.Body)
		}
		e.As(o.mgr).Get(o.base+"/allocations?from=2027-03-01&to=2027-03-14").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].ResourceID != mgrRes {
			t.Errorf("moved = %+v", l.Items)
		}
		if r := e.BrowserLogin(o.mem).Get("/" + o.acc.Slug + "/planning/allocations/new"); r.Status != http.StatusForbidden {
			t.Errorf("a member opens the new allocation page: %d", r.Status)
		}
		if r := b.SubmitForm(edit, edit+"/delete", url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.mgr).Get(o.base + "/allocations/" + id); r.Status != http.StatusNotFound {
			t.Errorf("a deleted allocation: %d", r.Status)
		}
	})
}

// TestResourcesPage: a manager adds a placeholder on the resources page, books it, and
// replaces it by the member, who takes its allocation; a form without a name is refused
// field by field; a member sees the page without its forms and may not post them.
func TestResourcesPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mgr)
		page := "/" + o.acc.Slug + "/planning/resources"
		if r := b.SubmitForm(page, page, url.Values{"kind": {"placeholder"}, "name": {""}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-name"`) {
			t.Errorf("a placeholder without a name: %d", r.Status)
		}
		if r := b.SubmitForm(page, page, url.Values{"kind": {"placeholder"}, "name": {"Designer to hire"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add: %d %s", r.Status, r.Body)
		}
		var l struct {
			Items []struct {
				ID   int64
				Kind string
				Name string
			}
		}
		e.As(o.mgr).Get(o.base+"/resources").JSON(t, &l)
		var hire int64
		for _, r := range l.Items {
			if r.Kind == "placeholder" && r.Name == "Designer to hire" {
				hire = r.ID
			}
		}
		if hire == 0 {
			t.Fatalf("no placeholder in %+v", l.Items)
		}
		al := o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": hire, "project_id": o.project, "starts_on": "2027-03-01", "ends_on": "2027-03-05", "minutes_per_day": 240})
		if r := b.SubmitForm(page, fmt.Sprintf("%s/%d/assign", page, hire), url.Values{"user_id": {itoa(o.mem.ID)}}); r.Status != http.StatusSeeOther {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		var got struct {
			ResourceID int64 `json:"resource_id"`
		}
		e.As(o.mgr).Get(o.base+"/allocations/"+itoa(al)).JSON(t, &got)
		if got.ResourceID != o.resourceOf(t, o.mem) {
			t.Errorf("the allocation stayed on %d", got.ResourceID)
		}
		m := e.BrowserLogin(o.mem)
		if r := m.Get(page); r.Status != http.StatusOK || strings.Contains(r.String(), `id="add-resource"`) {
			t.Errorf("a member's resources page: %d", r.Status)
		}
		if r := m.SubmitForm(page, page, url.Values{"kind": {"room"}, "name": {"Room"}}); r.Status != http.StatusForbidden {
			t.Errorf("a member adds a room: %d", r.Status)
		}
	})
}

// TestSplitAllocation: an allocation of a week cut on its Wednesday ends on Tuesday, and its
// copy runs Wednesday to Friday with the same amount and note; a day outside it, a weekly
// repeated allocation and a missing day are refused on "on", writing nothing; the page's
// form splits too.
func TestSplitAllocation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr := e.As(o.mgr)
		res := o.resourceOf(t, o.mem)
		al := o.created(t, mgr, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-03-01", "ends_on": "2027-03-05", "minutes_per_day": 240, "note": "Design", "tentative": true})
		type alloc struct {
			ResourceID    int64  `json:"resource_id"`
			StartsOn      string `json:"starts_on"`
			EndsOn        string `json:"ends_on"`
			MinutesPerDay int    `json:"minutes_per_day"`
			Tentative     bool
			Note          string
		}
		repeated := o.created(t, mgr, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-04-05", "ends_on": "2027-04-06", "minutes_per_day": 60, "repeat_weeks": 2})
		before := e.Count("planning_allocations")
		for _, c := range []struct {
			id int64
			on string
		}{{al, "2027-03-01"}, {al, "2027-03-06"}, {al, ""}, {al, "March"}, {repeated, "2027-04-06"}} {
			if r := mgr.Post(o.base+"/allocations/"+itoa(c.id)+"/split", map[string]any{"on": c.on}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["on"] == "" {
				t.Errorf("split %d on %q: %d %s", c.id, c.on, r.Status, r.Body)
			}
		}
		if e.Count("planning_allocations") != before {
			t.Errorf("a refused split wrote")
		}
		r := mgr.Post(o.base+"/allocations/"+itoa(al)+"/split", map[string]any{"on": "2027-03-03"})
		if r.Status != http.StatusCreated {
			t.Fatalf("split: %d %s", r.Status, r.Body)
		}
		var second, first alloc
		r.JSON(t, &second)
		mgr.Get(o.base+"/allocations/"+itoa(al)).JSON(t, &first)
		if first.StartsOn != "2027-03-01" || first.EndsOn != "2027-03-02" ||
			second != (alloc{ResourceID: res, StartsOn: "2027-03-03", EndsOn: "2027-03-05", MinutesPerDay: 240, Tentative: true, Note: "Design"}) {
			t.Errorf("split into %+v and %+v", first, second)
		}
		if r := e.As(o.mem).Post(o.base+"/allocations/"+itoa(al)+"/split", map[string]any{"on": "2027-03-02"}); r.Status != http.StatusForbidden {
			t.Errorf("a member splits: %d", r.Status)
		}
		b := e.BrowserLogin(o.mgr)
		edit := "/" + o.acc.Slug + "/planning/allocations/" + itoa(al)
		if r := b.SubmitForm(edit, edit+"/split", url.Values{"on": {"2027-03-09"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-on"`) {
			t.Errorf("the page splits outside: %d", r.Status)
		}
		if r := b.SubmitForm(edit, edit+"/split", url.Values{"on": {"2027-03-02"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("the page splits: %d %s", r.Status, r.Body)
		}
		mgr.Get(o.base+"/allocations/"+itoa(al)).JSON(t, &first)
		if first.EndsOn != "2027-03-01" {
			t.Errorf("after the page's split: %+v", first)
		}
	})
}
