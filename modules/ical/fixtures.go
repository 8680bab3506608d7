package ical

import (
	"fmt"
	"net/http"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a team with the
// walker's manager in it, whose feed the manager (and the admins) may subscribe to.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	team, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/teams", map[string]any{"name": fmt.Sprintf("Feed team %d", c.N())})
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/api/v1/%s/teams/%s/members/%d", c.Slug(), team, c.User("manager"))
	if st, body := c.Do("PUT", path, nil); st < 200 || st > 299 {
		return nil, fmt.Errorf("ical: put the manager in the team: %d %s", st, body)
	}
	return app.Params{"teams/:id": team}, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case http.MethodPost + " /api/v1/:slug/teams/:id/ical/rotate":
		return nil, true
	case http.MethodPost + " /:slug/ical/teams/:id", http.MethodPost + " /:slug/ical/teams/:id/rotate":
		return map[string]any{}, true
	}
	return nil, false
}

func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	return filled, nil
}
