package timesheet_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// team puts people in a new team of the account.
func (o *office) team(t *testing.T, name string, people ...*testkit.User) int64 {
	t.Helper()
	id := o.created(t, o.e.As(o.owner), "/teams", map[string]any{"name": name})
	for _, u := range people {
		if r := o.e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, id, u.ID), nil); r.Status != http.StatusNoContent {
			t.Fatalf("team member: %d %s", r.Status, r.Body)
		}
	}
	return id
}

// The team view: a manager sees the people of their teams (an admin everyone), one row per
// person with minutes per day, total, state and what the reader may do; a team filter; a
// member has no team view; approving from it locks the week.
func TestTeamView(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem2 := e.NewUser(o.acc, actor.RoleMember)
		design := o.team(t, "Design", o.mgr2, o.mem)
		other := o.team(t, "Sales", mem2)
		mem := e.As(o.mem)
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "duration": "7h", "project_id": o.project})
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-02", "duration": "1:30", "category_id": o.cat})
		o.created(t, e.As(mem2), "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 60, "project_id": o.project})
		if r := mem.Post(fmt.Sprintf("%s/timesheets/%d/2026-W49/submit", o.base, o.mem.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		var tw timesheet.TeamWeek
		r := e.As(o.mgr2).Get(o.base + "/timesheets?week=2026-W49")
		if r.Status != http.StatusOK {
			t.Fatalf("team view: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &tw)
		names := func(tw timesheet.TeamWeek) (out []int64) {
			for _, it := range tw.Items {
				out = append(out, it.UserID)
			}
			slices.Sort(out)
			return out
		}
		if got, want := names(tw), []int64{o.mgr2.ID, o.mem.ID}; !slices.Equal(got, want) {
			t.Fatalf("the manager's team view: %v, want %v", got, want)
		}
		for _, it := range tw.Items {
			if it.UserID == o.mem.ID && (it.TotalMinutes != 510 || it.DayMinutes[0] != 420 || it.DayMinutes[2] != 90 || it.State != timesheet.StateSubmitted || !slices.Contains(it.Allowed, "approve")) {
				t.Errorf("the member's row: %+v", it)
			}
			if it.UserID == o.mgr2.ID && (slices.Contains(it.Allowed, "approve") || it.TotalMinutes != 0) {
				t.Errorf("the manager's own row: %+v", it)
			}
		}
		if len(tw.Teams) != 1 || tw.Teams[0].ID != design {
			t.Errorf("the manager's teams: %+v", tw.Teams)
		}
		// Another's team is no filter for them; for the owner it is.
		if r := e.As(o.mgr2).Get(fmt.Sprintf("%s/timesheets?week=2026-W49&team=%d", o.base, other)); r.Status != http.StatusNotFound {
			t.Errorf("filter by another team: %d", r.Status)
		}
		e.As(o.owner).Get(fmt.Sprintf("%s/timesheets?week=2026-W49&team=%d", o.base, other)).JSON(t, &tw)
		if got := names(tw); !slices.Equal(got, []int64{mem2.ID}) {
			t.Errorf("owner filtered by Sales: %v", got)
		}
		e.As(o.owner).Get(o.base+"/timesheets?week=2026-W49").JSON(t, &tw)
		if len(tw.Items) != 5 { // owner, lead, mgr2, mem, mem2
			t.Errorf("the owner's team view holds %d people: %v", len(tw.Items), names(tw))
		}
		if r := mem.Get(o.base + "/timesheets?week=2026-W49"); r.Status != http.StatusForbidden {
			t.Errorf("a member's team view: %d", r.Status)
		}
		if r := e.As(o.owner).Get(o.base + "/timesheets?week=soon"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad week: %d %s", r.Status, r.Body)
		}
		// The page: sorted by total, approve from it.
		b := e.BrowserLogin(o.mgr2)
		page := "/" + o.acc.Slug + "/timesheet/team?week=2026-W49&sort=total"
		p := b.Get(page)
		if p.Status != http.StatusOK || !strings.Contains(p.String(), o.mem.Name) || !strings.Contains(p.String(), "8:30") {
			t.Fatalf("team page: %d %.500s", p.Status, p.Body)
		}
		r = b.SubmitForm(page, "/"+o.acc.Slug+"/timesheet/team", url.Values{"user_id": {fmt.Sprint(o.mem.ID)}, "week": {"2026-W49"}, "do": {"approve"}, "back": {page}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("approve from the team view: %d %.400s", r.Status, r.Body)
		}
		if ts := o.week(t, e.As(o.owner), o.mem, "2026-W49"); ts.State != timesheet.StateApproved || !ts.Locked {
			t.Errorf("after approval from the team view: %s", ts.State)
		}
		if r := b.Get("/" + o.acc.Slug + "/timesheet/team?week=2026-W49&team=" + fmt.Sprint(other)); r.Status != http.StatusNotFound {
			t.Errorf("team page with another's team: %d", r.Status)
		}
	})
}

// Estimate alerts: the entry that takes a task past its estimate publishes
// timesheet.estimate_exceeded and notifies the project's leader, once. The projects pages show
// the time logged.
func TestEstimateExceeded(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem := e.As(o.owner), e.As(o.mem)
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Build"})
		task := o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Checkout",
			"assignees": []map[string]any{{"user_id": o.mem.ID, "estimate_minutes": 60}}})
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 50, "project_id": o.project, "task_id": task})
		e.Settle()
		notices := func() int {
			return strings.Count(e.As(o.lead).Get(o.base+"/notifications").String(), "Checkout")
		}
		if n := notices(); n != 0 {
			t.Fatalf("notified under the estimate: %d", n)
		}
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-02", "minutes": 20, "project_id": o.project, "task_id": task})
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-03", "minutes": 20, "project_id": o.project, "task_id": task})
		e.Settle()
		if n := notices(); n != 1 {
			t.Errorf("the leader has %d notices of the passed estimate, want 1: %.500s", n, e.As(o.lead).Get(o.base+"/notifications").Body)
		}
		// The projects module shows the time through the timesheet's port: the project's total
		// and billable time on its overview, the time against the estimate on the task's page
		// and its line of the task list.
		b := e.BrowserLogin(o.lead)
		ov := b.Get(fmt.Sprintf("/%s/projects/%d", o.acc.Slug, o.project)).String()
		if !strings.Contains(ov, `id="project-time"`) || !strings.Contains(ov, `<p class="big">1:30</p>`) {
			t.Errorf("the overview shows no time: %.300s", ov)
		}
		if page := b.Get(fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task)).String(); !strings.Contains(page, `id="task-logged" class="late">1:30 / 1:00<`) {
			t.Error("the task page shows no time against the estimate")
		}
		if list := b.Get(fmt.Sprintf("/%s/projects/%d/tasks", o.acc.Slug, o.project)).String(); !strings.Contains(list, "⏱ 1:30 / 1:00") {
			t.Error("the task list shows no time")
		}
	})
}

// "Add my assigned tasks" adds rows for the person's open tasks of the week — no minutes.
func TestAssignedRows(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner := e.As(o.owner)
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Build"})
		as := []map[string]any{{"user_id": o.mem.ID}}
		o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "In the week", "assignees": as, "starts_on": "2026-11-25", "due_on": "2026-12-02"})
		o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Undated", "assignees": as})
		o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Next month", "assignees": as, "starts_on": "2027-01-04", "due_on": "2027-01-08"})
		o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Someone else's", "due_on": "2026-12-01",
			"assignees": []map[string]any{{"user_id": o.lead.ID}}})
		b := e.BrowserLogin(o.mem)
		sheet := fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID)
		r := b.SubmitForm(sheet, sheet, url.Values{"action": {"assigned"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("assigned: %d %.300s", r.Status, r.Body)
		}
		page := b.Get(r.Header.Get("Location")).String()
		rows := strings.Count(page, `<input type="hidden" name="row"`)
		for _, want := range []string{"Website › In the week", "Website › Undated"} {
			if !strings.Contains(page, want) {
				t.Errorf("no row %q", want)
			}
		}
		if rows != 2 {
			t.Errorf("%d rows, want the 2 of the week (not next month's task, nor a colleague's)", rows)
		}
		if o.entries(t, o.mem) != 0 {
			t.Error("adding rows logged time")
		}
	})
}

// A client of a project shared with their company sees its overview, task list and tasks, but
// never the time logged on them.
func TestClientSeesNoTime(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner := e.As(o.owner)
		pid := o.created(t, owner, "/projects", map[string]any{"name": "Shared", "guests_allowed": true, "leader_id": o.lead.ID})
		client := e.NewUser(o.acc, actor.RoleClient)
		if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, client.ID), map[string]any{"role": "client"}); r.Status != http.StatusOK {
			t.Fatalf("join: %d %s", r.Status, r.Body)
		}
		if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, o.mem.ID), map[string]any{"role": "member"}); r.Status != http.StatusOK {
			t.Fatalf("join: %d %s", r.Status, r.Body)
		}
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", pid), map[string]any{"name": "Deliverables", "visibility": "clients", "company_ids": []int64{e.ClientCompany(o.acc)}})
		task := o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "Mockups",
			"assignees": []map[string]any{{"user_id": o.mem.ID, "estimate_minutes": 120}}})
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 90, "project_id": pid, "task_id": task})
		pages := []string{fmt.Sprintf("/%s/projects/%d", o.acc.Slug, pid), fmt.Sprintf("/%s/tasks/%d", o.acc.Slug, task), fmt.Sprintf("/%s/projects/%d/tasks", o.acc.Slug, pid)}
		for who, u := range map[string]*testkit.User{"client": client, "member": o.mem} {
			b := e.BrowserLogin(u)
			for _, path := range pages {
				r := b.Get(path)
				if r.Status != http.StatusOK {
					t.Fatalf("%s GET %s: %d", who, path, r.Status)
				}
				shows := strings.Contains(r.String(), "1:30")
				if shows != (who == "member") {
					t.Errorf("%s on %s: shows the time logged = %v", who, path, shows)
				}
			}
		}
	})
}

// TestTeamViewPages: the team view of a big account comes by name a page at a time (keyset on
// the lowercased name and the id: people of the same name never skipped nor repeated, even
// when someone joins between two pages); a bad cursor or limit is a 422; the page links to
// the next people.
func TestTeamViewPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		for i := range 7 {
			u := e.NewUser(acc, actor.RoleMember)
			// Three people share a name (apart from case): only the id orders them.
			name := fmt.Sprintf("Person %02d", i)
			if i >= 4 {
				name = map[int]string{4: "same name", 5: "Same Name", 6: "SAME NAME"}[i]
			}
			if r := owner.Patch(fmt.Sprintf("%s/users/%d", base, u.ID), map[string]any{"name": name}); r.Status != http.StatusOK {
				// The name may be the profile's only: set it where the account keeps it.
				if _, err := e.App.DB.NewUpdate().Table("users").Set("name = ?", name).Where("id = ?", u.ID).Exec(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
		}
		read := func(cursor string) timesheet.TeamWeek {
			t.Helper()
			r := owner.Get(base + "/timesheets?week=2026-W49&limit=3&cursor=" + url.QueryEscape(cursor))
			if r.Status != http.StatusOK {
				t.Fatalf("page %q: %d %s", cursor, r.Status, r.Body)
			}
			var tw timesheet.TeamWeek
			r.JSON(t, &tw)
			return tw
		}
		var all []int64
		var newcomer int64
		seen := map[int64]bool{}
		cursor, pages := "", 0
		for {
			tw := read(cursor)
			pages++
			if len(tw.Items) > 3 {
				t.Fatalf("a page of %d people", len(tw.Items))
			}
			for _, it := range tw.Items {
				if seen[it.UserID] {
					t.Errorf("%d (%s) on two pages", it.UserID, it.Name)
				}
				seen[it.UserID] = true
				all = append(all, it.UserID)
			}
			if pages == 1 {
				newcomer = e.NewUser(acc, actor.RoleMember).ID // joins meanwhile: no one moves
			}
			if tw.NextCursor == "" || pages > 10 {
				break
			}
			cursor = tw.NextCursor
		}
		// The owner and the 7 members: 8 people in 3 pages; the whole list in one call holds
		// them in the same order, and the newcomer (whose name sorts before the cursor: the
		// pages read did not show them, and showed no one twice).
		var whole timesheet.TeamWeek
		owner.Get(base+"/timesheets?week=2026-W49&limit=200").JSON(t, &whole)
		var want []int64
		for _, it := range whole.Items {
			if it.UserID != newcomer {
				want = append(want, it.UserID)
			}
		}
		if len(whole.Items) != 9 || !slices.Equal(all, want) || pages != 3 || whole.NextCursor != "" {
			t.Errorf("paged %v in %d pages, whole %v", all, pages, want)
		}
		for _, q := range []string{"limit=0", "limit=201", "cursor=nope", "cursor=" + api.Cursor(5)} {
			if r := owner.Get(base + "/timesheets?week=2026-W49&" + q); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
		b := e.BrowserLogin(acc.Owner)
		page := b.Get("/" + acc.Slug + "/timesheet/team?week=2026-W49&limit=3").String()
		if !strings.Contains(page, `id="team-next"`) || strings.Contains(page, `id="team-first"`) {
			t.Errorf("the first page has no link to the next people")
		}
		link := page[:strings.Index(page, `id="team-next"`)]
		next := html.UnescapeString(link[strings.LastIndex(link, `href="`)+6:])
		next = next[:strings.Index(next, `"`)]
		if p2 := b.Get("/" + acc.Slug + "/timesheet/team" + next).String(); !strings.Contains(p2, `id="team-first"`) {
			t.Errorf("the second page (%s) has no link back to the first", next)
		}
	})
}
