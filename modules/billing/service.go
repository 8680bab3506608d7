package billing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/modules/billing/vat"
)

// Limits on what people type.
const (
	MaxLegalName = 200
	MaxAddress   = 1000
	MaxSeats     = 10000
	MaxToken     = 200
	MaxKey       = 200
)

// Entity is the legal entity that issues the invoices (GroupCamp's French company): its
// numbers form one sequence.
const Entity = "GC-FR"

// Service is the module's service.
type Service struct {
	DB      *bun.DB
	Hooks   *hooks.Set
	VAT     vat.Engine
	Gateway Gateway
	// Box seals the gateway tokens (a token lets its holder charge the card).
	Box *seal.Box
	// Mail queues the invoices' emails (nil: none sent); BaseURL starts their links.
	Mail    *mail.Queue
	BaseURL string
	// Seller is the issuer the invoices name (the configuration's).
	Seller Seller
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time

	cache *db.Cache[int64, standing] // see standing.go
	book  planBook                   // see plans.go
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// day is a civil day as the rows keep it.
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// subscription is the account's row, nil when it has none (then nothing is limited).
func subscription(ctx context.Context, tn db.Tenant) (*Subscription, error) {
	sub := new(Subscription)
	err := tn.Select(sub).Limit(1).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return sub, err
}

// account is the account's core row.
func (s *Service) account(ctx context.Context, idb bun.IDB, accountID int64) (*identity.Account, error) {
	acc := new(identity.Account)
	return acc, idb.NewSelect().Model(acc).Where("id = ?", accountID).Scan(ctx)
}

// trialOf is the row an account starts with: the trial of every offering, from the day the
// account was created.
func trialOf(acc *identity.Account, now time.Time) *Subscription {
	currency := billingCurrency(acc.Currency) // the account's when supported, else EUR
	return &Subscription{AccountID: acc.ID, State: StateTrial, Plan: TrialPlan, Offerings: slices.Clone(Offerings), Seats: 1,
		Currency: currency, TrialEndsOn: day(acc.CreatedAt.AddDate(0, 0, TrialDays)), Country: acc.Country, VATNumber: acc.VATNumber,
		LegalName: acc.Name, PaymentMethod: MethodCard, CreatedAt: now, UpdatedAt: now}
}

// enrolled is the account's row, created (its trial) when it has none, locked for the
// transaction's update.
func (s *Service) enrolled(ctx context.Context, tx db.Tenant) (*Subscription, error) {
	sub := new(Subscription)
	err := tx.ForUpdate(tx.Select(sub)).Limit(1).Scan(ctx)
	if !db.IsNotFound(err) {
		return sub, err
	}
	acc, err := s.account(ctx, tx.Unscoped(), tx.AccountID)
	if err != nil {
		return nil, err
	}
	sub = trialOf(acc, s.now())
	_, err = tx.Insert(sub).Exec(ctx)
	return sub, err
}

// Enroll gives the account its trial row when it has none (the daily sweep does it for every
// account; a billing write does it first).
func (s *Service) Enroll(ctx context.Context, accountID int64) error {
	return s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		_, err := s.enrolled(ctx, tx)
		return err
	})
}

// EnrollAll enrolls every account that has no row yet.
func (s *Service) EnrollAll(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.DB.NewSelect().TableExpr("accounts AS a").Column("a.id").
		Where("NOT EXISTS (SELECT 1 FROM billing_subscriptions AS s WHERE s.account_id = a.id)").Scan(ctx, &ids); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.Enroll(ctx, id); err != nil && !db.IsUniqueViolation(err) {
			return 0, err
		}
	}
	return len(ids), nil
}

// usage is every counted quota of the account, users included.
func (s *Service) usage(ctx context.Context, idb bun.IDB, accountID int64) (map[string]int64, error) {
	return s.Hooks.Usage(ctx, idb, accountID)
}

// Overview is the account's billing: its row, or the trial it would start with.
func (s *Service) Overview(ctx context.Context, a *actor.Actor) (*Overview, error) {
	tn := s.tenant(a.AccountID())
	sub, err := subscription(ctx, tn)
	if err != nil {
		return nil, err
	}
	acc, err := s.account(ctx, s.DB, a.AccountID())
	if err != nil {
		return nil, err
	}
	if sub == nil {
		sub = trialOf(acc, s.now())
	}
	used, err := s.usage(ctx, s.DB, a.AccountID())
	if err != nil {
		return nil, err
	}
	plan, _, err := s.planOf(ctx, sub.Plan)
	if err != nil {
		return nil, err
	}
	out := &Overview{State: sub.State, Plan: sub.Plan, Offerings: sub.Offerings, Seats: sub.Seats, TrialEndsOn: sub.TrialEndsOn,
		AnniversaryOn: sub.AnniversaryOn, BalanceMinor: sub.BalanceMinor, Currency: sub.Currency, MonthlyMinor: plan.In(sub.Currency).MonthlyMinor(sub.Offerings, sub.Seats),
		Details:       Details{LegalName: sub.LegalName, Address: sub.Address, Country: sub.Country, VATNumber: sub.VATNumber, Currency: sub.Currency},
		PartnerBilled: acc.PartnerUserID != nil}
	for _, q := range QuotaNames {
		limit := plan.Quotas[q]
		out.Quotas = append(out.Quotas, QuotaUse{Name: q, Used: used[q], Limit: limit, Full: !within(limit, used[q], 1)})
	}
	out.PeriodStart, out.PeriodEnd, out.Pending = sub.PeriodStart, sub.PeriodEnd, pendingOf(sub)
	out.PaymentMethod = sub.PaymentMethod
	if out.PaymentMethod == "" {
		out.PaymentMethod = MethodCard
	}
	if sub.GatewayToken != "" {
		out.Card = &Card{Last4: sub.CardLast4, Holder: sub.CardHolder, Expiry: sub.CardExpiry}
	}
	if out.Coupon, err = s.overviewCoupon(ctx, a.AccountID()); err != nil {
		return nil, err
	}
	return out, nil
}

// rowKey binds a sealed token to its account: a token copied to another row does not open.
func rowKey(accountID int64) []byte { return []byte(fmt.Sprintf("billing:%d", accountID)) }

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// SaveDetails sets the billing details; a VAT number is checked (format, check digits, and
// VIES when it answers): 422 on vat_number with the reason.
func (s *Service) SaveDetails(ctx context.Context, a *actor.Actor, in DetailsInput) (*Overview, error) {
	var f problem.Fields
	in.LegalName, in.Address = strings.TrimSpace(in.LegalName), strings.TrimSpace(in.Address)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	f.Check(in.LegalName != "", "legal_name", "must not be blank")
	f.Check(len(in.LegalName) <= MaxLegalName, "legal_name", fmt.Sprintf("must be at most %d characters", MaxLegalName))
	f.Check(len(in.Address) <= MaxAddress, "address", fmt.Sprintf("must be at most %d characters", MaxAddress))
	f.Check(countryCode.MatchString(in.Country), "country", "must be a two-letter country code (ISO 3166)")
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	f.Check(in.Currency == "" || supported(in.Currency), "currency", "must be one of "+strings.Join(Currencies, ", "))
	number := ""
	if strings.TrimSpace(in.VATNumber) != "" {
		switch n, _, err := s.VAT.CheckNumber(ctx, in.VATNumber); {
		case len(in.VATNumber) > 40:
			f.Add("vat_number", "must be at most 40 characters")
		case err != nil:
			f.Add("vat_number", err.Error())
		case !f.Has("country") && n.Country() != vat.Country(in.Country):
			f.Add("vat_number", fmt.Sprintf("is a number of %s, not of the country %s", n.Prefix, in.Country))
		default:
			number = n.String()
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	kind := vat.Consumer
	if number != "" {
		kind = vat.Business
	}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		if in.Currency != "" && in.Currency != sub.Currency {
			if err := s.currencyFixed(ctx, tx, sub); err != nil {
				return err
			}
			sub.Currency = in.Currency
		}
		sub.LegalName, sub.Address, sub.Country, sub.VATNumber, sub.CustomerKind, sub.UpdatedAt = in.LegalName, in.Address, in.Country, number, kind, s.now()
		if _, err := tx.Update(sub).Column("legal_name", "address", "country", "vat_number", "customer_kind", "currency", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.details_changed", in.LegalName, map[string]string{"country": in.Country})
	})
	if err != nil {
		return nil, err
	}
	return s.Overview(ctx, a)
}

// currencyFixed refuses to change the billing currency of an account that has been invoiced
// or holds credit (a 422 on currency): its invoices, credit notes, payments and balance are
// in sub.Currency, and a credit note, a retry or a use of the balance must be in the same —
// a mismatch no conversion may settle. Until then (the trial) the owner chooses freely.
func (s *Service) currencyFixed(ctx context.Context, tx db.Tenant, sub *Subscription) error {
	invoiced, err := tx.SelectFrom("billing_invoices", "i").Exists(ctx)
	if err != nil {
		return err
	}
	if invoiced || sub.BalanceMinor != 0 {
		return problem.Invalid(problem.Sayf("currency", "currency mismatch: the account is billed in {currency} (its invoices and balance are), which cannot change",
			"currency", sub.Currency))
	}
	// A coupon of an amount in the currency (coupon.go) would no longer apply.
	c, err := activeCoupon(ctx, tx.Unscoped(), sub.AccountID)
	if err != nil {
		return err
	}
	if c != nil && c.AmountOff > 0 {
		return problem.Invalid(problem.Sayf("currency", "currency mismatch: the account's coupon {code} is an amount in {currency}", "code", c.Code, "currency", c.Currency))
	}
	return nil
}

// SavePaymentMethod stores the card behind a gateway token: the token, last four digits,
// holder and expiry the gateway tells — the card number never reaches us.
func (s *Service) SavePaymentMethod(ctx context.Context, a *actor.Actor, in PaymentMethodInput) (*Overview, error) {
	switch strings.TrimSpace(in.Method) {
	case MethodTransfer:
		return s.chooseTransfer(ctx, a)
	case "", MethodCard:
	default:
		return nil, problem.Invalid(problem.FieldError{Field: "method", Message: "must be card or transfer"})
	}
	in.GatewayToken = strings.TrimSpace(in.GatewayToken)
	if in.GatewayToken == "" || len(in.GatewayToken) > MaxToken {
		return nil, problem.Invalid(problem.FieldError{Field: "gateway_token", Message: fmt.Sprintf("must be a token of 1 to %d characters from the payment gateway", MaxToken)})
	}
	card, err := s.Gateway.Card(ctx, in.GatewayToken)
	if err != nil {
		return nil, problem.Invalid(problem.FieldError{Field: "gateway_token", Message: "the payment gateway does not know this token"})
	}
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		sub.GatewayToken, sub.CardLast4, sub.CardHolder, sub.CardExpiry, sub.UpdatedAt = s.Box.SealString(in.GatewayToken, rowKey(a.AccountID())), card.Last4, card.Holder, card.Expiry, s.now()
		sub.PaymentMethod = MethodCard
		if _, err := tx.Update(sub).Column("gateway_token", "card_last4", "card_holder", "card_expiry", "payment_method", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.card_saved", "•••• "+card.Last4, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Overview(ctx, a)
}

// checkSubscription validates a subscription's plan (in the catalogue in force), offerings and seats.
func (s *Service) checkSubscription(ctx context.Context, in *SubscriptionInput) (Plan, error) {
	cat, err := s.plans(ctx)
	if err != nil {
		return Plan{}, err
	}
	var f problem.Fields
	plan, ok := cat.Of(in.Plan)
	f.Check(ok && in.Plan != TrialPlan, "plan", "must be one of starter, team, business")
	seen := map[string]bool{}
	var offs []string
	for _, o := range in.Offerings {
		if !isOffering(o) {
			f.Add("offerings", fmt.Sprintf("%q is no offering (%s)", o, strings.Join(Offerings, ", ")))
			break
		}
		if !seen[o] {
			seen[o] = true
			offs = append(offs, o)
		}
	}
	f.Check(len(in.Offerings) > 0, "offerings", "must name at least one offering")
	f.Check(in.Seats >= 1 && in.Seats <= MaxSeats, "seats", fmt.Sprintf("must be from 1 to %d", MaxSeats))
	in.Offerings = offs
	return plan, f.Err()
}

// subscriptionFor is the account's subscription ready to be charged plan with seats (or
// quoted in a pro-forma): its billing details filled in, and the plan not below the usage.
func (s *Service) subscriptionFor(ctx context.Context, tx db.Tenant, accountID int64, plan Plan, seats int64) (*Subscription, error) {
	sub, err := s.enrolled(ctx, tx)
	if err != nil {
		return nil, err
	}
	if sub.Country == "" || sub.LegalName == "" {
		return nil, problem.Invalid(problem.FieldError{Field: "details", Message: "fill in the billing details (legal name, country) first"})
	}
	used, err := s.usage(ctx, tx.Unscoped(), accountID)
	if err != nil {
		return nil, err
	}
	if err := overUsage(plan, seats, used); err != nil {
		return nil, err
	}
	return sub, nil
}

// overUsage is what the account uses past plan and seats: one field error each.
func overUsage(plan Plan, seats int64, used map[string]int64) error {
	var f problem.Fields
	for _, q := range QuotaNames {
		if limit := plan.Quotas[q]; !within(limit, used[q], 0) {
			f.Put(problem.Sayf("plan", "{quota}: {used} in use, the {plan} plan allows {limit}", "quota", q, "used", used[q], "plan", plan.Key, "limit", limit))
		}
	}
	if used[QuotaUsers] > seats {
		f.Put(problem.Sayf("seats", "{used} users in the account need as many seats", "used", used[QuotaUsers]))
	}
	return f.Err()
}

// Subscribe puts the account on a plan with offerings and seats: a plan below what the
// account uses is refused (422 naming each quota over). From the trial (or a past_due state)
// the anniversary becomes today and the month is invoiced at once and charged to the card
// (key is the idempotency key: a second submission with it answers the first without a
// second invoice or charge). A change of an active subscription is change's (change.go): an
// upgrade now with a prorated charge, a downgrade at the next period.
func (s *Service) Subscribe(ctx context.Context, a *actor.Actor, in SubscriptionInput, key string) (*Overview, error) {
	plan, err := s.checkSubscription(ctx, &in)
	if err != nil {
		return nil, err
	}
	if len(key) > MaxKey {
		return nil, problem.Invalid(problem.FieldError{Field: "Idempotency-Key", Message: fmt.Sprintf("must be at most %d characters", MaxKey)})
	}
	acc, err := s.account(ctx, s.DB, a.AccountID())
	if err != nil {
		return nil, err
	}
	if acc.PartnerUserID != nil {
		return nil, problem.New(http.StatusConflict, "this account is billed by its partner")
	}
	tn := s.tenant(a.AccountID())
	if key != "" {
		var n int64
		if n, err = tn.SelectFrom("billing_payments", "p").Where("p.idempotency_key = ?", key).Count(ctx); err != nil {
			return nil, err
		}
		if n > 0 {
			return s.Overview(ctx, a) // a repeated submission
		}
	}
	var pay *Payment
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.subscriptionFor(ctx, tx, a.AccountID(), plan, in.Seats)
		if err != nil {
			return err
		}
		now := s.now()
		if sub.State == StateActive {
			pay, err = s.change(ctx, tx, a, sub, plan, in, key)
			return err
		}
		sub.Plan, sub.Offerings, sub.Seats, sub.UpdatedAt = plan.Key, in.Offerings, in.Seats, now
		sub.State, sub.AnniversaryOn, sub.PeriodStart = StateActive, day(now), day(now)
		sub.PeriodEnd = day(nextPeriodEnd(now, now.Day()))
		sub.PendingPlan, sub.PendingOfferings, sub.PendingSeats = "", "", 0
		if _, err := tx.Update(sub).Column("state", "plan", "offerings", "seats", "anniversary_on", "period_start", "period_end", "pending_plan", "pending_offerings", "pending_seats", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.subscribed", plan.Key, map[string]string{"offerings": strings.Join(in.Offerings, ","), "seats": fmt.Sprint(in.Seats)}); err != nil {
			return err
		}
		lines, err := s.discount(ctx, tx, sub, monthLines(plan.In(sub.Currency), in.Offerings, in.Seats))
		if err != nil {
			return err
		}
		inv, err := s.issue(ctx, tx, sub, lines, KindInvoice, nil)
		if err != nil {
			return err
		}
		if pay = due(sub, inv, key, now); pay != nil {
			_, err = tx.Insert(pay).Exec(ctx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if pay != nil {
		if err := s.charge(ctx, a.AccountID(), pay); err != nil {
			return nil, err
		}
	}
	return s.Overview(ctx, a)
}

// monthLines are a month of the offerings in plan: one line per offering.
func monthLines(plan Plan, offerings []string, seats int64) []Line {
	var out []Line
	for _, o := range offerings {
		pr := plan.Prices[o]
		qty := int64(1)
		if pr.PerSeat {
			qty = seats
		}
		out = append(out, Line{Description: fmt.Sprintf("GroupCamp %s — %s plan, 1 month", o, plan.Key), Quantity: qty, UnitMinor: pr.Minor})
	}
	return out
}

// ErrDeclined is a charge the gateway refused.
var ErrDeclined = errors.New("the card was declined")

// charge takes a pending payment through the gateway (outside the issuing transaction: the
// gateway is another system), with the payment's idempotency key; a declined card puts the
// account past due.
func (s *Service) charge(ctx context.Context, accountID int64, pay *Payment) error {
	ref, cerr, err := s.attempt(ctx, accountID, pay)
	if err != nil {
		return err
	}
	return s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		return s.record(ctx, tx, pay, ref, cerr)
	})
}

// attempt asks the gateway for the payment with the account's card: ref is the gateway's
// reference, cerr its refusal (or the lack of a card); err a failure to read the account.
func (s *Service) attempt(ctx context.Context, accountID int64, pay *Payment) (ref string, cerr, err error) {
	sub, err := subscription(ctx, s.tenant(accountID))
	if err != nil || sub == nil {
		return "", errors.New("no subscription"), err
	}
	return s.attemptWith(ctx, accountID, sub.GatewayToken, pay)
}

// attemptWith is attempt with the account's sealed token read already.
func (s *Service) attemptWith(ctx context.Context, accountID int64, sealed string, pay *Payment) (ref string, cerr, err error) {
	token, oerr := s.Box.OpenString(sealed, rowKey(accountID))
	if sealed == "" || oerr != nil {
		return "", errors.New("no payment method"), nil
	}
	auth, cerr := s.Gateway.Authorize(ctx, token, pay.AmountMinor, pay.Currency, pay.IdempotencyKey)
	if cerr == nil {
		ref, cerr = s.Gateway.Capture(ctx, auth, pay.AmountMinor, pay.IdempotencyKey)
	}
	return ref, cerr, nil
}

// record writes the gateway's answer on the payment, in tx; a refusal puts the account past due.
func (s *Service) record(ctx context.Context, tx db.Tenant, pay *Payment, ref string, cerr error) error {
	now := s.now()
	pay.State, pay.GatewayRef, pay.UpdatedAt = PaymentSucceeded, ref, now
	if cerr != nil {
		pay.State, pay.Error = PaymentFailed, cerr.Error()
	}
	if _, err := tx.Update(pay).Column("state", "gateway_ref", "error", "updated_at").WherePK().Exec(ctx); err != nil {
		return err
	}
	if cerr != nil {
		// An active account falls past due (and its owner hears of it); one past due or
		// read-only already stays where the dunning put it.
		return s.moveState(ctx, tx, StatePastDue, "past_due_since = COALESCE(past_due_since, ?2)", now, StateActive)
	}
	return nil
}

// moveState sets the account's state to next from one of the states from (set adds a
// column's assignment: ?2 is now), and emails the owner when it did change.
func (s *Service) moveState(ctx context.Context, tx db.Tenant, next, set string, now time.Time, from ...string) error {
	if set != "" {
		set += ", "
	}
	res, err := tx.Exec(ctx, "UPDATE billing_subscriptions SET state = ?1, "+set+"updated_at = ?2 WHERE account_id = ?0 AND state IN (?3)", next, now, bun.In(from))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err
	}
	return s.notifyState(ctx, tx, next)
}

// Invoices lists the account's invoices and credit notes, newest first.
func (s *Service) Invoices(ctx context.Context, a *actor.Actor) ([]Invoice, error) {
	out := []Invoice{}
	err := s.tenant(a.AccountID()).Select(&out).OrderExpr("i.id DESC").Limit(500).Scan(ctx)
	return out, err
}

// Invoice is one invoice with its lines, VAT lines and what was paid of it.
func (s *Service) Invoice(ctx context.Context, a *actor.Actor, id int64) (*Invoice, error) {
	inv, err := s.invoiceIn(ctx, s.tenant(a.AccountID()), id)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	return inv, err
}

// invoiceIn is the account's invoice id with its lines, VAT lines and what was paid of it
// (the prepaid balance's part included).
func (s *Service) invoiceIn(ctx context.Context, tn db.Tenant, id int64) (*Invoice, error) {
	inv := new(Invoice)
	if err := tn.Select(inv).Where("i.id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	inv.Lines, inv.VATLines = []Line{}, []VATLine{}
	if err := tn.Select(&inv.Lines).Where("l.invoice_id = ?", id).OrderExpr("l.id").Scan(ctx); err != nil {
		return nil, err
	}
	if err := tn.Select(&inv.VATLines).Where("v.invoice_id = ?", id).OrderExpr("v.rate_bp").Scan(ctx); err != nil {
		return nil, err
	}
	err := tn.SelectFrom("billing_payments", "p").ColumnExpr("COALESCE(SUM(p.amount_minor), 0)").
		Where("p.invoice_id = ? AND p.state = ?", id, PaymentSucceeded).Scan(ctx, &inv.PaidMinor)
	inv.PaidMinor += inv.BalanceMinor
	if err == nil && inv.Kind == KindProforma {
		var conv []int64
		if err = tn.SelectFrom("billing_invoices", "c").Column("c.id").Where("c.proforma_id = ?", id).Scan(ctx, &conv); err == nil && len(conv) > 0 {
			inv.ConvertedID = &conv[0]
		}
	}
	return inv, err
}

// Quote is the VAT engine's answer for a sale (POST /api/v1/vat/quote): 422 on the field
// the engine refused.
func (s *Service) Quote(ctx context.Context, in QuoteInput) (*vat.Quote, error) {
	in.CustomerCountry = strings.ToUpper(strings.TrimSpace(in.CustomerCountry))
	in.SellerCountry = strings.ToUpper(strings.TrimSpace(in.SellerCountry))
	if in.NetMinor < 0 || in.NetMinor > 1e12 {
		return nil, problem.Invalid(problem.FieldError{Field: "net_minor", Message: "must be from 0 to 10^12"})
	}
	if len(in.VATNumber) > 40 {
		return nil, problem.Invalid(problem.FieldError{Field: "vat_number", Message: "must be at most 40 characters"})
	}
	q, err := s.VAT.Quote(ctx, vat.Request{SellerCountry: in.SellerCountry, CustomerCountry: in.CustomerCountry, CustomerKind: in.CustomerKind,
		VATNumber: in.VATNumber, NetMinor: in.NetMinor, Day: s.now()})
	if err != nil {
		field := "vat_number"
		switch {
		case errors.Is(err, vat.ErrKind):
			field = "customer_kind"
		case errors.Is(err, vat.ErrCustomerCountry):
			field = "customer_country"
		case errors.Is(err, vat.ErrSeller):
			field = "seller_country"
		}
		return nil, problem.Invalid(problem.FieldError{Field: field, Message: err.Error()})
	}
	return &q, nil
}
