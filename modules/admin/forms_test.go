package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/audit"
	"groupcamp/core/testkit"
)

// TestInviteThroughTheForm: the owner invites a colleague from the people page; the answer
// shows the link and says an email was sent, the email is in the mailbox, and the person is
// listed as invited. The link lets the colleague in.
func TestInviteThroughTheForm(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		s := signIn(t, e, acc.Owner)
		people := "/" + acc.Slug + "/people"
		r := s.get(people)
		wantStatus(t, "people", r, http.StatusOK)
		wantText(t, "people", r, `name="_csrf" value="`+s.csrf+`"`, `<label for="f-email">Email</label>`, "Send the invitation")

		r = s.post(people, form("name", "Camille Durand", "email", "Camille.Durand@Example.test", "role", "manager"))
		wantStatus(t, "invite", r, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the invitation link has Cache-Control %q, want no-store", cc)
		}
		wantText(t, "invite", r, "Camille Durand is invited: an email with the invitation link was sent to camille.durand@example.test.")
		msg, ok := e.Mailbox.Last("camille.durand@example.test")
		if !ok {
			t.Fatal("no email to the invited person")
		}
		link := msg.Text[strings.Index(msg.Text, e.URL+"/invitations/"):]
		link = link[:strings.IndexAny(link, " \n")]
		wantText(t, "invite shows the link", r, `id="invitation-link">`+link+`<`)
		r = s.get(people)
		wantText(t, "listed", r, "Camille Durand", "camille.durand@example.test", `<span class="badge warn">Invited</span>`)
		wantNoText(t, "link shown once", r, link)

		// The colleague accepts through the link's page (the anonymous form of core/shell).
		guest := e.Browser()
		page := guest.Get(strings.TrimPrefix(link, e.URL))
		wantStatus(t, "invitation page", page, http.StatusOK)
		pre := between(string(page.Body), `name="_csrf" value="`, `"`)
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
		res := guest.Send(http.MethodPost, strings.TrimPrefix(link, e.URL), h,
			strings.NewReader(form("_csrf", pre, "name", "Camille Durand", "password", "a long enough passphrase").Encode()))
		wantStatus(t, "accept", res, http.StatusSeeOther)
		r = s.get(people)
		wantText(t, "active now", r, `<span class="badge ok">Active</span>`)
		wantNoText(t, "nobody invited", r, `badge warn`)

		// Without the CSRF field nothing happens.
		before := e.Snapshot()
		r = s.postRaw(people, form("name", "Mallory", "email", "mallory@example.test", "role", "admin"))
		wantStatus(t, "no csrf", r, http.StatusForbidden)
		r = s.postRaw(people, form("_csrf", "forged", "name", "Mallory", "email", "mallory@example.test", "role", "admin"))
		wantStatus(t, "wrong csrf", r, http.StatusForbidden)
		if after := e.Snapshot(); after != before {
			t.Errorf("a form without CSRF changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// TestFormErrorsKeepValues: a wrong form comes back with 422, the values kept, each message
// next to its field, and nothing written.
func TestFormErrorsKeepValues(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		s := signIn(t, e, acc.Owner)
		people := "/" + acc.Slug + "/people"
		before := e.Snapshot()

		r := s.post(people, form("name", `Zoé "<b>"`, "email", "not-an-email", "role", "manager"))
		wantStatus(t, "bad email", r, http.StatusUnprocessableEntity)
		if got := fieldError(r, "email"); got != "must be a valid email address" {
			t.Errorf("email message = %q", got)
		}
		if !strings.Contains(string(r.Body), `value="Zoé &#34;&lt;b&gt;&#34;"`) {
			t.Errorf("the name is not kept, escaped; body %.3000s", r.Body)
		}
		wantText(t, "values kept", r, `value="not-an-email"`, `<option value="manager" selected>`)
		wantText(t, "form message", r, "Please correct the fields marked below.")
		if !strings.Contains(string(r.Body), `aria-invalid="true" aria-describedby="e-email"`) {
			t.Error("the email input is not marked invalid and tied to its message")
		}

		r = s.post(people, form("name", "", "email", "a@example.test", "role", "king"))
		wantStatus(t, "bad role", r, http.StatusUnprocessableEntity)
		if fieldError(r, "name") == "" || fieldError(r, "role") == "" {
			t.Errorf("want messages next to name and role; body %.2000s", r.Body)
		}

		r = s.post(people, form("name", "Client Person", "email", "client@example.test", "role", "client"))
		wantStatus(t, "client without company", r, http.StatusUnprocessableEntity)
		if got := fieldError(r, "company_id"); !strings.Contains(got, "client") {
			t.Errorf("company message = %q", got)
		}
		r = s.post(people, form("name", "Client Person", "email", "client@example.test", "role", "client", "company_id", "x1"))
		wantStatus(t, "company not a number", r, http.StatusUnprocessableEntity)
		wantText(t, "not a choice", r, "is not a valid choice")

		// French: the same messages, translated.
		admin := e.NewUser(acc, "admin")
		fr := signIn(t, e, admin)
		fr.lang = "fr-FR,fr;q=0.9"
		before = e.Snapshot()
		r = fr.post(people, form("name", "Zoé", "email", "zoe@", "role", "member"))
		wantStatus(t, "fr bad email", r, http.StatusUnprocessableEntity)
		if got := fieldError(r, "email"); got != "doit être une adresse e-mail valide" {
			t.Errorf("French email message = %q", got)
		}
		wantText(t, "fr", r, "Veuillez corriger")

		// A duplicate is a conflict on the email field.
		r = s.post(people, form("name", "Admin again", "email", admin.Email, "role", "member"))
		wantStatus(t, "duplicate", r, http.StatusConflict)
		if fieldError(r, "email") == "" {
			t.Error("no message next to the email of a duplicate")
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("refused forms changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// TestRoleChangeAndAccess: an admin changes a member's role and company, deactivates and
// reactivates them; the owner and oneself are protected, with the reason shown.
func TestRoleChangeAndAccess(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		bob := e.NewUser(acc, "member")
		client := e.ClientCompany(acc)
		s := signIn(t, e, admin)
		bobPage := fmt.Sprintf("/%s/people/%d", acc.Slug, bob.ID)

		r := s.get(bobPage)
		wantStatus(t, "person", r, http.StatusOK)
		wantText(t, "person", r, bob.Name, bob.Email, "Role and access", `data-confirm="Deactivate `+bob.Name+`?`)

		wantRedirect(t, "to manager", s.post(bobPage, form("role", "manager")), bobPage)
		r = s.get(bobPage)
		wantText(t, "flash", r, "The changes are saved.", `<option value="manager" selected>`)
		events, err := audit.List(context.Background(), e.App.DB, acc.ID, audit.Filter{Action: "user.role_changed", Limit: 5})
		if err != nil || len(events) != 1 || events[0].Target != bob.Email || events[0].ActorName != admin.Name {
			t.Errorf("audit of the role change: %v %+v", err, events)
		}

		// A colleague cannot be put in a client company; the choice stays on the page.
		before := e.Snapshot()
		r = s.post(bobPage, form("role", "manager", "company_id", fmt.Sprint(client)))
		wantStatus(t, "colleague in client company", r, http.StatusUnprocessableEntity)
		if fieldError(r, "company_id") == "" {
			t.Error("no message next to the company")
		}
		wantText(t, "kept", r, fmt.Sprintf(`<option value="%d" selected>`, client))
		// A client goes to a client company.
		wantRedirect(t, "to client", s.post(bobPage, form("role", "client", "company_id", fmt.Sprint(client))), bobPage)

		// Deactivate, then bob is out; reactivate, then bob is back.
		wantRedirect(t, "deactivate", s.post(bobPage+"/deactivate", nil), bobPage)
		r = s.get(bobPage)
		wantText(t, "deactivated", r, "The person is deactivated.", `badge off`, "Reactivate")
		// His only account: his sessions end with it; he signs in again once reactivated.
		wantStatus(t, "bob is out", e.As(bob).Get("/api/v1/"+acc.Slug+"/account"), http.StatusUnauthorized)
		wantRedirect(t, "reactivate", s.post(bobPage+"/reactivate", nil), bobPage)
		wantText(t, "reactivated", s.get(bobPage), "The person is reactivated.")
		e.Login(bob)
		wantStatus(t, "bob is back (as a client: home only)", e.As(bob).Get("/"+acc.Slug), http.StatusOK)

		// The owner is protected, and says why; so is oneself.
		before = e.Snapshot()
		ownerPage := fmt.Sprintf("/%s/people/%d", acc.Slug, acc.Owner.ID)
		r = s.get(ownerPage)
		wantText(t, "owner page", r, "This is the account owner: their role cannot be changed")
		wantNoText(t, "owner page", r, `/deactivate"`)
		r = s.post(ownerPage+"/deactivate", nil)
		wantStatus(t, "deactivate owner", r, http.StatusConflict)
		wantText(t, "why", r, "the owner's role cannot be changed and the owner cannot be removed")
		r = s.post(ownerPage, form("role", "member"))
		wantStatus(t, "demote owner", r, http.StatusConflict)
		self := fmt.Sprintf("/%s/people/%d", acc.Slug, admin.ID)
		wantText(t, "self page", s.get(self), "This is you")
		r = s.post(self+"/deactivate", nil)
		wantStatus(t, "deactivate oneself", r, http.StatusConflict)
		wantText(t, "why", r, "you cannot change your own role or access")
		if after := e.Snapshot(); after != before {
			t.Errorf("refused changes wrote something:\nbefore %s\nafter  %s", before, after)
		}
		wantStatus(t, "no such person", s.get(fmt.Sprintf("/%s/people/999999", acc.Slug)), http.StatusNotFound)
		wantStatus(t, "not an id", s.get("/"+acc.Slug+"/people/abc"), http.StatusNotFound)
	})
}

// TestSettings: the owner changes everything; an admin sees the billing fields read-only and
// cannot change them even by posting them.
func TestSettings(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		settings := "/" + acc.Slug + "/settings"
		owner := signIn(t, e, acc.Owner)
		r := owner.get(settings)
		wantStatus(t, "settings", r, http.StatusOK)
		wantText(t, "settings", r, `name="country"`, `name="vat_number"`, `name="currency"`, `value="FR"`)

		wantRedirect(t, "save", owner.post(settings, form("name", "Durand & Fils", "country", "de", "vat_number", "de 123456789",
			"currency", "chf", "time_unit", "days", "locale", "fr")), settings)
		got, err := e.App.Identity.Account(context.Background(), ownerActor(acc))
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Durand & Fils" || got.Country != "DE" || got.VATNumber != "DE123456789" || got.Currency != "CHF" || got.TimeUnit != "days" || got.Locale != "fr" {
			t.Errorf("account after save: %+v", got)
		}
		wantText(t, "saved", owner.get(settings), "The settings are saved.", `value="Durand & Fils"`)

		before := e.Snapshot()
		r = owner.post(settings, form("name", "Durand & Fils", "country", "ZZ", "vat_number", "nope!", "currency", "EURO", "time_unit", "weeks", "locale", "de"))
		wantStatus(t, "bad settings", r, http.StatusUnprocessableEntity)
		for _, f := range []string{"country", "vat_number", "currency", "time_unit", "locale"} {
			if fieldError(r, f) == "" {
				t.Errorf("no message next to %s", f)
			}
		}
		wantText(t, "kept", r, `value="ZZ"`, `value="nope!"`, `value="EURO"`)
		if after := e.Snapshot(); after != before {
			t.Errorf("bad settings wrote something")
		}

		// A colleague without a language of their own reads the account's, French now.
		admin := signIn(t, e, e.NewUser(acc, "admin"))
		r = admin.get(settings)
		wantStatus(t, "admin settings", r, http.StatusOK)
		wantText(t, "read-only", r, `<html lang="fr">`, "Seul le propriétaire du compte peut modifier les informations légales et de facturation.", "CHF", "DE123456789")
		wantNoText(t, "read-only", r, `name="country"`, `name="currency"`, `name="vat_number"`)
		wantRedirect(t, "admin save", admin.post(settings, form("name", "Renamed by admin", "country", "US", "currency", "USD", "vat_number", "", "time_unit", "hours", "locale", "en")), settings)
		got, _ = e.App.Identity.Account(context.Background(), ownerActor(acc))
		if got.Name != "Renamed by admin" || got.Country != "DE" || got.Currency != "CHF" || got.VATNumber != "DE123456789" || got.TimeUnit != "hours" {
			t.Errorf("an admin changed billing fields: %+v", got)
		}
	})
}

// TestCompaniesAndTeams: companies are listed with head counts and created from the form;
// teams show member counts, get created, and people are added and removed.
func TestCompaniesAndTeams(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		bob := e.NewUser(acc, "member")
		s := signIn(t, e, acc.Owner)
		companies := "/" + acc.Slug + "/companies"
		r := s.get(companies)
		wantText(t, "companies", r, acc.Name, "Our company", "2 people", `data-filter="companies-table"`, "data-sortable")

		wantRedirect(t, "create", s.post(companies, form("name", "Acme", "kind", "supplier")), companies)
		wantText(t, "created", s.get(companies), "The company is added.", "Acme", "Supplier", "0 people")
		r = s.post(companies, form("name", "Acme", "kind", "client"))
		wantStatus(t, "duplicate", r, http.StatusConflict)
		wantText(t, "duplicate", r, "a company with this name exists already")
		r = s.post(companies, form("name", "Beta", "kind", "internal"))
		wantStatus(t, "internal", r, http.StatusUnprocessableEntity)
		if fieldError(r, "kind") == "" {
			t.Error("no message next to the kind")
		}

		teams := "/" + acc.Slug + "/teams"
		wantText(t, "no teams", s.get(teams), "No teams yet.")
		r = s.post(teams, form("name", "Board", "management", "1"))
		wantStatus(t, "create team", r, http.StatusSeeOther)
		teamPage := r.Header.Get("Location")
		if !strings.HasPrefix(teamPage, teams+"/") {
			t.Fatalf("create team goes to %q", teamPage)
		}
		r = s.get(teamPage)
		wantText(t, "team", r, "The team is created.", "Board", "Management", "Nobody is in this team yet.", bob.Name)
		r = s.post(teams, form("name", "  "))
		wantStatus(t, "empty name", r, http.StatusUnprocessableEntity)
		if fieldError(r, "name") != "is required" {
			t.Errorf("name message = %q", fieldError(r, "name"))
		}

		wantRedirect(t, "add", s.post(teamPage+"/members", form("user_id", fmt.Sprint(bob.ID))), teamPage)
		r = s.get(teamPage)
		wantText(t, "added", r, "The person is added to the team.", "1 member", bob.Email, fmt.Sprintf(`/members/%d/remove`, bob.ID))
		wantText(t, "count", s.get(teams), "1 member")
		r = s.post(teamPage+"/members", form("user_id", "999999"))
		wantStatus(t, "unknown person", r, http.StatusUnprocessableEntity)
		r = s.post(teamPage+"/members", form("user_id", "abc"))
		wantStatus(t, "not an id", r, http.StatusUnprocessableEntity)
		wantRedirect(t, "remove", s.post(fmt.Sprintf("%s/members/%d/remove", teamPage, bob.ID), nil), teamPage)
		wantText(t, "removed", s.get(teamPage), "The person is removed from the team.", "Nobody is in this team yet.")
		wantStatus(t, "no such team", s.get(teams+"/999999"), http.StatusNotFound)
	})
}

// TestPeopleListSearchAndPages: search, role filter, cursor pages, and bad filters refused
// with 4xx.
func TestPeopleListSearchAndPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		for _, role := range []string{"admin", "manager", "member", "member"} {
			e.NewUser(acc, role)
		}
		s := signIn(t, e, acc.Owner)
		people := "/" + acc.Slug + "/people"
		r := s.get(people + "?role=manager")
		wantText(t, "managers", r, "Manager manager-")
		wantNoText(t, "managers", r, "Member member-")
		r = s.get(people + "?q=ADMIN-")
		wantText(t, "search", r, "Admin admin-")
		wantNoText(t, "search", r, "Manager manager-")
		wantText(t, "nobody", s.get(people+"?q=nobody-at-all"), "Nobody matches.", "Clear the filters")

		r = s.get(people + "?limit=2")
		next := between(string(r.Body), `<a class="button secondary" href="`, `" rel="next"`)
		if next == "" {
			t.Fatalf("no next page link; body %.3000s", r.Body)
		}
		next = strings.ReplaceAll(next, "&amp;", "&")
		seen := strings.Count(string(r.Body), `/people/`)
		r = s.get(next)
		wantStatus(t, "next page", r, http.StatusOK)
		wantText(t, "next page", r, "First page")
		if n := strings.Count(string(r.Body), `/people/`); n == 0 || seen == 0 {
			t.Errorf("pages list %d and %d people", seen, n)
		}

		for _, q := range []string{"?role=king", "?cursor=!!", "?limit=0", "?q=" + strings.Repeat("x", 101)} {
			r := s.get(people + q)
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("people%s: status %d, want 4xx", q[:min(len(q), 20)], r.Status)
			}
		}
	})
}
