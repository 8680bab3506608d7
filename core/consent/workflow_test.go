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

// The consent workflow from both sides: support asks, the owner grants or refuses, a grant
// expires by itself at its end date through the periodic job, and every step is recorded.
func TestGrantWorkflow(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		support := e.NewPlatformUser("support")
		partner := e.NewPlatformUser("partner")
		ask := "/api/v1/platform/accounts/" + acc.Slug + "/support-grants"
		logs := "/api/v1/platform/accounts/" + acc.Slug + "/logs"
		body := func(days int) map[string]any {
			return map[string]any{"scope": "logs", "expires_at": time.Now().AddDate(0, 0, days).UTC().Format(time.RFC3339), "reason": "the export fails for ticket #42"}
		}

		// Bad requests: 422 naming the field, nothing written; partners and strangers: 404.
		before := e.Count("support_grants")
		wantField(t, "too long", e.As(support).Post(ask, body(31)), "expires_at")
		wantField(t, "no reason", e.As(support).Post(ask, map[string]any{"scope": "logs", "expires_at": time.Now().AddDate(0, 0, 2).Format(time.RFC3339)}), "reason")
		wantStatus(t, "partner asks", e.As(partner).Post(ask, body(3)), http.StatusNotFound)
		wantStatus(t, "unknown account", e.As(support).Post("/api/v1/platform/accounts/no-such-account/support-grants", body(3)), http.StatusNotFound)
		if e.Count("support_grants") != before {
			t.Fatal("a refused request was written")
		}

		// Support asks; nothing is open yet.
		r := e.As(support).Post(ask, body(3))
		wantStatus(t, "ask", r, http.StatusCreated)
		var g struct {
			ID     int64  `json:"id"`
			State  string `json:"state"`
			Active bool   `json:"active"`
		}
		r.JSON(t, &g)
		if g.State != "requested" || g.Active {
			t.Fatalf("request = %+v", g)
		}
		wantStatus(t, "logs before the decision", e.As(support).Get(logs), http.StatusForbidden)

		// The owner sees it and grants; a second grant is a 409 listing what is possible.
		page := e.BrowserLogin(acc.Owner).Get("/" + acc.Slug + "/consent")
		if !strings.Contains(page.String(), "the export fails for ticket #42") || !strings.Contains(page.String(), "/consent/"+itoa(g.ID)+"/grant") {
			t.Error("the owner's page does not show the request with its decision buttons")
		}
		base := "/api/v1/" + acc.Slug + "/support-grants/" + itoa(g.ID)
		wantStatus(t, "admin decides", e.As(e.NewUser(acc, "admin")).Post(base+"/grant", nil), http.StatusForbidden)
		r = e.As(acc.Owner).Post(base+"/grant", map[string]string{"comment": "go ahead"})
		wantStatus(t, "grant", r, http.StatusOK)
		r.JSON(t, &g)
		if g.State != "granted" || !g.Active {
			t.Fatalf("granted = %+v", g)
		}
		r = e.As(acc.Owner).Post(base+"/grant", nil)
		wantStatus(t, "grant twice", r, http.StatusConflict)
		if allowed := r.Map()["allowed"]; allowed == nil || !strings.Contains(r.String(), `"revoke"`) {
			t.Errorf("409 lists no allowed transitions: %s", r.Body)
		}
		wantStatus(t, "logs while granted", e.As(support).Get(logs), http.StatusOK)

		// The end date passes: the periodic job expires the grant, as the system.
		if _, err := e.App.DB.NewUpdate().TableExpr("support_grants").Set("expires_at = ?", time.Now().Add(-time.Minute).UTC()).
			Where("id = ?", g.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Consent.ExpireDue(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, "logs after expiry", e.As(support).Get(logs), http.StatusForbidden)
		var steps []struct {
			Transition string `json:"transition"`
			From, To   string
			ActorName  string `json:"actor_name"`
			Comment    string `json:"comment"`
		}
		e.As(acc.Owner).Get(base+"/history").JSON(t, &steps)
		if len(steps) != 2 || steps[0].Transition != "grant" || steps[0].Comment != "go ahead" || steps[0].ActorName != acc.Owner.Name ||
			steps[1].Transition != "expire" || steps[1].ActorName != "" || steps[1].To != "expired" {
			t.Errorf("history = %+v", steps)
		}
		acts := auditActions(t, e, acc, acc.Owner.ID)
		if count(acts, "consent.granted") != 1 {
			t.Errorf("owner's actions = %v", acts)
		}
		var expired int64
		expired, _ = e.App.DB.NewSelect().TableExpr("audit_events").Where("account_id = ? AND action = ?", acc.ID, "consent.expired").Count(context.Background())
		if expired != 1 {
			t.Errorf("expiry audited %d times", expired)
		}
		var evs []string
		_ = e.App.DB.NewSelect().TableExpr("outbox").Column("type").Where("account_id = ?", acc.ID).OrderExpr("id").Scan(context.Background(), &evs)
		for _, want := range []string{"support_grant.requested", "support_grant.grant", "support_grant.expire"} {
			if count(evs, want) != 1 {
				t.Errorf("event %s emitted %d times (%v)", want, count(evs, want), evs)
			}
		}

		// Refusal through the page, with a comment; another account's grant ids are 404.
		r = e.As(support).Post(ask, body(2))
		r.JSON(t, &g)
		b := e.BrowserLogin(acc.Owner)
		page = b.Get("/" + acc.Slug + "/consent")
		r = b.Form("/"+acc.Slug+"/consent/"+itoa(g.ID)+"/refuse", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}, "comment": {"not now"}})
		wantStatus(t, "refuse form", r, http.StatusSeeOther)
		other := e.NewAccount()
		wantStatus(t, "other account decides", e.As(other.Owner).Post("/api/v1/"+other.Slug+"/support-grants/"+itoa(g.ID)+"/grant", nil), http.StatusNotFound)
		wantStatus(t, "logs after refusal", e.As(support).Get(logs), http.StatusForbidden)
	})
}
