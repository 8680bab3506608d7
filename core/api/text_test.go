package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// ruleInput is shaped like the bodies the API decodes: names, a multi-line text, lists of
// objects, maps and values of type any.
type ruleInput struct {
	Name     string         `json:"name"`
	Note     *string        `json:"note,omitempty" text:"multiline"`
	Tags     []string       `json:"tags"`
	Count    *int64         `json:"count,omitempty"`
	Password string         `json:"password"`
	Params   map[string]any `json:"params"`
	Value    any            `json:"value"`
	Actions  []struct {
		Type    string   `json:"type"`
		Message string   `json:"message" text:"multiline"`
		Users   []int64  `json:"users"`
		Roles   []string `json:"roles"`
	} `json:"actions"`
	Raw json.RawMessage `json:"raw"`
}

func TestDecodeRefusesControlCharacters(t *testing.T) {
	refused := []struct{ body, field string }{
		{`{"name":"a\u0000b"}`, "name"},
		{`{"name":"a\nb"}`, "name"},
		{`{"name":"tab\there"}`, "name"},
		{`{"name":"bell\u0007"}`, "name"},
		{`{"name":"del\u007f"}`, "name"},
		{`{"name":"c1\u0085"}`, "name"},
		{`{"note":"line\u0000"}`, "note"},
		{`{"note":"esc\u001b[31m"}`, "note"},
		{`{"tags":["ok","b\u0000d"]}`, "tags[1]"},
		{`{"actions":[{"type":"notify","message":"fine"},{"type":"notify","message":"x\u0000"}]}`, "actions[1].message"},
		{`{"actions":[{"type":"no\u0000tify"}]}`, "actions[0].type"},
		{`{"actions":[{"roles":["admin\u0000"]}]}`, "actions[0].roles[0]"},
		{`{"params":{"url":"http://x\u0000"}}`, "params.url"},
		{`{"params":{"deep":{"list":[1,"\u0001"]}}}`, "params.deep.list[1]"},
		{`{"params":{"k\u0000":"v"}}`, "params"},
		{`{"value":"\u0000"}`, "value"},
		{`{"value":["a",{"b":"\u0000"}]}`, "value[1].b"},
	}
	for _, tc := range refused {
		var in ruleInput
		err := api.DecodeBytes([]byte(tc.body), &in)
		p, ok := problem.As(err)
		if !ok || p.Status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
			t.Errorf("%s: %v, want a 422 naming %s", tc.body, err, tc.field)
		}
	}
	accepted := []string{
		`{"name":"Zoé ☃ 日本","note":"two\nlines\r\n\tindented","actions":[{"type":"notify","message":"a\nb\tc"}]}`,
		`{"password":"tab\tand\u0001bell are a secret's business","raw":{"x":"\u0000"}}`,
		`{"name":"","tags":[],"params":{},"value":null}`,
		`{"count":9223372036854775807,"value":1e308}`,
	}
	for _, body := range accepted {
		var in ruleInput
		if err := api.DecodeBytes([]byte(body), &in); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
	// A body full of bad strings gets a bounded list of messages.
	var in ruleInput
	err := api.DecodeBytes([]byte(`{"tags":[`+strings.Repeat(`"\u0000",`, 1000)+`"x"]}`), &in)
	if p, ok := problem.As(err); !ok || len(p.Errors) != api.MaxTextErrors {
		t.Errorf("1000 bad tags: %v", err)
	}
}

func TestDecodeNamesTheFieldOverHTTP(t *testing.T) {
	r := do(t, decodeApp(), "POST", "/", "application/json", `{"name":"w\u0000","tags":["a","\u0000"]}`)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	p := r.problem(t)
	if len(p.Errors) != 2 || p.Errors[0].Field != "name" || p.Errors[1].Field != "tags[1]" || p.Errors[0].Message != "must not contain control characters" {
		t.Fatalf("errors %+v", p.Errors)
	}
}

// FuzzDecode: whatever the body, Decode never panics, and a body it accepts holds no control
// character in a single-line field and no NUL anywhere (but the raw bytes and the password,
// which it does not read as text). The seeds in testdata/fuzz/FuzzDecode run with go test.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		`{"name":"ok","tags":["a"],"actions":[{"type":"notify","message":"hi\nthere","users":[1]}]}`,
		`{"name":"a\u0000b"}`,
		"{\"name\":\"raw \x00 byte\"}",
		`{"count":99999999999999999999999}`,
		`{"count":1e400}`,
		`{"value":` + strings.Repeat(`[`, 2000) + strings.Repeat(`]`, 2000) + `}`,
		`{"params":` + strings.Repeat(`{"a":`, 500) + `"\u0000"` + strings.Repeat(`}`, 500) + `}`,
		`{"name":"\ud800"}`,
		"{\"name\":\"\xff\xfe\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ruleInput
		err := api.DecodeBytes(body, &in)
		if err != nil {
			if _, ok := problem.As(err); !ok {
				t.Fatalf("not a problem: %v", err)
			}
			return
		}
		in.Raw, in.Password = nil, ""
		visit(reflect.ValueOf(in), false, func(s string, multi bool) {
			for _, r := range s {
				if r == 0 || (unicode.IsControl(r) && !(multi && (r == '\n' || r == '\r' || r == '\t'))) {
					t.Fatalf("accepted %q holding %q", body, s)
				}
			}
		})
	})
}

// visit calls fn with every string under v and whether it sits in a multi-line field.
func visit(v reflect.Value, multi bool, fn func(string, bool)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			visit(v.Elem(), multi, fn)
		}
	case reflect.String:
		fn(v.String(), multi)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			visit(v.Index(i), multi, fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			visit(it.Key(), false, fn)
			visit(it.Value(), multi, fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			visit(v.Field(i), multi || v.Type().Field(i).Tag.Get("text") == "multiline", fn)
		}
	}
}
