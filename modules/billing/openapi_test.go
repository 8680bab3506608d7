package billing_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the billing routes of shared/API.md are documented, each JSON
// write route shows an example, and the inputs state their required fields.
func TestOpenAPIForIntegrators(t *testing.T) {
	t.Parallel()
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/billing", "put /api/v1/{slug}/billing/details", "post /api/v1/{slug}/billing/subscription",
		"post /api/v1/{slug}/billing/payment-method", "get /api/v1/{slug}/invoices", "get /api/v1/{slug}/invoices/{id}",
		"get /api/v1/{slug}/invoices/{id}.pdf", "post /api/v1/vat/quote", "get /api/v1/platform/billing/accounts")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "/billing") || strings.Contains(p, "/vat/") })
	if got := doc.Dig("components", "schemas", "SubscriptionInput", "required"); !reflect.DeepEqual(got, []any{"plan", "offerings", "seats"}) {
		t.Errorf("SubscriptionInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Overview", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"trial", "active", "past_due", "read_only", "closed"}) {
		t.Errorf("Overview state enum = %v", got)
	}
}
