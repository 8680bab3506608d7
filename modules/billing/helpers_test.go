package billing_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/billing"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// options boot every module: billing's quotas are checked by the real modules.
func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// module is the App's billing module.
func module(t testing.TB, e *testkit.Env) *billing.Module {
	for _, m := range e.Modules {
		if b, ok := m.(*billing.Module); ok {
			return b
		}
	}
	t.Fatal("no billing module")
	return nil
}

// ok fails unless r has status want.
func ok(t testing.TB, r *testkit.Response, want int, what string) *testkit.Response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %d %s, want %d", what, r.Status, r.Body, want)
	}
	return r
}

// subscribed gives the account billing details (country, VAT number), a card token and a
// subscription to plan with offerings; it answers the overview.
func subscribed(t testing.TB, c *testkit.Client, slug, country, number, token, plan string, seats int, offerings ...string) billing.Overview {
	t.Helper()
	base := "/api/v1/" + slug + "/billing"
	ok(t, c.Put(base+"/details", map[string]any{"legal_name": "Customer " + slug, "address": "1 Main Street", "country": country, "vat_number": number}), http.StatusOK, "details")
	ok(t, c.Post(base+"/payment-method", map[string]any{"gateway_token": token}), http.StatusOK, "card")
	var o billing.Overview
	ok(t, c.Post(base+"/subscription", map[string]any{"plan": plan, "offerings": offerings, "seats": seats}), http.StatusOK, "subscribe").JSON(t, &o)
	return o
}

// invoices lists the account's invoices.
func invoices(t testing.TB, c *testkit.Client, slug string) []billing.Invoice {
	t.Helper()
	var l billing.InvoiceList
	ok(t, c.Get("/api/v1/"+slug+"/invoices"), http.StatusOK, "invoices").JSON(t, &l)
	return l.Items
}

// signedNotice posts a gateway notice signed by the App's test gateway.
func signedNotice(t testing.TB, e *testkit.Env, body string, sig string) *testkit.Response {
	t.Helper()
	if sig == "" {
		sig = module(t, e).TestGateway().Sign([]byte(body), time.Now())
	}
	h := http.Header{"Content-Type": {"application/json"}, "X-Gateway-Signature": {sig}}
	return e.Anonymous().Send("POST", "/api/v1/billing/gateway/webhook", h, stringsReader(body))
}

func notice(typ string, accountID int64, key string) string {
	return fmt.Sprintf(`{"type":%q,"account_id":%d,"idempotency_key":%q}`, typ, accountID, key)
}

// eachShared is testkit.EachShared with modules of their own per database: a module
// registered in two Apps answers for the last (its Service and TestGateway are the last App's).
func eachShared(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, testkit.Shared(t, kind, options()))
		})
	}
}

// eachOwn is testkit.EachOwn with modules of their own per database (see eachShared).
func eachOwn(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, testkit.Start(t, kind, options()))
		})
	}
}
