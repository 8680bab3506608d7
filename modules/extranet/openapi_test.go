package extranet_test

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

// TestOpenAPIForIntegrators: the document with the extranet's routes is valid OpenAPI, every
// route of shared/API.md "Extranet and plugins" of this slice is in it, each JSON write route
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
	for _, want := range []string{"get /api/v1/{slug}/deliverables", "post /api/v1/{slug}/deliverables", "get /api/v1/{slug}/deliverables/{id}",
		"post /api/v1/{slug}/deliverables/{id}/resubmit", "post /api/v1/{slug}/deliverables/{id}/approve", "post /api/v1/{slug}/deliverables/{id}/reject"} {
		method, path, _ := strings.Cut(want, " ")
		if dig(paths, path, method) == nil {
			t.Errorf("%s is not documented", want)
		}
	}
	for p, ops := range paths {
		if !strings.Contains(p, "/deliverables") {
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
	if got := dig(doc, "components", "schemas", "DeliverableInput", "required"); !reflect.DeepEqual(got, []any{"project_id", "company_id", "title"}) {
		t.Errorf("DeliverableInput required = %v", got)
	}
	if got := dig(doc, "components", "schemas", "Deliverable", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"pending", "approved", "rejected"}) {
		t.Errorf("Deliverable state enum = %v", got)
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
