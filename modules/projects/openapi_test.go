package projects_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"groupcamp/modules/projects"
)

// TestOpenAPIForIntegrators: the served document is valid OpenAPI (kin-openapi's loader and
// validator, examples checked against their schemas), every write route with a body shows an
// example, and the projects module's types state their required fields, enums and formats.
func TestOpenAPIForIntegrators(t *testing.T) {
	e, _ := start(t, "sqlite")
	r := e.Anonymous().Get("/api/v1/openapi.json")
	if r.Status != http.StatusOK {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	var doc map[string]any
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}

	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(r.Body)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := spec.Validate(context.Background()); err != nil {
		t.Fatalf("kin-openapi: the document is not valid: %v", err)
	}

	paths, _ := doc["paths"].(map[string]any)
	writes := 0
	for p, ops := range paths {
		for m, op := range ops.(map[string]any) {
			if m != "post" && m != "put" && m != "patch" {
				continue
			}
			body, ok := dig(op, "requestBody", "content", "application/json").(map[string]any)
			if !ok {
				continue
			}
			writes++
			ex, ok := body["example"].(map[string]any)
			if !ok || len(ex) == 0 {
				t.Errorf("%s %s: no example request body", m, p)
			}
		}
	}
	if writes < 20 {
		t.Errorf("only %d write routes with a body", writes)
	}

	schema := func(name string) map[string]any {
		s, _ := dig(doc, "components", "schemas", name).(map[string]any)
		if s == nil {
			t.Fatalf("schema %s missing", name)
		}
		return s
	}
	// Creating a list: name required, visibility internal or clients; the route's example.
	list := schema("ListInput")
	if got := list["required"]; !reflect.DeepEqual(got, []any{"name"}) {
		t.Errorf("ListInput required = %v", got)
	}
	if got := dig(list, "properties", "visibility", "enum"); !reflect.DeepEqual(got, []any{projects.VisibilityInternal, projects.VisibilityClients}) {
		t.Errorf("ListInput visibility enum = %v", got)
	}
	if got := dig(list, "properties", "company_ids", "items", "format"); got != "int64" {
		t.Errorf("ListInput company_ids items format = %v", got)
	}
	ex := dig(paths, "/api/v1/{slug}/projects/{id}/lists", "post", "requestBody", "content", "application/json", "example")
	if dig(ex, "name") != "Design" || dig(ex, "visibility") != "clients" {
		t.Errorf("list create example: %v", ex)
	}

	// The tags name the module's constants: a new value must reach the document.
	enums := []struct {
		schema, prop string
		want         []string
	}{
		{"TaskList", "visibility", []string{projects.VisibilityInternal, projects.VisibilityClients}},
		{"Task", "status", []string{projects.StatusOpen, projects.StatusInProgress, projects.StatusDone}},
		{"Task", "priority", []string{projects.PriorityLow, projects.PriorityNormal, projects.PriorityHigh, projects.PriorityUrgent}},
		{"TaskInput", "priority", []string{projects.PriorityLow, projects.PriorityNormal, projects.PriorityHigh, projects.PriorityUrgent}},
		{"Project", "state", []string{projects.StateActive, projects.StateArchived, projects.StateTrash}},
		{"Project", "access", []string{projects.AccessOpen, projects.AccessInvite}},
		{"ProjectMember", "role", []string{projects.RoleManager, projects.RoleMember, projects.RoleClient}},
		{"MemberInput", "role", []string{projects.RoleManager, projects.RoleMember, projects.RoleClient}},
		{"StatusInput", "color", projects.Colors},
		{"LabelInput", "color", projects.Colors},
		{"Label", "color", projects.Colors},
		{"RecurrenceInput", "every", []string{projects.EveryDay, projects.EveryWeek, projects.EveryMonth, projects.EveryNone}},
	}
	for _, c := range enums {
		got, _ := dig(schema(c.schema), "properties", c.prop, "enum").([]any)
		var have []string
		for _, v := range got {
			if s, ok := v.(string); ok {
				have = append(have, s)
			}
		}
		if !slices.Equal(have, c.want) {
			t.Errorf("%s.%s enum = %v, want %v", c.schema, c.prop, got, c.want)
		}
	}
	if got := dig(schema("ProjectInput"), "properties", "apps", "items", "enum"); !reflect.DeepEqual(got, strsAny(projects.AllApps)) {
		t.Errorf("ProjectInput apps enum = %v, want %v", got, projects.AllApps)
	}

	formats := []struct {
		schema, prop, want string
	}{
		{"Task", "due_on", "date"},
		{"Task", "created_at", "date-time"},
		{"Task", "id", "int64"},
		{"TaskInput", "due_on", "date"},
		{"MilestoneInput", "due_on", "date"},
		{"ProjectMember", "email", "email"},
	}
	for _, c := range formats {
		if got := dig(schema(c.schema), "properties", c.prop, "format"); got != c.want {
			t.Errorf("%s.%s format = %v, want %s", c.schema, c.prop, got, c.want)
		}
	}
	for name, want := range map[string][]any{
		"TaskInput":      {"list_id", "title"},
		"MilestoneInput": {"name", "due_on"},
		"MemberInput":    {"role"},
		"CommentInput":   {"body"},
		"ProjectInput":   {"name"},
	} {
		if got := schema(name)["required"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s required = %v, want %v", name, got, want)
		}
	}
}

func strsAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// dig walks nested maps decoded from JSON.
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
