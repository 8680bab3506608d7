package webhooks

import (
	"fmt"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): one hook to a host that
// does not exist, for a rare event type, so the
// walkers' other calls make no delivery; Prepare gives the deleting routes a hook of their own.
// The host is under .invalid (RFC 2606), which never resolves: a test ping fails at once.
type fixtures struct{}

// fixtureURL is an address no test reaches.
const fixtureURL = "https://hooks.invalid/groupcamp"

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/webhooks", map[string]any{"url": fixtureURL, "events": []string{"user.reactivated"}})
	if err != nil {
		return nil, err
	}
	return app.Params{"webhooks/:id": id}, nil
}

func (fixtures) Body(method, path string, _ app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/webhooks":
		return map[string]any{"url": fmt.Sprintf("%s/%d", fixtureURL, n), "events": []string{"user.reactivated"}}, true
	case "PATCH /api/v1/:slug/webhooks/:id":
		return map[string]any{"description": fmt.Sprintf("Walker %d", n)}, true
	case "POST /:slug/admin/webhooks":
		return map[string]any{"url": fmt.Sprintf("%s/page-%d", fixtureURL, n), "events": "user.reactivated"}, true
	case "POST /:slug/admin/webhooks/:id":
		return map[string]any{"url": fixtureURL, "events": "user.reactivated", "description": fmt.Sprintf("Walker %d", n)}, true
	case "DELETE /api/v1/:slug/webhooks/:id", "POST /api/v1/:slug/webhooks/:id/enable", "POST /:slug/admin/webhooks/:id/enable",
		"POST /:slug/admin/webhooks/:id/delete":
		return nil, true
	}
	return nil, false
}

// Prepare gives deleting (API and page) a fresh hook, so the fixture's stays for the others.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, _ app.Params) (string, error) {
	switch method + " " + path {
	case "DELETE /api/v1/:slug/webhooks/:id", "POST /:slug/admin/webhooks/:id/delete":
	default:
		return filled, nil
	}
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/webhooks", map[string]any{"url": fixtureURL + "/scratch", "events": []string{"user.reactivated"}})
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(path, "/:slug/") {
		return "/" + c.Slug() + "/admin/webhooks/" + id + "/delete", nil
	}
	return "/api/v1/" + c.Slug() + "/webhooks/" + id, nil
}
