package webhooks_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the webhooks routes is valid OpenAPI, every
// route of shared/API.md's webhooks line (and the added ones) is in it, each JSON write route
// shows an example, and the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	r := e.Anonymous().Get("/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	spec, err := openapi3.NewLoader().LoadFromData(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	paths := dig(doc, "paths").(map[string]any)
	for _, want := range []string{"get /api/v1/{slug}/webhooks", "post /api/v1/{slug}/webhooks", "delete /api/v1/{slug}/webhooks/{id}",
		"get /api/v1/{slug}/webhooks/{id}/deliveries", "get /api/v1/{slug}/webhooks/{id}", "patch /api/v1/{slug}/webhooks/{id}",
		"post /api/v1/{slug}/webhooks/{id}/test", "post /api/v1/{slug}/webhooks/{id}/enable", "get /api/v1/{slug}/webhooks/events"} {
		method, path, _ := strings.Cut(want, " ")
		if dig(paths, path, method) == nil {
			t.Errorf("%s is not documented", want)
		}
	}
	for p, ops := range paths {
		if !strings.Contains(p, "/webhooks") {
			continue
		}
		for m, op := range ops.(map[string]any) {
			if body, ok := dig(op, "requestBody", "content", "application/json").(map[string]any); ok {
				if ex, ok := body["example"].(map[string]any); !ok || len(ex) == 0 {
					t.Errorf("%s %s: no example request body", m, p)
				}
			}
		}
	}
	if got := dig(doc, "components", "schemas", "WebhookInput", "required"); !reflect.DeepEqual(got, []any{"url", "events"}) {
		t.Errorf("WebhookInput required = %v", got)
	}
	if got := dig(doc, "components", "schemas", "Delivery", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"pending", "succeeded", "failed"}) {
		t.Errorf("Delivery state enum = %v", got)
	}
	if dig(doc, "components", "schemas", "NewWebhook", "properties", "secret") == nil {
		t.Error("the answer of a creation does not show the secret")
	}
}

func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
