package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// coreFixtures are the kernel's own Fixtures: a colleague to act on (invited, never signed in),
// a team, a supplier company, a support grant of the logs, a support request, and a notification of the owner.
type coreFixtures struct{}

func (coreFixtures) Seed(c FixtureClient) (Params, error) {
	base := "/api/v1/" + c.Slug()
	p := Params{}
	n := c.N()
	user, err := Created(c, "POST", base+"/users", map[string]any{"name": "Target Person", "email": fmt.Sprintf("target-%d@%s.test", n, c.Slug()), "role": "member"}, "user")
	if err != nil {
		return nil, err
	}
	p["users/:id"], p[":user_id"] = user, user
	if p["teams/:id"], err = Created(c, "POST", base+"/teams", map[string]any{"name": fmt.Sprintf("Fixture team %d", n)}); err != nil {
		return nil, err
	}
	if p["companies/:id"], err = Created(c, "POST", base+"/companies", map[string]any{"name": fmt.Sprintf("Fixture supplier %d", n), "kind": "supplier"}); err != nil {
		return nil, err
	}
	if p["support-grants/:id"], err = Created(c, "POST", base+"/support-grants", map[string]any{"scope": "logs", "expires_at": time.Now().Add(24 * time.Hour).Format(time.RFC3339), "reason": "fixture"}); err != nil {
		return nil, err
	}
	if p["support-requests/:id"], err = Created(c, "POST", base+"/support-requests", map[string]any{"subject": "Fixture", "body": "A support request."}); err != nil {
		return nil, err
	}
	if p["capacity-profiles/:id"], err = Created(c, "POST", base+"/capacity-profiles", map[string]any{"name": fmt.Sprintf("Part time %d", n), "day_minutes": []int{480, 480, 480, 480, 0, 0, 0}, "max_day_minutes": 600}); err != nil {
		return nil, err
	}
	if p["job-roles/:id"], err = Created(c, "POST", base+"/job-roles", map[string]any{"name": fmt.Sprintf("Consultant %d", n), "cost_rate_minor": 6000, "bill_rate_minor": 12000}); err != nil {
		return nil, err
	}
	return p, nil
}

func (coreFixtures) Body(method, path string, p Params, n int) (any, bool) {
	switch method + " " + path {
	case "PATCH /api/v1/:slug/account":
		return map[string]any{"name": fmt.Sprintf("Renamed %d", n)}, true
	case "POST /api/v1/:slug/companies":
		return map[string]any{"name": fmt.Sprintf("Supplier %d", n), "kind": "supplier"}, true
	case "PATCH /api/v1/:slug/companies/:id":
		return map[string]any{"name": fmt.Sprintf("Renamed supplier %d", n)}, true
	case "POST /api/v1/:slug/users":
		return map[string]any{"name": fmt.Sprintf("Invitee %d", n), "email": fmt.Sprintf("invitee-%d@fixture.test", n), "role": "member"}, true
	case "PATCH /api/v1/:slug/users/:id":
		return map[string]any{"role": "member"}, true
	case "POST /api/v1/:slug/teams":
		return map[string]any{"name": fmt.Sprintf("Team %d", n)}, true
	case "POST /api/v1/:slug/support-grants":
		return map[string]any{"scope": "logs", "expires_at": time.Now().Add(24 * time.Hour).Format(time.RFC3339), "reason": fmt.Sprintf("Grant %d", n)}, true
	case "POST /api/v1/:slug/support-requests":
		return map[string]any{"subject": fmt.Sprintf("Request %d", n), "body": "Something is odd."}, true
	case "POST /api/v1/:slug/support-requests/:id/replies":
		return map[string]any{"body": fmt.Sprintf("Reply %d", n)}, true
	case "POST /api/v1/:slug/capacity-profiles":
		return map[string]any{"name": fmt.Sprintf("Profile %d", n), "day_minutes": []int{420, 420, 420, 420, 420, 0, 0}}, true
	case "PATCH /api/v1/:slug/capacity-profiles/:id":
		return map[string]any{"max_week_minutes": 2400 + n%60}, true
	case "POST /api/v1/:slug/capacity-profiles/:id/archive":
		return nil, true
	case "POST /api/v1/:slug/job-roles":
		return map[string]any{"name": fmt.Sprintf("Role %d", n), "cost_rate_minor": 5000}, true
	case "PATCH /api/v1/:slug/job-roles/:id":
		return map[string]any{"bill_rate_minor": 10000 + n}, true
	case "PUT /api/v1/:slug/users/:id/capacity":
		return map[string]any{"profile_id": p.ID("capacity-profiles/:id"), "starts_on": "2026-01-05", "role_id": p.ID("job-roles/:id"), "cost_rate_minor": 7000}, true
	case "PUT /api/v1/:slug/notification-preferences":
		return map[string]any{"preferences": []map[string]string{{"event_type": "user.invited", "channel": "in_app"}}}, true
	case "POST /api/v1/:slug/notifications/read-all", "POST /api/v1/:slug/notifications/:id/read",
		"PUT /api/v1/:slug/teams/:id/members/:user_id", "DELETE /api/v1/:slug/teams/:id/members/:user_id",
		"DELETE /api/v1/:slug/users/:id", "POST /api/v1/:slug/support-grants/:id/revoke", "DELETE /api/v1/:slug/companies/:id":
		return nil, true
	}
	return nil, false
}

func (coreFixtures) Prepare(c FixtureClient, method, path, filled string, p Params) (string, error) {
	if method+" "+path == "DELETE /api/v1/:slug/companies/:id" {
		// A company of its own to delete: the fixture's stays for the other routes.
		id, err := Created(c, "POST", "/api/v1/"+c.Slug()+"/companies", map[string]any{"name": fmt.Sprintf("Supplier to delete %d", c.N()), "kind": "supplier"})
		return "/api/v1/" + c.Slug() + "/companies/" + id, err
	}
	if method+" "+path == "DELETE /api/v1/:slug/teams/:id/members/:user_id" {
		// Removing needs someone to remove.
		if st, body := c.Do("PUT", filled, nil); st != http.StatusNoContent {
			return "", fmt.Errorf("put the target in the team: %d %s", st, body)
		}
	}
	if method+" "+path == "PUT /api/v1/:slug/users/:id/capacity" {
		// The fixture profile may have been archived by an earlier call: in use again.
		if st, body := c.Do("PATCH", "/api/v1/"+c.Slug()+"/capacity-profiles/"+p["capacity-profiles/:id"], map[string]any{"archived": false}); st != http.StatusOK {
			return "", fmt.Errorf("restore the profile: %d %s", st, body)
		}
	}
	return filled, nil
}

// Created calls a create route and returns the id of its answer, as a path value (of the
// object under key, when given), for modules' Fixtures.
func Created(c FixtureClient, method, path string, body any, key ...string) (string, error) {
	st, answer := c.Do(method, path, body)
	if st != http.StatusCreated && st != http.StatusOK {
		return "", fmt.Errorf("%s %s: %d %s", method, path, st, answer)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(answer, &m); err != nil {
		return "", fmt.Errorf("%s %s: %w", method, path, err)
	}
	for _, k := range key {
		if err := json.Unmarshal(m[k], &m); err != nil {
			return "", fmt.Errorf("%s %s: no %q in %s", method, path, k, answer)
		}
	}
	var id int64
	if err := json.Unmarshal(m["id"], &id); err != nil || id <= 0 {
		return "", fmt.Errorf("%s %s: no id in %s", method, path, answer)
	}
	return fmt.Sprint(id), nil
}
