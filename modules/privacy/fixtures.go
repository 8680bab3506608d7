package privacy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers. Exports and the person's own erasure are
// the signed-in person's own (another role's id is a 404 by design), so the walkers reach them
// with ids they cannot read; an admin's erasure of the core fixtures' colleague is scheduled
// (never run: its grace period outlasts the test), and the closure needs the owner's password,
// which the walker does not have, so it only checks that a refused closure is no 5xx.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	path := "/api/v1/" + c.Slug() + "/users/" + strconv.FormatInt(c.User("member"), 10) + "/erasure"
	status, body := c.Do("POST", path, nil)
	var r Request
	if status != http.StatusAccepted || json.Unmarshal(body, &r) != nil || r.ID == 0 {
		return nil, fmt.Errorf("POST %s: %d %s", path, status, body)
	}
	return app.Params{"erasures/:id": strconv.FormatInt(r.ID, 10)}, nil
}

func (fixtures) Body(method, path string, _ app.Params, _ int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/me/exports", "POST /api/v1/:slug/users/:id/erasure", "DELETE /api/v1/:slug/me/erasure",
		"DELETE /api/v1/:slug/account/closure", "DELETE /api/v1/:slug/erasures/:id":
		return nil, true
	case "PUT /api/v1/:slug/privacy/settings":
		return map[string]any{"connection_days": 60, "keep_text": false}, true
	}
	return nil, false
}

func (fixtures) Prepare(_ app.FixtureClient, _, _, filled string, _ app.Params) (string, error) {
	return filled, nil
}
