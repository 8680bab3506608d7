package extranet_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the extranet's routes is valid OpenAPI, every
// route of shared/API.md "Extranet and plugins" of this slice is in it, each JSON write route
// shows an example, and the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/deliverables", "post /api/v1/{slug}/deliverables", "get /api/v1/{slug}/deliverables/{id}",
		"post /api/v1/{slug}/deliverables/{id}/resubmit", "post /api/v1/{slug}/deliverables/{id}/approve", "post /api/v1/{slug}/deliverables/{id}/reject")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "/deliverables") })
	if got := doc.Dig("components", "schemas", "DeliverableInput", "required"); !reflect.DeepEqual(got, []any{"project_id", "company_id", "title"}) {
		t.Errorf("DeliverableInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Deliverable", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"pending", "approved", "rejected"}) {
		t.Errorf("Deliverable state enum = %v", got)
	}
}
