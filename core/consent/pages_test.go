package consent_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

func wantIn(t testing.TB, what string, r *testkit.Response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.String(), p) {
			t.Errorf("%s: no %q in the page", what, p)
		}
	}
}

// TestConsentPages: the owner's consent page (grant with field errors, revoke with a
// confirmation), the account's support pages and the platform console, each for the right
// people only.
func TestConsentPages(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		member := e.NewUser(acc, "member")
		support := e.NewPlatformUser("support")
		partner := e.NewPlatformUser("partner")
		other := e.NewAccount()
		manage(t, e, partner, acc)
		page := "/" + acc.Slug + "/consent"

		owner := e.BrowserLogin(acc.Owner)
		r := owner.Get(page)
		wantStatus(t, "owner's consent page", r, http.StatusOK)
		wantIn(t, "consent page", r, `name="_csrf"`, `name="scope"`, `name="expires_at"`, `name="reason"`, `action="`+page+`"`, `href="`+page+`"`)
		wantStatus(t, "admin's consent page", e.BrowserLogin(admin).Get(page), http.StatusForbidden)
		wantStatus(t, "member's consent page", e.BrowserLogin(member).Get(page), http.StatusForbidden)

		// A bad end date comes back with the message next to its field, and nothing written.
		tooFar := time.Now().UTC().AddDate(0, 0, 40).Format(time.DateOnly)
		r = owner.SubmitForm(page, page, url.Values{"scope": {"logs"}, "expires_at": {tooFar}, "reason": {"Ticket 7"}})
		wantStatus(t, "grant too far", r, http.StatusUnprocessableEntity)
		wantIn(t, "grant too far", r, `id="e-expires_at"`, "must be at most 30 days ahead", `value="Ticket 7"`)
		if e.Count("support_grants") != 0 {
			t.Fatal("a refused form wrote a grant")
		}
		end := time.Now().UTC().AddDate(0, 0, 5).Format(time.DateOnly)
		r = owner.SubmitForm(page, page, url.Values{"scope": {"data"}, "expires_at": {end}, "reason": {"Ticket 7"}})
		wantStatus(t, "grant", r, http.StatusSeeOther)
		r = owner.Get(page)
		wantIn(t, "after the grant", r, "Consent given", "Ticket 7", "/consent/1/revoke")

		// Revoke, with a confirmation page first.
		r = owner.Get(page + "/1/revoke")
		wantStatus(t, "revoke confirmation", r, http.StatusOK)
		wantIn(t, "revoke confirmation", r, `method="post" action="`+page+`/1/revoke"`, "Support loses this access at once")
		r = owner.SubmitForm(page+"/1/revoke", page+"/1/revoke", nil)
		wantStatus(t, "revoke", r, http.StatusSeeOther)
		var revoked int
		if err := e.App.DB.NewSelect().TableExpr("support_grants").ColumnExpr("COUNT(*)").Where("revoked_at IS NOT NULL").Scan(context.Background(), &revoked); err != nil || revoked != 1 {
			t.Fatalf("revoked grants: %d (%v)", revoked, err)
		}
		wantIn(t, "after the revocation", owner.Get(page), "Consent revoked", "revoked")
		wantStatus(t, "revoke page of another account's grant", e.BrowserLogin(other.Owner).Get("/"+other.Slug+"/consent/1/revoke"), http.StatusNotFound)

		// Support requests: the admin opens one, support answers from the console.
		adm := e.BrowserLogin(admin)
		sp := "/" + acc.Slug + "/support"
		r = adm.Get(sp)
		wantStatus(t, "admin's support page", r, http.StatusOK)
		wantIn(t, "support page", r, `name="subject"`, `name="body"`, `href="`+sp+`"`)
		if strings.Contains(r.String(), `href="`+page+`"`) {
			t.Error("the admin's navigation offers the consent page")
		}
		r = adm.SubmitForm(sp, sp, url.Values{"subject": {""}, "body": {"Help"}})
		wantStatus(t, "open without a subject", r, http.StatusUnprocessableEntity)
		wantIn(t, "open without a subject", r, `id="e-subject"`, `>Help</textarea>`)
		r = adm.SubmitForm(sp, sp, url.Values{"subject": {"Cannot export"}, "body": {"Line one\nLine two"}})
		wantStatus(t, "open", r, http.StatusSeeOther)
		thread := r.Header.Get("Location")
		if !strings.HasPrefix(thread, sp+"/") {
			t.Fatalf("open redirects to %q", thread)
		}
		wantIn(t, "thread", adm.Get(thread), "Cannot export", "Line one<br>Line two")
		wantStatus(t, "member's support page", e.BrowserLogin(member).Get(sp), http.StatusForbidden)
		fr := adm.Send(http.MethodGet, sp, http.Header{"Accept-Language": {"fr"}}, nil)
		wantIn(t, "French support page", fr, "Demandes de support", "Ouvrir une demande")
		ru := adm.Send(http.MethodGet, thread, http.Header{"Accept-Language": {"ru"}}, nil)
		wantIn(t, "Russian thread page", ru, "Ожидает поддержки", "Все обращения")

		sup := e.BrowserLogin(support)
		r = sup.Get("/platform")
		wantStatus(t, "support's console", r, http.StatusOK)
		wantIn(t, "console", r, "/platform/accounts/"+acc.Slug, "/platform/accounts/"+other.Slug)
		r = sup.Get("/platform/accounts/" + acc.Slug)
		wantStatus(t, "support's account page", r, http.StatusOK)
		wantIn(t, "account page", r, acc.Owner.Name, admin.Name)
		for _, leak := range []string{acc.Owner.Email, admin.Email, member.Name, member.Email} {
			if strings.Contains(r.String(), leak) {
				t.Errorf("support's account page shows %q", leak)
			}
		}
		r = sup.Get("/platform/accounts/" + acc.Slug + "/logs")
		wantStatus(t, "logs page without a grant", r, http.StatusForbidden)
		wantIn(t, "logs page without a grant", r, "has not granted access")
		console := "/platform/accounts/" + acc.Slug + "/support"
		wantIn(t, "console requests", sup.Get(console), "Cannot export")
		id := thread[strings.LastIndexByte(thread, '/')+1:]
		r = sup.SubmitForm(console+"/"+id, console+"/"+id+"/replies", url.Values{"body": {"Fixed on our side."}})
		wantStatus(t, "support answers", r, http.StatusSeeOther)
		wantIn(t, "the admin reads the answer", adm.Get(thread), "Fixed on our side.", "GroupCamp support")

		// The logs page under a logs grant.
		grant(t, e, acc, "logs", time.Now().Add(time.Hour))
		e.App.Consent.SetCacheTTL(0)
		adm.Get(sp)
		r = sup.Get("/platform/accounts/" + acc.Slug + "/logs")
		wantStatus(t, "logs page", r, http.StatusOK)
		wantIn(t, "logs page", r, "/:slug/support")

		part := e.BrowserLogin(partner)
		r = part.Get("/platform")
		wantStatus(t, "partner's console", r, http.StatusOK)
		wantIn(t, "partner's console", r, acc.Slug, acc.Owner.Email)
		if strings.Contains(r.String(), other.Slug) {
			t.Error("the partner's console lists an account it does not manage")
		}
		wantStatus(t, "partner's account page", part.Get("/platform/accounts/"+acc.Slug), http.StatusOK)
		wantStatus(t, "partner on another account", part.Get("/platform/accounts/"+other.Slug), http.StatusNotFound)
		wantStatus(t, "partner on the logs page", part.Get("/platform/accounts/"+acc.Slug+"/logs"), http.StatusNotFound)

		wantStatus(t, "member at the console", e.BrowserLogin(member).Get("/platform"), http.StatusNotFound)
		wantStatus(t, "anonymous at the console", e.Browser().Get("/platform"), http.StatusSeeOther)
	})
}
