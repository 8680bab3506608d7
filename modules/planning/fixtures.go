package planning

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a team holding the
// walker's manager and member (so the manager decides on the member's leave), a project, a
// placeholder booked on it, the member's leave request; Prepare gives deleting, assigning and
// deciding fresh ones, and the costs report its project.
type fixtures struct{}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fixtureDay is a day of 2027 that differs with n, so that leave requests do not pile up.
func fixtureDay(n, plus int) string {
	return time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (n%300)+plus).Format(time.DateOnly)
}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	team, err := app.Created(c, "POST", base+"/teams", map[string]any{"name": fmt.Sprintf("Planning team %d", c.N())})
	if err != nil {
		return nil, err
	}
	for _, role := range []string{"manager", "member"} {
		if st, body := c.Do("PUT", base+"/teams/"+team+"/members/"+itoa(c.User(role)), nil); st != 204 {
			return nil, fmt.Errorf("planning: team member: %d %s", st, body)
		}
	}
	if p["project"], err = app.Created(c, "POST", base+"/projects", map[string]any{"name": fmt.Sprintf("Planning project %d", c.N()), "leader_id": c.User("manager")}); err != nil {
		return nil, err
	}
	if p["resources/:id"], err = app.Created(c, "POST", base+"/resources", map[string]any{"kind": KindPlaceholder, "name": fmt.Sprintf("Designer to hire %d", c.N())}); err != nil {
		return nil, err
	}
	if p["allocations/:id"], err = app.Created(c, "POST", base+"/allocations", map[string]any{"resource_id": p.ID("resources/:id"), "project_id": p.ID("project"),
		"starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 240}); err != nil {
		return nil, err
	}
	if st, body := c.Do("GET", base+"/absence-types", nil); st != 200 || !strings.Contains(string(body), `"id":`) {
		return nil, fmt.Errorf("planning: absence types: %d %s", st, body)
	} else {
		var id int64
		fmt.Sscan(string(body[strings.Index(string(body), `"id":`)+5:]), &id)
		p["absence-type"], p["absence-types/:id"], p["leave-types/:id"] = itoa(id), itoa(id), itoa(id)
	}
	if p["absences/:id"], err = newRequest(c, p); err != nil {
		return nil, err
	}
	p["member"] = itoa(c.User("member"))
	return p, nil
}

// newRequest is a leave request of the walker's member, made by the owner.
func newRequest(c app.FixtureClient, p app.Params) (string, error) {
	n := c.N()
	return app.Created(c, "POST", "/api/v1/"+c.Slug()+"/absences", map[string]any{"user_id": c.User("member"), "type": p.ID("absence-type"),
		"starts_on": fixtureDay(n, 0), "ends_on": fixtureDay(n, 1), "note": "Fixture"})
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/resources":
		return map[string]any{"kind": KindEquipment, "name": fmt.Sprintf("Projector %d", n)}, true
	case "PATCH /api/v1/:slug/resources/:id":
		return map[string]any{"name": fmt.Sprintf("Designer %d", n)}, true
	case "POST /api/v1/:slug/resources/:id/assign":
		return map[string]any{"user_id": p.ID("member")}, true
	case "POST /api/v1/:slug/allocations":
		return map[string]any{"resource_id": p.ID("resources/:id"), "project_id": p.ID("project"), "starts_on": "2027-02-01", "ends_on": "2027-02-02", "percent": 10}, true
	case "PATCH /api/v1/:slug/allocations/:id":
		return map[string]any{"minutes_per_day": 120 + n%60}, true
	case "POST /api/v1/:slug/absence-types":
		return map[string]any{"name": fmt.Sprintf("Leave %d", n), "paid": true}, true
	case "PATCH /api/v1/:slug/absence-types/:id":
		return map[string]any{"allowance_days": 25 + n%3, "archived": false}, true
	case "POST /api/v1/:slug/absences":
		return map[string]any{"type": p.ID("absence-type"), "starts_on": fixtureDay(n, 100), "ends_on": fixtureDay(n, 100)}, true
	case "POST /api/v1/:slug/absences/:id/approve", "POST /api/v1/:slug/absences/:id/reject":
		return map[string]any{"comment": "Walker"}, true
	case "POST /:slug/planning/absences":
		return map[string]any{"type": itoa(p.ID("absence-type")), "starts_on": fixtureDay(n, 200), "ends_on": fixtureDay(n, 200)}, true
	case "POST /:slug/planning/absences/:id/approve", "POST /:slug/planning/absences/:id/reject":
		return map[string]any{"comment": "Walker"}, true
	case "POST /:slug/planning/leave-types":
		return map[string]any{"name": fmt.Sprintf("Leave kind %d", n), "allowance_days": "0", "carry_over_days": "0", "paid": "true"}, true
	case "POST /:slug/planning/leave-types/:id":
		return map[string]any{"archived": "false"}, true
	case "POST /:slug/planning/allocations/:id":
		return map[string]any{"starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": "180"}, true
	case "DELETE /api/v1/:slug/resources/:id", "DELETE /api/v1/:slug/allocations/:id":
		return nil, true
	}
	return nil, false
}

// Prepare gives the deleting, assigning and deciding routes fresh rows of their own.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug()
	switch method + " " + path {
	case "DELETE /api/v1/:slug/resources/:id", "POST /api/v1/:slug/resources/:id/assign":
		id, err := app.Created(c, "POST", base+"/resources", map[string]any{"kind": KindPlaceholder, "name": fmt.Sprintf("Scratch %d", c.N())})
		if err != nil {
			return "", err
		}
		return strings.Replace(filled, "/resources/"+p["resources/:id"], "/resources/"+id, 1), nil
	case "DELETE /api/v1/:slug/allocations/:id":
		id, err := app.Created(c, "POST", base+"/allocations", map[string]any{"resource_id": p.ID("resources/:id"), "project_id": p.ID("project"),
			"starts_on": "2027-03-01", "ends_on": "2027-03-02", "minutes_per_day": 60})
		if err != nil {
			return "", err
		}
		return base + "/allocations/" + id, nil
	case "POST /api/v1/:slug/absences/:id/approve", "POST /api/v1/:slug/absences/:id/reject",
		"POST /:slug/planning/absences/:id/approve", "POST /:slug/planning/absences/:id/reject":
		id, err := newRequest(c, p)
		if err != nil {
			return "", err
		}
		return strings.Replace(filled, "/absences/"+p["absences/:id"]+"/", "/absences/"+id+"/", 1), nil
	case "GET /api/v1/:slug/planning/costs":
		return filled + "?project_id=" + p["project"] + "&from=2027-01-04&to=2027-01-31", nil
	}
	return filled, nil
}
