package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestPlatformAdmin: the platform admin reads the revenue (an active account's MRR counted, a
// trial's not), edits a plan — its new price shows in the subscriber's monthly amount and its
// new quota stops the next project — and adds credit to an account's balance (audited in its
// trail). Bad input is 422 on the field and changes nothing; nobody else reaches the routes
// or the page. An account closed for non-payment is listed for its purge. On an App of its own: the catalogue is the App's.
func TestPlatformAdmin(t *testing.T) {
	eachOwn(t, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		paying, trial := e.NewAccount(), e.NewAccount()
		owner := e.As(paying.Owner)
		subscribed(t, owner, paying.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
		padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
		for _, who := range []*testkit.Client{owner, e.As(trial.Owner), e.As(e.NewPlatformUser(actor.PlatformSupport)), e.As(e.NewPlatformUser(actor.PlatformPartner))} {
			ok(t, who.Get("/api/v1/platform/billing/mrr"), http.StatusNotFound, "the revenue, not as the platform admin")
			ok(t, who.Get("/platform/billing"), http.StatusNotFound, "the page, not as the platform admin")
			ok(t, who.Post("/api/v1/platform/billing/accounts/"+paying.Slug+"/credit", map[string]any{"amount_minor": 100, "reason": "x"}), http.StatusNotFound, "credit, not as the platform admin")
		}

		// The other account went unpaid to the end: closed, listed for its purge.
		if err := module(t, e).Service().Enroll(ctx, trial.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.DB.ExecContext(ctx, "UPDATE billing_subscriptions SET state = ? WHERE account_id = ?", billing.StateClosed, trial.ID); err != nil {
			t.Fatal(err)
		}
		var rev billing.Revenue
		ok(t, padmin.Get("/api/v1/platform/billing/mrr"), http.StatusOK, "revenue").JSON(t, &rev)
		if len(rev.Closed) != 1 || rev.Closed[0].Slug != trial.Slug || rev.States[billing.StateClosed] != 1 {
			t.Fatalf("closed accounts: %+v %v", rev.Closed, rev.States)
		}
		var line *billing.MRRLine
		for i := range rev.Accounts {
			if rev.Accounts[i].Slug == paying.Slug {
				line = &rev.Accounts[i]
			}
		}
		if line == nil || line.MRRMinor != 1000 || rev.MRRMinor != 1000 || rev.States[billing.StateActive] != 1 || len(rev.Catalog) != 3 || rev.Plans[0].Accounts != 1 {
			t.Fatalf("revenue: %+v", rev)
		}

		starter, _ := billing.PlanOf("starter")
		in := map[string]any{"quotas": starter.Quotas, "prices": starter.Prices}
		for field, bad := range map[string]map[string]any{
			"quotas.users":    {"quotas": map[string]int64{"projects": 1}, "prices": starter.Prices},
			"prices.projects": {"quotas": starter.Quotas, "prices": map[string]any{"projects": map[string]any{"minor": -5}}},
		} {
			r := padmin.Put("/api/v1/platform/billing/plans/starter", bad)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Fatalf("bad %s: %d %s", field, r.Status, r.Body)
			}
		}
		ok(t, padmin.Put("/api/v1/platform/billing/plans/gold", in), http.StatusNotFound, "no such plan")
		if n := e.Count("billing_plans"); n != 0 {
			t.Fatalf("refusals wrote %d plans", n)
		}
		quotas := map[string]int64{}
		for k, v := range starter.Quotas {
			quotas[k] = v
		}
		quotas["projects"] = 1
		prices := map[string]billing.Price{}
		for k, v := range starter.Prices {
			prices[k] = v
		}
		prices["projects"] = billing.Price{Minor: 700, PerSeat: true}
		var saved billing.Plan
		ok(t, padmin.Put("/api/v1/platform/billing/plans/starter", map[string]any{"quotas": quotas, "prices": prices}), http.StatusOK, "edit starter").JSON(t, &saved)
		if saved.Prices["projects"].Minor != 700 || saved.Quotas["projects"] != 1 {
			t.Fatalf("saved %+v", saved)
		}
		var o billing.Overview
		ok(t, owner.Get("/api/v1/"+paying.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		if o.MonthlyMinor != 1400 {
			t.Fatalf("monthly after the price change: %d", o.MonthlyMinor)
		}
		ok(t, owner.Post("/api/v1/"+paying.Slug+"/projects", map[string]any{"name": "The one"}), http.StatusCreated, "a project within the new quota")
		r := owner.Post("/api/v1/"+paying.Slug+"/projects", map[string]any{"name": "One too many"})
		if r.Status != http.StatusPaymentRequired || !contains(r.Body, "projects") {
			t.Fatalf("past the new quota: %d %s", r.Status, r.Body)
		}

		credit := "/api/v1/platform/billing/accounts/" + paying.Slug + "/credit"
		for field, body := range map[string]map[string]any{
			"amount_minor": {"amount_minor": -1, "reason": "below zero"},
			"reason":       {"amount_minor": 100, "reason": ""},
		} {
			r := padmin.Post(credit, body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Fatalf("bad credit %s: %d %s", field, r.Status, r.Body)
			}
		}
		r = padmin.Post("/api/v1/platform/billing/accounts/no-such-account/credit", map[string]any{"amount_minor": 100, "reason": "x"})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["slug"] == "" {
			t.Fatalf("credit to nobody: %d %s", r.Status, r.Body)
		}
		var bal billing.Balance
		ok(t, padmin.Post(credit, map[string]any{"amount_minor": 5000, "reason": "Sorry for the outage"}), http.StatusOK, "credit").JSON(t, &bal)
		if bal.BalanceMinor != 5000 {
			t.Fatalf("balance %d", bal.BalanceMinor)
		}
		var audited int
		if err := e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("count(*)").Where("account_id = ? AND action = 'billing.credited' AND details LIKE '%outage%'", paying.ID).Scan(ctx, &audited); err != nil || audited != 1 {
			t.Fatalf("audited credits: %d %v", audited, err)
		}

		// The page: the revenue, the forms, a refusal shown next to its field.
		page := ok(t, padmin.Get("/platform/billing"), http.StatusOK, "platform page").Body
		for _, want := range []string{`id="mrr-total"`, `id="plan-starter"`, `id="credit-form"`, `id="transfer-record-form"`, `href="/platform/billing"`, `id="closed-accounts"`, paying.Slug} {
			if !contains(page, want) {
				t.Fatalf("the platform page lacks %s", want)
			}
		}
		res := padmin.SubmitForm("/platform/billing", "/platform/billing/credit", url.Values{"slug": {paying.Slug}, "amount_minor": {"250"}, "reason": {"From the page"}})
		if res.Status != http.StatusOK || !contains(res.Body, `id="mrr-total"`) {
			t.Fatalf("credit form: %d %s", res.Status, res.Body)
		}
		form := url.Values{"price_projects": {"abc"}}
		for _, q := range billing.QuotaNames {
			form.Set("quota_"+q, "5")
		}
		res = padmin.SubmitForm("/platform/billing", "/platform/billing/plans/team", form)
		if res.Status != http.StatusUnprocessableEntity || !contains(res.Body, `aria-invalid="true"`) {
			t.Fatalf("a bad plan form: %d", res.Status)
		}
		// The page edits the price list of every currency: a bad USD price is refused next to its
		// input, and nothing is saved; a whole form saves every list.
		team, _ := billing.PlanOf("team")
		form = url.Values{}
		for _, q := range billing.QuotaNames {
			form.Set("quota_"+q, fmt.Sprint(team.Quotas[q]))
		}
		for _, o := range billing.Offerings {
			form.Set("price_"+o, fmt.Sprint(team.Prices[o].Minor))
			if team.Prices[o].PerSeat {
				form.Set("per_seat_"+o, "1")
			}
			for _, cur := range billing.Currencies[1:] {
				form.Set("list_"+cur+"_"+o, fmt.Sprint(team.Lists[cur][o]+1))
			}
		}
		for _, cur := range billing.Currencies[1:] {
			if !contains(page, `name="list_`+cur+`_projects"`) {
				t.Fatalf("the page has no %s price to edit", cur)
			}
		}
		good := form.Get("list_USD_projects")
		form.Set("list_USD_projects", "-5")
		form.Del("list_CHF_files")
		res = padmin.SubmitForm("/platform/billing", "/platform/billing/plans/team", form)
		invalid := func(name string) bool {
			return regexp.MustCompile(`name="` + name + `" value="[0-9]*" min="0" required aria-invalid="true"`).Match(res.Body)
		}
		if res.Status != http.StatusUnprocessableEntity || !invalid("list_USD_projects") || !invalid("list_CHF_files") || invalid("list_GBP_files") {
			t.Fatalf("a bad USD price: %d", res.Status)
		}
		form.Set("list_USD_projects", good)
		form.Set("list_CHF_files", "123")
		res = padmin.SubmitForm("/platform/billing", "/platform/billing/plans/team", form)
		if res.Status != http.StatusOK {
			t.Fatalf("the team plan's form: %d %s", res.Status, res.Body)
		}
		ok(t, padmin.Get("/api/v1/platform/billing/mrr"), http.StatusOK, "revenue").JSON(t, &rev)
		for _, p := range rev.Catalog {
			if p.Key == "team" && (p.Lists["USD"]["projects"] != team.Lists["USD"]["projects"]+1 || p.Lists["CHF"]["files"] != 123 || p.Lists["GBP"]["intranet"] != team.Lists["GBP"]["intranet"]+1) {
				t.Fatalf("the team plan's lists after the form: %v", p.Lists)
			}
		}
		ok(t, owner.Get("/api/v1/"+paying.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		if o.BalanceMinor != 5250 {
			t.Fatalf("balance after the page's credit: %d", o.BalanceMinor)
		}
	})
}
