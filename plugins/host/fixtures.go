package host

import "groupcamp/core/app"

// fixtures are the module's part of the test walkers (app.Fixtures). The walkers' App has no
// plugin folder, so every plugin route answers 404 for the name they use; the walkers check
// the guards and that nothing answers 5xx.
type fixtures struct{}

func (fixtures) Seed(app.FixtureClient) (app.Params, error) {
	return app.Params{"plugins/:name": "none", "x/:plugin": "none"}, nil
}

func (fixtures) Body(string, string, app.Params, int) (any, bool) { return nil, false }

func (fixtures) Prepare(_ app.FixtureClient, _, _, filled string, _ app.Params) (string, error) {
	return filled, nil
}
