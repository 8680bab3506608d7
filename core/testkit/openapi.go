package testkit

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPI is the App's served OpenAPI document, decoded, for the modules' tests of what
// integrators read: their routes are in it, their write routes show examples, their types
// state required fields and enums.
type OpenAPI map[string]any

// OpenAPI fetches /api/v1/openapi.json and fails t unless kin-openapi loads and validates it.
func (e *Env) OpenAPI(t testing.TB) OpenAPI {
	t.Helper()
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
	var doc OpenAPI
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// Dig follows keys through nested JSON objects: nil where one is missing.
func Dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Dig follows keys from the document's root.
func (d OpenAPI) Dig(path ...string) any { return Dig(map[string]any(d), path...) }

// Documents fails t for each route ("get /api/v1/{slug}/things") the document lacks.
func (d OpenAPI) Documents(t testing.TB, routes ...string) {
	t.Helper()
	for _, want := range routes {
		method, path, _ := strings.Cut(want, " ")
		if d.Dig("paths", path, method) == nil {
			t.Errorf("%s is not documented", want)
		}
	}
}

// Examples fails t for each JSON request body without an example, on the paths mine keeps.
func (d OpenAPI) Examples(t testing.TB, mine func(path string) bool) {
	t.Helper()
	paths, _ := d.Dig("paths").(map[string]any)
	for p, ops := range paths {
		if !mine(p) {
			continue
		}
		for m, op := range ops.(map[string]any) {
			if body, ok := Dig(op, "requestBody", "content", "application/json").(map[string]any); ok {
				if ex, ok := body["example"].(map[string]any); !ok || len(ex) == 0 {
					t.Errorf("%s %s: no example request body", m, p)
				}
			}
		}
	}
}
