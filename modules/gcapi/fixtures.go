package gcapi

import (
	"encoding/json"
	"fmt"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): one key pair; Prepare
// gives the revoking routes a key of their own. GroupCamp's paths authenticate themselves:
// the walkers only check that they never answer 5xx.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	key, err := newFixtureKey(c)
	if err != nil {
		return nil, err
	}
	return app.Params{"gcapi-keys/:key": key}, nil
}

func newFixtureKey(c app.FixtureClient) (string, error) {
	status, body := c.Do("POST", "/api/v1/"+c.Slug()+"/gcapi-keys", map[string]any{"application": "reporting-1", "label": "Walker"})
	var out struct {
		Key string `json:"key"`
	}
	if status != 201 {
		return "", fmt.Errorf("POST gcapi-keys: %d %s", status, body)
	}
	err := json.Unmarshal(body, &out)
	return out.Key, err
}

func (fixtures) Body(method, path string, _ app.Params, _ int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/gcapi-keys":
		return map[string]any{"application": "provisioning-1"}, true
	case "POST /:slug/admin/gcapi-keys":
		return map[string]any{"application": "reporting-1", "label": "Walker page"}, true
	case "DELETE /api/v1/:slug/gcapi-keys/:key", "POST /:slug/admin/gcapi-keys/:key/revoke":
		return nil, true
	}
	return nil, false
}

// Prepare gives revoking (API and page) a fresh key, so the fixture's stays for the others.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, _ app.Params) (string, error) {
	switch method + " " + path {
	case "DELETE /api/v1/:slug/gcapi-keys/:key":
	case "POST /:slug/admin/gcapi-keys/:key/revoke":
	default:
		return filled, nil
	}
	key, err := newFixtureKey(c)
	if err != nil {
		return "", err
	}
	if path[1] == ':' {
		return "/" + c.Slug() + "/admin/gcapi-keys/" + key + "/revoke", nil
	}
	return "/api/v1/" + c.Slug() + "/gcapi-keys/" + key, nil
}
