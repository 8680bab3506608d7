package billing_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// clock is a clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// clocked is options with the billing service on clk (set before the App serves).
func clocked(clk *clock) testkit.Options {
	o := options()
	o.BeforeServe = func(*app.App) {
		for _, m := range o.Modules {
			if b, ok := m.(*billing.Module); ok {
				b.Service().Now = clk.Now
			}
		}
	}
	return o
}

// TestDunning: a declined first charge makes the account past due; the retries of day 1 and
// 3 fail; the owner saves a working card and the retry of day 7 pays: active. Another account
// never pays: read-only after the grace period — a write of a module is 402 naming it, reads
// still work, billing stays writable, the page shows the banner — and the gateway's notice of
// a payment makes it active again. Each change of state emails the owner (through a real SMTP
// server) with what is due and the link to the Billing page: past due, read-only, active.
func TestDunning(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			srv := testkit.StartSMTP(t)
			opts := clocked(clk)
			opts.Config = func(c *config.Config) { c.SMTPURL = srv.URL() }
			e := testkit.Start(t, kind, opts)
			svc := module(t, e).Service()
			ctx := context.Background()
			state := func(c *testkit.Client, slug string) string {
				var o billing.Overview
				ok(t, c.Get("/api/v1/"+slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
				return o.State
			}
			day := func(n int) {
				clk.Add(24 * time.Hour * time.Duration(n))
				if _, err := svc.Dun(ctx); err != nil {
					t.Fatal(err)
				}
			}
			payer, never := e.NewAccount(), e.NewAccount()
			p, n := e.As(payer.Owner), e.As(never.Owner)
			subscribed(t, p, payer.Slug, "FR", "", "tok_test_declined", "starter", 1, "projects")
			member := e.As(e.NewUser(never, actor.RoleMember)) // invited while the account may still write
			subscribed(t, n, never.Slug, "FR", "", "tok_test_declined", "starter", 2, "projects")
			if b := ok(t, n.Get("/"+never.Slug), http.StatusOK, "home when past due").Body; !contains(b, `id="past-due-banner"`) {
				t.Fatal("no past-due banner for the owner")
			}
			if b := ok(t, member.Get("/"+never.Slug), http.StatusOK, "home when past due").Body; contains(b, `id="past-due-banner"`) {
				t.Fatal("a member is told of a failed payment")
			}
			if s := state(p, payer.Slug); s != billing.StatePastDue {
				t.Fatalf("after a declined charge: %s", s)
			}
			day(1)
			day(2)
			if s := state(p, payer.Slug); s != billing.StatePastDue {
				t.Fatalf("after failed retries: %s", s)
			}
			ok(t, p.Post("/api/v1/"+payer.Slug+"/billing/payment-method", map[string]any{"gateway_token": "tok_test_visa"}), http.StatusOK, "a working card")
			day(4)
			if s := state(p, payer.Slug); s != billing.StateActive {
				t.Fatalf("after the day-7 retry with a working card: %s", s)
			}
			if s := state(n, never.Slug); s != billing.StatePastDue {
				t.Fatalf("day 7 without paying: %s", s)
			}
			day(7)
			if s := state(n, never.Slug); s != billing.StateReadOnly {
				t.Fatalf("after the grace period: %s", s)
			}
			r := n.Post("/api/v1/"+never.Slug+"/projects", map[string]any{"name": "Blocked"})
			if r.Status != http.StatusPaymentRequired || r.FieldErrors()["account"] == "" {
				t.Fatalf("a write when read-only: %d %s", r.Status, r.Body)
			}
			ok(t, n.Get("/api/v1/"+never.Slug+"/projects"), http.StatusOK, "a read when read-only")
			ok(t, n.Post("/api/v1/"+never.Slug+"/me/exports", nil), http.StatusAccepted, "an export of one's data when read-only")
			ok(t, n.Put("/api/v1/"+never.Slug+"/billing/details", map[string]any{"legal_name": "Still Here", "country": "FR"}), http.StatusOK, "billing when read-only")
			page := ok(t, n.Get("/"+never.Slug+"/admin/billing"), http.StatusOK, "the billing page")
			if !contains(page.Body, "read-only-banner") {
				t.Fatal("no read-only banner")
			}
			// On every page, through the shell: the owner's links to Billing, a member's does not.
			home := ok(t, n.Get("/"+never.Slug), http.StatusOK, "the owner's home").Body
			if !contains(home, `id="read-only-banner"`) || !contains(home, `href="/`+never.Slug+`/admin/billing">`) {
				t.Fatal("no read-only banner with a link to Billing on the owner's home")
			}
			home = ok(t, member.Get("/"+never.Slug), http.StatusOK, "a member's home").Body
			if !contains(home, `id="read-only-banner"`) || contains(home, `href="/`+never.Slug+`/admin/billing">`) {
				t.Fatal("a member's home: no read-only banner, or a link to Billing")
			}
			var key string
			if err := e.App.DB.NewSelect().TableExpr("billing_payments").Column("idempotency_key").Where("account_id = ?", never.ID).OrderExpr("id").Limit(1).Scan(ctx, &key); err != nil {
				t.Fatal(err)
			}
			ok(t, signedNotice(t, e, notice("charge.succeeded", never.ID, key), ""), http.StatusNoContent, "a payment")
			if s := state(n, never.Slug); s != billing.StateActive {
				t.Fatalf("after the payment: %s", s)
			}
			ok(t, n.Post("/api/v1/"+never.Slug+"/projects", map[string]any{"name": "Unblocked"}), http.StatusCreated, "a write once paid")
			if home := ok(t, member.Get("/"+never.Slug), http.StatusOK, "a member's home once paid").Body; contains(home, `-banner"`) {
				t.Fatal("a banner once paid")
			}

			// The notices of the account that never paid, in order, each with its amount and link.
			inv := invoices(t, n, never.Slug)[0]
			due := billing.Money(inv.TotalMinor, inv.Currency)
			var subjects []string
			// The invoice's, the export's (asked for while read-only above), then the three notices.
			for _, m := range srv.Wait(t, never.Owner.Email, 5) {
				if strings.Contains(m.Text, "/me/privacy/exports/") {
					continue // the export's: not a billing notice
				}
				if !strings.Contains(m.Text, "/admin/billing") {
					t.Errorf("%q links nowhere: %s", m.Subject, m.Text)
				}
				if strings.Contains(m.Subject, "invoice") {
					continue
				}
				subjects = append(subjects, m.Subject)
				want := due
				if strings.Contains(m.Subject, "active again") {
					want = billing.Money(0, inv.Currency) // nothing left once paid
				}
				if !strings.Contains(m.Text, want) || !strings.Contains(m.HTML, want) {
					t.Errorf("%q does not say %s is due: %s", m.Subject, want, m.Text)
				}
			}
			// One of each (the outbox sends in parallel: in any order).
			want := []string{"A payment for", "is now read-only", "is active again"}
			if len(subjects) != len(want) {
				t.Fatalf("notices %q, want %q", subjects, want)
			}
			for _, w := range want {
				if !slices.ContainsFunc(subjects, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no notice %q among %q", w, subjects)
				}
			}
		})
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }

// TestEnroll: the daily enrolment gives an account without a row its trial (every offering,
// 30 days from its creation, the team plan's quotas, which the limiter then applies); a
// second run finds nothing to do.
func TestEnroll(t *testing.T) {
	eachOwn(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		svc := module(t, e).Service()
		ctx := context.Background()
		n, err := svc.EnrollAll(ctx)
		if err != nil || n != 1 {
			t.Fatalf("enrolled %d: %v", n, err)
		}
		if n, err = svc.EnrollAll(ctx); err != nil || n != 0 {
			t.Fatalf("a second run enrolled %d: %v", n, err)
		}
		var o billing.Overview
		ok(t, e.As(acc.Owner).Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		if o.State != billing.StateTrial || len(o.Offerings) != len(billing.Offerings) || o.TrialEndsOn != time.Now().UTC().AddDate(0, 0, 30).Format("2006-01-02") {
			t.Fatalf("the trial: %+v", o)
		}
		err = e.App.Hooks.Allow(ctx, e.App.DB, acc.ID, "projects", 201)
		if err == nil || !strings.Contains(err.Error(), "business") {
			t.Fatalf("201 projects in the trial: %v", err)
		}
	})
}
