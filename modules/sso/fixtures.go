package sso

import "groupcamp/core/app"

// fixtures are the module's part of the test walkers (app.Fixtures): the settings saved once
// with nothing required, so every route answers; the walkers never reach a provider (the
// issuer is under .invalid, RFC 2606, which never resolves).
type fixtures struct{}

const fixtureIssuer = "https://sso.invalid"

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	return app.Params{}, nil
}

func (fixtures) Body(method, path string, _ app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "PUT /api/v1/:slug/sso":
		return map[string]any{"preset": "custom", "issuer": fixtureIssuer, "client_id": "walker", "domains": []string{"example.com"}}, true
	case "POST /:slug/admin/sign-in":
		return map[string]any{"preset": "custom", "issuer": fixtureIssuer, "client_id": "walker"}, true
	}
	return nil, false
}

func (fixtures) Prepare(_ app.FixtureClient, _, _, filled string, _ app.Params) (string, error) {
	return filled, nil
}
