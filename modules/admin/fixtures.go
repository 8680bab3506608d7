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
	return app.Params{"people/:id": id}, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /:slug/teams":
		return map[string]any{"name": fmt.Sprintf("Page team %d", n)}, true
	case "POST /:slug/companies":
		return map[string]any{"name": fmt.Sprintf("Page company %d", n), "kind": "supplier"}, true
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
	return filled, nil
}
