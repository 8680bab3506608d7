package host

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// A manifest's "settings" is a JSON Schema (draft 2020-12) of one flat object: each property
// a string (with enum, minLength, maxLength, pattern, format), a number or integer (minimum,
// maximum) or a boolean; "required" lists the ones an account must set. A string property
// with "secret": true is write-only: its value is never shown back (the admin's form leaves
// it blank to keep it). The admin page renders a form from the properties, in their order,
// and the host validates every change against the schema with santhosh-tekuri/jsonschema
// before sealing the settings (core/seal), answering 422 with the property at fault.

// Field is one setting as the admin's form shows it.
type Field struct {
	Key         string   `json:"key"`
	Type        string   `json:"type" enum:"string,number,integer,boolean"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Required    bool     `json:"required"`
	Secret      bool     `json:"secret"`
	Minimum     *float64 `json:"minimum,omitempty"`
	Maximum     *float64 `json:"maximum,omitempty"`
	MaxLength   *int     `json:"max_length,omitempty"`
	Pattern     string   `json:"pattern,omitempty"`
	Format      string   `json:"format,omitempty"`
}

// settingsSchema is a manifest's settings: the fields for the form and the compiled schema
// that checks an account's values.
type settingsSchema struct {
	Fields []Field
	schema *jsonschema.Schema
}

// field is the named setting, if any.
func (s *settingsSchema) field(key string) (Field, bool) {
	if s == nil {
		return Field{}, false
	}
	i := slices.IndexFunc(s.Fields, func(f Field) bool { return f.Key == key })
	if i < 0 {
		return Field{}, false
	}
	return s.Fields[i], true
}

// keys are the settings' names, in the schema's order.
func (s *settingsSchema) keys() []string {
	out := []string{}
	if s != nil {
		for _, f := range s.Fields {
			out = append(out, f.Key)
		}
	}
	return out
}

// propertyOrder answers the keys of a "properties" object in the order written (a map would
// lose it, and the form follows it).
func propertyOrder(props json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(props))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		var skip json.RawMessage
		if err != nil || !ok || dec.Decode(&skip) != nil {
			return keys
		}
		keys = append(keys, key)
	}
	return keys
}

// parseSettings reads and compiles a manifest's settings schema (nil for none).
func parseSettings(raw json.RawMessage) (*settingsSchema, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	var top struct {
		Type       string          `json:"type"`
		Properties json.RawMessage `json:"properties"`
		Required   []string        `json:"required"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("settings: want a JSON Schema object: %w", err)
	}
	if top.Type != "object" {
		return nil, errors.New(`settings: want a schema of "type": "object"`)
	}
	out := &settingsSchema{}
	var errs []error
	var props map[string]json.RawMessage
	if err := json.Unmarshal(top.Properties, &props); err != nil && len(top.Properties) > 0 {
		return nil, fmt.Errorf("settings: properties: %w", err)
	}
	for _, key := range propertyOrder(top.Properties) {
		var p struct {
			Type        string   `json:"type"`
			Title       string   `json:"title"`
			Description string   `json:"description"`
			Enum        []any    `json:"enum"`
			Secret      bool     `json:"secret"`
			Minimum     *float64 `json:"minimum"`
			Maximum     *float64 `json:"maximum"`
			MaxLength   *int     `json:"maxLength"`
			Pattern     string   `json:"pattern"`
			Format      string   `json:"format"`
		}
		if err := json.Unmarshal(props[key], &p); err != nil {
			errs = append(errs, fmt.Errorf("setting %q: %w", key, err))
			continue
		}
		f := Field{Key: key, Type: p.Type, Title: validate.Clip(p.Title, 80), Description: validate.Clip(p.Description, 300), Required: slices.Contains(top.Required, key),
			Secret: p.Secret, Minimum: p.Minimum, Maximum: p.Maximum, MaxLength: p.MaxLength, Pattern: p.Pattern, Format: p.Format}
		if !keyRE.MatchString(key) {
			errs = append(errs, fmt.Errorf("setting %q: want a-z, 0-9, _ and -", key))
		}
		if !slices.Contains([]string{"string", "number", "integer", "boolean"}, p.Type) {
			errs = append(errs, fmt.Errorf("setting %q: type %q: want string, number, integer or boolean", key, p.Type))
		}
		if p.Secret && p.Type != "string" {
			errs = append(errs, fmt.Errorf("setting %q: only a string is secret", key))
		}
		for _, v := range p.Enum {
			s, ok := v.(string)
			if !ok || p.Type != "string" {
				errs = append(errs, fmt.Errorf("setting %q: enum: want strings, of a string setting", key))
				break
			}
			f.Enum = append(f.Enum, s)
		}
		out.Fields = append(out.Fields, f)
	}
	for _, r := range top.Required {
		if _, ok := out.field(r); !ok {
			errs = append(errs, fmt.Errorf("settings: required %q is no property", r))
		}
	}
	if len(out.Fields) > 50 {
		errs = append(errs, errors.New("settings: at most 50 properties"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // "format": "uri" or "email" is checked, not only a hint
	if err := c.AddResource("settings.json", doc); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	if out.schema, err = c.Compile("settings.json"); err != nil {
		return nil, fmt.Errorf("settings: not a valid JSON Schema: %w", err)
	}
	return out, nil
}

// check validates an account's settings against the schema, answering a 422 whose fields
// are "settings.<key>" with the schema's complaint.
func (s *settingsSchema) check(values map[string]any) error {
	if s == nil || s.schema == nil {
		return nil
	}
	b, err := json.Marshal(values)
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	err = s.schema.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var f problem.Fields
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		field := "settings"
		if len(e.InstanceLocation) > 0 {
			field += "." + strings.Join(e.InstanceLocation, ".")
		}
		if req, ok := e.ErrorKind.(*kind.Required); ok {
			sort.Strings(req.Missing)
			for _, m := range req.Missing {
				if !seen["settings."+m] {
					seen["settings."+m] = true
					f.Add("settings."+m, "is required")
				}
			}
			return
		}
		if !seen[field] {
			seen[field] = true
			f.Put(schemaMessage(field, e))
		}
	}
	walk(ve)
	if err := f.Err(); err != nil {
		return err
	}
	return problem.Invalid(problem.FieldError{Field: "settings", Message: ve.Error()})
}

// schemaMessage says what is wrong with a setting in words the catalogues translate (the
// admin's form shows it next to the field): one template per kind of complaint a flat schema
// makes, the schema's own words for any other.
func schemaMessage(field string, e *jsonschema.ValidationError) problem.FieldError {
	rat := func(r *big.Rat) string { return strings.TrimSuffix(r.FloatString(6), ".000000") }
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return problem.Sayf(field, "must be of type {want}", "want", strings.Join(k.Want, " or "))
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		return problem.Sayf(field, "must be one of: {values}", "values", strings.Join(want, ", "))
	case *kind.MinLength:
		return problem.Sayf(field, "must be at least {min} characters", "min", k.Want)
	case *kind.MaxLength:
		return problem.Sayf(field, "must be at most {max} characters", "max", k.Want)
	case *kind.Pattern:
		return problem.Sayf(field, "must match the pattern {pattern}", "pattern", k.Want)
	case *kind.Format:
		return problem.Sayf(field, "must be a valid {format}", "format", k.Want)
	case *kind.Minimum:
		return problem.Sayf(field, "must be at least {min}", "min", rat(k.Want))
	case *kind.Maximum:
		return problem.Sayf(field, "must be at most {max}", "max", rat(k.Want))
	case *kind.AdditionalProperties:
		return problem.Sayf(field, "has no setting named {names}", "names", strings.Join(k.Properties, ", "))
	}
	msg := fmt.Sprint(e.ErrorKind)
	if out := e.BasicOutput(); out.Error != nil {
		msg = out.Error.String()
	}
	return problem.FieldError{Field: field, Message: msg}
}
