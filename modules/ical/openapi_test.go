package ical_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"groupcamp/core/testkit"
)

// TestOpenAPI: the document with the feed's routes is valid, documents them, and GET
// /api/v1/me's body names ical_url.
func TestOpenAPI(t *testing.T) {
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
	if spec.Paths.Find("/api/v1/me/ical") == nil || spec.Paths.Find("/api/v1/me/ical").Get == nil {
		t.Error("GET /api/v1/me/ical is not documented")
	}
	if p := spec.Paths.Find("/api/v1/me/ical/rotate"); p == nil || p.Post == nil {
		t.Error("POST /api/v1/me/ical/rotate is not documented")
	}
	me, ok := spec.Components.Schemas["Me"]
	if !ok {
		b, _ := json.Marshal(spec.Components.Schemas)
		t.Fatalf("no Me schema: %.300s", b)
	}
	if _, ok := me.Value.Properties["ical_url"]; !ok {
		t.Error("Me does not name ical_url")
	}
}
