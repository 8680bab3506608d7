package webhooks_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the webhooks routes is valid OpenAPI, every
// route of shared/API.md's webhooks line (and the added ones) is in it, each JSON write route
// shows an example, and the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/webhooks", "post /api/v1/{slug}/webhooks", "delete /api/v1/{slug}/webhooks/{id}",
		"get /api/v1/{slug}/webhooks/{id}/deliveries", "get /api/v1/{slug}/webhooks/{id}", "patch /api/v1/{slug}/webhooks/{id}",
		"post /api/v1/{slug}/webhooks/{id}/test", "post /api/v1/{slug}/webhooks/{id}/enable", "get /api/v1/{slug}/webhooks/events")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "/webhooks") })
	if got := doc.Dig("components", "schemas", "WebhookInput", "required"); !reflect.DeepEqual(got, []any{"url", "events"}) {
		t.Errorf("WebhookInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Delivery", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"pending", "succeeded", "failed"}) {
		t.Errorf("Delivery state enum = %v", got)
	}
	if doc.Dig("components", "schemas", "NewWebhook", "properties", "secret") == nil {
		t.Error("the answer of a creation does not show the secret")
	}
}
