package planning_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the planning routes is valid OpenAPI, every
// route of shared/API.md "Resource planning" this module serves is in it, each JSON write
// route shows an example, and the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/resources", "post /api/v1/{slug}/resources", "get /api/v1/{slug}/resources/{id}",
		"patch /api/v1/{slug}/resources/{id}", "post /api/v1/{slug}/resources/{id}/assign",
		"get /api/v1/{slug}/allocations", "post /api/v1/{slug}/allocations", "patch /api/v1/{slug}/allocations/{id}", "delete /api/v1/{slug}/allocations/{id}", "post /api/v1/{slug}/allocations/{id}/split",
		"get /api/v1/{slug}/absences", "post /api/v1/{slug}/absences", "post /api/v1/{slug}/absences/{id}/approve", "post /api/v1/{slug}/absences/{id}/reject",
		"get /api/v1/{slug}/workload", "get /api/v1/{slug}/availability")
	doc.Examples(t, func(p string) bool {
		return strings.Contains(p, "/allocations") || strings.Contains(p, "/resources") || strings.Contains(p, "/absence")
	})
	if got := doc.Dig("components", "schemas", "AllocationInput", "required"); !reflect.DeepEqual(got, []any{"resource_id", "project_id", "starts_on", "ends_on"}) {
		t.Errorf("AllocationInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Resource", "properties", "kind", "enum"); !reflect.DeepEqual(got, []any{"person", "placeholder", "equipment", "room"}) {
		t.Errorf("Resource kind enum = %v", got)
	}
}
