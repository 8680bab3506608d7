package files_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

// linkPath is the path of a share link's url (the tests' server is not the BaseURL's).
func linkPath(t testing.TB, l files.Link) string {
	t.Helper()
	u, err := url.Parse(l.URL)
	if err != nil || !strings.HasPrefix(u.Path, "/s/gcf_") {
		t.Fatalf("link url %q", l.URL)
	}
	return u.Path
}

func (o *office) link(t testing.TB, c *testkit.Client, file int64, body any) files.Link {
	t.Helper()
	r := c.Post(fmt.Sprintf("%s/files/%d/links", o.base, file), body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create link: %d %s", r.Status, r.Body)
	}
	var l files.Link
	r.JSON(t, &l)
	return l
}

func (o *office) audits(t *testing.T, action string) int {
	t.Helper()
	var n int
	if err := o.e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("COUNT(*)").Where("account_id = ? AND action = ?", o.acc.ID, action).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestShareLinks: a member shares a file with a password and a limit of two downloads; signed
// out, the page shows the name and asks the password; a wrong one is refused (422) and, after
// five, throttled (429 with Retry-After, even for the right one); the right one downloads the
// file, counted in the history as the link's; the third download finds the link spent (410).
// A revoked, expired or trashed link is 410, an unknown token 404; creation and revocation are
// audited; bad input is a field-level 422 and makes nothing; clients may not share (403), and
// another account's people do not find the file (404).
func TestShareLinks(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		content := []byte("the quarterly report, final")
		file := o.uploaded(t, mem, o.folder, "Rapport T3.txt", content)

		// Bad input: nothing made.
		before := o.count(t, "files_links")
		for body, field := range map[string]string{
			`{"expires_at": "2001-01-01T00:00:00Z"}`: "expires_at",
			`{"expires_at": "2999-01-01T00:00:00Z"}`: "expires_at",
			`{"max_downloads": -1}`:                  "max_downloads",
			`{"max_downloads": 1000000000}`:          "max_downloads",
			`{"password": "short"}`:                  "password",
		} {
			r := mem.Post(fmt.Sprintf("%s/files/%d/links", o.base, file), body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", body, r.Status, r.Body)
			}
		}
		if o.count(t, "files_links") != before {
			t.Errorf("a refused link was stored")
		}
		// Clients do not share; other accounts do not see the file.
		if r := e.As(o.cli).Post(fmt.Sprintf("%s/files/%d/links", o.base, file), map[string]any{}); r.Status != http.StatusForbidden {
			t.Errorf("client shares: %d %s", r.Status, r.Body)
		}
		other := newOffice(t, e)
		if r := e.As(other.owner).Post(fmt.Sprintf("%s/files/%d/links", other.base, file), map[string]any{}); r.Status != http.StatusNotFound {
			t.Errorf("another account shares: %d %s", r.Status, r.Body)
		}

		pw := "blue-harbour-1987"
		l := o.link(t, mem, file, map[string]any{"password": pw, "max_downloads": 2})
		if l.State != files.LinkActive || !l.Password || l.MaxDownloads != 2 || l.ID == 0 {
			t.Fatalf("link %+v", l)
		}
		if o.audits(t, "files.link.created") != 1 {
			t.Errorf("the creation is not audited")
		}
		path := linkPath(t, l)
		anon := e.Anonymous()
		page := anon.Get(path)
		if page.Status != http.StatusOK || !strings.Contains(page.String(), "Rapport T3.txt") || !strings.Contains(page.String(), `type="password"`) {
			t.Fatalf("public page: %d %s", page.Status, page.Body)
		}
		if page.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("Referrer-Policy %q", page.Header.Get("Referrer-Policy"))
		}
		// A GET of the download leads to the page (the password goes in a form).
		if r := anon.Get(path + "/download"); r.Status != http.StatusOK || strings.Contains(r.String(), string(content)) {
			t.Errorf("GET download of a password link: %d %.100s", r.Status, r.Body)
		}
		if r := anon.Form(path+"/download", url.Values{"password": {"not-the-password"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "not the password") {
			t.Errorf("wrong password: %d %.300s", r.Status, r.Body)
		}
		// The right password: the file, counted.
		r := anon.Form(path+"/download", url.Values{"password": {pw}})
		if r.Status != http.StatusOK || string(r.Body) != string(content) || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %.200s", r.Status, r.Body)
		}
		var hist files.DownloadList
		e.As(o.owner).Get(fmt.Sprintf("%s/files/%d/downloads", o.base, file)).JSON(t, &hist)
		if len(hist.Items) != 1 || hist.Items[0].LinkID == nil || *hist.Items[0].LinkID != l.ID || hist.Items[0].UserID != nil {
			t.Errorf("history %+v", hist.Items)
		}
		if r := anon.Form(path+"/download", url.Values{"password": {pw}}); r.Status != http.StatusOK {
			t.Errorf("second download: %d", r.Status)
		}
		// Spent: 410 on the page and the download.
		if r := anon.Get(path); r.Status != http.StatusGone {
			t.Errorf("spent link page: %d", r.Status)
		}
		if r := anon.Form(path+"/download", url.Values{"password": {pw}}); r.Status != http.StatusGone {
			t.Errorf("third download: %d", r.Status)
		}
		var list files.LinkList
		mem.Get(fmt.Sprintf("%s/files/%d/links", o.base, file)).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Downloads != 2 || list.Items[0].State != files.LinkExhausted || list.Items[0].URL != l.URL {
			t.Errorf("links %+v", list.Items)
		}

		// The throttle: five wrong passwords from one IP, then 429 even for the right one.
		l2 := o.link(t, mem, file, map[string]any{"password": pw})
		p2 := linkPath(t, l2)
		for i := 0; i < files.LinkMaxFailures; i++ {
			if r := anon.Form(p2+"/download", url.Values{"password": {fmt.Sprintf("guess-%d-xxxxx", i)}}); r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("guess %d: %d", i, r.Status)
			}
		}
		r = anon.Form(p2+"/download", url.Values{"password": {pw}})
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Errorf("throttled: %d %q", r.Status, r.Header.Get("Retry-After"))
		}

		// Without a password: GET downloads; revoked: 410, audited; revoking again changes nothing.
		l3 := o.link(t, mem, file, map[string]any{})
		p3 := linkPath(t, l3)
		if r := anon.Get(p3 + "/download"); r.Status != http.StatusOK || string(r.Body) != string(content) {
			t.Errorf("open link download: %d", r.Status)
		}
		if r := e.As(o.cli).Delete(fmt.Sprintf("%s/files/%d/links/%d", o.base, file, l3.ID)); r.Status != http.StatusForbidden {
			t.Errorf("a client revokes a link: %d", r.Status)
		}
		for i := 0; i < 2; i++ {
			if r := mem.Delete(fmt.Sprintf("%s/files/%d/links/%d", o.base, file, l3.ID)); r.Status != http.StatusNoContent {
				t.Errorf("revoke: %d %s", r.Status, r.Body)
			}
		}
		if o.audits(t, "files.link.revoked") != 1 {
			t.Errorf("revocations audited: %d, want 1", o.audits(t, "files.link.revoked"))
		}
		if r := anon.Get(p3 + "/download"); r.Status != http.StatusGone {
			t.Errorf("revoked link: %d", r.Status)
		}
		if r := e.As(other.owner).Delete(fmt.Sprintf("%s/files/%d/links/%d", other.base, file, l2.ID)); r.Status != http.StatusNotFound {
			t.Errorf("another account revokes: %d", r.Status)
		}

		// Expired, and a trashed file: 410. Unknown tokens: 404.
		l4 := o.link(t, mem, file, map[string]any{"expires_at": time.Now().Add(time.Hour)})
		if _, err := e.App.DB.NewUpdate().Table("files_links").Set("expires_at = ?", time.Now().UTC().Add(-time.Minute)).Where("id = ?", l4.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		if r := anon.Get(linkPath(t, l4)); r.Status != http.StatusGone {
			t.Errorf("expired link: %d", r.Status)
		}
		l5 := o.link(t, mem, file, map[string]any{})
		if r := mem.Delete(fmt.Sprintf("%s/files/%d", o.base, file)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d", r.Status)
		}
		if r := anon.Get(linkPath(t, l5) + "/download"); r.Status != http.StatusGone {
			t.Errorf("link of a trashed file: %d", r.Status)
		}
		for _, tok := range []string{"gcf_" + strings.Repeat("A", 43), "nothing", "gcf_%00"} {
			if r := anon.Get("/s/" + tok); r.Status != http.StatusNotFound {
				t.Errorf("token %q: %d", tok, r.Status)
			}
		}
	})
}

// TestShareLinkPage: the file page lists the links with their copy button and revokes one
// after a confirmation; the dialog's form makes one (the expiry is a date) and refuses bad
// input with the field's message in the reader's language.
func TestShareLinkPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		file := o.uploaded(t, e.As(o.mem), o.folder, "plan.txt", []byte("plan"))
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/files/%d", o.acc.Slug, file)
		r := b.SubmitForm(page, page+"/links", url.Values{"expires_on": {time.Now().AddDate(0, 0, 7).Format(time.DateOnly)}, "max_downloads": {"3"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("create by form: %d %s", r.Status, r.Body)
		}
		r = b.Get(page)
		if !strings.Contains(r.String(), "copy-link") || !strings.Contains(r.String(), "/s/gcf_") || !strings.Contains(r.String(), "data-confirm") {
			t.Errorf("the page does not list the link with its buttons: %s", r.Body)
		}
		r = b.SubmitForm(page, page+"/links", url.Values{"expires_on": {"2001-01-01"}, "password": {"short"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "e-expires_on") || !strings.Contains(r.String(), "e-password") {
			t.Errorf("refused form: %d", r.Status)
		}
		var lid int64
		if err := e.App.DB.NewSelect().TableExpr("files_links").Column("id").Where("file_id = ?", file).Limit(1).Scan(context.Background(), &lid); err != nil {
			t.Fatal(err)
		}
		if r := b.SubmitForm(page, fmt.Sprintf("%s/links/%d/revoke", page, lid), nil); r.Status != http.StatusSeeOther {
			t.Errorf("revoke by form: %d", r.Status)
		}
		var revoked int
		if err := e.App.DB.NewSelect().TableExpr("files_links").ColumnExpr("COUNT(*)").Where("id = ? AND revoked_at IS NOT NULL", lid).Scan(context.Background(), &revoked); err != nil || revoked != 1 {
			t.Errorf("not revoked: %d %v", revoked, err)
		}
	})
}
