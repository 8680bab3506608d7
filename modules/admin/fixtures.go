package admin

import (
	"fmt"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a colleague whose page
// the people routes show and change. Teams, companies and the account are core's objects, and
// core's fixtures made them; a company's delete gets a fresh one.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/users", map[string]any{"name": "Admin Page Person", "email": fmt.Sprintf("admin-page-%d@%s.test", c.N(), c.Slug()), "role": "member"}, "user")
	if err != nil {
		return nil, err
	}
	profile, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/capacity-profiles", map[string]any{"name": fmt.Sprintf("Page profile %d", c.N()), "day_minutes": []int{480, 480, 480, 480, 240, 0, 0}, "max_day_minutes": 540})
	if err != nil {
		return nil, err
	}
	role, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/job-roles", map[string]any{"name": fmt.Sprintf("Page role %d", c.N()), "bill_rate_minor": 9000})
	if err != nil {
		return nil, err
	}
	return app.Params{"people/:id": id, "capacity/:id": profile, "roles/:id": role}, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /:slug/teams":
		return map[string]any{"name": fmt.Sprintf("Page team %d", n)}, true
	case "POST /:slug/companies":
		return map[string]any{"name": fmt.Sprintf("Page company %d", n), "kind": "supplier"}, true
	case "POST /:slug/capacity", "POST /:slug/capacity/:id":
		return map[string]any{"name": fmt.Sprintf("Page profile %d", n), "day0": "8", "day1": "8", "day2": "8", "day3": "8", "day4": "4", "max_day_minutes": "9"}, true
	case "POST /:slug/capacity/roles":
		return map[string]any{"role_name": fmt.Sprintf("Page role %d", n), "cost_rate_minor": "55.50", "bill_rate_minor": "110"}, true
	case "POST /:slug/capacity/roles/:id":
		return map[string]any{"cost_rate_minor": "58", "cost_rate_from": fmt.Sprintf("2026-03-%02d", 1+n%28)}, true
	case "POST /:slug/capacity/:id/archive", "POST /:slug/capacity/:id/restore", "POST /:slug/capacity/roles/:id/archive", "POST /:slug/capacity/roles/:id/restore":
		return map[string]any{}, true
	case "POST /:slug/people/:id/capacity":
		return map[string]any{"profile_id": p["capacity/:id"], "starts_on": "2026-02-02", "role_id": "0", "cost_rate_minor": "70"}, true
	case "POST /:slug/companies/:id":
		return map[string]any{"name": fmt.Sprintf("Page renamed company %d", n)}, true
	}
	return nil, false
}

func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	if method+" "+path == "POST /:slug/companies/:id/delete" {
		// A company of its own to delete: core's fixture company stays for the other routes.
		id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/companies", map[string]any{"name": fmt.Sprintf("Page supplier to delete %d", c.N()), "kind": "supplier"})
		return "/" + c.Slug() + "/companies/" + id + "/delete", err
	}
	if method+" "+path == "POST /:slug/people/:id/capacity" {
		// The fixture profile may have been archived by an earlier call: in use again.
		if st, body := c.Do("PATCH", "/api/v1/"+c.Slug()+"/capacity-profiles/"+p["capacity/:id"], map[string]any{"archived": false}); st != 200 {
			return "", fmt.Errorf("restore the profile: %d %s", st, body)
		}
	}
	return filled, nil
}
