package app_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"groupcamp/core/api"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// rawRequest writes req as is on a new connection and reads one response.
func rawRequest(t testing.TB, e *testkit.Env, req string) *testkit.Response {
	t.Helper()
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("raw %.40q: %v", req, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &testkit.Response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// unchanged runs fn and fails when it changed any user-visible table.
func unchanged(t *testing.T, e *testkit.Env, what string, fn func()) {
	t.Helper()
	before := e.Snapshot()
	fn()
	if after := e.Snapshot(); after != before {
		t.Errorf("%s wrote something:\n before %s\n after  %s", what, before, after)
	}
}

func signupBody(slug, email string) map[string]any {
	return map[string]any{"account_name": "Bad Input Co", "slug": slug, "country": "FR", "owner_name": "Bea Bad", "email": email, "password": "a decent passphrase"}
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestBadInput: every bad input gets a clear 4xx with a field-level message, writes nothing,
// and never a 500.
func TestBadInput(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		other := e.NewAccount()
		anon := e.Anonymous()
		owner := e.As(acc.Owner)
		taken := acc.Owner.Email

		t.Run("signup", func(t *testing.T) {
			base := signupBody("fresh-slug", "bea@bad.test")
			cases := []struct {
				name   string
				body   map[string]any
				status int
				field  string
			}{
				{"taken slug", with(base, "slug", acc.Slug), 409, "slug"},
				{"taken email", with(base, "email", taken), 409, "email"},
				{"taken email, other case", with(base, "email", strings.ToUpper(taken)), 409, "email"},
				{"taken email, spaces", with(base, "email", "  "+taken+" "), 409, "email"},
				{"malformed email", with(base, "email", "bea-at-bad.test"), 422, "email"},
				{"email without domain dot", with(base, "email", "bea@bad"), 422, "email"},
				{"email with a display name", with(base, "email", "Bea <bea@bad.test>"), 422, "email"},
				{"no email", with(base, "email", ""), 422, "email"},
				{"short password", with(base, "password", "short1234"), 422, "password"},
				{"common password", with(base, "password", "password123"), 422, "password"},
				{"common password digits", with(base, "password", "1234567890"), 422, "password"},
				{"repeated character", with(base, "password", "aaaaaaaaaaaa"), 422, "password"},
				{"overlong password", with(base, "password", strings.Repeat("long pass ", 30)), 422, "password"},
				{"reserved slug admin", with(base, "slug", "admin"), 422, "slug"},
				{"reserved slug api", with(base, "slug", "api"), 422, "slug"},
				{"slug with capitals", with(base, "slug", "Fresh-Slug"), 422, "slug"},
				{"slug with bang", with(base, "slug", "fresh!"), 422, "slug"},
				{"slug with underscore", with(base, "slug", "fresh_slug"), 422, "slug"},
				{"slug with slash", with(base, "slug", "fresh/slug"), 422, "slug"},
				{"slug starting with hyphen", with(base, "slug", "-fresh"), 422, "slug"},
				{"slug with double hyphen", with(base, "slug", "fr--esh"), 422, "slug"},
				{"slug with unicode", with(base, "slug", "frésh"), 422, "slug"},
				{"slug too short", with(base, "slug", "ab"), 422, "slug"},
				{"slug too long", with(base, "slug", strings.Repeat("a", 41)), 422, "slug"},
				{"unknown country", with(base, "country", "XX"), 422, "country"},
				{"lower-case country", with(base, "country", "fr"), 422, "country"},
				{"country name", with(base, "country", "France"), 422, "country"},
				{"no country", with(base, "country", ""), 422, "country"},
				{"bad currency", with(base, "currency", "EURO"), 422, "currency"},
				{"bad locale", with(base, "locale", "xx"), 422, "locale"},
				{"bad time unit", with(base, "time_unit", "weeks"), 422, "time_unit"},
				{"no account name", with(base, "account_name", "   "), 422, "account_name"},
				{"account name too long", with(base, "account_name", strings.Repeat("n", 101)), 422, "account_name"},
				{"control characters", with(base, "owner_name", "Bea\x07Bad"), 422, "owner_name"},
			}
			for _, c := range cases {
				unchanged(t, e, c.name, func() {
					wantProblem(t, c.name, anon.Post("/api/v1/signup", c.body), c.status, c.field)
				})
			}
			// Every field wrong at once: each is named.
			unchanged(t, e, "all wrong", func() {
				wantProblem(t, "all wrong", anon.Post("/api/v1/signup", map[string]any{"account_name": "", "slug": "x", "country": "x", "owner_name": "", "email": "x", "password": "x"}),
					422, "account_name", "slug", "country", "owner_name", "email", "password")
			})
		})

		t.Run("JSON shape", func(t *testing.T) {
			for _, path := range []string{"/api/v1/signup", "/api/v1/" + acc.Slug + "/teams"} {
				c := anon
				if strings.Contains(path, acc.Slug) {
					c = owner
				}
				unchanged(t, e, path, func() {
					r := c.Post(path, `{"slugg":"typo"}`)
					wantProblem(t, path+" unknown field", r, 400, "slugg")
					if !strings.Contains(r.String(), "slugg") {
						t.Errorf("%s: the unknown field is not named: %s", path, r.Body)
					}
					wantProblem(t, path+" wrong type", c.Post(path, `{"name":123}`), 400, "name")
					wantProblem(t, path+" array", c.Post(path, `[]`), 400)
					wantProblem(t, path+" not JSON", c.Post(path, `name=x`), 400)
					wantProblem(t, path+" truncated", c.Post(path, `{"name":"x"`), 400)
					wantProblem(t, path+" empty", c.Post(path, ``), 400)
					wantProblem(t, path+" two values", c.Post(path, `{"name":"x"}{"name":"y"}`), 400)
					wantProblem(t, path+" trailing garbage", c.Post(path, `{"name":"x"} x`), 400)
					h := http.Header{"Content-Type": {"text/plain"}}
					if c.Token != "" {
						h.Set("Authorization", "Bearer "+c.Token)
					}
					wantProblem(t, path+" text/plain", e.Anonymous().Send("POST", path, h, strings.NewReader(`{"name":"x"}`)), 400)
					wantProblem(t, path+" no content type", e.Anonymous().Send("POST", path, http.Header{"Authorization": h["Authorization"]}, strings.NewReader(`{"name":"x"}`)), 400)
					h.Set("Content-Type", "application/x-www-form-urlencoded")
					wantProblem(t, path+" form", e.Anonymous().Send("POST", path, h, strings.NewReader(`name=x`)), 400)
				})
			}
		})

		t.Run("body size", func(t *testing.T) {
			// The server answers 413 as soon as it reads the headers and closes the connection;
			// a client still writing the body may see a reset instead of the answer, so the
			// body is announced but not sent.
			for _, path := range []string{"/api/v1/signup", "/api/v1/" + acc.Slug + "/teams", "/api/v1/login"} {
				unchanged(t, e, "big body", func() {
					// A JSON body the server reads but Decode refuses: a clean problem+json 413.
					big := `{"name":"` + strings.Repeat("x", api.MaxBody) + `"}`
					wantProblem(t, path+" JSON over 1 MiB", e.As(acc.Owner).Post(path, big), http.StatusRequestEntityTooLarge)
					// Bodies stream (bodylimit.go): the server reads the first 8 KiB, then answers.
					r := rawRequest(t, e, "POST "+path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+acc.Owner.Token+
						"\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(api.MaxRequest+1)+"\r\n\r\n{"+strings.Repeat(" ", 8<<10))
					wantProblem(t, path+" over the server's limit", r, http.StatusRequestEntityTooLarge)
					r = rawRequest(t, e, "POST "+path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+acc.Owner.Token+
						"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"+strconv.FormatInt(api.MaxRequest+1, 16)+"\r\n{"+strings.Repeat(" ", api.MaxRequest)+"\r\n")
					// (fasthttp resets the request before Fiber's error handler sees it, so the
					// App cannot tell an API call from a page here: the status is what counts.)
					wantStatus(t, path+" chunked over the server's limit", r, http.StatusRequestEntityTooLarge)
				})
			}
			// Just under the limit is read (and refused for what it says, not for its size).
			near := `{"name":"` + strings.Repeat("x", api.MaxBody-20) + `"}`
			wantProblem(t, "just under 1 MiB", owner.Post("/api/v1/"+acc.Slug+"/teams", near), http.StatusUnprocessableEntity, "name")
			// A compressed body is refused before anything inflates it: 64 MiB of zeros in 64 KiB.
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write([]byte(`{"name":"`))
			zw.Write(make([]byte, 64<<20))
			zw.Close()
			for _, enc := range []string{"gzip", "deflate", "br", "gzip, identity"} {
				h := http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {enc}, "Authorization": {"Bearer " + acc.Owner.Token}}
				start := time.Now()
				unchanged(t, e, "compressed body", func() {
					r := e.Anonymous().Send("POST", "/api/v1/"+acc.Slug+"/teams", h, bytes.NewReader(z.Bytes()))
					wantProblem(t, "Content-Encoding "+enc, r, http.StatusUnsupportedMediaType)
				})
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("Content-Encoding %s took %v: the body was inflated", enc, d)
				}
			}
		})

		t.Run("invitations", func(t *testing.T) {
			_, expired := invitation(t, e, acc.Owner, acc.Slug, map[string]any{"name": "Late Larry", "email": "larry@bad.test", "role": "member"})
			if _, err := e.App.DB.NewUpdate().TableExpr("invitations").Set("expires_at = ?", time.Now().Add(-time.Minute).UTC()).
				Where("user_id = (SELECT id FROM users WHERE email = ?)", "larry@bad.test").Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			accept := map[string]string{"name": "Larry", "password": "larry's passphrase"}
			unchanged(t, e, "expired invitation", func() {
				wantProblem(t, "expired invitation", anon.Post("/api/v1/invitations/"+expired+"/accept", accept), http.StatusGone)
			})
			if r, _ := login(t, e, "larry@bad.test", accept["password"]); r.Status != http.StatusUnauthorized {
				t.Errorf("an expired invitation set a password: %d", r.Status)
			}

			_, used := invitation(t, e, acc.Owner, acc.Slug, map[string]any{"name": "Used Uma", "email": "uma@bad.test", "role": "member"})
			unchanged(t, e, "bad accept", func() {
				wantProblem(t, "accept with a short password", anon.Post("/api/v1/invitations/"+used+"/accept", map[string]string{"name": "Uma", "password": "short"}), 422, "password")
				wantProblem(t, "accept without a name", anon.Post("/api/v1/invitations/"+used+"/accept", map[string]string{"name": " ", "password": "uma's passphrase"}), 422, "name")
			})
			wantStatus(t, "accept", anon.Post("/api/v1/invitations/"+used+"/accept", map[string]string{"name": "Uma", "password": "uma's passphrase"}), http.StatusOK)
			unchanged(t, e, "used invitation", func() {
				wantProblem(t, "used invitation", anon.Post("/api/v1/invitations/"+used+"/accept", map[string]string{"name": "Mallory", "password": "mallory's passphrase"}), http.StatusGone)
				wantProblem(t, "unknown invitation", anon.Post("/api/v1/invitations/gci_unknown/accept", accept), http.StatusNotFound)
			})
			if r, _ := login(t, e, "uma@bad.test", "mallory's passphrase"); r.Status != http.StatusUnauthorized {
				t.Errorf("a used invitation changed the password: %d", r.Status)
			}
		})

		t.Run("invite and people", func(t *testing.T) {
			clientCo := e.ClientCompany(acc)
			internal := int64(0)
			for _, it := range readList(t, owner.Get("/api/v1/"+acc.Slug+"/companies")).Items {
				if it["kind"] == "internal" {
					internal = int64(num(it["id"]))
				}
			}
			otherCo := e.ClientCompany(other)
			inv := func(kv ...any) map[string]any {
				return with(map[string]any{"name": "Ivy Invitee", "email": "ivy@bad.test", "role": "member"}, kv...)
			}
			cases := []struct {
				name   string
				body   any
				status int
				field  string
			}{
				{"role owner", inv("role", "owner"), 422, "role"},
				{"unknown role", inv("role", "boss"), 422, "role"},
				{"platform role", inv("role", "support"), 422, "role"},
				{"no role", inv("role", ""), 422, "role"},
				{"client without company", inv("role", "client"), 422, "company_id"},
				{"client in the internal company", inv("role", "client", "company_id", internal), 422, "company_id"},
				{"staff into a client company", inv("company_id", clientCo), 422, "company_id"},
				{"company of another account", inv("role", "client", "company_id", otherCo), 422, "company_id"},
				{"unknown company", inv("role", "client", "company_id", 987654), 422, "company_id"},
				{"negative company", inv("company_id", -1), 422, "company_id"},
				{"malformed email", inv("email", "ivy"), 422, "email"},
				{"no name", inv("name", ""), 422, "name"},
				{"already in the account", inv("email", strings.ToUpper(acc.Owner.Email)), 409, "email"},
			}
			for _, c := range cases {
				unchanged(t, e, c.name, func() {
					wantProblem(t, c.name, owner.Post("/api/v1/"+acc.Slug+"/users", c.body), c.status, c.field)
				})
				if _, ok := e.Mailbox.Last("ivy@bad.test"); ok {
					t.Fatalf("%s: an invitation mail went out", c.name)
				}
			}
			// People and teams.
			person, _ := invitation(t, e, acc.Owner, acc.Slug, map[string]any{"name": "Pat Person", "email": "pat@bad.test", "role": "member"})
			pp := "/api/v1/" + acc.Slug + "/users/" + strconv.FormatInt(person, 10)
			team := newTeam(t, e, acc.Owner, acc.Slug, "Good team")
			for _, c := range []struct {
				name   string
				method string
				path   string
				body   any
				status int
				field  string
			}{
				{"promote to owner", "PATCH", pp, map[string]any{"role": "owner"}, 422, "role"},
				{"unknown role", "PATCH", pp, map[string]any{"role": "boss"}, 422, "role"},
				{"staff into a client company", "PATCH", pp, map[string]any{"company_id": clientCo}, 422, "company_id"},
				{"into a company of another account", "PATCH", pp, map[string]any{"company_id": otherCo}, 422, "company_id"},
				{"to client without company", "PATCH", pp, map[string]any{"role": "client"}, 422, "company_id"},
				{"active not a bool", "PATCH", pp, `{"active":"no"}`, 400, "active"},
				{"team name over 100", "POST", "/api/v1/" + acc.Slug + "/teams", map[string]any{"name": strings.Repeat("t", 101)}, 422, "name"},
				{"team name empty", "POST", "/api/v1/" + acc.Slug + "/teams", map[string]any{"name": "  "}, 422, "name"},
				{"team management not a bool", "POST", "/api/v1/" + acc.Slug + "/teams", `{"name":"x","management":"yes"}`, 400, "management"},
				{"company kind", "POST", "/api/v1/" + acc.Slug + "/companies", map[string]any{"name": "Initech", "kind": "partner"}, 422, "kind"},
				{"company name over 100", "POST", "/api/v1/" + acc.Slug + "/companies", map[string]any{"name": strings.Repeat("c", 101), "kind": "client"}, 422, "name"},
				{"account name empty", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"name": ""}, 422, "name"},
				{"account country", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"country": "XX"}, 422, "country"},
				{"account VAT number", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"vat_number": "12"}, 422, "vat_number"},
				{"account currency", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"currency": "XYZ"}, 422, "currency"},
				{"account time unit", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"time_unit": "weeks"}, 422, "time_unit"},
				{"account locale", "PATCH", "/api/v1/" + acc.Slug + "/account", map[string]any{"locale": "de"}, 422, "locale"},
				{"users ?q= too long", "GET", "/api/v1/" + acc.Slug + "/users?q=" + strings.Repeat("q", 101), nil, 422, "q"},
				{"audit ?actor=", "GET", "/api/v1/" + acc.Slug + "/audit?actor=-3", nil, 422, "actor"},
				{"token name over 100", "POST", "/api/v1/tokens", map[string]any{"name": strings.Repeat("k", 101)}, 422, "name"},
				{"token expiry too far", "POST", "/api/v1/tokens", map[string]any{"name": "far", "expires_at": time.Now().AddDate(3, 0, 0).UTC().Format(time.RFC3339)}, 422, "expires_at"},
				{"token expiry not a time", "POST", "/api/v1/tokens", map[string]any{"name": "far", "expires_at": "tomorrow"}, 400, ""},
			} {
				unchanged(t, e, c.name, func() {
					var fields []string
					if c.field != "" {
						fields = append(fields, c.field)
					}
					wantProblem(t, c.name, owner.Do(c.method, c.path, c.body), c.status, fields...)
				})
			}
			// Ids that are not ids are unknown rows.
			for _, id := range []string{"0", "-1", "abc", "1.5", "99999999999999999999", "9223372036854775807"} {
				wantProblem(t, "user id "+id, owner.Get("/api/v1/"+acc.Slug+"/users/"+id), http.StatusNotFound)
				wantProblem(t, "team id "+id, owner.Put(fmt.Sprintf("/api/v1/%s/teams/%s/members/%d", acc.Slug, id, person), nil), http.StatusNotFound)
				wantProblem(t, "team user id "+id, owner.Put(fmt.Sprintf("/api/v1/%s/teams/%d/members/%s", acc.Slug, team, id), nil), http.StatusNotFound)
				wantProblem(t, "token id "+id, owner.Delete("/api/v1/tokens/"+id), http.StatusNotFound)
			}
		})

		t.Run("login", func(t *testing.T) {
			u := acc.Owner
			wrongPW, _ := login(t, e, u.Email, u.Password+"x")
			wrongEmail, _ := login(t, e, "nobody@bad.test", u.Password)
			for name, r := range map[string]*testkit.Response{"wrong password": wrongPW, "unknown email": wrongEmail} {
				wantProblem(t, name, r, http.StatusUnauthorized)
				low := strings.ToLower(r.String())
				if strings.Contains(low, "unknown") || strings.Contains(low, "no such") || strings.Contains(low, "not found") || strings.Contains(low, "password is wrong") && !strings.Contains(low, "email or the password") {
					t.Errorf("%s: the message tells which part was wrong: %s", name, r.Body)
				}
			}
			if string(wrongPW.Body) != string(wrongEmail.Body) {
				t.Errorf("wrong password %s vs unknown email %s", wrongPW.Body, wrongEmail.Body)
			}
			empty, _ := login(t, e, "", "")
			wantProblem(t, "empty credentials", empty, http.StatusUnauthorized)
			if string(empty.Body) != string(wrongPW.Body) {
				t.Errorf("empty credentials answer %s", empty.Body)
			}
			// Invited people without a password cannot sign in with any password.
			invited, _ := login(t, e, "pat@bad.test", "")
			wantProblem(t, "invited, empty password", invited, http.StatusUnauthorized)
			if r, _ := login(t, e, u.Email, u.Password); r.Status != http.StatusOK {
				t.Errorf("right password after a few failures: %d %s", r.Status, r.Body)
			}
		})
	})
}

// TestLoginThrottle: ten failed sign-ins for one email within 15 minutes, and the eleventh
// attempt is a 429 with Retry-After — even with the right password.
func TestLoginThrottle(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := acc.Owner
		for i := 1; i <= 10; i++ {
			r, _ := login(t, e, strings.ToUpper(u.Email), fmt.Sprintf("wrong guess %d", i))
			wantProblem(t, fmt.Sprintf("failure %d", i), r, http.StatusUnauthorized)
		}
		r, tok := login(t, e, u.Email, u.Password)
		wantProblem(t, "11th attempt with the right password", r, http.StatusTooManyRequests)
		if tok != "" {
			t.Error("a throttled login returned a token")
		}
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 15*60 {
			t.Errorf("Retry-After = %q, want 1..900 seconds", r.Header.Get("Retry-After"))
		}
		// Still throttled, and the throttle does not say whether the email exists.
		r, _ = login(t, e, u.Email, u.Password)
		wantProblem(t, "12th attempt", r, http.StatusTooManyRequests)
		// Existing sessions are unaffected.
		wantStatus(t, "existing session", e.As(u).Get("/api/v1/me"), http.StatusOK)
		// When the window has passed, the right password works again.
		if _, err := e.App.DB.NewUpdate().TableExpr("login_failures").Set("created_at = ?", time.Now().Add(-16*time.Minute).UTC()).Where("1 = 1").Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		r, _ = login(t, e, u.Email, u.Password)
		wantStatus(t, "after the window", r, http.StatusOK)

		// An invitation accepted with an existing login is a password proof too: the admin who
		// invites someone else's user holds the link, and gets no more guesses than at sign-in.
		other := e.NewAccount()
		_, link := invitation(t, e, other.Owner, other.Slug, map[string]any{"name": "Someone", "email": u.Email, "role": "member"})
		accept := func(pw string) *testkit.Response {
			return e.Anonymous().Post("/api/v1/invitations/"+link+"/accept", map[string]string{"name": "x", "password": pw})
		}
		for i := 1; i <= 10; i++ {
			wantProblem(t, fmt.Sprintf("accept guess %d", i), accept(fmt.Sprintf("guess number %d", i)), http.StatusUnauthorized)
		}
		r = accept(u.Password)
		wantProblem(t, "11th accept with the right password", r, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After on a throttled accept")
		}
		r, _ = login(t, e, u.Email, u.Password)
		wantProblem(t, "sign-in after guessing through the invitation", r, http.StatusTooManyRequests)
		if n := e.Count("memberships"); n != 2+1 {
			t.Errorf("memberships = %d: the throttled accept joined the account", n)
		}
	})
}

// TestOddRequestsNever500 throws odd bodies at every write route of the API, odd strings in
// every field of each documented request body, and odd query values, path values and headers
// at the read routes. Nothing may answer 5xx.
func TestOddRequestsNever500(t *testing.T) {
	testkit.EachDB(t, withExample(), func(t *testing.T, e *testkit.Env) {
		// Every capability route, with ids that exist, and the page forms: the walker.
		walk.OddInput(t, e)
		acc := e.NewAccount()
		_, invTok := invitation(t, e, acc.Owner, acc.Slug, map[string]any{"name": "Fuzz Target", "email": "target@fuzz.test", "role": "member"})
		freshToken := func() string {
			r := e.As(acc.Owner).Post("/api/v1/tokens", map[string]any{"name": "fuzz"})
			wantStatus(t, "fuzz token", r, http.StatusCreated)
			return r.Map()["token"].(string)
		}
		pathOf := func(r api.Route) string {
			return anyPath(strings.ReplaceAll(r.Path, "/invitations/:token", "/invitations/"+invTok), acc.Slug)
		}
		check := func(what string, r *testkit.Response) {
			t.Helper()
			if r.Status >= 500 {
				t.Errorf("%s: %d %s", what, r.Status, r.Body)
			}
			if r.Status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s: a %d that is not problem+json: %s", what, r.Status, r.Body)
			}
			// An archive (the projects export) is binary by design.
			if !utf8.Valid(r.Body) && r.Header.Get("Content-Type") != "application/zip" {
				t.Errorf("%s: the answer is not UTF-8", what)
			}
		}
		client := func(r api.Route) *testkit.Client {
			if r.Path == "/api/v1/logout" || r.Method == http.MethodDelete {
				return e.WithToken(freshToken()) // these may end the session they come with
			}
			return e.As(acc.Owner)
		}

		n := 0
		for _, r := range e.App.Routes.All() {
			if !r.IsAPI() || r.Path == "/api/v1/login" || r.Guard.Capability() != "" {
				continue // login failures would throttle this IP (TestLoginOddInput covers login); the walker called the capability routes
			}
			path := pathOf(r)
			switch r.Method {
			case http.MethodPost, http.MethodPatch, http.MethodPut:
				for name, body := range walk.OddBodies() {
					n++
					check(name+" -> "+r.Method+" "+path, client(r).Do(r.Method, path, body))
				}
				if r.Doc.Request != nil {
					for name, v := range walk.OddValues {
						n++
						check(name+" in every field -> "+r.Method+" "+path, client(r).Do(r.Method, path, walk.FillStrings(r.Doc.Request, v)))
					}
				}
			case http.MethodGet:
				params := []string{"limit", "cursor"}
				for _, q := range r.Doc.Query {
					params = append(params, q.Name)
				}
				for _, p := range params {
					for _, v := range []string{"%00", "%FF%FE", "%ED%A0%80", strings.Repeat("%C3%A9", 60), "-1", "1e3", "%27%20OR%201%3D1", "a%00b"} {
						n++
						check("?"+p+"="+v+" -> GET "+path, client(r).Get(path+"?"+p+"="+v))
					}
				}
			}
		}
		// Odd path values.
		for _, v := range []string{"%00", "%FF", "..%2F..%2Fetc", strings.Repeat("9", 400), "%E2%80%AE"} {
			for _, p := range []string{"/api/v1/" + v + "/users", "/api/v1/" + acc.Slug + "/users/" + v, "/api/v1/invitations/" + v + "/accept", "/api/v1/password-resets/" + v} {
				n++
				check("path "+p, e.As(acc.Owner).Post(p, `{}`))
				check("path "+p, e.As(acc.Owner).Get(p))
			}
		}
		// Odd headers: user agents stored with sessions and the audit trail, odd credentials.
		for name, ua := range map[string]string{
			"invalid utf-8":              "Agent/\xff\xfe",
			"multibyte at the cut":       strings.Repeat("a", 299) + "é" + strings.Repeat("b", 20),
			"long":                       strings.Repeat("UA", 1000),
			"multibyte everywhere":       strings.Repeat("€", 400),
			"latin-1 bytes (obs-text)":   "Mozilla/5.0 (caf\xe9)",
			"continuation bytes at 300b": strings.Repeat("€", 99) + "\x82\x82\x82",
		} {
			n++
			h := http.Header{"User-Agent": {ua}, "Content-Type": {"application/json"}, "Authorization": {"Bearer " + acc.Owner.Token}}
			r := e.Anonymous().Send("POST", "/api/v1/"+acc.Slug+"/teams", h, strings.NewReader(fmt.Sprintf(`{"name":"UA team %d"}`, n)))
			check("User-Agent "+name+" on an audited write", r)
			if r.Status != http.StatusCreated {
				t.Errorf("User-Agent %s: %d %s", name, r.Status, r.Body)
			}
		}
		for _, cred := range []string{"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + strings.Repeat("x", 3000), "Bearer gcp_\xff", "bearer " + acc.Owner.Token} {
			n++
			check("Authorization "+cred[:min(len(cred), 20)], e.Anonymous().Send("GET", "/api/v1/me", http.Header{"Authorization": {cred}}, nil))
		}
		// A header too large to read is refused (before any route is known): with a 431, or —
		// when the server closes while the client is still writing — with a broken connection.
		req, _ := http.NewRequest("GET", e.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("x", 10000))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
				t.Errorf("oversized header: %d", resp.StatusCode)
			}
		}
		// Audit events stay readable.
		r := e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/audit?limit=200")
		check("audit after odd input", r)
		wantStatus(t, "audit after odd input", r, http.StatusOK)
		if n < 100 {
			t.Errorf("only %d odd requests sent", n)
		}
	})
}

// TestLoginOddInput: odd bodies and odd user agents at sign-in (its own App: failures count
// towards the IP throttle).
func TestLoginOddInput(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		for name, body := range walk.OddBodies() {
			r := e.Anonymous().Post("/api/v1/login", body)
			if r.Status >= 500 || r.Status == http.StatusOK {
				t.Errorf("login %s: %d %s", name, r.Status, r.Body)
			}
		}
		for name, v := range walk.OddValues {
			r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": v, "password": v})
			if r.Status >= 500 || r.Status == http.StatusOK {
				t.Errorf("login with %s: %d %s", name, r.Status, r.Body)
			}
		}
		// A user agent the sessions table must still take (clear the failures first).
		if _, err := e.App.DB.NewDelete().TableExpr("login_failures").Where("1 = 1").Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		for name, ua := range map[string]string{
			"invalid utf-8":        "Agent/\xff\xfe",
			"multibyte at the cut": strings.Repeat("a", 299) + "é" + strings.Repeat("b", 20),
			"long":                 strings.Repeat("€", 400),
		} {
			h := http.Header{"User-Agent": {ua}, "Content-Type": {"application/json"}}
			r := e.Anonymous().Send("POST", "/api/v1/login", h, strings.NewReader(fmt.Sprintf(`{"email":%q,"password":%q}`, acc.Owner.Email, acc.Owner.Password)))
			if r.Status != http.StatusOK {
				t.Errorf("login with User-Agent %s: %d %s", name, r.Status, r.Body)
			}
		}
	})
}

// TestUnreadBodyKeepsTheConnection: a handler that answers before reading its body (here an
// anonymous write to an account that does not exist: 404) leaves the body on the connection; the server
// reads it, answers, and serves the next request on the same connection — closing while the
// client still sends would reset it, and the client could lose the answer.
func TestUnreadBodyKeepsTheConnection(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.URL, "http://"), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	body := `{"name":"` + strings.Repeat("x", 200<<10) + `"}`
	host := strings.TrimPrefix(e.URL, "http://")
	req := "POST /api/v1/nobody/projects HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body +
		"GET /healthz HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	go func() { _, _ = io.WriteString(conn, req) }()
	r := bufio.NewReader(conn)
	for i, want := range []int{http.StatusNotFound, http.StatusOK} {
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("response %d: %v", i+1, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("response %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}
