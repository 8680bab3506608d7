package app_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/obs"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/example"
	"groupcamp/core/testkit/example/contract"
)

// TestExampleModulePlugsIn: the example module, which no central file names, gets its
// capability into the enforcer and the matrix, its page with its asset and navigation, its
// published event delivered typed to its subscriber and offered as a notification
// preference, and its port to a module that requires it.
func TestExampleModulePlugsIn(t *testing.T) {
	ex := example.New()
	greeter := &requirer{}
	e := testkit.Start(t, "sqlite", testkit.Options{Modules: []app.Module{ex, greeter}})
	acc := e.NewAccount()
	manager, member := e.NewUser(acc, "manager"), e.NewUser(acc, "member")

	if !e.App.Enforcer.Allowed("manager", acc.Slug, "example.notes", "write") || e.App.Enforcer.Allowed("member", acc.Slug, "example.notes", "write") {
		t.Error("the example's policy rows are not in the enforcer")
	}
	if !strings.Contains(e.App.Matrix, "member,example.notes,write,deny") {
		t.Error("the example's matrix rows are not in the App's matrix")
	}

	base := "/api/v1/" + acc.Slug + "/example/notes"
	wantStatus(t, "member may not write", e.As(member).Post(base, map[string]any{"text": "no"}), http.StatusForbidden)
	wantProblem(t, "empty note", e.As(manager).Post(base, map[string]any{"text": ""}), http.StatusUnprocessableEntity, "text")
	wantStatus(t, "manager writes", e.As(manager).Post(base, map[string]any{"text": "Hello"}), http.StatusCreated)
	e.Settle()
	if got := ex.Delivered.Load(); got != 1 {
		t.Errorf("the typed subscriber got %d events, want 1", got)
	}

	// Its page, with its template, catalog, navigation entry and script.
	b := e.BrowserLogin(member)
	page := b.Get("/" + acc.Slug + "/example")
	wantStatus(t, "example page", page, http.StatusOK)
	for _, want := range []string{"Hello", `href="/` + acc.Slug + `/example"`, "/example/example.js"} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("the example page lacks %q", want)
		}
	}
	script := regexp.MustCompile(`src="(/static/[0-9a-f]+/example/example\.js)"`).FindSubmatch(page.Body)
	if script == nil {
		t.Fatal("no script tag for example/example.js")
	}
	js := b.Get(string(script[1]))
	wantStatus(t, "the module's asset", js, http.StatusOK)
	if !strings.Contains(string(js.Body), "data-example-ready") || !strings.Contains(js.Header.Get("Content-Type"), "javascript") {
		t.Errorf("the module's asset: %s %s", js.Header.Get("Content-Type"), js.Body)
	}

	// Its contract is a notification preference, and a choice of the automation rules.
	prefs := e.As(member).Get("/api/v1/" + acc.Slug + "/notification-preferences")
	if !strings.Contains(string(prefs.Body), `"example.note_added"`) {
		t.Errorf("notification preferences lack the example's event: %s", prefs.Body)
	}
	if got := greeter.port.Get().Greet("Ada"); got != "Hello, Ada" {
		t.Errorf("the required port answers %q", got)
	}
}

// requirer is a second module that requires the example's port.
type requirer struct {
	port *app.Port[contract.Greeter]
	name string
}

func (m *requirer) Name() string {
	if m.name != "" {
		return m.name
	}
	return "requirer"
}
func (m *requirer) Register(r *app.Registry) error {
	m.port = app.Require[contract.Greeter](r, contract.GreeterPort)
	return nil
}

// badModule declares a capability of another module's prefix.
type badModule struct{}

func (badModule) Name() string { return "bad" }
func (badModule) Register(r *app.Registry) error {
	r.Capabilities("p, member, *, projects.tasks, read", "role,object,action,expected\n")
	return nil
}

// TestModuleContractIsChecked: a missing required port, a capability outside the module's
// prefix and a module listed twice each stop New with a message that names them.
func TestModuleContractIsChecked(t *testing.T) {
	for _, tc := range []struct {
		name    string
		modules []app.Module
		want    string
	}{
		{"missing port", []app.Module{&requirer{}}, `module requirer requires the port "example.greeter", which no module provides`},
		{"foreign capability", []app.Module{badModule{}}, `the object "projects.tasks" must be "bad" or start with "bad."`},
		{"listed twice", []app.Module{example.New(), example.New()}, "module example is listed twice"},
		{"reserved name", []app.Module{&requirer{name: "core"}}, "module core is listed twice (or takes a reserved name)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg, err := config.Load(nil, func(k string) string {
				return map[string]string{"GROUPCAMP_DATA_DIR": dir, "GROUPCAMP_DATABASE_URL": "sqlite://" + filepath.Join(dir, "t.db")}[k]
			})
			if err != nil {
				t.Fatal(err)
			}
			a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(io.Discard, "error")}, tc.modules...)
			if err == nil {
				a.Close()
				t.Fatal("New accepted it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want it to say %q", err, tc.want)
			}
		})
	}
}

// offSwitch turns the example module off for every account.
type offSwitch struct{}

func (offSwitch) Name() string { return "billing-like" }
func (offSwitch) Register(r *app.Registry) error {
	r.Enablement(enablement{})
	return nil
}

type enablement struct{}

func (enablement) Enabled(_ context.Context, _ int64, module string) (bool, error) {
	return module != "example", nil
}

// TestModuleEnablement: a module an account has not turned on answers 404 on its routes and
// has no navigation entry; core's routes are unaffected.
func TestModuleEnablement(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{Modules: []app.Module{example.New(), offSwitch{}}})
	acc := e.NewAccount()
	wantProblem(t, "disabled module", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/example/notes"), http.StatusNotFound)
	wantStatus(t, "core", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
	// Nor is it in the navigation.
	b := e.BrowserLogin(acc.Owner)
	home := b.Get("/" + acc.Slug)
	wantStatus(t, "home", home, http.StatusOK)
	if strings.Contains(string(home.Body), `href="/`+acc.Slug+`/example"`) {
		t.Error("the navigation links to a module the account has off")
	}
	wantStatus(t, "its page", b.Get("/"+acc.Slug+"/example"), http.StatusNotFound)
}

// TestReservedSlugsComeFromRoutes: an account cannot take the first segment of any route
// (the example: "unsubscribe", whose pages it would shadow).
func TestReservedSlugsComeFromRoutes(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	for _, slug := range []string{"unsubscribe", "healthz", "readyz", "metrics", "login", "invitations", "platform", "static"} {
		r := e.Anonymous().Post("/api/v1/signup", signupBody(slug, slug+"@reserved.test"))
		wantProblem(t, "sign up as "+slug, r, http.StatusUnprocessableEntity, "slug")
	}
}

// TestOpenAPIConcurrentFirstRequests: the document is built once even when the first requests
// come together (go test -race found a data race here).
func TestOpenAPIConcurrentFirstRequests(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	var wg sync.WaitGroup
	bodies := make([]string, 8)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bodies[i] = string(e.Anonymous().Get("/api/v1/openapi.json").Body)
		}()
	}
	wg.Wait()
	for i := range bodies {
		if bodies[i] == "" || bodies[i] != bodies[0] {
			t.Fatalf("answer %d differs or is empty", i)
		}
	}
}

// The typed contract refuses an event of another type.
func TestContractDecodeChecksTheType(t *testing.T) {
	_, err := contract.NoteAddedEvent.Decode(&events.Event{Type: "other", Payload: []byte(`{}`)})
	if err == nil {
		t.Error("decoded an event of another type")
	}
	var q *hooks.QuotaError = &hooks.QuotaError{Quota: "projects", Limit: 3, Usage: 3}
	if !errors.Is(q, hooks.ErrQuota) {
		t.Error("a QuotaError is no ErrQuota")
	}
}

// TestJSONEndsWithANewline: every JSON answer — a resource, a list, a problem, the OpenAPI
// document — ends with a newline, as command-line tools expect.
func TestJSONEndsWithANewline(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	for what, r := range map[string]*testkit.Response{
		"me":      e.As(acc.Owner).Get("/api/v1/me"),
		"list":    e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/users"),
		"problem": e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/users/999999"),
		"openapi": e.Anonymous().Get("/api/v1/openapi.json"),
	} {
		if n := len(r.Body); n == 0 || r.Body[n-1] != '\n' || (n > 1 && r.Body[n-2] == '\n') {
			t.Errorf("%s: %d, the JSON does not end with one newline: %q", what, r.Status, r.Body[max(0, len(r.Body)-20):])
		}
	}
}

// TestNewPeopleGetTheBrowsersLanguage: an owner who signs up, and a new login accepting an
// invitation, through the API without a locale get the language of their browser
// (Accept-Language), so their emails come in it; an explicit locale wins.
func TestNewPeopleGetTheBrowsersLanguage(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	send := func(path string, body map[string]any, lang string) *testkit.Response {
		b, _ := json.Marshal(body)
		return e.Anonymous().Send("POST", path, http.Header{"Content-Type": {"application/json"}, "Accept-Language": {lang}}, strings.NewReader(string(b)))
	}
	r := send("/api/v1/signup", signupBody("langue-fr", "proprio@langue.test"), "fr-CA,fr;q=0.9,en;q=0.5")
	wantStatus(t, "signup", r, http.StatusCreated)
	if u, _ := r.Map()["user"].(map[string]any); u["locale"] != "fr" {
		t.Errorf("the owner's locale is %v, want fr: %s", u["locale"], r.Body)
	}
	login := e.Anonymous().Post("/api/v1/login", map[string]any{"email": "proprio@langue.test", "password": "a decent passphrase"})
	wantStatus(t, "login", login, http.StatusOK)
	_, tok := invitation(t, e, &testkit.User{Token: login.Map()["token"].(string)}, "langue-fr", map[string]any{"name": "Ivan", "email": "ivan@langue.test", "role": "member"})
	r = send("/api/v1/invitations/"+tok+"/accept", map[string]any{"name": "Ivan", "password": "a decent passphrase too"}, "ru-RU,ru;q=0.9")
	wantStatus(t, "accept", r, http.StatusOK)
	if u, _ := r.Map()["user"].(map[string]any); u["locale"] != "ru" {
		t.Errorf("the new login's locale is %v, want ru: %s", u["locale"], r.Body)
	}
	r = send("/api/v1/signup", with(signupBody("langue-en", "owner@langue.test"), "locale", "en"), "fr")
	if u, _ := r.Map()["user"].(map[string]any); u["locale"] != "en" {
		t.Errorf("a chosen locale gave way to the browser's: %v", u["locale"])
	}
}
