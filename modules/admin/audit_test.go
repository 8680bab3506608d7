package admin_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/config"
	"groupcamp/core/testkit"
)

// TestAuditPageAndCSV: the trail lists who did what with IP and browser, localized; the
// filters work on the page and in the export; the CSV is well formed and defuses cells a
// spreadsheet would run as formulas.
func TestAuditPageAndCSV(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		s := signIn(t, e, acc.Owner)
		// Names that a spreadsheet would read as formulas, and ones that need CSV quoting.
		hostile := []string{`=HYPERLINK("http://evil.test","x")`, "+SUM(1,2)", "-2+3", "@cmd", `Quote "and", comma`}
		for _, name := range hostile {
			wantRedirect(t, "company "+name, s.post("/"+acc.Slug+"/companies", form("name", name, "kind", "client")), "/"+acc.Slug+"/companies")
		}
		as := signIn(t, e, admin)
		wantStatus(t, "team", as.post("/"+acc.Slug+"/teams", form("name", "Ops")), http.StatusSeeOther)

		audit := "/" + acc.Slug + "/audit"
		r := s.get(audit)
		wantStatus(t, "audit", r, http.StatusOK)
		wantText(t, "audit", r, "Audit trail", "Company added", "Team created", "Person invited", "Account created",
			acc.Owner.Name, admin.Name, "127.0.0.1", "Go-http-client", `data-filter="audit-table"`, "data-sortable", "Export as CSV")

		// A role change reads as facts (from, to), its target links to the person.
		promoted := e.NewUser(acc, "member")
		wantStatus(t, "role", e.As(acc.Owner).Patch(fmt.Sprintf("/api/v1/%s/users/%d", acc.Slug, promoted.ID), map[string]any{"role": "manager"}), http.StatusOK)
		r = s.get(audit + "?action=user.role_changed")
		wantText(t, "role change", r, "<dt>from</dt><dd>member</dd>", "<dt>to</dt><dd>manager</dd>",
			fmt.Sprintf(`href="/%s/people?q=%s"`, acc.Slug, url.QueryEscape(promoted.Email)))
		wantNoText(t, "role change", r, `{&#34;from&#34;`)

		// Filters: by person and by action.
		r = s.get(fmt.Sprintf("%s?actor=%d", audit, admin.ID))
		wantText(t, "by admin", r, "Team created", "Ops")
		wantNoText(t, "by admin", r, `<code class="muted">company.created</code>`)
		r = s.get(audit + "?action=company.created")
		wantText(t, "companies only", r, "+SUM(1,2)", fmt.Sprintf(`href="/%s/audit.csv?action=company.created"`, acc.Slug))
		wantNoText(t, "companies only", r, `<code class="muted">team.created</code>`)
		for _, q := range []string{"?actor=abc", "?actor=-1", "?action=" + strings.Repeat("a", 101), "?cursor=zz!"} {
			if r := s.get(audit + q); r.Status < 400 || r.Status >= 500 {
				t.Errorf("audit%.20s: status %d, want 4xx", q, r.Status)
			}
		}

		// Localized: French labels and dates.
		fr := signIn(t, e, admin)
		fr.lang = "fr"
		r = fr.get(audit)
		wantText(t, "fr audit", r, `lang="fr"`, "Journal d'audit", "Société ajoutée", "Qui", "Navigateur")
		ru := signIn(t, e, admin)
		ru.lang = "ru"
		wantText(t, "ru audit", ru.get(audit), "Журнал аудита", "Компания добавлена", " г. ")

		// The export.
		r = s.get(audit + ".csv?action=company.created")
		wantStatus(t, "csv", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("csv Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, acc.Slug+".csv") {
			t.Errorf("csv Content-Disposition %q", cd)
		}
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatalf("the export is not valid CSV: %v\n%s", err, r.Body)
		}
		if want := []string{"time", "actor_id", "actor", "action", "target", "details", "ip", "user_agent"}; !slices.Equal(rows[0], want) {
			t.Errorf("header %v", rows[0])
		}
		if len(rows) != 1+len(hostile) {
			t.Fatalf("csv has %d rows, want %d: %s", len(rows), 1+len(hostile), r.Body)
		}
		var targets []string
		for _, row := range rows[1:] {
			if len(row) != 8 || row[3] != "company.created" || row[2] != acc.Owner.Name || row[1] != fmt.Sprint(acc.Owner.ID) {
				t.Errorf("row %v", row)
			}
			targets = append(targets, row[4])
			if !strings.HasPrefix(row[0], "20") || !strings.HasSuffix(row[0], "Z") {
				t.Errorf("time %q is not RFC 3339 UTC", row[0])
			}
		}
		for _, want := range []string{`'=HYPERLINK("http://evil.test","x")`, "'+SUM(1,2)", "'-2+3", "'@cmd", `Quote "and", comma`} {
			if !slices.Contains(targets, want) {
				t.Errorf("csv targets %q lack %q", targets, want)
			}
		}
		// The whole trail, newest first.
		r = s.get(audit + ".csv")
		all, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil || len(all) < 10 || all[len(all)-1][3] != "account.created" {
			t.Errorf("full export: %v, %d rows, last %v", err, len(all), all[len(all)-1])
		}
	})
}

// TestDevMailbox: the owner reads the invitations sent, newest first, and only those of the
// account; nobody else may; the page does not exist in production or with SMTP.
func TestDevMailbox(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		first := e.NewUser(acc, "admin")
		second := e.NewUser(acc, "member")
		other := e.NewAccount()
		stranger := e.NewUser(other, "member")
		box := "/" + acc.Slug + "/dev/mailbox"
		r := signIn(t, e, acc.Owner).get(box)
		wantStatus(t, "owner", r, http.StatusOK)
		wantText(t, "owner", r, "Dev mailbox", first.Email, second.Email, "/invitations/gci_", "Open the link")
		// Each link once, and the unsubscribe link says what it does.
		for _, link := range regexp.MustCompile(`<a class="button small secondary" href="([^"]+)">([^<]*)`).FindAllSubmatch(r.Body, -1) {
			if strings.Contains(string(link[1]), "/unsubscribe/") != strings.Contains(string(link[2]), "Unsubscribe") {
				t.Errorf("the link %s reads %q", link[1], link[2])
			}
		}
		if strings.Index(string(r.Body), second.Email) > strings.Index(string(r.Body), first.Email) {
			t.Error("the newest message is not first")
		}
		wantNoText(t, "other account's mail", r, stranger.Email)
		for _, u := range []*testkit.User{first, second} {
			wantStatus(t, u.Role, e.As(u).Get(box), http.StatusForbidden)
		}
		wantText(t, "settings link", signIn(t, e, acc.Owner).get("/"+acc.Slug+"/settings"), box)
		wantNoText(t, "no link for admins", signIn(t, e, first).get("/"+acc.Slug+"/settings"), box)
	})
	for name, cfg := range map[string]func(*config.Config){
		"production": func(c *config.Config) { c.Production = true },
		"smtp":       func(c *config.Config) { c.SMTPURL = "smtp://127.0.0.1:2525" },
	} {
		t.Run(name, func(t *testing.T) {
			e := startWith(t, cfg)
			acc := e.NewAccount()
			s := signIn(t, e, acc.Owner)
			wantStatus(t, name, s.get("/"+acc.Slug+"/dev/mailbox"), http.StatusNotFound)
			wantNoText(t, name+" settings", s.get("/"+acc.Slug+"/settings"), "/dev/mailbox")
		})
	}
}
