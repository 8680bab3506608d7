package timesheet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a time category; an open
// project led by the walker's manager; on it, the member's entry of a week that stays open (the
// one the entry routes change) and the member's entry of the week the approval routes move
// through its states (fixtureWeek). Prepare puts that week in the state each transition needs.
type fixtures struct{}

// fixtureWeek is the member's week the approval routes act on.
const fixtureWeek = "2026-W11"

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	var err error
	if p["time-categories/:id"], err = app.Created(c, "POST", base+"/time-categories", map[string]any{"name": fmt.Sprintf("Training %d", c.N())}); err != nil {
		return nil, err
	}
	if p["project"], err = app.Created(c, "POST", base+"/projects", map[string]any{"name": fmt.Sprintf("Timesheet project %d", c.N()), "leader_id": c.User("manager")}); err != nil {
		return nil, err
	}
	if err = seedCategories(c, p); err != nil { // fixtures_categories.go
		return nil, err
	}
	member := c.User("member")
	if p["time-entries/:id"], err = app.Created(c, "POST", base+"/time-entries", map[string]any{"user_id": member, "date": "2026-03-02", "duration": "1:30", "project_id": p.ID("project"), "note": "Fixture"}); err != nil {
		return nil, err
	}
	if _, err = app.Created(c, "POST", base+"/time-entries", map[string]any{"user_id": member, "date": "2026-03-09", "minutes": 60, "project_id": p.ID("project")}); err != nil {
		return nil, err
	}
	if p["budget-lines/:line_id"], err = seedBudget(c, p); err != nil {
		return nil, err
	}
	id := strconv.FormatInt(member, 10)
	p["timesheets/:user_id"], p["timesheet/:user_id"], p[":week"] = id, id, fixtureWeek
	if err := seedInvoicing(c, p); err != nil { // fixtures_invoicing.go
		return nil, err
	}
	return p, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	if body, ok := invoicingBody(method, path, p, n); ok {
		return body, true
	}
	if b, ok := timerBody(method+" "+path, p); ok {
		return b, true
	}
	switch method + " " + path {
	case "POST /api/v1/:slug/time-categories":
		return map[string]any{"name": fmt.Sprintf("Category %d", n), "billable": n%2 == 0}, true
	case "PATCH /api/v1/:slug/time-categories/:id":
		return map[string]any{"billable": n%2 == 0}, true
	case "POST /api/v1/:slug/time-categories/:id/archive", "DELETE /api/v1/:slug/time-entries/:id", "POST /api/v1/:slug/timesheets/:user_id/:week/submit":
		return nil, true
	case "POST /api/v1/:slug/time-entries":
		// A day of its own for each call, far from the fixture weeks.
		day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n)
		return map[string]any{"date": day.Format(DayLayout), "duration": "0:15", "project_id": p.ID("project"), "category_id": p.ID("project-category"), "note": "Walker"}, true
	case "PUT /api/v1/:slug/timesheet-settings":
		return map[string]any{"reminder_weekday": 1 + n%7, "reminder_hour": n % 24}, true
	case "POST /api/v1/:slug/projects/:id/budget-lines", "PATCH /api/v1/:slug/projects/:id/budget-lines/:line_id", "DELETE /api/v1/:slug/projects/:id/budget-lines/:line_id":
		return budgetBody(method, n), true
	case "PATCH /api/v1/:slug/time-entries/:id":
		return map[string]any{"note": fmt.Sprintf("Changed %d", n)}, true
	case "POST /api/v1/:slug/timesheets/:user_id/:week/approve", "POST /api/v1/:slug/timesheets/:user_id/:week/reject",
		"POST /api/v1/:slug/timesheets/:user_id/:week/reopen":
		return map[string]any{"comment": fmt.Sprintf("Walker %d", n)}, true
	}
	return nil, false
}

// Prepare gives DELETE a fresh entry, and puts the fixture week in the state a transition
// leaves: open for submit, submitted for approve and reject, approved for reopen.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	if to, ok, err := prepareInvoicing(c, method, path, filled, p); ok {
		return to, err
	}
	base := "/api/v1/" + c.Slug()
	switch {
	case method == http.MethodDelete && path == "/api/v1/:slug/time-entries/:id":
		day := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, c.N())
		id, err := app.Created(c, "POST", base+"/time-entries", map[string]any{"user_id": c.User("member"), "date": day.Format(DayLayout), "minutes": 30, "project_id": p.ID("project")})
		return base + "/time-entries/" + id, err
	case strings.HasPrefix(path, "/api/v1/:slug/projects/:id/budget"):
		return prepareBudget(c, method, path, p)
	case method == http.MethodPost && strings.HasPrefix(path, "/api/v1/:slug/timesheets/:user_id/:week/"):
		want := map[string]string{"submit": StateOpen, "approve": StateSubmitted, "reject": StateSubmitted, "reopen": StateApproved}[path[strings.LastIndex(path, "/")+1:]]
		return filled, weekTo(c, base+"/timesheets/"+p["timesheets/:user_id"]+"/"+fixtureWeek, want)
	}
	return filled, nil
}

// weekTo moves the week at path to the state want, as the owner.
func weekTo(c app.FixtureClient, path, want string) error {
	for range 4 {
		st, body := c.Do("GET", path, nil)
		var t Timesheet
		if st != http.StatusOK || json.Unmarshal(body, &t) != nil {
			return fmt.Errorf("GET %s: %d %s", path, st, body)
		}
		if t.State == want || (want == StateOpen && t.State == StateRejected) {
			return nil
		}
		var step string
		var in any
		switch {
		case t.State == StateApproved:
			step, in = Reopen, map[string]any{"comment": "walker"}
		case t.State == StateSubmitted && want == StateApproved:
			step, in = Approve, map[string]any{"comment": "walker"}
		case t.State == StateSubmitted:
			step, in = Reject, map[string]any{"comment": "walker"}
		default:
			step = Submit
		}
		if st, body := c.Do("POST", path+"/"+step, in); st != http.StatusOK {
			return fmt.Errorf("POST %s/%s: %d %s", path, step, st, body)
		}
	}
	return fmt.Errorf("%s: not %s after four steps", path, want)
}
