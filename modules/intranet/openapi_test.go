package intranet_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPI: the document is valid OpenAPI with every intranet route of shared/API.md (and the
// added ones), each JSON write route shows an example, and the inputs state their required fields.
func TestOpenAPI(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/spaces", "post /api/v1/{slug}/spaces", "get /api/v1/{slug}/news", "post /api/v1/{slug}/news",
		"post /api/v1/{slug}/news/{id}/read", "get /api/v1/{slug}/news/{id}/readers", "get /api/v1/{slug}/topics", "post /api/v1/{slug}/topics",
		"get /api/v1/{slug}/topics/{id}/replies", "post /api/v1/{slug}/topics/{id}/replies", "get /api/v1/{slug}/wiki", "post /api/v1/{slug}/wiki",
		"get /api/v1/{slug}/wiki/{id}", "put /api/v1/{slug}/wiki/{id}", "get /api/v1/{slug}/wiki/{id}/revisions", "get /api/v1/{slug}/wiki/{id}/diff",
		"post /api/v1/{slug}/wiki/{id}/revisions/{n}/restore", "get /api/v1/{slug}/wiki/{id}/backlinks", "get /api/v1/{slug}/directory", "get /api/v1/{slug}/news/unread", "post /api/v1/{slug}/news/{id}/comments",
		"put /api/v1/{slug}/news/{id}", "delete /api/v1/{slug}/news/{id}", "put /api/v1/{slug}/topics/{id}", "delete /api/v1/{slug}/topics/{id}",
		"put /api/v1/{slug}/news/{id}/comments/{comment_id}", "delete /api/v1/{slug}/topics/{id}/replies/{reply_id}", "post /api/v1/{slug}/news/{id}/reactions",
		"post /api/v1/{slug}/topics/{id}/replies/{reply_id}/reactions", "post /api/v1/{slug}/topics/{id}/subscribe", "post /api/v1/{slug}/topics/{id}/unsubscribe", "get /api/v1/{slug}/mentions",
		// A project's own wiki and discussions; events edited, deleted.
		"get /api/v1/{slug}/projects/{id}/space", "put /api/v1/{slug}/projects/{id}/space", "get /api/v1/{slug}/projects/{id}/topics",
		"post /api/v1/{slug}/projects/{id}/topics", "get /api/v1/{slug}/projects/{id}/topics/{item}", "get /api/v1/{slug}/projects/{id}/topics/{item}/replies",
		"post /api/v1/{slug}/projects/{id}/topics/{item}/replies", "get /api/v1/{slug}/projects/{id}/wiki", "post /api/v1/{slug}/projects/{id}/wiki",
		"get /api/v1/{slug}/projects/{id}/wiki/{item}", "put /api/v1/{slug}/events/{id}", "delete /api/v1/{slug}/events/{id}")
	doc.Examples(t, func(p string) bool {
		for _, s := range []string{"/spaces", "/news", "/topics", "/wiki"} {
			if strings.Contains(p, s) {
				return true
			}
		}
		return false
	})
	if got := doc.Dig("components", "schemas", "NewsInput", "required"); !reflect.DeepEqual(got, []any{"space_id", "title", "body"}) {
		t.Errorf("NewsInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "EventInput", "properties", "recurrence", "enum"); !reflect.DeepEqual(got, []any{"", "weekly", "monthly"}) {
		t.Errorf("EventInput recurrence enum = %v", got)
	}
	if got := doc.Dig("components", "schemas", "DiffPart", "properties", "op", "enum"); !reflect.DeepEqual(got, []any{"equal", "insert", "delete"}) {
		t.Errorf("DiffPart op enum = %v", got)
	}
}
