package files_test

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

// TestOpenAPIForIntegrators: the document with the files routes is valid OpenAPI, every route
// of shared/API.md "Files" of this slice is in it, each JSON write route shows an example, and
// the types state their required fields and enums.
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
	for _, want := range []string{"get /api/v1/{slug}/folders", "post /api/v1/{slug}/folders", "get /api/v1/{slug}/folders/{id}",
		"patch /api/v1/{slug}/folders/{id}", "delete /api/v1/{slug}/folders/{id}", "post /api/v1/{slug}/folders/{id}/files",
		"get /api/v1/{slug}/files/{id}", "patch /api/v1/{slug}/files/{id}", "delete /api/v1/{slug}/files/{id}",
		"get /api/v1/{slug}/files/{id}/download", "get /api/v1/{slug}/files/{id}/versions", "post /api/v1/{slug}/files/{id}/versions",
		"post /api/v1/{slug}/files/{id}/versions/{n}/restore", "post /api/v1/{slug}/files/{id}/restore", "get /api/v1/{slug}/trash/files",
		"post /api/v1/{slug}/files/{id}/links", "get /api/v1/{slug}/files/{id}/links", "delete /api/v1/{slug}/files/{id}/links/{link_id}",
		"post /api/v1/{slug}/files/{id}/copy", "post /api/v1/{slug}/folders/{id}/copy", "post /api/v1/{slug}/trash/files/empty",
		"get /api/v1/{slug}/trash/files/settings", "patch /api/v1/{slug}/trash/files/settings"} {
		method, path, _ := strings.Cut(want, " ")
		if dig(paths, path, method) == nil {
			t.Errorf("%s is not documented", want)
		}
	}
	for p, ops := range paths {
		if !strings.Contains(p, "/folders") && !strings.Contains(p, "/files") {
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
	if got := dig(doc, "components", "schemas", "FolderInput", "required"); !reflect.DeepEqual(got, []any{"name"}) {
		t.Errorf("FolderInput required = %v", got)
	}
	if got := dig(doc, "components", "schemas", "Folder", "properties", "visibility", "enum"); !reflect.DeepEqual(got, []any{"internal", "clients"}) {
		t.Errorf("Folder visibility enum = %v", got)
	}
	if got := dig(doc, "components", "schemas", "Link", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"active", "expired", "revoked", "exhausted"}) {
		t.Errorf("Link state enum = %v", got)
	}
	if got := dig(doc, "components", "schemas", "CopyInput", "required"); !reflect.DeepEqual(got, []any{"folder_id"}) {
		t.Errorf("CopyInput required = %v", got)
	}
	// The public side is a page, not part of the API.
	if dig(paths, "/s/{token}") != nil {
		t.Errorf("the share page is in the API document")
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
