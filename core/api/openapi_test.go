package api_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
)

// Day is a calendar day carried in a string, as a module would declare one.
type Day string

func (Day) OpenAPISchema() map[string]any {
	return map[string]any{"type": []any{"string", "null"}, "format": "date", "example": "2026-05-04"}
}

type Step struct {
	Title string `json:"title" openapi:"required" example:"Draft"`
}

type Base struct {
	OwnerID int64 `json:"owner_id" openapi:"required" example:"7"`
}

type ListInput struct {
	Base
	Name       string    `json:"name" openapi:"required" example:"Launch"`
	Visibility string    `json:"visibility" enum:"internal,clients" example:"clients"`
	Priority   *string   `json:"priority" enum:"low,high"`
	Status     string    `json:"status" openapi:"required" enum:"open,in_progress,done"`
	Email      string    `json:"email" openapi:"required" format:"email"`
	DueOn      Day       `json:"due_on" example:"2026-06-01"`
	StartsOn   Day       `json:"starts_on" openapi:"required"`
	At         time.Time `json:"at"`
	Count      int32     `json:"count" example:"3"`
	Tags       []string  `json:"tags" enum:"red,blue" example:"red,blue"`
	IDs        []int64   `json:"ids" example:"[1,2]"`
	Steps      []Step    `json:"steps"`
	Weight     *float64  `json:"weight"`
	Notes      string    `json:"notes"`
	Until      *string   `json:"until" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"`
}

type Ack struct {
	ID int64 `json:"id" openapi:"required"`
}

type Quiet struct {
	Note string `json:"note"`
}

func sampleDoc(t *testing.T) map[string]any {
	t.Helper()
	var rs api.Routes
	h := func(c *fiber.Ctx) error { return nil }
	rs.Post("/api/v1/:slug/lists", api.Can("lists", "create"), h, api.Doc{Summary: "Create", Request: ListInput{}, Response: Ack{}, Status: 201,
		Query: []api.Param{{Name: "state", Type: "string", Enum: []string{"active", "archived"}, Required: true}, {Name: "since", Type: "string", Format: "date"}}})
	rs.Patch("/api/v1/:slug/quiet", api.Can("lists", "update"), h, api.Doc{Summary: "Quiet", Request: Quiet{}})
	rs.Put("/api/v1/:slug/given", api.Can("lists", "update"), h, api.Doc{Summary: "Given", Request: Quiet{}, Example: map[string]any{"note": "hello"}})
	b, err := json.Marshal(api.OpenAPI(rs.All(), "1"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpenAPIRequiredEnumsFormatsExamples(t *testing.T) {
	d := sampleDoc(t)
	s := dig(d, "components", "schemas", "ListInput")
	props, _ := dig(s, "properties").(map[string]any)
	if props == nil {
		t.Fatalf("ListInput schema: %v", s)
	}
	// Required: the embedded struct's first, in field order.
	if got := dig(s, "required"); !reflect.DeepEqual(got, []any{"owner_id", "name", "status", "email", "starts_on"}) {
		t.Errorf("required = %v", got)
	}
	if got := dig(d, "components", "schemas", "Ack", "required"); !reflect.DeepEqual(got, []any{"id"}) {
		t.Errorf("Ack required = %v", got)
	}
	if got := dig(d, "components", "schemas", "Quiet", "required"); got != nil {
		t.Errorf("Quiet has no required field: %v", got)
	}
	checks := []struct {
		path []string
		want any
	}{
		{[]string{"visibility", "enum"}, []any{"internal", "clients"}},
		{[]string{"status", "enum"}, []any{"open", "in_progress", "done"}},
		{[]string{"priority", "enum"}, []any{"low", "high", nil}}, // a pointer: null is accepted
		{[]string{"priority", "type"}, []any{"string", "null"}},
		{[]string{"tags", "items", "enum"}, []any{"red", "blue"}},
		{[]string{"email", "format"}, "email"},
		{[]string{"due_on", "format"}, "date"},
		{[]string{"due_on", "type"}, []any{"string", "null"}},
		{[]string{"at", "format"}, "date-time"},
		{[]string{"owner_id", "format"}, "int64"},
		{[]string{"count", "format"}, "int32"},
		{[]string{"ids", "items", "format"}, "int64"},
		{[]string{"weight", "type"}, []any{"number", "null"}},
		{[]string{"until", "pattern"}, "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"},
		{[]string{"steps", "items", "$ref"}, "#/components/schemas/Step"},
		{[]string{"name", "example"}, "Launch"},
		{[]string{"count", "example"}, 3.0},
		{[]string{"tags", "example"}, []any{"red", "blue"}},
		{[]string{"ids", "example"}, []any{1.0, 2.0}},
		{[]string{"due_on", "example"}, "2026-06-01"},
	}
	for _, c := range checks {
		if got := dig(props, c.path...); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v = %#v, want %#v", c.path, got, c.want)
		}
	}

	// The example body: tagged values, a plausible value for each required field without one,
	// nested structs' examples; untagged optional fields are left out.
	ex := dig(d, "paths", "/api/v1/{slug}/lists", "post", "requestBody", "content", "application/json", "example")
	want := map[string]any{
		"owner_id": 7.0, "name": "Launch", "visibility": "clients", "status": "open", "email": "ada@example.com",
		"due_on": "2026-06-01", "starts_on": "2026-05-04", "count": 3.0, "tags": []any{"red", "blue"},
		"ids": []any{1.0, 2.0}, "steps": []any{map[string]any{"title": "Draft"}},
	}
	if !reflect.DeepEqual(ex, want) {
		t.Errorf("example body\n got %#v\nwant %#v", ex, want)
	}
	if ex := dig(d, "paths", "/api/v1/{slug}/quiet", "patch", "requestBody", "content", "application/json"); dig(ex, "example") != nil {
		t.Errorf("nothing to say, no example: %v", ex)
	}
	if ex := dig(d, "paths", "/api/v1/{slug}/given", "put", "requestBody", "content", "application/json", "example"); !reflect.DeepEqual(ex, map[string]any{"note": "hello"}) {
		t.Errorf("Doc.Example wins: %v", ex)
	}

	params, _ := dig(d, "paths", "/api/v1/{slug}/lists", "post", "parameters").([]any)
	if len(params) != 3 {
		t.Fatalf("parameters: %v", params)
	}
	if p := params[1]; dig(p, "required") != true || !reflect.DeepEqual(dig(p, "schema", "enum"), []any{"active", "archived"}) {
		t.Errorf("state parameter: %v", p)
	}
	if p := params[2]; dig(p, "schema", "format") != "date" || dig(p, "required") != nil {
		t.Errorf("since parameter: %v", p)
	}
}

// TestOpenAPIValidates: the sample document passes kin-openapi's validator, which also checks
// each example against its schema — and fails it when an example breaks an enum.
func TestOpenAPIValidates(t *testing.T) {
	load := func(d map[string]any) error {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		spec, err := openapi3.NewLoader().LoadFromData(b)
		if err != nil {
			return err
		}
		return spec.Validate(context.Background())
	}
	if err := load(sampleDoc(t)); err != nil {
		t.Fatalf("the sample document is not valid: %v", err)
	}
	var rs api.Routes
	h := func(c *fiber.Ctx) error { return nil }
	rs.Post("/api/v1/:slug/lists", api.Can("lists", "create"), h, api.Doc{Summary: "Create", Request: ListInput{},
		Example: map[string]any{"owner_id": 1, "name": "x", "status": "closed", "email": "a@b.c", "starts_on": "2026-01-01"}})
	if err := load(api.OpenAPI(rs.All(), "1")); err == nil {
		t.Error("an example with status outside its enum passed validation")
	}
}

// Problem shares its name with problem.Problem, which every document holds.
type Problem struct {
	Code string `json:"code"`
}

// TestOpenAPISameNameOtherPackage: two Go types of one name (audit.Event and events.Event)
// get a component each; the later one is qualified by its package.
func TestOpenAPISameNameOtherPackage(t *testing.T) {
	var rs api.Routes
	h := func(c *fiber.Ctx) error { return nil }
	rs.Get("/api/v1/:slug/odd", api.Can("odd", "read"), h, api.Doc{Summary: "Odd", Response: Problem{}})
	b, err := json.Marshal(api.OpenAPI(rs.All(), "1"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if ref := dig(d, "paths", "/api/v1/{slug}/odd", "get", "responses", "200", "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/api_test.Problem" {
		t.Errorf("ref = %v", ref)
	}
	if dig(d, "components", "schemas", "api_test.Problem", "properties", "code") == nil || dig(d, "components", "schemas", "Problem", "properties", "status") == nil {
		t.Errorf("schemas: %v", keys(dig(d, "components", "schemas").(map[string]any)))
	}
}
