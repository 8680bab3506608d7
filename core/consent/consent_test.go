package consent_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"groupcamp/core/consent"
	"groupcamp/core/testkit"
)

// TestGrantRules: the owner alone grants, for at most 30 days ahead and not in the past; bad
// input is a 422 naming the field and writes nothing; grant and revocation are audited.
func TestGrantRules(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		member := e.NewUser(acc, "member")
		support := e.NewPlatformUser("support")
		path := "/api/v1/" + acc.Slug + "/support-grants"
		now := time.Now().UTC()
		body := func(scope string, until string) map[string]any {
			return map[string]any{"scope": scope, "expires_at": until, "reason": "ticket 42"}
		}
		snap := e.Snapshot()
		grants := e.Count("support_grants")
		for what, tc := range map[string]struct {
			body  any
			field string
		}{
			"31 days ahead":  {body("logs", now.Add(31*24*time.Hour).Format(time.RFC3339)), "expires_at"},
			"a day too far":  {body("data", now.AddDate(0, 0, 32).Format(time.DateOnly)), "expires_at"},
			"in the past":    {body("logs", now.Add(-time.Hour).Format(time.RFC3339)), "expires_at"},
			"today 00:00":    {body("logs", now.Format(time.DateOnly)), "expires_at"},
			"not a date":     {body("logs", "next tuesday"), "expires_at"},
			"no end":         {body("logs", ""), "expires_at"},
			"bad scope":      {body("everything", now.Add(24*time.Hour).Format(time.RFC3339)), "scope"},
			"no reason":      {map[string]any{"scope": "logs", "expires_at": now.Add(time.Hour).Format(time.RFC3339)}, "reason"},
			"reason too big": {map[string]any{"scope": "logs", "expires_at": now.Add(time.Hour).Format(time.RFC3339), "reason": strings.Repeat("x", 501)}, "reason"},
		} {
			wantField(t, what, e.As(acc.Owner).Post(path, tc.body), tc.field)
		}
		if e.Count("support_grants") != grants || e.Snapshot() != snap {
			t.Fatal("a refused grant wrote something")
		}

		ok := body("logs", now.Add(24*time.Hour).Format(time.RFC3339))
		wantStatus(t, "admin grants", e.As(admin).Post(path, ok), http.StatusForbidden)
		wantStatus(t, "member grants", e.As(member).Post(path, ok), http.StatusForbidden)
		wantStatus(t, "admin lists", e.As(admin).Get(path), http.StatusForbidden)
		wantStatus(t, "support grants itself", e.As(support).Post(path, ok), http.StatusNotFound)
		if e.Count("support_grants") != grants {
			t.Fatal("a refused caller wrote a grant")
		}

		// Exactly 30 days ahead, as a day, is fine; so is an instant.
		r := e.As(acc.Owner).Post(path, body("data", now.AddDate(0, 0, 30).Format(time.DateOnly)))
		wantStatus(t, "30 days ahead as a day", r, http.StatusCreated)
		id := grant(t, e, acc, "logs", now.Add(2*time.Hour))
		list := e.As(acc.Owner).Get(path)
		wantStatus(t, "list", list, http.StatusOK)
		var page struct {
			Items []struct {
				ID            int64  `json:"id"`
				Scope         string `json:"scope"`
				Active        bool   `json:"active"`
				GrantedByName string `json:"granted_by_name"`
			} `json:"items"`
		}
		list.JSON(t, &page)
		if len(page.Items) != 2 || page.Items[0].ID != id || !page.Items[0].Active || page.Items[0].GrantedByName != acc.Owner.Name {
			t.Fatalf("list: %s", list.Body)
		}

		// Revoke: at once, once; a grant of another account is not found.
		other := e.NewAccount()
		wantStatus(t, "other owner revokes", e.As(other.Owner).Post("/api/v1/"+other.Slug+"/support-grants/"+itoa(id)+"/revoke", nil), http.StatusNotFound)
		wantStatus(t, "admin revokes", e.As(admin).Post(path+"/"+itoa(id)+"/revoke", nil), http.StatusForbidden)
		revoke(t, e, acc, id)
		wantStatus(t, "revoke twice", e.As(acc.Owner).Post(path+"/"+itoa(id)+"/revoke", nil), http.StatusConflict)
		wantStatus(t, "revoke unknown", e.As(acc.Owner).Post(path+"/999999/revoke", nil), http.StatusNotFound)

		actions := auditActions(t, e, acc, acc.Owner.ID)
		if count(actions, "consent.granted") != 2 || count(actions, "consent.revoked") != 1 {
			t.Errorf("audit trail of the owner: %v", actions)
		}
	})
}

// TestApplicationLog: support reads the log only under a logs grant (a refusal is audited
// too); while the grant is in force the account's requests are recorded without bodies,
// query strings or secrets; after a revocation the recording stops within the cache window.
func TestApplicationLog(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		e.App.Consent.SetCacheTTL(0)
		acc := e.NewAccount()
		support := e.NewPlatformUser("support")
		partner := e.NewPlatformUser("partner")
		manage(t, e, partner, acc)
		logs := "/api/v1/platform/accounts/" + acc.Slug + "/logs"

		// No grant: 403, and the attempt is in the account's audit trail.
		r := e.As(support).Get(logs)
		wantStatus(t, "support reads logs without a grant", r, http.StatusForbidden)
		if got := auditActions(t, e, acc, support.ID); count(got, "platform.logs_denied") != 1 {
			t.Errorf("the refused read is not audited: %v", got)
		}
		wantStatus(t, "partner reads logs", e.As(partner).Get(logs), http.StatusNotFound)
		wantStatus(t, "support reads logs of no account", e.As(support).Get("/api/v1/platform/accounts/no-such-account/logs"), http.StatusNotFound)
		wantStatus(t, "owner request", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
		if n := logCount(t, e, acc); n != 0 {
			t.Fatalf("%d requests recorded without consent", n)
		}

		// Under a logs grant, the account's requests are recorded — and nothing secret.
		id := grant(t, e, acc, "logs", time.Now().Add(24*time.Hour))
		const secret = "Sup3r-Secret-Passw0rd"
		wantStatus(t, "GET users with a query", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users?q=secretquery"), http.StatusOK)
		wantStatus(t, "PATCH with a password", e.As(acc.Owner).Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"password": secret}), http.StatusBadRequest)
		wantStatus(t, "invite", e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": "Eve", "email": "eve@" + acc.Slug + ".test", "role": "member"}), http.StatusCreated)
		h := http.Header{"X-Request-Id": {"trace-1234"}, "Cookie": {"groupcamp_session=cookie-secret"}}
		wantStatus(t, "with a request id", e.As(acc.Owner).Send(http.MethodGet, "/api/v1/"+acc.Slug+"/teams", h, nil), http.StatusOK)
		wantStatus(t, "profile (no account)", e.As(acc.Owner).Get("/api/v1/me"), http.StatusOK)

		var rows []map[string]any
		if err := e.App.DB.NewSelect().TableExpr("app_logs").Where("account_id = ?", acc.ID).OrderExpr("id").Scan(context.Background(), &rows); err != nil {
			t.Fatal(err)
		}
		// The request that gave the consent is the first one recorded.
		if len(rows) != 5 || rows[0]["route"] != "/api/v1/:slug/support-grants" {
			t.Fatalf("want 5 recorded requests, the grant first, got %d: %v", len(rows), rows)
		}
		rows = rows[1:]
		all := fmt.Sprint(rows)
		for _, leak := range []string{secret, "secretquery", "eve@", "Eve", acc.Owner.Token, "cookie-secret", "password"} {
			if strings.Contains(all, leak) {
				t.Errorf("app_logs holds %q: %s", leak, all)
			}
		}
		if rows[0]["route"] != "/api/v1/:slug/users" || rows[0]["method"] != "GET" || fmt.Sprint(rows[0]["status"]) != "200" {
			t.Errorf("first entry: %v", rows[0])
		}
		if rows[1]["error"] != "Bad Request" || fmt.Sprint(rows[1]["status"]) != "400" {
			t.Errorf("the error is not recorded with its problem title: %v", rows[1])
		}
		if rows[3]["request_id"] != "trace-1234" {
			t.Errorf("request id: %v", rows[3])
		}

		// Support reads them, newest first; each read is audited.
		r = e.As(support).Get(logs + "?limit=2")
		wantStatus(t, "support reads logs", r, http.StatusOK)
		var page struct {
			Items []struct {
				Route  string `json:"route"`
				UserID int64  `json:"user_id"`
				Status int    `json:"status"`
			} `json:"items"`
			Next string `json:"next_cursor"`
		}
		r.JSON(t, &page)
		if len(page.Items) != 2 || page.Items[0].Route != "/api/v1/:slug/teams" || page.Items[0].UserID != acc.Owner.ID || page.Next == "" {
			t.Fatalf("logs page: %s", r.Body)
		}
		if got := auditActions(t, e, acc, support.ID); count(got, "platform.logs_read") != 1 {
			t.Errorf("the read is not audited: %v", got)
		}
		if n := logCount(t, e, acc); n != 5 {
			t.Errorf("support's own reads were recorded in the account's log: %d", n)
		}

		// Revoked through the API: recording stops at once on this instance, support gets 403.
		revoke(t, e, acc, id)
		before := logCount(t, e, acc)
		wantStatus(t, "after revoke", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
		if n := logCount(t, e, acc); n != before {
			t.Errorf("recorded after the revocation: %d -> %d", before, n)
		}
		wantStatus(t, "support reads logs after revoke", e.As(support).Get(logs), http.StatusForbidden)

		// Revoked by another instance (the row changes under this one's cache): recording
		// goes on at most for the cache lifetime, then stops.
		const ttl = 400 * time.Millisecond
		e.App.Consent.SetCacheTTL(ttl)
		id = grant(t, e, acc, "logs", time.Now().Add(time.Hour))
		wantStatus(t, "fills the cache", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
		if _, err := e.App.DB.NewUpdate().TableExpr("support_grants").Set("revoked_at = ?", time.Now().UTC()).Set("state = ?", "revoked").
			Where("account_id = ? AND id = ?", acc.ID, id).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		revokedAt := time.Now()
		before = logCount(t, e, acc)
		time.Sleep(ttl + 50*time.Millisecond)
		wantStatus(t, "after the cache window", e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
		if n := logCount(t, e, acc); n != before {
			t.Errorf("still recording %v after the revocation (cache %v)", time.Since(revokedAt), ttl)
		}
		wantStatus(t, "support reads logs after the other revocation", e.As(support).Get(logs), http.StatusForbidden)
	})
}

// TestPurgeLogs: the log is deleted 30 days after the end of the account's last logs grant,
// and not before; an account whose grant ended later keeps its log.
func TestPurgeLogs(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		e.App.Consent.SetCacheTTL(0)
		ctx := context.Background()
		a := e.NewAccount()
		b := e.NewAccount()
		ga := grant(t, e, a, "logs", time.Now().Add(time.Hour))
		grant(t, e, b, "logs", time.Now().Add(10*24*time.Hour))
		for i := 0; i < 3; i++ {
			wantStatus(t, "a request", e.As(a.Owner).Get("/api/v1/"+a.Slug+"/users"), http.StatusOK)
			wantStatus(t, "b request", e.As(b.Owner).Get("/api/v1/"+b.Slug+"/users"), http.StatusOK)
		}
		revoke(t, e, a, ga)
		na, nb := logCount(t, e, a), logCount(t, e, b)
		if na != 4 || nb != 4 { // the grant and three requests
			t.Fatalf("recorded %d and %d, want 4 and 4", na, nb)
		}
		now := time.Now().UTC()
		for _, at := range []time.Time{now, now.Add(29 * 24 * time.Hour)} {
			if n, err := e.App.Consent.PurgeLogs(ctx, at); err != nil || n != 0 {
				t.Fatalf("purge at %v deleted %d (%v)", at, n, err)
			}
		}
		n, err := e.App.Consent.PurgeLogs(ctx, now.Add(30*24*time.Hour+time.Minute))
		if err != nil || n != 4 {
			t.Fatalf("purge 30 days after the end deleted %d (%v), want 4", n, err)
		}
		if logCount(t, e, a) != 0 || logCount(t, e, b) != 4 {
			t.Fatalf("after purge: a=%d b=%d", logCount(t, e, a), logCount(t, e, b))
		}
		// B's grant ends in 10 days: its log goes 30 days after that.
		if n, _ := e.App.Consent.PurgeLogs(ctx, now.Add(39*24*time.Hour)); n != 0 {
			t.Fatalf("purged %d entries of b before time", n)
		}
		if n, _ := e.App.Consent.PurgeLogs(ctx, now.Add(41*24*time.Hour)); n != 4 {
			t.Fatalf("purged %d entries of b, want 4", n)
		}
	})
}

// TestSupportSeesOnlyWhatIsPromised: support's view of an account is exactly admins' names,
// management teams' names, counters and configuration — no email, no other person.
func TestSupportSeesOnlyWhatIsPromised(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		member := e.NewUser(acc, "member")
		client := e.NewUser(acc, "client")
		wantStatus(t, "management team", e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/teams", map[string]any{"name": "Board", "management": true}), http.StatusCreated)
		wantStatus(t, "team", e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/teams", map[string]any{"name": "Designers"}), http.StatusCreated)
		support := e.NewPlatformUser("support")

		r := e.As(support).Get("/api/v1/platform/accounts/" + acc.Slug)
		wantStatus(t, "support views the account", r, http.StatusOK)
		m := r.Map()
		if got := keys(m); !slices.Equal(got, []string{"admins", "config", "counters", "management_teams"}) {
			t.Fatalf("support's view has keys %v: %s", got, r.Body)
		}
		cfg, _ := m["config"].(map[string]any)
		if got := keys(cfg); !slices.Equal(got, []string{"country", "created_at", "currency", "locale", "name", "slug", "state", "time_unit"}) {
			t.Errorf("config keys %v", got)
		}
		counters, _ := m["counters"].(map[string]any)
		for _, k := range []string{"users", "active_users", "teams", "companies", "storage_bytes", "projects"} {
			if _, ok := counters[k]; !ok {
				t.Errorf("counter %s missing: %v", k, counters)
			}
		}
		if counters["users"] != float64(4) || counters["teams"] != float64(2) {
			t.Errorf("counters: %v", counters)
		}
		if fmt.Sprint(m["admins"]) != fmt.Sprint([]any{admin.Name, acc.Owner.Name}) && fmt.Sprint(m["admins"]) != fmt.Sprint([]any{acc.Owner.Name, admin.Name}) {
			t.Errorf("admins: %v", m["admins"])
		}
		if fmt.Sprint(m["management_teams"]) != "[Board]" {
			t.Errorf("management teams: %v", m["management_teams"])
		}
		for _, leak := range []string{acc.Owner.Email, admin.Email, member.Email, member.Name, client.Email, client.Name, "Designers", "@"} {
			if containsFold(r.Body, leak) {
				t.Errorf("support's view reveals %q: %s", leak, r.Body)
			}
		}

		// The list: every account, counters only, no email.
		other := e.NewAccount()
		r = e.As(support).Get("/api/v1/platform/accounts")
		wantStatus(t, "support lists", r, http.StatusOK)
		if !containsFold(r.Body, acc.Slug) || !containsFold(r.Body, other.Slug) || containsFold(r.Body, "@") {
			t.Errorf("support's list: %s", r.Body)
		}
		got := auditActions(t, e, acc, support.ID)
		if count(got, "platform.account_viewed") != 1 || count(got, "platform.account_listed") != 1 {
			t.Errorf("support's accesses are not all audited: %v", got)
		}

		wantStatus(t, "unknown account", e.As(support).Get("/api/v1/platform/accounts/no-such-account"), http.StatusNotFound)
		wantStatus(t, "odd slug", e.As(support).Get("/api/v1/platform/accounts/%FF"), http.StatusNotFound)
		wantStatus(t, "a member at the console", e.As(member).Get("/api/v1/platform/accounts"), http.StatusNotFound)
		wantStatus(t, "the owner at the console", e.As(acc.Owner).Get("/api/v1/platform/accounts/"+acc.Slug), http.StatusNotFound)
	})
}

// TestPartner: a partner sees the accounts it manages, account and billing data only, and
// nothing of any other account; it never reaches application data.
func TestPartner(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		mine := e.NewAccount()
		theirs := e.NewAccount()
		member := e.NewUser(mine, "member")
		partner := e.NewPlatformUser("partner")
		manage(t, e, partner, mine)

		r := e.As(partner).Get("/api/v1/platform/accounts")
		wantStatus(t, "partner lists", r, http.StatusOK)
		if !containsFold(r.Body, mine.Slug) || containsFold(r.Body, theirs.Slug) {
			t.Fatalf("partner's list: %s", r.Body)
		}
		r = e.As(partner).Get("/api/v1/platform/accounts/" + mine.Slug)
		wantStatus(t, "partner views its account", r, http.StatusOK)
		m := r.Map()
		if got := keys(m); !slices.Equal(got, []string{"counters", "country", "created_at", "currency", "name", "owner", "slug", "state", "vat_number"}) {
			t.Errorf("partner's view keys %v", got)
		}
		if owner, _ := m["owner"].(map[string]any); owner["email"] != mine.Owner.Email || owner["name"] != mine.Owner.Name {
			t.Errorf("owner: %v", m["owner"])
		}
		if c, _ := m["counters"].(map[string]any); c["users"] != float64(2) {
			t.Errorf("partner's counters: %v", m["counters"])
		}
		if containsFold(r.Body, member.Email) || containsFold(r.Body, member.Name) {
			t.Errorf("partner sees a person of the account: %s", r.Body)
		}
		if got := auditActions(t, e, mine, partner.ID); count(got, "platform.account_viewed") != 1 || count(got, "platform.account_listed") != 1 {
			t.Errorf("partner's accesses are not audited: %v", got)
		}
		if p := e.As(partner).Get("/platform/accounts/" + mine.Slug); !containsFold(p.Body, `id="partner-counters"`) {
			t.Errorf("the console page shows the partner no counters: %d", p.Status)
		}

		for _, p := range []string{
			"/api/v1/platform/accounts/" + theirs.Slug,
			"/api/v1/platform/accounts/" + theirs.Slug + "/support-requests",
			"/api/v1/platform/accounts/" + mine.Slug + "/logs",
			"/api/v1/" + mine.Slug + "/users",
			"/api/v1/" + mine.Slug + "/account",
			"/api/v1/" + mine.Slug + "/support-requests",
			"/api/v1/" + theirs.Slug + "/users",
		} {
			wantStatus(t, "partner GET "+p, e.As(partner).Get(p), http.StatusNotFound)
		}
		// Even under the owner's data grant: that grant is for support, not partners.
		grant(t, e, mine, "data", time.Now().Add(time.Hour))
		wantStatus(t, "partner under a data grant", e.As(partner).Get("/api/v1/"+mine.Slug+"/users"), http.StatusNotFound)
	})
}

// TestDataGrant: support reads the account's data only under a data grant, only by GET, and
// every access is audited; writes are refused even under the grant.
func TestDataGrant(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		support := e.NewPlatformUser("support")
		users := "/api/v1/" + acc.Slug + "/users"
		wantStatus(t, "support without a grant", e.As(support).Get(users), http.StatusNotFound)
		wantStatus(t, "support page without a grant", e.BrowserLogin(support).Get("/"+acc.Slug), http.StatusNotFound)
		grant(t, e, acc, "logs", time.Now().Add(time.Hour)) // a logs grant opens no data
		wantStatus(t, "support under a logs grant", e.As(support).Get(users), http.StatusNotFound)

		id := grant(t, e, acc, "data", time.Now().Add(time.Hour))
		r := e.As(support).Get(users)
		wantStatus(t, "support under a data grant", r, http.StatusOK)
		if !containsFold(r.Body, acc.Owner.Email) {
			t.Errorf("the data is not there: %s", r.Body)
		}
		wantStatus(t, "support reads the home page", e.BrowserLogin(support).Get("/"+acc.Slug), http.StatusOK)
		snap := e.Snapshot()
		wantStatus(t, "support writes", e.As(support).Post(users, map[string]any{"name": "Mallory", "email": "m@x.test", "role": "admin"}), http.StatusForbidden)
		wantStatus(t, "support creates a team", e.As(support).Post("/api/v1/"+acc.Slug+"/teams", map[string]any{"name": "Support team"}), http.StatusForbidden)
		wantStatus(t, "support patches", e.As(support).Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"name": "Hijacked"}), http.StatusForbidden)
		wantStatus(t, "support grants itself more", e.As(support).Post("/api/v1/"+acc.Slug+"/support-grants", map[string]any{"scope": "logs"}), http.StatusForbidden)
		wantStatus(t, "support reads what support may not", e.As(support).Get("/api/v1/"+acc.Slug+"/audit"), http.StatusForbidden)
		wantStatus(t, "support reads the grants", e.As(support).Get("/api/v1/"+acc.Slug+"/support-grants"), http.StatusForbidden)
		after := e.Snapshot()
		// Only the audit trail grew (the refusals are recorded).
		if strings.Split(after, "audit_events=")[0] != strings.Split(snap, "audit_events=")[0] {
			t.Errorf("support wrote under a data grant:\n before %s\n after  %s", snap, after)
		}
		got := auditActions(t, e, acc, support.ID)
		if count(got, "platform.data_read") != 2 || count(got, "platform.data_denied") != 6 {
			t.Errorf("support's accesses: %v", got)
		}
		var target string
		if err := e.App.DB.NewSelect().TableExpr("audit_events").Column("target").
			Where("account_id = ? AND actor_id = ? AND action = ?", acc.ID, support.ID, "platform.data_read").OrderExpr("id").Limit(1).
			Scan(context.Background(), &target); err != nil || target != "GET /api/v1/:slug/users" {
			t.Errorf("data_read target %q (%v)", target, err)
		}

		revoke(t, e, acc, id)
		wantStatus(t, "support after the revocation", e.As(support).Get(users), http.StatusNotFound)
	})
}

// TestSupportRequests: owners and admins open requests and read the answers; support and
// the account's partner read and answer them; every platform access is audited.
func TestSupportRequests(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		other := e.NewAccount()
		admin := e.NewUser(acc, "admin")
		member := e.NewUser(acc, "member")
		support := e.NewPlatformUser("support")
		partner := e.NewPlatformUser("partner")
		stranger := e.NewPlatformUser("partner")
		manage(t, e, partner, acc)
		manage(t, e, stranger, other)
		mine := "/api/v1/" + acc.Slug + "/support-requests"
		console := "/api/v1/platform/accounts/" + acc.Slug + "/support-requests"

		snap := e.Snapshot()
		for what, tc := range map[string]struct {
			body  map[string]any
			field string
		}{
			"long subject": {map[string]any{"subject": strings.Repeat("s", 201), "body": "b"}, "subject"},
			"no subject":   {map[string]any{"subject": " ", "body": "b"}, "subject"},
			"long body":    {map[string]any{"subject": "s", "body": strings.Repeat("é", 10001)}, "body"},
			"no body":      {map[string]any{"subject": "s", "body": ""}, "body"},
			"NUL in body":  {map[string]any{"subject": "s", "body": "a\x00b"}, "body"},
		} {
			wantField(t, what, e.As(admin).Post(mine, tc.body), tc.field)
		}
		if e.Snapshot() != snap || e.Count("support_requests") != 0 {
			t.Fatal("a refused request wrote something")
		}
		wantStatus(t, "member opens", e.As(member).Post(mine, map[string]any{"subject": "s", "body": "b"}), http.StatusForbidden)
		wantStatus(t, "member lists", e.As(member).Get(mine), http.StatusForbidden)

		body := strings.Repeat("x", 9990) + "\nthanks"
		r := e.As(admin).Post(mine, map[string]any{"subject": "Export fails", "body": body})
		wantStatus(t, "admin opens", r, http.StatusCreated)
		id := int64(r.Map()["id"].(float64))
		if r.Map()["status"] != consent.StatusOpen {
			t.Errorf("new request: %s", r.Body)
		}

		for _, who := range []*testkit.User{support, partner} {
			r = e.As(who).Get(console)
			wantStatus(t, who.Role+" lists", r, http.StatusOK)
			if !containsFold(r.Body, "Export fails") {
				t.Errorf("%s does not see the request: %.300s", who.Role, r.Body)
			}
			wantStatus(t, who.Role+" reads", e.As(who).Get(console+"/"+itoa(id)), http.StatusOK)
			wantStatus(t, who.Role+" answers", e.As(who).Post(console+"/"+itoa(id)+"/replies", map[string]any{"body": "Answer from " + who.Role}), http.StatusCreated)
		}
		wantField(t, "empty answer", e.As(support).Post(console+"/"+itoa(id)+"/replies", map[string]any{"body": "  "}), "body")
		wantStatus(t, "answer to no request", e.As(support).Post(console+"/999999/replies", map[string]any{"body": "x"}), http.StatusNotFound)
		wantStatus(t, "other partner lists", e.As(stranger).Get(console), http.StatusNotFound)
		wantStatus(t, "other partner answers", e.As(stranger).Post(console+"/"+itoa(id)+"/replies", map[string]any{"body": "x"}), http.StatusNotFound)
		wantStatus(t, "request id under another account", e.As(support).Get("/api/v1/platform/accounts/"+other.Slug+"/support-requests/"+itoa(id)), http.StatusNotFound)
		wantStatus(t, "other owner reads", e.As(other.Owner).Get("/api/v1/"+other.Slug+"/support-requests/"+itoa(id)), http.StatusNotFound)

		// The owner reads the answers, and follows up.
		r = e.As(acc.Owner).Get(mine + "/" + itoa(id))
		wantStatus(t, "owner reads", r, http.StatusOK)
		var th consent.Thread
		r.JSON(t, &th)
		if th.Status != consent.StatusAnswered || len(th.Replies) != 2 || th.Replies[0].Body != "Answer from support" ||
			th.Replies[0].Side != consent.SideSupport || th.Replies[1].Side != consent.SidePartner || th.Body != body {
			t.Fatalf("thread: %+v", th)
		}
		wantStatus(t, "owner follows up", e.As(acc.Owner).Post(mine+"/"+itoa(id)+"/replies", map[string]any{"body": "Still failing"}), http.StatusCreated)
		r = e.As(admin).Get(mine)
		wantStatus(t, "admin lists", r, http.StatusOK)
		if !strings.Contains(r.String(), `"status":"open"`) || !strings.Contains(r.String(), `"reply_count":3`) {
			t.Errorf("list after the follow-up: %s", r.Body)
		}

		// The platform may open a request for the account too.
		wantStatus(t, "support opens", e.As(support).Post(console, map[string]any{"subject": "Planned maintenance", "body": "Tonight."}), http.StatusCreated)

		for _, who := range []*testkit.User{support, partner} {
			got := auditActions(t, e, acc, who.ID)
			if count(got, "platform.support_requests_read") != 1 || count(got, "platform.support_request_read") != 1 || count(got, "platform.support_replied") != 1 {
				t.Errorf("%s's accesses: %v", who.Role, got)
			}
		}
		if got := auditActions(t, e, acc, admin.ID); count(got, "support_request.opened") != 1 {
			t.Errorf("admin's actions: %v", got)
		}
	})
}

// BenchmarkAccountRequest measures a request on an account route (the people list) without a
// logs grant — the cached "no consent" check only — and with one, where each request also
// writes its application-log entry.
func BenchmarkAccountRequest(b *testing.B) {
	for _, kind := range testkit.Databases() {
		e := testkit.Start(b, kind, testkit.Options{})
		acc := e.NewAccount()
		c := e.As(acc.Owner)
		path := "/api/v1/" + acc.Slug + "/users"
		b.Run(kind+"/no grant", func(b *testing.B) {
			for b.Loop() {
				if r := c.Get(path); r.Status != http.StatusOK {
					b.Fatal(r.Status)
				}
			}
		})
		grant(b, e, acc, "logs", time.Now().Add(time.Hour))
		b.Run(kind+"/logs grant", func(b *testing.B) {
			for b.Loop() {
				if r := c.Get(path); r.Status != http.StatusOK {
					b.Fatal(r.Status)
				}
			}
		})
	}
}
