package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/problem"
)

var pathParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// OpenAPIPath turns a Fiber path (/api/v1/:slug/users/:id) into OpenAPI form
// (/api/v1/{slug}/users/{id}).
func OpenAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

// OpenAPI assembles an OpenAPI 3.1 document from the API routes. Request and response bodies
// are described by reflecting on the Go structs the handlers decode and encode, so the
// document cannot drift from the code.
func OpenAPI(routes []Route, version string) map[string]any {
	paths := map[string]map[string]any{}
	g := newGen()
	schemas := g.schemas
	// Problem (and its FieldError) come from the type every error is written from.
	problemRef := g.schemaOf(reflect.TypeOf(problem.Problem{}))
	for _, r := range routes {
		if !r.IsAPI() {
			continue
		}
		p := OpenAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		op := map[string]any{
			"summary":     r.Doc.Summary,
			"operationId": strings.ToLower(r.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_").Replace(strings.TrimPrefix(p, "/api/v1")),
		}
		if r.Doc.Description != "" {
			op["description"] = r.Doc.Description
		}
		if r.Doc.Tag != "" {
			op["tags"] = []string{r.Doc.Tag}
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range r.Doc.Query {
			params = append(params, queryParam(q))
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.Doc.Request != nil {
			body := map[string]any{"schema": g.schemaOf(reflect.TypeOf(r.Doc.Request))}
			if ex := r.Doc.Example; ex != nil {
				body["example"] = ex
			} else if ex, ok := exampleOf(reflect.TypeOf(r.Doc.Request), 0); ok {
				body["example"] = ex
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": body}}
		}
		if part := r.Doc.Upload; part != "" {
			form := map[string]any{"schema": map[string]any{"type": "object", "required": []string{part},
				"properties": map[string]any{part: map[string]any{"type": "string", "format": "binary"}}}}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				rb["content"].(map[string]any)["multipart/form-data"] = form
			} else {
				op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": form}}
			}
		}
		status := r.Doc.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if r.Doc.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(r.Doc.Response))}}
		}
		responses := map[string]any{strconv.Itoa(status): ok,
			"default": map[string]any{"description": "an error", "content": map[string]any{"application/problem+json": map[string]any{"schema": problemRef}}}}
		op["responses"] = responses
		if r.Guard.Public {
			op["security"] = []any{}
		} else if c := r.Guard.Capability(); c != "" {
			op["x-capability"] = c
		} else if r.Guard.Platform != "" {
			op["x-platform-role"] = r.Guard.Platform
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "GroupCamp API", "version": version},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "groupcamp_session"},
			},
		},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
	}
}

var (
	timeType    = reflect.TypeOf(time.Time{})
	schemerType = reflect.TypeOf((*Schemer)(nil)).Elem()
)

// Schemer is implemented by a type whose JSON form reflection cannot tell from its Go kind
// (a calendar day carried in a string, a custom marshaller): its schema is used as is, inline,
// wherever the type appears. An "example" in it is the type's example value.
type Schemer interface {
	OpenAPISchema() map[string]any
}

// Struct tags read on request and response fields, next to `json`:
//
//	openapi:"required"       the field must be present (it lands in the object's required list)
//	enum:"internal,clients"  the accepted values (for a slice: of its elements)
//	format:"date"            date, date-time, email, uri, uuid... (for a slice: of its elements)
//	pattern:"^[a-z]+$"       a regular expression the text matches (a day that "" clears:
//	                         ^([0-9]{4}-[0-9]{2}-[0-9]{2})?$, since format date refuses "")
//	example:"Launch"         an example value: text as is for strings, else JSON (42, true,
//	                         ["a","b"]; a slice of strings also takes "a,b")
//
// int64 and int32 fields get format int64 and int32, time.Time date-time, and pointers to
// scalars are nullable. A write route's example body is built from the request struct's
// example tags, with a plausible value for each required field that has none.

// queryParam describes a query parameter.
func queryParam(q Param) map[string]any {
	typ := q.Type
	if typ == "" {
		typ = "string"
	}
	s := map[string]any{"type": typ}
	if q.Format != "" {
		s["format"] = q.Format
	}
	if len(q.Enum) > 0 {
		s["enum"] = enumValues(q.Enum, typ)
	}
	if q.Pattern != "" {
		s["pattern"] = q.Pattern
	}
	p := map[string]any{"name": q.Name, "in": "query", "schema": s}
	if q.Description != "" {
		p["description"] = q.Description
	}
	if q.Required {
		p["required"] = true
	}
	return p
}

// schemer returns t's own schema when t (or *t) implements Schemer.
func schemer(t reflect.Type) (map[string]any, bool) {
	if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
		return nil, false
	}
	if !t.Implements(schemerType) && !reflect.PointerTo(t).Implements(schemerType) {
		return nil, false
	}
	s := reflect.New(t).Interface().(Schemer).OpenAPISchema()
	out := make(map[string]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out, true
}

// gen assembles the component schemas of one document.
type gen struct {
	schemas map[string]any
	types   map[string]reflect.Type // which Go type owns each component name
}

func newGen() *gen { return &gen{schemas: map[string]any{}, types: map[string]reflect.Type{}} }

// name is the component name of a named struct ("" for an anonymous or generic one): its Go
// name, qualified by its package when another package's type took that name first
// (audit.Event and events.Event).
func (g *gen) name(t reflect.Type) string {
	name := t.Name()
	if name == "" || strings.Contains(name, "[") {
		return ""
	}
	if o, ok := g.types[name]; ok && o != t {
		pkg := t.PkgPath()
		name = pkg[strings.LastIndex(pkg, "/")+1:] + "." + name
	}
	g.types[name] = t
	return name
}

// schemaOf describes t as a JSON schema; named structs go to components and are referenced.
func (g *gen) schemaOf(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		s := g.schemaOf(t.Elem())
		if typ, ok := s["type"].(string); ok && typ != "object" && typ != "array" {
			s["type"] = []any{typ, "null"}
		}
		return s
	}
	if s, ok := schemer(t); ok {
		return s
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int64, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Int32, reflect.Uint32:
		return map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Uint, reflect.Uint8, reflect.Uint16:
		return map[string]any{"type": "integer"}
	case reflect.Float32:
		return map[string]any{"type": "number", "format": "float"}
	case reflect.Float64:
		return map[string]any{"type": "number", "format": "double"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Struct:
		if name := g.name(t); name != "" {
			if _, seen := g.schemas[name]; !seen {
				g.schemas[name] = map[string]any{} // break cycles
				g.schemas[name] = g.structSchema(t)
			}
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		return g.structSchema(t)
	default:
		return map[string]any{}
	}
}

// jsonName is the field's name in JSON ("" when it is not serialised, or is an embedded
// struct whose fields are promoted).
func jsonName(f reflect.StructField) (name string, promoted bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ = strings.Cut(tag, ",")
	if name == "" {
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			return "", true
		}
		name = f.Name
	}
	return name, false
}

func isRequired(f reflect.StructField) bool {
	for _, o := range strings.Split(f.Tag.Get("openapi"), ",") {
		if strings.TrimSpace(o) == "required" {
			return true
		}
	}
	return false
}

func (g *gen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, promoted := jsonName(f)
		if promoted {
			inner := g.structSchema(f.Type)
			for k, v := range inner["properties"].(map[string]any) {
				props[k] = v
			}
			if r, ok := inner["required"].([]string); ok {
				required = append(required, r...)
			}
			continue
		}
		if name == "" {
			continue
		}
		props[name] = g.fieldSchema(f)
		if isRequired(f) {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// fieldSchema is the schema of a struct field, refined by its tags.
func (g *gen) fieldSchema(f reflect.StructField) map[string]any {
	s := g.schemaOf(f.Type)
	// enum and format apply to a slice's elements.
	target, elem := s, f.Type
	for elem.Kind() == reflect.Pointer {
		elem = elem.Elem()
	}
	if items, ok := s["items"].(map[string]any); ok && s["type"] == "array" {
		target, elem = items, elem.Elem()
		for elem.Kind() == reflect.Pointer {
			elem = elem.Elem()
		}
	}
	if fm := f.Tag.Get("format"); fm != "" {
		target["format"] = fm
	}
	if pt := f.Tag.Get("pattern"); pt != "" {
		target["pattern"] = pt
	}
	if e := f.Tag.Get("enum"); e != "" {
		vals := enumValues(strings.Split(e, ","), jsonType(target))
		if nullable(target) {
			vals = append(vals, nil)
		}
		target["enum"] = vals
	}
	if ex, ok := tagExample(f); ok {
		s["example"] = ex
	}
	return s
}

// jsonType is the non-null type of a schema ("" for a reference).
func jsonType(s map[string]any) string {
	switch typ := s["type"].(type) {
	case string:
		return typ
	case []any:
		for _, x := range typ {
			if x != "null" {
				t, _ := x.(string)
				return t
			}
		}
	}
	return ""
}

func nullable(s map[string]any) bool {
	if typ, ok := s["type"].([]any); ok {
		for _, x := range typ {
			if x == "null" {
				return true
			}
		}
	}
	return false
}

// enumValues turns tag text into values of the schema's type.
func enumValues(vals []string, typ string) []any {
	out := make([]any, 0, len(vals))
	for _, v := range vals {
		v = strings.TrimSpace(v)
		switch typ {
		case "integer":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				out = append(out, n)
				continue
			}
		case "number":
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				out = append(out, n)
				continue
			}
		case "boolean":
			if b, err := strconv.ParseBool(v); err == nil {
				out = append(out, b)
				continue
			}
		}
		out = append(out, v)
	}
	return out
}

// tagExample reads a field's example tag.
func tagExample(f reflect.StructField) (any, bool) {
	raw, ok := f.Tag.Lookup("example")
	if !ok {
		return nil, false
	}
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.String {
		return raw, true
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err == nil {
		return v, true
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String {
		var out []any
		for _, x := range strings.Split(raw, ",") {
			out = append(out, strings.TrimSpace(x))
		}
		return out, true
	}
	return raw, true // a custom type carried in a string (a Date)
}

// exampleOf builds an example value of t from its fields' example tags, with a plausible value
// for every required field that has none. ok is false when nothing could be said.
func exampleOf(t reflect.Type, depth int) (any, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if depth > 4 {
		return nil, false
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		if v, ok := exampleOf(t.Elem(), depth+1); ok {
			return []any{v}, true
		}
		return nil, false
	}
	if t.Kind() != reflect.Struct || t == timeType {
		return nil, false
	}
	if _, ok := schemer(t); ok {
		return nil, false
	}
	out := map[string]any{}
	exampleFields(t, depth, out)
	if len(out) == 0 {
		return nil, false
	}
	return out, true
}

func exampleFields(t reflect.Type, depth int, out map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, promoted := jsonName(f)
		if promoted {
			exampleFields(f.Type, depth, out)
			continue
		}
		if name == "" {
			continue
		}
		if v, ok := tagExample(f); ok {
			out[name] = v
		} else if v, ok := exampleOf(f.Type, depth+1); ok {
			out[name] = v
		} else if isRequired(f) {
			out[name] = plausible(f)
		}
	}
}

// plausible is a value for a required field without an example tag.
func plausible(f reflect.StructField) any {
	t := f.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	slice := false
	if t.Kind() == reflect.Slice && t != reflect.TypeOf(json.RawMessage(nil)) {
		slice, t = true, t.Elem()
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
	}
	if t.Kind() == reflect.Struct && t != timeType {
		if _, ok := schemer(t); !ok {
			if slice {
				return []any{}
			}
			return map[string]any{}
		}
	}
	var s map[string]any
	if own, ok := schemer(t); ok {
		s = own
	} else {
		s = newGen().schemaOf(t)
	}
	var v any
	if e := f.Tag.Get("enum"); e != "" {
		v = enumValues(strings.Split(e, ","), jsonType(s))[0]
	} else if ex, ok := s["example"]; ok {
		v = ex
	} else {
		fm, _ := s["format"].(string)
		if tf := f.Tag.Get("format"); tf != "" {
			fm = tf
		}
		switch fm {
		case "date":
			v = "2026-03-02"
		case "date-time":
			v = "2026-03-02T09:00:00Z"
		case "email":
			v = "ada@example.com"
		case "uri":
			v = "https://example.com/"
		default:
			switch jsonType(s) {
			case "integer":
				v = 1
			case "number":
				v = 1.5
			case "boolean":
				v = true
			case "array":
				v = []any{}
			case "object":
				v = map[string]any{}
			default:
				v = "text"
			}
		}
	}
	if slice {
		return []any{v}
	}
	return v
}
