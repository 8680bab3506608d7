package planning_test

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

// TestOpenAPIForIntegrators: the document with the planning routes is valid OpenAPI, every
// route of shared/API.md "Resource planning" this module serves is in it, each JSON write
// route shows an example, and the types state their required fields and enums.
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
	for _, want := range []string{"get /api/v1/{slug}/resources", "post /api/v1/{slug}/resources", "get /api/v1/{slug}/resources/{id}",
		"patch /api/v1/{slug}/resources/{id}", "post /api/v1/{slug}/resources/{id}/assign",
		"get /api/v1/{slug}/allocations", "post /api/v1/{slug}/allocations", "patch /api/v1/{slug}/allocations/{id}", "delete /api/v1/{slug}/allocations/{id}",
		"get /api/v1/{slug}/absences", "post /api/v1/{slug}/absences", "post /api/v1/{slug}/absences/{id}/approve", "post /api/v1/{slug}/absences/{id}/reject",
		"get /api/v1/{slug}/workload", "get /api/v1/{slug}/availability"} {
		method, path, _ := strings.Cut(want, " ")
		if dig(paths, path, method) == nil {
			t.Errorf("%s is not documented", want)
		}
	}
	for p, ops := range paths {
		if !strings.Contains(p, "/allocations") && !strings.Contains(p, "/resources") && !strings.Contains(p, "/absence") {
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
	if got := dig(doc, "components", "schemas", "AllocationInput", "required"); !reflect.DeepEqual(got, []any{"resource_id", "project_id", "starts_on", "ends_on"}) {
		t.Errorf("AllocationInput required = %v", got)
	}
	if got := dig(doc, "components", "schemas", "Resource", "properties", "kind", "enum"); !reflect.DeepEqual(got, []any{"person", "placeholder", "equipment", "room"}) {
		t.Errorf("Resource kind enum = %v", got)
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
