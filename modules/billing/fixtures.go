package billing

import (
	"encoding/json"
	"fmt"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): billing details, the
// test gateway's card and a subscription to the business plan with every offering (no quota
// in the way of the other modules' walkers), which issues the first invoice.
type fixtures struct{}

// fixtureSubscription is every offering on the unlimited plan, with seats to spare.
var fixtureSubscription = map[string]any{"plan": "business", "offerings": Offerings, "seats": 1000}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	for _, step := range []struct {
		method, path string
		body         any
	}{
		{"PUT", base + "/billing/details", map[string]any{"legal_name": "Walker SAS", "address": "1 rue du Test, Paris", "country": "FR"}},
		{"POST", base + "/billing/payment-method", map[string]any{"gateway_token": "tok_test_visa"}},
		{"POST", base + "/billing/subscription", fixtureSubscription},
	} {
		if st, b := c.Do(step.method, step.path, step.body); st != 200 {
			return nil, fmt.Errorf("%s %s: %d %s", step.method, step.path, st, b)
		}
	}
	st, b := c.Do("GET", base+"/invoices", nil)
	var list InvoiceList
	if err := json.Unmarshal(b, &list); err != nil || st != 200 || len(list.Items) == 0 {
		return nil, fmt.Errorf("GET invoices: %d %s", st, b)
	}
	return app.Params{"invoices/:id": fmt.Sprint(list.Items[0].ID)}, nil
}

func (fixtures) Body(method, path string, _ app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "PUT /api/v1/:slug/billing/details":
		return map[string]any{"legal_name": fmt.Sprintf("Walker %d SAS", n), "country": "FR"}, true
	case "POST /:slug/admin/billing/details":
		return map[string]any{"legal_name": fmt.Sprintf("Walker %d SAS", n), "country": "FR"}, true
	case "POST /api/v1/:slug/billing/subscription", "POST /api/v1/:slug/billing/proforma":
		return fixtureSubscription, true
	case "POST /:slug/admin/billing/proforma":
		return map[string]any{"plan": "business", "offerings": Offerings, "seats": "1000"}, true
	case "POST /api/v1/:slug/invoices/:id/convert", "POST /:slug/admin/billing/invoices/:id/convert":
		return map[string]any{}, true
	case "POST /:slug/admin/billing/subscription":
		return map[string]any{"plan": "business", "offerings": Offerings, "seats": "1000"}, true
	case "POST /api/v1/:slug/billing/payment-method", "POST /:slug/admin/billing/payment-method":
		return map[string]any{"gateway_token": "tok_test_visa"}, true
	case "POST /api/v1/vat/quote":
		return map[string]any{"customer_country": "DE", "customer_kind": "business", "vat_number": "DE136308783", "net_minor": 1000}, true
	}
	return nil, false
}

// Prepare gives a conversion a pro-forma of its own (a pro-forma converts once).
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, _ app.Params) (string, error) {
	switch method + " " + path {
	case "POST /api/v1/:slug/invoices/:id/convert", "POST /:slug/admin/billing/invoices/:id/convert":
	default:
		return filled, nil
	}
	st, b := c.Do("POST", "/api/v1/"+c.Slug()+"/billing/proforma", fixtureSubscription)
	var pf Invoice
	if err := json.Unmarshal(b, &pf); err != nil || st != 201 {
		return "", fmt.Errorf("POST proforma: %d %s", st, b)
	}
	return strings.NewReplacer(":slug", c.Slug(), ":id", fmt.Sprint(pf.ID)).Replace(path), nil
}
