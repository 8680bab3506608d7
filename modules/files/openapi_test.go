package files_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the files routes is valid OpenAPI, every route
// of shared/API.md "Files" of this slice is in it, each JSON write route shows an example, and
// the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/folders", "post /api/v1/{slug}/folders", "get /api/v1/{slug}/folders/{id}",
		"patch /api/v1/{slug}/folders/{id}", "delete /api/v1/{slug}/folders/{id}", "post /api/v1/{slug}/folders/{id}/files", "get /api/v1/{slug}/files/{id}/thumbnail",
		"get /api/v1/{slug}/files/{id}", "patch /api/v1/{slug}/files/{id}", "delete /api/v1/{slug}/files/{id}",
		"get /api/v1/{slug}/files/{id}/download", "get /api/v1/{slug}/files/{id}/versions", "post /api/v1/{slug}/files/{id}/versions",
		"post /api/v1/{slug}/files/{id}/versions/{n}/restore", "post /api/v1/{slug}/files/{id}/restore", "get /api/v1/{slug}/trash/files",
		"post /api/v1/{slug}/files/{id}/links", "get /api/v1/{slug}/files/{id}/links", "delete /api/v1/{slug}/files/{id}/links/{link_id}",
		"post /api/v1/{slug}/files/{id}/copy", "post /api/v1/{slug}/folders/{id}/copy", "post /api/v1/{slug}/trash/files/empty",
		"get /api/v1/{slug}/trash/files/settings", "patch /api/v1/{slug}/trash/files/settings", "get /api/v1/{slug}/folders/personal")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "/folders") || strings.Contains(p, "/files") })
	if got := doc.Dig("components", "schemas", "FolderInput", "required"); !reflect.DeepEqual(got, []any{"name"}) {
		t.Errorf("FolderInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Folder", "properties", "visibility", "enum"); !reflect.DeepEqual(got, []any{"internal", "clients"}) {
		t.Errorf("Folder visibility enum = %v", got)
	}
	if doc.Dig("components", "schemas", "Folder", "properties", "owner_id") == nil {
		t.Errorf("Folder has no owner_id (the personal space's)")
	}
	if got := doc.Dig("components", "schemas", "Link", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"active", "expired", "revoked", "exhausted"}) {
		t.Errorf("Link state enum = %v", got)
	}
	if got := doc.Dig("components", "schemas", "CopyInput", "required"); !reflect.DeepEqual(got, []any{"folder_id"}) {
		t.Errorf("CopyInput required = %v", got)
	}
	// Uploads are documented as what browsers and curl -F send: a binary part "file".
	for _, p := range []string{"/api/v1/{slug}/folders/{id}/files", "/api/v1/{slug}/files/{id}/versions"} {
		if got := doc.Dig("paths", p, "post", "requestBody", "content", "multipart/form-data", "schema", "properties", "file", "format"); got != "binary" {
			t.Errorf("%s: the multipart part file is %v", p, got)
		}
	}
	if doc.Dig("paths", "/api/v1/{slug}/files/{id}/thumbnail", "get") == nil {
		t.Errorf("the thumbnail is not in the document")
	}
	// The public side is a page, not part of the API.
	if doc.Dig("paths", "/s/{token}") != nil {
		t.Errorf("the share page is in the API document")
	}
}
