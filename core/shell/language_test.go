package shell_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// The signed-out pages carry a language menu, each language named in itself; a pick is kept
// in a cookie that beats the browser's Accept-Language, and leads back to the page (never off
// the site). An unknown language is 404.
func TestSignedOutLanguageMenu(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		anon := e.Browser() // does not follow redirects; the cookie is sent by hand below
		page := anon.Send(http.MethodGet, "/login", http.Header{"Accept-Language": {"fr-FR,fr;q=0.9"}}, nil)
		body := string(page.Body)
		if page.Status != http.StatusOK || !strings.Contains(body, `<html lang="fr">`) {
			t.Fatalf("the sign-in page in French: %d", page.Status)
		}
		for _, want := range []string{`class="langmenu"`, `href="/language/en?next=%2Flogin" lang="en" hreflang="en">English</a>`,
			`lang="fr" hreflang="fr" aria-current="true">Français</a>`, `lang="ru" hreflang="ru">Русский</a>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the menu lacks %s", want)
			}
		}

		pick := anon.Get("/language/ru?next=/password-reset")
		if pick.Status != http.StatusSeeOther || pick.Header.Get("Location") != "/password-reset" {
			t.Fatalf("picking Russian: %d to %q", pick.Status, pick.Header.Get("Location"))
		}
		var cookie *http.Cookie
		for _, c := range (&http.Response{Header: pick.Header}).Cookies() {
			if c.Name == "gc_lang" {
				cookie = c
			}
		}
		if cookie == nil || cookie.Value != "ru" || !cookie.HttpOnly {
			t.Fatalf("the pick's cookie: %+v", cookie)
		}
		ru := anon.Send(http.MethodGet, "/password-reset", http.Header{"Accept-Language": {"fr"}, "Cookie": {"gc_lang=ru"}}, nil)
		if !strings.Contains(string(ru.Body), `<html lang="ru">`) {
			t.Error("the picked language does not beat the browser's")
		}

		if r := anon.Get("/language/xx?next=/login"); r.Status != http.StatusNotFound {
			t.Errorf("an unknown language: %d", r.Status)
		}
		for _, next := range []string{"//evil.test/x", "https://evil.test/", "/%5Cevil.test"} {
			if r := anon.Get("/language/fr?next=" + next); r.Header.Get("Location") != "/login" {
				t.Errorf("next=%s leads to %q", next, r.Header.Get("Location"))
			}
		}
		// Signed in, the profile decides: no menu.
		u := e.NewUser(e.NewAccount(), "member")
		if strings.Contains(string(e.BrowserLogin(u).Get("/profile").Body), `class="langmenu"`) {
			t.Error("a signed-in page shows the signed-out menu")
		}
	})
}
