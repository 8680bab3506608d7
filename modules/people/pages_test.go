package people_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

var payloadField = regexp.MustCompile(`name="payload" value="([^"]*)"`)

// TestImportPage: the owner sends a file from the page, sees the preview (who, which role),
// confirms, and lands on the people page with the flash; a file with a wrong row shows the
// row's error and no confirm button; a forged payload is refused and writes nothing.
func TestImportPage(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		dom := acc.Slug + ".test" // the logins are shared by the accounts of a database
		b := e.BrowserLogin(acc.Owner)
		page := "/" + acc.Slug + "/admin/people-import"
		r := want(t, "page", b.Get(page), http.StatusOK)
		csrf := testkit.CSRFIn(r.Body)
		if !strings.Contains(r.String(), "CSV or vCard file") {
			t.Fatalf("page: %s", r.Body)
		}
		before := e.Snapshot()
		r = want(t, "wrong row", send(t, b, page, "x.csv", []byte("name,email\nAda,ada@\n"), map[string]string{"_csrf": csrf, "role": "member"}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), "1 row cannot be imported") || strings.Contains(r.String(), `name="payload"`) {
			t.Fatalf("wrong row: %s", r.Body)
		}
		r = want(t, "preview", send(t, b, page, "x.csv", []byte("name,email\nAda Lovelace,ada@"+dom+"\nAlan Turing,alan@"+dom+"\n"), map[string]string{"_csrf": csrf, "role": "manager"}), http.StatusOK)
		body := r.String()
		if !strings.Contains(body, "2 people will be invited") || !strings.Contains(body, "Ada Lovelace") || !strings.Contains(body, "Invite 2 people") {
			t.Fatalf("preview: %s", body)
		}
		m := payloadField.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no payload")
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("the preview wrote: %s -> %s", before, after)
		}
		want(t, "forged", b.Form(page+"/confirm", map[string][]string{"_csrf": {csrf}, "payload": {"bm90IGpzb24"}}), http.StatusUnprocessableEntity)
		if after := e.Snapshot(); after != before {
			t.Fatalf("a forged confirmation wrote: %s -> %s", before, after)
		}
		r = want(t, "confirm", b.Form(page+"/confirm", map[string][]string{"_csrf": {csrf}, "payload": {m[1]}, "source": {"x.csv"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/"+acc.Slug+"/people" {
			t.Fatalf("redirect to %q", loc)
		}
		r = want(t, "people", b.Get("/"+acc.Slug+"/people"), http.StatusOK)
		if !strings.Contains(r.String(), "ada@"+dom) || !strings.Contains(r.String(), "The people are invited") {
			t.Fatalf("people page: %s", r.Body)
		}
	})
}

// TestOpenAPI: the import route is documented.
func TestOpenAPI(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	e.OpenAPI(t).Documents(t, "post /api/v1/{slug}/people/import")
}
