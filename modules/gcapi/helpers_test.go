package gcapi_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/gcapi"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// options boot every module; the "full" pages hold 100 time logs (as the "next" ones), so
// that a few hundred make several pages.
func options() testkit.Options {
	mods := modules.All()
	for _, m := range mods {
		if g, ok := m.(*gcapi.Module); ok {
			g.FullPageSize = 100
		}
	}
	return testkit.Options{Modules: mods}
}

// script is a client of the compatible API as a customer's script is: it signs each request
// with its key pair, as Auth.md says, and sends it over plain HTTP.
type script struct {
	t       testing.TB
	base    string
	app     string
	key     string
	secret  string
	acting  string
	http    *http.Client
	lastRaw []byte
}

// answer is a decoded answer.
type answer struct {
	Status int
	Body   map[string]any
	Raw    []byte
	Header http.Header
}

// call signs method, the path (its query string left out of the signature) and the body.
func (s *script) call(method, pathAndQuery, body string) answer {
	s.t.Helper()
	path, _, _ := strings.Cut(pathAndQuery, "?")
	return s.callSigned(method, pathAndQuery, body, gcapi.Sign([]byte(s.secret), method, path, []byte(body)))
}

// callSigned sends the request with the signature given.
func (s *script) callSigned(method, pathAndQuery, body, sig string) answer {
	s.t.Helper()
	url := pathAndQuery
	if !strings.HasPrefix(url, "http") {
		url = s.base + pathAndQuery
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set(gcapi.HeaderApplication, s.app)
	req.Header.Set(gcapi.HeaderActing, s.acting)
	req.Header.Set("Authorization", "GCMP "+s.key+":"+sig)
	req.Header.Set("Content-Type", "application/json")
	res, err := s.http.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{Status: res.StatusCode, Raw: raw, Header: res.Header}
	if err := json.Unmarshal(raw, &a.Body); err != nil {
		s.t.Fatalf("%s %s: %d, not a JSON object: %q", method, pathAndQuery, res.StatusCode, raw)
	}
	return a
}

// next follows an absolute next_page (or previous_page) URL: its path is signed, not its query.
func (s *script) next(url string) answer {
	s.t.Helper()
	rest := strings.TrimPrefix(url, s.base)
	if rest == url {
		s.t.Fatalf("next_page %q is not an absolute URL of %s", url, s.base)
	}
	return s.call("GET", rest, "")
}

func (a answer) want(t testing.TB, status int) answer {
	t.Helper()
	if a.Status != status {
		t.Fatalf("status %d, want %d: %s", a.Status, status, a.Raw)
	}
	return a
}

// result is the answer's result object.
func (a answer) result(t testing.TB) map[string]any {
	t.Helper()
	m, ok := a.Body["result"].(map[string]any)
	if !ok {
		t.Fatalf("no result object in %s", a.Raw)
	}
	return m
}

// list is the answer's result array.
func (a answer) list(t testing.TB) []map[string]any {
	t.Helper()
	raw, ok := a.Body["result"].([]any)
	if !ok {
		t.Fatalf("no result array in %s", a.Raw)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i], _ = v.(map[string]any)
	}
	return out
}

// fieldError is the error code of field in a bad_request.
func (a answer) fieldError(field string) string {
	errs, _ := a.Body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		if m["field"] == field {
			s, _ := m["error"].(string)
			return s
		}
	}
	return ""
}

// world is an account with its owner, a colleague, and a key pair of each application.
type world struct {
	e      *testkit.Env
	acc    *testkit.Account
	member *testkit.User
	prov   *script
	rep    *script
}

func newWorld(t testing.TB, e *testkit.Env) *world {
	t.Helper()
	acc := e.NewAccount()
	w := &world{e: e, acc: acc, member: e.NewUser(acc, "member")}
	w.prov = w.newScript(t, "provisioning-1")
	w.rep = w.newScript(t, "reporting-1")
	return w
}

// newScript makes a key pair of app through our API, as the owner, for a script acting as
// the owner.
func (w *world) newScript(t testing.TB, app string) *script {
	t.Helper()
	res := w.e.As(w.acc.Owner).Post("/api/v1/"+w.acc.Slug+"/gcapi-keys", map[string]any{"application": app, "label": "test"})
	if res.Status != http.StatusCreated {
		t.Fatalf("create key: %d %s", res.Status, res.Body)
	}
	var k struct{ Key, Secret string }
	res.JSON(t, &k)
	if k.Key == "" || k.Secret == "" {
		t.Fatalf("key pair: %s", res.Body)
	}
	return &script{t: t, base: w.e.URL, app: app, key: k.Key, secret: k.Secret, acting: w.acc.Owner.Email, http: &http.Client{Timeout: 30 * time.Second}}
}

// api calls our own API as the owner and wants status.
func (w *world) api(t testing.TB, method, path string, body any, status int) map[string]any {
	t.Helper()
	res := w.e.As(w.acc.Owner).Do(method, "/api/v1/"+w.acc.Slug+path, body)
	if res.Status != status {
		t.Fatalf("%s %s: %d %s", method, path, res.Status, res.Body)
	}
	return res.Map()
}

func idOf(m map[string]any) string {
	switch v := m["id"].(type) {
	case float64:
		return fmt.Sprint(int64(v))
	case string:
		return v
	}
	return ""
}

// today is a day of this week (time entries of past weeks may be locked).
func today() string { return time.Now().UTC().Format(time.DateOnly) }
