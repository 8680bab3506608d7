package timesheet_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// The routes of the timers, the period lock and the team view are in openapi.json, with their
// examples and required fields.
func TestOpenAPITimers(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	r := e.Anonymous().Get("/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	var doc map[string]any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	paths := dig(doc, "paths").(map[string]any)
	for _, want := range []string{"post /api/v1/{slug}/timers/start", "post /api/v1/{slug}/timers/stop", "get /api/v1/{slug}/timers/current",
		"delete /api/v1/{slug}/timers/current", "get /api/v1/{slug}/timesheet/lock", "put /api/v1/{slug}/timesheet/lock", "get /api/v1/{slug}/timesheets"} {
		method, path, _ := strings.Cut(want, " ")
		op := dig(paths, path, method)
		if op == nil {
			t.Errorf("%s is not documented", want)
			continue
		}
		if method == "post" || method == "put" {
			if ex, ok := dig(op, "requestBody", "content", "application/json", "example").(map[string]any); !ok || len(ex) == 0 {
				t.Errorf("%s: no example request body", want)
			}
		}
	}
	if got := dig(doc, "components", "schemas", "LockInput", "required"); !reflect.DeepEqual(got, []any{"locked_before"}) {
		t.Errorf("LockInput required = %v", got)
	}
}
