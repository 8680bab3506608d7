package gcapi_test

import (
	"reflect"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPI: the document is valid with our key pair routes (shared/API.md
// "GroupCamp-compatible API") in it, and a creation shows its secret.
func TestOpenAPI(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	// GroupCamp's own paths are outside /api/v1: GroupCamp's documentation describes them.
	doc.Documents(t, "get /api/v1/{slug}/gcapi-keys", "post /api/v1/{slug}/gcapi-keys", "delete /api/v1/{slug}/gcapi-keys/{key}")
	if got := doc.Dig("components", "schemas", "KeyInput", "required"); !reflect.DeepEqual(got, []any{"application"}) {
		t.Errorf("KeyInput required = %v", got)
	}
	if doc.Dig("components", "schemas", "NewKey", "properties", "secret") == nil {
		t.Error("the answer of a creation does not show the secret")
	}
}
