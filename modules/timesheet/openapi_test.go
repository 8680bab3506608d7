package timesheet_test

import (
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPIForIntegrators: the document with the timesheet routes is valid OpenAPI, every
// route of shared/API.md "Timesheets" of this slice is in it, each write route with a body
// shows an example, and the types state their required fields and enums.
func TestOpenAPIForIntegrators(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/time-entries", "post /api/v1/{slug}/time-entries", "patch /api/v1/{slug}/time-entries/{id}",
		"delete /api/v1/{slug}/time-entries/{id}", "get /api/v1/{slug}/time-categories", "post /api/v1/{slug}/time-categories",
		"get /api/v1/{slug}/timesheets/{user_id}/{week}", "post /api/v1/{slug}/timesheets/{user_id}/{week}/submit",
		"post /api/v1/{slug}/timesheets/{user_id}/{week}/approve", "post /api/v1/{slug}/timesheets/{user_id}/{week}/reject")
	doc.Examples(t, func(p string) bool { return strings.Contains(p, "time") })
	if got := doc.Dig("components", "schemas", "EntryInput", "required"); !reflect.DeepEqual(got, []any{"date"}) {
		t.Errorf("EntryInput required = %v", got)
	}
	if got := doc.Dig("components", "schemas", "Timesheet", "properties", "state", "enum"); !reflect.DeepEqual(got, []any{"open", "submitted", "approved", "rejected"}) {
		t.Errorf("Timesheet state enum = %v", got)
	}
}

// dig is testkit.Dig, for the timers test.
func dig(v any, path ...string) any { return testkit.Dig(v, path...) }
