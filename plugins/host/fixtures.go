package host

import "groupcamp/core/app"

// fixtures are the module's part of the test walkers (app.Fixtures). The walkers' App has no
// plugin folder, so no plugin name exists to give them: the routes that name one stay
// unfilled, and the walkers check their guards and that they never answer 5xx (the package's
// own tests run them with the example plugins installed).
type fixtures struct{}

func (fixtures) Seed(app.FixtureClient) (app.Params, error) { return app.Params{}, nil }

func (fixtures) Body(string, string, app.Params, int) (any, bool) { return nil, false }

func (fixtures) Prepare(_ app.FixtureClient, _, _, filled string, _ app.Params) (string, error) {
	return filled, nil
}
