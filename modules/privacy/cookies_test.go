package privacy_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/web"
)

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// TestEveryCookieIsInTheNotice goes through the flows that set cookies — the sign-in form, a
// session, a form that leaves a message for the next page — and checks that every cookie the
// server sets is declared (web.DeclareCookie) and listed on the public cookie notice.
func TestEveryCookieIsInTheNotice(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, actor.RoleMember)
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		seen := map[string]bool{}
		do := func(method, path string, form url.Values) string {
			t.Helper()
			var body *strings.Reader
			if form != nil {
				body = strings.NewReader(form.Encode())
			} else {
				body = strings.NewReader("")
			}
			req, _ := http.NewRequest(method, e.URL+path, body)
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			for _, c := range res.Cookies() {
				seen[c.Name] = true
			}
			var b strings.Builder
			buf := make([]byte, 32<<10)
			for {
				n, err := res.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			return b.String()
		}
		page := do("GET", "/login", nil)
		token := csrfField.FindStringSubmatch(page)
		if token == nil {
			t.Fatal("no CSRF field on the sign-in page")
		}
		do("POST", "/login", url.Values{"_csrf": {token[1]}, "email": {u.Email}, "password": {u.Password}})
		page = do("GET", "/"+acc.Slug+"/me/privacy", nil)
		token = csrfField.FindStringSubmatch(page)
		if token == nil {
			t.Fatal("no CSRF field on the privacy page")
		}
		do("POST", "/"+acc.Slug+"/me/privacy/exports", url.Values{"_csrf": {token[1]}})
		do("GET", "/"+acc.Slug+"/me/privacy", nil)
		do("POST", "/logout", url.Values{"_csrf": {token[1]}})

		declared := map[string]bool{}
		for _, c := range web.Cookies() {
			declared[c.Name] = true
		}
		notice := do("GET", "/cookies", nil)
		for name := range seen {
			if !declared[name] {
				t.Errorf("cookie %s is set but not declared", name)
			}
		}
		for name := range declared {
			if !strings.Contains(notice, name) {
				t.Errorf("the cookie notice does not list %s", name)
			}
		}
		if len(seen) < 3 {
			t.Errorf("the flows set only %v", seen)
		}
	})
}
