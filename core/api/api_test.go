package api_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/valyala/fasthttp"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// newApp is a bare Fiber app with the API error handler, so problems render as they do in
// the real App.
func newApp() *fiber.App {
	return fiber.New(fiber.Config{ErrorHandler: api.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil)))})
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) problem(t *testing.T) problemBody {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json (body %s)", ct, r.body)
	}
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem is not JSON: %v: %s", err, r.body)
	}
	if p.Status != r.status {
		t.Fatalf("problem status %d, HTTP status %d", p.Status, r.status)
	}
	return p
}

type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func do(t *testing.T, app *fiber.App, method, target, contentType, body string) result {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

type widgetInput struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags"`
	On    bool     `json:"on"`
	Inner struct {
		Level int `json:"level"`
	} `json:"inner"`
}

func decodeApp() *fiber.App {
	app := newApp()
	app.Post("/", func(c *fiber.Ctx) error {
		var in widgetInput
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		return c.JSON(in)
	})
	return app
}

func TestDecodeAcceptsAStrictBody(t *testing.T) {
	app := decodeApp()
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON"} {
		r := do(t, app, "POST", "/", ct, `{"name":"w","count":3,"tags":["a"],"on":true,"inner":{"level":2}}`)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", ct, r.status, r.body)
		}
		var got widgetInput
		_ = json.Unmarshal(r.body, &got)
		if got.Name != "w" || got.Count != 3 || len(got.Tags) != 1 || !got.On || got.Inner.Level != 2 {
			t.Fatalf("decoded %+v", got)
		}
	}
}

func TestDecodeRefusals(t *testing.T) {
	app := decodeApp()
	cases := []struct {
		name, ct, body string
		status         int
		field, message string // the field error expected, if any
		detail         string // a part of the detail expected
	}{
		{name: "unknown field", body: `{"name":"w","colour":"red"}`, status: 400, field: "colour", message: "unknown field", detail: `unknown field "colour"`},
		{name: "string for number", body: `{"count":"three"}`, status: 400, field: "count", message: "must be a number", detail: "wrong type"},
		{name: "number for string", body: `{"name":42}`, status: 400, field: "name", message: "must be a string"},
		{name: "string for array", body: `{"tags":"a,b"}`, status: 400, field: "tags", message: "must be an array"},
		{name: "number for bool", body: `{"on":1}`, status: 400, field: "on", message: "must be true or false"},
		{name: "nested wrong type", body: `{"inner":{"level":"high"}}`, status: 400, field: "inner.level", message: "must be a number"},
		{name: "array for object", body: `[1,2]`, status: 400, message: "must be an object"},
		{name: "two values", body: `{"name":"a"} {"name":"b"}`, status: 400, detail: "single JSON value"},
		{name: "trailing garbage", body: `{"name":"a"}xyz`, status: 400, detail: "single JSON value"},
		{name: "empty body", body: ``, status: 400, detail: "empty or truncated"},
		{name: "only spaces", body: "   \n", status: 400, detail: "empty or truncated"},
		{name: "truncated", body: `{"name":`, status: 400, detail: "empty or truncated"},
		{name: "malformed", body: `{name: "w"}`, status: 400, detail: "malformed JSON at byte"},
		{name: "form content type", ct: "application/x-www-form-urlencoded", body: `name=w`, status: 400, detail: "application/json"},
		{name: "no content type", ct: "-", body: `{"name":"w"}`, status: 400, detail: "application/json"},
		{name: "larger than 1 MiB", body: `{"name":"` + strings.Repeat("x", api.MaxBody) + `"}`, status: 413},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct := tc.ct
			switch ct {
			case "":
				ct = "application/json"
			case "-":
				ct = ""
			}
			r := do(t, app, "POST", "/", ct, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			p := r.problem(t)
			if tc.detail != "" && !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", p.Detail, tc.detail)
			}
			if tc.message != "" {
				if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Message != tc.message {
					t.Errorf("errors %+v, want [{%s %s}]", p.Errors, tc.field, tc.message)
				}
			}
		})
	}
}

func pageApp() *fiber.App {
	app := newApp()
	app.Get("/", func(c *fiber.Ctx) error {
		p, err := api.ParsePage(c)
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"limit": p.Limit, "after": p.After})
	})
	return app
}

func TestParsePage(t *testing.T) {
	app := pageApp()
	ok := map[string][2]int64{
		"":                                      {api.DefaultLimit, 0},
		"?limit=1":                              {1, 0},
		"?limit=200":                            {200, 0},
		"?limit=50&cursor=" + api.Cursor(12345): {50, 12345},
		"?cursor=" + api.Cursor(1<<62):          {api.DefaultLimit, 1 << 62},
	}
	for q, want := range ok {
		r := do(t, app, "GET", "/"+q, "", "")
		if r.status != 200 {
			t.Fatalf("%q: status %d: %s", q, r.status, r.body)
		}
		var got struct{ Limit, After int64 }
		_ = json.Unmarshal(r.body, &got)
		if got.Limit != want[0] || got.After != want[1] {
			t.Errorf("%q: limit %d after %d, want %v", q, got.Limit, got.After, want)
		}
	}

	enc := func(s string) string { return "?cursor=" + url.QueryEscape(s) }
	bad := map[string][]string{
		"?limit=0":              {"limit"},
		"?limit=201":            {"limit"},
		"?limit=-5":             {"limit"},
		"?limit=ten":            {"limit"},
		"?limit=1.5":            {"limit"},
		enc("!!!"):              {"cursor"},
		enc("MTIz===="):         {"cursor"}, // padding: not what Cursor returns
		"?cursor=" + b64("abc"): {"cursor"},
		"?cursor=" + b64("0"):   {"cursor"},
		"?cursor=" + b64("-7"):  {"cursor"},
		"?limit=0&cursor=zz~":   {"limit", "cursor"},
	}
	for q, fields := range bad {
		r := do(t, app, "GET", "/"+q, "", "")
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%q: status %d, want 422: %s", q, r.status, r.body)
			continue
		}
		p := r.problem(t)
		var got []string
		for _, e := range p.Errors {
			got = append(got, e.Field)
		}
		if strings.Join(got, ",") != strings.Join(fields, ",") {
			t.Errorf("%q: fields %v, want %v", q, got, fields)
		}
	}
}

// b64 encodes a hand-made cursor the way api.Cursor does.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestCursorIsURLSafe(t *testing.T) {
	for _, id := range []int64{1, 42, 1 << 40, 1<<63 - 1} {
		c := api.Cursor(id)
		if url.QueryEscape(c) != c {
			t.Errorf("cursor %q for %d needs escaping in a query string", c, id)
		}
	}
}

func TestMakeList(t *testing.T) {
	type item struct{ ID int64 }
	p := api.Page{Limit: 2}
	id := func(i item) int64 { return i.ID }

	full := api.MakeList([]item{{5}, {7}, {9}}, p, id) // fetched Limit+1: more remain
	if len(full.Items) != 2 || full.Items[1].ID != 7 || full.NextCursor != api.Cursor(7) {
		t.Fatalf("with one extra row: %+v", full)
	}
	last := api.MakeList([]item{{5}, {7}}, p, id)
	if len(last.Items) != 2 || last.NextCursor != "" {
		t.Fatalf("last page: %+v", last)
	}
	empty := api.MakeList[item](nil, p, id)
	b, _ := json.Marshal(empty)
	if string(b) != `{"items":[],"next_cursor":""}` {
		t.Fatalf("empty list encodes as %s, want items []", b)
	}
}

func TestPathID(t *testing.T) {
	app := newApp()
	app.Get("/things/:id", func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		return c.JSON(id)
	})
	if r := do(t, app, "GET", "/things/17", "", ""); r.status != 200 || string(r.body) != "17" {
		t.Fatalf("17: %d %s", r.status, r.body)
	}
	// Only the one spelling of an id names a row: "+17", "017" or "0x11" are not 17 (404).
	for _, bad := range []string{"0", "-3", "abc", "1e3", "99999999999999999999", "9223372036854775808",
		"+17", "017", "00", "-0", "0x11", "1e0", "17.0", "%2017", "17%20", "%2B17", "１７", "_17", "1_7"} {
		if r := do(t, app, "GET", "/things/"+bad, "", ""); r.status != 404 {
			t.Errorf("%s: status %d, want 404", bad, r.status)
		}
	}
}

func TestErrorHandler(t *testing.T) {
	app := newApp()
	app.Get("/problem", func(*fiber.Ctx) error { return problem.Conflict("slug", "taken") })
	app.Get("/throttled", func(*fiber.Ctx) error { return problem.TooManyRequests(30) })
	app.Get("/fiber", func(*fiber.Ctx) error { return fiber.ErrMethodNotAllowed })
	app.Get("/bug", func(*fiber.Ctx) error { return errors.New("pq: secret internal detail") })

	r := do(t, app, "GET", "/problem", "", "")
	p := r.problem(t)
	if r.status != 409 || len(p.Errors) != 1 || p.Errors[0].Field != "slug" || p.Type != "https://groupcamp.dev/problems/conflict" {
		t.Fatalf("conflict: %d %s", r.status, r.body)
	}
	r = do(t, app, "GET", "/throttled", "", "")
	if r.status != 429 || r.header.Get("Retry-After") != "30" {
		t.Fatalf("429: %d Retry-After=%q", r.status, r.header.Get("Retry-After"))
	}
	r = do(t, app, "GET", "/fiber", "", "")
	if r.status != 405 || r.problem(t).Title != "Method Not Allowed" {
		t.Fatalf("fiber error: %d %s", r.status, r.body)
	}
	r = do(t, app, "GET", "/bug", "", "")
	if r.status != 500 || strings.Contains(string(r.body), "secret") {
		t.Fatalf("unknown error must be a bare 500: %d %s", r.status, r.body)
	}
	r.problem(t)
}

func TestOpenAPIPath(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/me":                                  "/api/v1/me",
		"/api/v1/:slug/users":                         "/api/v1/{slug}/users",
		"/api/v1/:slug/users/:id":                     "/api/v1/{slug}/users/{id}",
		"/api/v1/:slug/teams/:id/members/:user_id":    "/api/v1/{slug}/teams/{id}/members/{user_id}",
		"/api/v1/invitations/:token/accept":           "/api/v1/invitations/{token}/accept",
		"/api/v1/:slug/projects/:projectID/tasks/:id": "/api/v1/{slug}/projects/{projectID}/tasks/{id}",
	} {
		if got := api.OpenAPIPath(in); got != want {
			t.Errorf("OpenAPIPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Sample types for the OpenAPI document.
type Person struct {
	Name    string  `json:"name"`
	Manager *Person `json:"manager,omitempty"` // a cycle: must not recurse forever
}

type Audited struct {
	CreatedBy string `json:"created_by"`
}

type Widget struct {
	Audited
	ID        int64          `json:"id"`
	Name      string         `json:"name,omitempty"`
	Price     float64        `json:"price"`
	Active    bool           `json:"active"`
	Tags      []string       `json:"tags"`
	Owner     *Person        `json:"owner"`
	Counts    map[string]int `json:"counts"`
	CreatedAt time.Time      `json:"created_at"`
	DueAt     *time.Time     `json:"due_at"`
	Secret    string         `json:"-"`
	NoTag     int
	hidden    int //nolint:unused
}

type WidgetInput struct {
	Name string `json:"name"`
}

func TestOpenAPIDocument(t *testing.T) {
	var rs api.Routes
	h := func(c *fiber.Ctx) error { return nil }
	rs.Get("/healthz", api.Public(), h) // not part of the API
	rs.Get("/api/v1/:slug/widgets", api.Can("widgets", "read"), h, api.Doc{Summary: "List widgets", Tag: "Widgets",
		Response: api.List[Widget]{}, Query: []api.Param{{Name: "limit", Type: "integer", Description: "page size"}}})
	rs.Post("/api/v1/:slug/widgets", api.Can("widgets", "create"), h, api.Doc{Summary: "Create a widget", Tag: "Widgets",
		Request: WidgetInput{}, Response: Widget{}, Status: 201})
	rs.Get("/api/v1/:slug/widgets/:id", api.Can("widgets", "read"), h, api.Doc{Response: &Widget{}})
	rs.Post("/api/v1/signup", api.Public(), h)
	rs.Get("/api/v1/platform/accounts", api.Platform("support"), h)
	rs.Get("/api/v1/me", api.Authenticated(), h)

	doc := api.OpenAPI(rs.All(), "1.2.3")
	// Through JSON, as clients see it.
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Version string }
		Paths   map[string]map[string]struct {
			Summary     string           `json:"summary"`
			OperationID string           `json:"operationId"`
			Tags        []string         `json:"tags"`
			Parameters  []map[string]any `json:"parameters"`
			RequestBody map[string]any   `json:"requestBody"`
			Responses   map[string]any   `json:"responses"`
			Security    *[]any           `json:"security"`
			Capability  string           `json:"x-capability"`
			Platform    string           `json:"x-platform-role"`
		}
		Components struct {
			Schemas map[string]struct {
				Ref        string                    `json:"$ref"`
				Type       string                    `json:"type"`
				Properties map[string]map[string]any `json:"properties"`
			}
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.OpenAPI != "3.1.0" || d.Info.Version != "1.2.3" {
		t.Fatalf("header: openapi %q version %q", d.OpenAPI, d.Info.Version)
	}
	if _, ok := d.Paths["/healthz"]; ok {
		t.Error("a non-API route is in the document")
	}
	for _, p := range []string{"/api/v1/{slug}/widgets", "/api/v1/{slug}/widgets/{id}", "/api/v1/signup", "/api/v1/platform/accounts", "/api/v1/me"} {
		if _, ok := d.Paths[p]; !ok {
			t.Errorf("path %s missing; have %v", p, keys(d.Paths))
		}
	}

	list := d.Paths["/api/v1/{slug}/widgets"]["get"]
	if list.Summary != "List widgets" || list.Capability != "widgets:read" || len(list.Tags) != 1 || list.Tags[0] != "Widgets" {
		t.Errorf("list op: %+v", list)
	}
	if list.OperationID != "get_slug_widgets" {
		t.Errorf("operationId %q", list.OperationID)
	}
	if len(list.Parameters) != 2 || list.Parameters[0]["name"] != "slug" || list.Parameters[0]["in"] != "path" ||
		list.Parameters[1]["name"] != "limit" || list.Parameters[1]["in"] != "query" {
		t.Errorf("list parameters: %v", list.Parameters)
	}
	if _, ok := list.Responses["200"]; !ok {
		t.Errorf("list responses: %v", list.Responses)
	}
	if _, ok := list.Responses["default"]; !ok {
		t.Error("every operation documents the problem response as default")
	}
	// The generic envelope is inlined, its items refer to the Widget schema.
	items := dig(list.Responses, "200", "content", "application/json", "schema", "properties", "items", "items", "$ref")
	if items != "#/components/schemas/Widget" {
		t.Errorf("list items schema: %v", items)
	}

	create := d.Paths["/api/v1/{slug}/widgets"]["post"]
	if _, ok := create.Responses["201"]; !ok || create.Capability != "widgets:create" {
		t.Errorf("create op: %+v", create)
	}
	if ref := dig(create.RequestBody, "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/WidgetInput" {
		t.Errorf("request body schema: %v", ref)
	}
	if ref := dig(d.Paths["/api/v1/{slug}/widgets/{id}"]["get"].Responses, "200", "content", "application/json", "schema", "$ref"); ref != "#/components/schemas/Widget" {
		t.Errorf("a pointer response must refer to the struct: %v", ref)
	}

	if s := d.Paths["/api/v1/signup"]["post"].Security; s == nil || len(*s) != 0 {
		t.Errorf("a public route must have security: [] (got %v)", s)
	}
	if d.Paths["/api/v1/platform/accounts"]["get"].Platform != "support" {
		t.Error("a platform route must carry x-platform-role")
	}
	if me := d.Paths["/api/v1/me"]["get"]; me.Security != nil || me.Capability != "" {
		t.Errorf("an authenticated route uses the global security: %+v", me)
	}

	w, ok := d.Components.Schemas["Widget"]
	if !ok || w.Type != "object" {
		t.Fatalf("Widget schema missing: %v", keys(d.Components.Schemas))
	}
	want := map[string]string{
		"id": "integer", "name": "string", "price": "number", "active": "boolean", "tags": "array",
		"counts": "object", "created_at": "string", "due_at": "string", "created_by": "string", "NoTag": "integer",
	}
	for name, typ := range want {
		got := w.Properties[name]["type"]
		if name == "due_at" { // a pointer: nullable
			if a, ok := got.([]any); ok && len(a) == 2 && a[1] == "null" {
				got = a[0]
			}
		}
		if got != typ {
			t.Errorf("Widget.%s type %v, want %s", name, got, typ)
		}
	}
	if w.Properties["created_at"]["format"] != "date-time" || w.Properties["due_at"]["format"] != "date-time" {
		t.Error("times must be date-time strings")
	}
	if w.Properties["owner"]["$ref"] != "#/components/schemas/Person" {
		t.Errorf("owner: %v", w.Properties["owner"])
	}
	if dig(w.Properties["tags"], "items", "type") != "string" || dig(w.Properties["counts"], "additionalProperties", "type") != "integer" {
		t.Errorf("tags %v counts %v", w.Properties["tags"], w.Properties["counts"])
	}
	for _, hidden := range []string{"Secret", "-", "hidden", "Audited"} {
		if _, ok := w.Properties[hidden]; ok {
			t.Errorf("property %q must not be documented", hidden)
		}
	}
	if len(w.Properties) != len(want)+1 { // + owner
		t.Errorf("Widget has %d properties: %v", len(w.Properties), keys(w.Properties))
	}
	if p := d.Components.Schemas["Person"]; p.Properties["manager"]["$ref"] != "#/components/schemas/Person" {
		t.Errorf("the self-reference must be a $ref: %v", p.Properties)
	}
	pr := d.Components.Schemas["Problem"]
	if ref, ok := strings.CutPrefix(pr.Ref, "#/components/schemas/"); ok {
		pr = d.Components.Schemas[ref]
	}
	if pr.Properties["status"]["type"] != "integer" || pr.Properties["errors"]["type"] != "array" {
		t.Errorf("Problem schema: %v", pr.Properties)
	}
}

func TestRoutesRefuseUnguardedRoutes(t *testing.T) {
	h := func(c *fiber.Ctx) error { return nil }
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: registered without a panic", name)
			}
		}()
		f()
	}
	var rs api.Routes
	mustPanic("no guard", func() { rs.Get("/api/v1/x", api.Guard{}, h) })
	mustPanic("two guards", func() { rs.Get("/api/v1/x", api.Guard{Public: true, Authenticated: true}, h) })
	mustPanic("capability without action", func() { rs.Get("/api/v1/:slug/x", api.Guard{Object: "x"}, h) })
	mustPanic("capability without :slug", func() { rs.Get("/api/v1/x", api.Can("x", "read"), h) })
	if len(rs.All()) != 0 {
		t.Fatalf("refused routes were kept: %v", rs.All())
	}
	rs.Delete("/api/v1/:slug/x/:id", api.Can("x", "delete"), h)
	if r := rs.All(); len(r) != 1 || r[0].Method != "DELETE" || r[0].Guard.Capability() != "x:delete" || !r[0].IsAPI() {
		t.Fatalf("routes: %+v", r)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
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

// A transaction the database gave up on (a deadlock, SQLite still busy) is a 409 to try again,
// never a 500: nothing was written.
func TestContentionIsAConflict(t *testing.T) {
	app := fiber.New()
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, err := range []error{
		fmt.Errorf("update: %w", &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}),
		&pgconn.PgError{Code: "40001", Message: "could not serialize access"},
	} {
		p := api.ToProblem(quiet, c, err)
		if p.Status != http.StatusConflict || p.RetryAfter == 0 {
			t.Errorf("%v: %d (retry after %d), want 409 with Retry-After", err, p.Status, p.RetryAfter)
		}
	}
	if p := api.ToProblem(quiet, c, &pgconn.PgError{Code: "42P01"}); p.Status != http.StatusInternalServerError {
		t.Errorf("another database error: %d, want 500", p.Status)
	}
}
