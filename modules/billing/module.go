// Package billing is GroupCamp charging its customers, the accounts (issue 19, shared/API.md
// "Billing", PRODUCT.md "Billing"): the catalogue of offerings and plans with their quotas,
// each account's subscription (a 30-day trial of every offering, then a plan with offerings
// and seats from an anniversary day), invoices and credit notes with EU VAT (the vat
// package), and card payments through a gateway.
//
// # Ports, not imports
//
// No module imports billing. It feeds core/hooks: the Limiter (hooks.Set.Allow, which the
// modules call where they create a counted thing: projects on project create, core identity
// on invite, files on upload, the plugins host when a plugin is turned on; and
// hooks.Set.AllowEach for the quota that bounds each task's parallel assignees, which the
// projects module asks when a task gets more people) and the Enablement (an offering's module is off — its routes 404
// and its nav hidden, core/app — for an account that did not subscribe to it). An account
// without a billing row is neither limited nor restricted: rows come with the daily enrolment
// job (or the first billing write), so installing billing changes nothing until then.
//
// # Money and numbers
//
// Amounts are int64 minor units everywhere, in the account's billing currency (EUR by
// default; USD, GBP or CHF, each priced from its own list in every plan: Plan.In), fixed once
// the account is invoiced; VAT is computed by the vat package
// per invoice, rounded once per VAT line. Invoice numbers are one gapless sequence per legal
// entity (Entity), allocated in the issuing transaction (invoice.go); an issued invoice is
// never updated — a credit note, with its own number, corrects it. PDFs are drawn with
// go-pdf/fpdf (pure Go).
//
// # Payments
//
// The Gateway interface authorizes, captures and refunds with idempotency keys, and verifies
// its webhooks' signatures (a bad one is 401, nothing changed). The built-in TestGateway
// stands for a real provider. We keep the gateway's token (sealed with core/seal), the last
// four digits, the holder and the expiry — never the card number. A declined charge or a
// charge.failed notice puts the account past_due; a charge.succeeded notice makes it active.
//
// Dunning (dunning.go): retries on day 1, 3 and 7, read-only after the grace period (writes
// 402 through hooks.WriteGate, reads and exports still work), closed after the retention;
// PurgeDays later the account's data is purged through the privacy module's
// hooks.AccountPurger, billing's accounting records kept (purge.go).
//
// # Periods, balance and the monthly run
//
// An upgrade is invoiced at once for the days left of the period (prorated lines, change.go);
// a downgrade waits for the period's end. The prepaid balance pays each invoice first
// (balance.go). The daily run (run.go) issues the invoices due, in batches; the PDFs are
// rendered, and the owner emailed, by the billing.invoice_issued subscriber afterwards.
//
// # Pro-formas, transfers, notices and the platform
//
// A pro-forma is numbered in its own PF series and converts once into an invoice
// (proforma.go); an account may pay by wire transfer, each transfer recorded by the platform
// admin (actor.PlatformAdmin), who also edits the catalogue (plans.go), reads the revenue and
// adds credit (platform.go). Each dunning state change emails the owner (dunmail.go); a
// read-only account shows a banner on every page through hooks.Banner (banner.go).
//
// # Coupons and the partner's invoices
//
// The platform admin makes coupons (a percentage or an amount in a currency, once, for some
// months or forever, redeemable between two days, a number of times, on some plans); an
// owner redeems one at a time, and the monthly run and the first invoice of a subscription
// take it off as a discount line before VAT (coupon.go). A partner lists and downloads the
// invoices of the accounts it manages, by core's reach rule (partner.go). The platform admin
// deletes an exchange rate no issued invoice used (rates.go).
//
// Not yet (listed in the README): the VAT of an invoice in another currency than EUR is not
// also stated in EUR (no exchange-rate source).
package billing

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/seal"
	"groupcamp/core/web"
	"groupcamp/jobs"
	"groupcamp/modules/billing/vat"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Job task types: EnrollTask gives every account without a billing row its trial row;
// DunTask retries the unpaid invoices and turns unpaid accounts read-only, then closed.
const (
	EnrollTask = "billing:enroll"
	DunTask    = "billing:dun"
	RunTask    = "billing:run"
)

// Module is the billing module.
type Module struct {
	svc *Service
	gw  *TestGateway
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "billing" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// TestGateway is the built-in gateway the module charges through (for tests and tools).
func (m *Module) TestGateway() *TestGateway { return m.gw }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register feeds the quota limiter, the module enablement and the users counter, and
// declares the jobs, personal data, fixtures, routes, pages and navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	key := r.Config().SecretKey
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("billing.test-gateway.webhooks"))
	m.gw = NewTestGateway(mac.Sum(nil))
	m.svc = &Service{DB: r.DB(), Hooks: r.Hooks(), VAT: vat.Engine{}, Gateway: m.gw, Box: seal.MustNew(key, "billing.gateway_token"),
		Mail: r.MailQueue(), BaseURL: r.Config().BaseURL,
		Seller: Seller{Name: r.Config().SellerName, Address: r.Config().SellerAddress, VATNumber: r.Config().SellerVATNumber,
			IBAN: r.Config().SellerIBAN, BIC: r.Config().SellerBIC}}
	r.Counter(usersCounter())
	r.Counter(assigneesCounter())
	r.Counter(pluginsCounter())
	r.Limiter(limiter{m.svc})
	r.Enablement(enablement{m.svc})
	r.Banner(m.svc.banner)
	r.Plan(m.svc.planInfo) // the partner's view of the account in the platform console
	m.svc.cache = db.NewCache[int64, standing](r.DB(), standingTTL, maxStanding, "billing_subscriptions")
	db.Watch(r.DB(), m.svc.book.drop, "billing_plans")
	r.PersonalData(personalData{m.svc})
	r.Fixtures(fixtures{})
	r.Task(EnrollTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.EnrollAll(ctx); return err })
	r.Every("@daily", EnrollTask, nil, jobs.Low)
	r.Task(DunTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Dun(ctx); return err })
	r.Every("@daily", DunTask, nil, jobs.Default)
	r.Task(RunTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Run(ctx); return err })
	r.Every("@daily", RunTask, nil, jobs.Default)
	r.Events(EventIssued)
	r.On(EventIssued, "billing.pdf", m.svc.onIssued)
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	h.platformRoutes(r)
	h.partnerRoutes(r)
	r.Nav(web.NavItem{Label: "billing.nav", Path: "/admin/billing", Object: "billing", Action: "manage", Order: 95, Group: web.GroupAdmin})
	return nil
}
