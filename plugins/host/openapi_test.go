package host_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPI: the plugins API of shared/API.md is in the document, valid, with examples of
// its write routes and the plugin state's enum.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/plugins", "get /api/v1/{slug}/plugins/{name}", "post /api/v1/{slug}/plugins/{name}/enable", "post /api/v1/{slug}/plugins/{name}/disable")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "/plugins") })
	if got := doc.Dig("components", "schemas", "Plugin", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"stopped", "running", "failed", "refused", "invalid"}) {
		t.Errorf("Plugin state enum = %v", got)
	}
}
