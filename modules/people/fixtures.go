package people

import "groupcamp/core/app"

// fixtures let the walkers call the import route: it takes a multipart file, which a JSON
// body cannot be, so they only hold it to the matrix, the tenancy and "never a 5xx".
type fixtures struct{}

func (fixtures) Seed(app.FixtureClient) (app.Params, error)       { return app.Params{}, nil }
func (fixtures) Body(string, string, app.Params, int) (any, bool) { return nil, false }
func (fixtures) Prepare(_ app.FixtureClient, _, _, filled string, _ app.Params) (string, error) {
	return filled, nil
}
