package walk

import (
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/testkit"
	"groupcamp/policies"
)

// Matrix is the App's assembled role matrix: capability -> role -> allowed.
func Matrix(t testing.TB, e *testkit.Env) map[string]map[string]bool {
	t.Helper()
	m, err := policies.ParseMatrix(e.App.Matrix)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func platform(role string) bool {
	return role == actor.PlatformSupport || role == actor.PlatformPartner
}

// RoleMatrix calls every capability route, API and page, as each of the seven roles with ids
// that exist, and checks the answer against the role matrix: a member whose role lacks the
// capability gets 403 (and the answer names nobody of the account), a platform user (no
// member, no data grant) gets 404, and an allowed role succeeds — or, where its module gave
// no body, at least passes the guard without a server error.
func RoleMatrix(t *testing.T, e *testkit.Env) {
	m := Matrix(t, e)
	w := NewWorld(t, e)
	var emails []string
	for _, u := range w.Users {
		if !platform(u.Role) {
			emails = append(emails, u.Email)
		}
	}
	n := 0
	for _, r := range Routes(e) {
		c := r.Guard.Capability()
		path, knownPath := w.Fill(r)
		for _, role := range testkit.AllRoles {
			allow, listed := m[c][role]
			if !listed {
				t.Errorf("%s: no matrix row for %s", c, role)
				continue
			}
			n++
			call := path
			if allow && !platform(role) {
				call = w.Prepare(t, r, path)
			}
			body, knownBody := w.Body(r)
			res := w.Call(w.Users[role], r, call, body)
			what := role + " " + r.Method + " " + call + " (" + c + ")"
			switch {
			case platform(role):
				// Not a member of the account, and no data grant: the account does not exist for
				// them (support's "allow" rows hold only under the owner's data grant, for
				// GET/HEAD: core/consent's TestDataGrant covers them).
				wantStatus(t, what, r, res, http.StatusNotFound)
				if allow && role == actor.PlatformPartner {
					t.Errorf("%s: the matrix allows a partner, who never reaches an account route", what)
				}
			case !allow:
				wantStatus(t, what, r, res, http.StatusForbidden)
				for _, email := range emails {
					if strings.Contains(strings.ToLower(string(res.Body)), strings.ToLower(email)) {
						t.Errorf("%s: the 403 reveals %s", what, email)
					}
				}
			case knownPath && knownBody && r.IsAPI():
				if res.Status < 200 || res.Status > 299 {
					t.Errorf("%s: allowed by the matrix, got %d %.600s", what, res.Status, res.Body)
				}
			case knownPath && !r.IsAPI() && r.Method == http.MethodGet:
				if res.Status < 200 || res.Status > 399 {
					t.Errorf("%s: allowed by the matrix, got %d %.300s", what, res.Status, res.Body)
				}
			default:
				// A route without ids or a body from its module: the guard lets it through, and
				// the handler answers without a server error.
				if res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden || res.Status >= 500 {
					t.Errorf("%s: allowed by the matrix, got %d %.600s", what, res.Status, res.Body)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("walk: no route called")
	}
}

// wantStatus checks the status, and that an API error is a problem document.
func wantStatus(t testing.TB, what string, r api.Route, res *testkit.Response, status int) {
	t.Helper()
	if res.Status != status {
		t.Errorf("%s: status %d, want %d; body: %.300s", what, res.Status, status, res.Body)
		return
	}
	if r.IsAPI() && !isProblem(res) {
		t.Errorf("%s: a %d that is not problem+json: %.300s", what, res.Status, res.Body)
	}
}

// Tenancy: the owner and an admin of account B reach nothing of account A — not with A's
// slug, and not with A's ids under B's slug — on every capability route, API and page, and
// nothing is written.
func Tenancy(t *testing.T, e *testkit.Env) {
	a := NewWorld(t, e)
	b := NewWorld(t, e)
	e.Settle()
	snap := e.Snapshot()
	n := 0
	for _, who := range []*testkit.User{b.Acc.Owner, b.Users[actor.RoleAdmin]} {
		for _, r := range Routes(e) {
			body, _ := a.Body(r)
			path, known := a.Fill(r)
			n++
			wantStatus(t, "B "+who.Role+" "+r.Method+" "+path, r, a.Call(who, r, path, body), http.StatusNotFound)
			// B's slug with A's ids (a role without the capability gets its 403 before any id
			// is read: nothing to learn there).
			if !known || !strings.Contains(strings.Replace(strings.TrimPrefix(r.Path, "/api/v1"), "/:slug", "", 1), ":") ||
				!e.App.Enforcer.Allowed(who.Role, b.Acc.Slug, r.Guard.Object, r.Guard.Action) {
				continue
			}
			path, _ = a.FillAs(r, b.Acc.Slug)
			n++
			wantStatus(t, "B "+who.Role+" "+r.Method+" "+path, r, a.Call(who, r, path, body), http.StatusNotFound)
		}
	}
	e.Settle()
	if after := e.Snapshot(); after != snap {
		t.Errorf("B's attempts wrote something:\n before %s\n after  %s", snap, after)
	}
	if n == 0 {
		t.Fatal("walk: no route called")
	}
}

// OddBodies are request bodies no client should send.
func OddBodies() map[string]string {
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	deepObj := strings.Repeat(`{"name":`, 5000) + `"x"` + strings.Repeat("}", 5000)
	return map[string]string{
		"null":          `null`,
		"array":         `[]`,
		"empty string":  `""`,
		"nothing":       ``,
		"number":        `12`,
		"slug number":   `{"slug":123}`,
		"nested array":  deep,
		"nested object": deepObj,
		"invalid utf-8": "{\"name\":\"\xff\xfe\xfd\",\"email\":\"\xc3\x28@x.test\",\"password\":\"\xed\xa0\x80xxxxxxxxxx\"}",
		"NUL":           `{"name":"a\u0000b","email":"a\u0000@x.test","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`,
		"huge number":   `{"company_id":1e400,"id":99999999999999999999999}`,
		"bool":          `true`,
		"duplicate key": `{"name":"a","name":"b"}`,
		"BOM":           "\ufeff{}",
	}
}

// OddValues fill every field of a request.
var OddValues = map[string]string{
	"NUL":                "x\x00y",
	"invalid utf-8":      "\xff\xfe",
	"lone surrogate":     "\xed\xa0\x80",
	"long":               strings.Repeat("é", 5000),
	"spaces":             "   ",
	"sql":                "' OR 1=1; --",
	"right-to-left mark": "\u202eabc",
	"negative":           "-1",
	"huge":               "99999999999999999999999",
}

// OddInput sends odd bodies to every write route of the API, and odd values in every field of
// its documented request and of every page form the world's valid body names, as the owner
// with ids that exist. Nothing may answer 5xx; API errors are problem+json; answers are UTF-8.
// Routes that end the caller's session or delete are left out: the other walkers call them.
func OddInput(t *testing.T, e *testkit.Env) {
	w := NewWorld(t, e)
	owner := w.Acc.Owner
	check := func(what string, r api.Route, res *testkit.Response) {
		t.Helper()
		if res.Status >= 500 {
			t.Errorf("%s: %d %.300s", what, res.Status, res.Body)
		}
		if r.IsAPI() && res.Status >= 400 && !isProblem(res) {
			t.Errorf("%s: a %d that is not problem+json: %.300s", what, res.Status, res.Body)
		}
		if !utf8.Valid(res.Body) && !strings.Contains(res.Header.Get("Content-Type"), "zip") && !strings.Contains(res.Header.Get("Content-Type"), "spreadsheet") {
			t.Errorf("%s: the answer is not UTF-8", what)
		}
	}
	n := 0
	for _, r := range Routes(e) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodDelete {
			continue
		}
		path, _ := w.Fill(r)
		if r.IsAPI() {
			for name, body := range OddBodies() {
				n++
				check(name+" -> "+r.Method+" "+path, r, w.Call(owner, r, path, body))
			}
			if r.Doc.Request != nil {
				for name, v := range OddValues {
					n++
					check(name+" in every field -> "+r.Method+" "+path, r, w.Call(owner, r, path, FillStrings(r.Doc.Request, v)))
				}
			}
			continue
		}
		// A page form: odd values in every field a valid body names.
		body, _ := w.Body(r)
		fields, _ := body.(map[string]any)
		for name, v := range OddValues {
			vals := url.Values{}
			for k := range fields {
				vals.Set(k, v)
			}
			b := e.Browser()
			b.Token = owner.Token
			n++
			check(name+" in every field -> page "+r.Method+" "+path, r, b.Form(path, vals))
		}
	}
	if n == 0 {
		t.Fatal("walk: no odd request sent")
	}
}

// FillStrings is a body with s in every string field of the request struct v.
func FillStrings(v any, s string) map[string]any {
	out := map[string]any{}
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.String {
			out[name] = s
		}
	}
	return out
}
