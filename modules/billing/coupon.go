package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// Coupons. The platform admin makes them (billing_coupons): a code worth a percentage or a
// fixed amount in one currency, for one invoice, for a number of monthly invoices or forever,
// redeemable between two days, a number of times at most, on some plans or all. An account's
// owner redeems one (one active coupon per account: billing_coupon_redemptions, a partial
// unique index); the monthly run (run.go) and the first invoice of a subscription take it as
// a discount line before VAT — exact minor units, a percentage rounded half away from zero,
// a fixed amount never more than the invoice's net — and count it down. A prorated upgrade's
// invoice carries no discount. The plans condition is checked again on each invoice: a coupon
// for a plan the account no longer has waits, uncounted.

// Coupon durations.
const (
	CouponOnce      = "once"
	CouponRepeating = "repeating"
	CouponForever   = "forever"
)

// Bounds of a coupon.
const (
	MaxCouponMonths      = 36
	MaxCouponRedemptions = 1_000_000
	MaxCouponRows        = 200
)

var couponCode = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{2,39}$`)

// Coupon is a coupon as the platform admin made it (billing_coupons).
type Coupon struct {
	bun.BaseModel `bun:"table:billing_coupons,alias:cp"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	Code           string    `bun:"code" json:"code" example:"WELCOME20"`
	PercentOff     int64     `bun:"percent_off" json:"percent_off" example:"20"`
	AmountOffMinor int64     `bun:"amount_off_minor" json:"amount_off_minor"`
	Currency       string    `bun:"currency" json:"currency"`
	Duration       string    `bun:"duration" json:"duration" enum:"once,repeating,forever"`
	Months         int64     `bun:"months" json:"months"`
	ValidFrom      string    `bun:"valid_from" json:"valid_from"`
	ValidUntil     string    `bun:"valid_until" json:"valid_until"`
	MaxRedemptions int64     `bun:"max_redemptions" json:"max_redemptions"`
	Redemptions    int64     `bun:"redemptions" json:"redemptions"`
	Plans          []string  `bun:"plans,type:text" json:"plans"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
}

// CouponInput is POST /api/v1/platform/billing/coupons.
type CouponInput struct {
	// Code is 3 to 40 letters, digits, - or _ (kept in upper case), unique.
	Code string `json:"code" openapi:"required" example:"WELCOME20"`
	// PercentOff (1 to 100) or AmountOffMinor with its Currency: one of the two.
	PercentOff     int64  `json:"percent_off" example:"20"`
	AmountOffMinor int64  `json:"amount_off_minor" example:"0"`
	Currency       string `json:"currency" example:"EUR"`
	// Duration is once (the next invoice), repeating (Months invoices, 1 to 36) or forever.
	Duration string `json:"duration" openapi:"required" enum:"once,repeating,forever"`
	Months   int64  `json:"months" example:"3"`
	// ValidFrom and ValidUntil bound the days it may be redeemed ("" : no bound).
	ValidFrom  string `json:"valid_from" example:"2026-12-01"`
	ValidUntil string `json:"valid_until" example:"2027-01-31"`
	// MaxRedemptions is how many accounts may redeem it (0: no limit).
	MaxRedemptions int64 `json:"max_redemptions" example:"100"`
	// Plans it applies to (none: every plan).
	Plans []string `json:"plans"`
}

// CouponList is GET /api/v1/platform/billing/coupons.
type CouponList struct {
	Items []Coupon `json:"items"`
}

// RedeemInput is POST /api/v1/{slug}/billing/coupon.
type RedeemInput struct {
	Code string `json:"code" openapi:"required" example:"WELCOME20"`
}

// ActiveCoupon is the account's coupon in the overview.
type ActiveCoupon struct {
	Code           string `json:"code" example:"WELCOME20"`
	PercentOff     int64  `json:"percent_off" example:"20"`
	AmountOffMinor int64  `json:"amount_off_minor"`
	Currency       string `json:"currency"`
	Duration       string `json:"duration" enum:"once,repeating,forever"`
	// InvoicesLeft is how many more invoices it discounts (-1: forever).
	InvoicesLeft int64 `json:"invoices_left"`
}

// Off says what the coupon takes off, for the pages ("20 %", "€10.00").
func (c *ActiveCoupon) Off() string { return couponOff(c.PercentOff, c.AmountOffMinor, c.Currency) }

// Off is Coupon's, for the platform page.
func (c Coupon) Off() string { return couponOff(c.PercentOff, c.AmountOffMinor, c.Currency) }

func couponOff(pct, amount int64, currency string) string {
	if pct > 0 {
		return strconv.FormatInt(pct, 10) + " %"
	}
	return Money(amount, currency)
}

// redemption is an account's coupon with its coupon (billing_coupon_redemptions).
type redemption struct {
	ID           int64  `bun:"id"`
	AccountID    int64  `bun:"account_id"`
	CouponID     int64  `bun:"coupon_id"`
	InvoicesLeft int64  `bun:"invoices_left"`
	Code         string `bun:"code"`
	PercentOff   int64  `bun:"percent_off"`
	AmountOff    int64  `bun:"amount_off_minor"`
	Currency     string `bun:"currency"`
	Duration     string `bun:"duration"`
	Plans        string `bun:"plans"`
}

// CreateCoupon makes a coupon (platform admin); bad input is 422 on the field, a code taken
// 422 on code. Audited.
func (s *Service) CreateCoupon(ctx context.Context, a *actor.Actor, in CouponInput) (*Coupon, error) {
	cat, err := s.plans(ctx)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	f.Check(couponCode.MatchString(code), "code", "must be 3 to 40 letters, digits, - or _")
	cur := strings.ToUpper(strings.TrimSpace(in.Currency))
	switch {
	case in.PercentOff != 0 && in.AmountOffMinor != 0, in.PercentOff == 0 && in.AmountOffMinor == 0:
		f.Add("percent_off", "give a percentage or an amount, one of the two")
	case in.PercentOff != 0:
		if in.PercentOff < 1 || in.PercentOff > 100 {
			f.Addf("percent_off", "must be from {min} to {max}", "min", 1, "max", 100)
		}
		cur = ""
	default:
		if in.AmountOffMinor < 1 || in.AmountOffMinor > MaxCredit {
			f.Addf("amount_off_minor", "must be from {min} to {max}", "min", 1, "max", MaxCredit)
		}
		if !supported(cur) {
			f.Addf("currency", "must be one of {currencies}", "currencies", strings.Join(Currencies, ", "))
		}
	}
	months := in.Months
	switch in.Duration {
	case CouponOnce, CouponForever:
		months = 0
	case CouponRepeating:
		if months < 1 || months > MaxCouponMonths {
			f.Addf("months", "must be from {min} to {max}", "min", 1, "max", MaxCouponMonths)
		}
	default:
		f.Add("duration", "must be once, repeating or forever")
	}
	from, until := strings.TrimSpace(in.ValidFrom), strings.TrimSpace(in.ValidUntil)
	for field, v := range map[string]string{"valid_from": from, "valid_until": until} {
		if _, err := time.Parse("2006-01-02", v); v != "" && err != nil {
			f.Add(field, "must be a date")
		}
	}
	if from != "" && until != "" && until < from && !f.Has("valid_from") && !f.Has("valid_until") {
		f.Add("valid_until", "must be on or after the first day")
	}
	if in.MaxRedemptions < 0 || in.MaxRedemptions > MaxCouponRedemptions {
		f.Addf("max_redemptions", "must be from 0 (no limit) to {max}", "max", MaxCouponRedemptions)
	}
	plans := []string{}
	if len(in.Plans) > len(cat) {
		f.Add("plans", "must be plans of the catalogue")
	} else {
		for _, p := range in.Plans {
			if _, ok := cat.Of(p); !ok || p == TrialPlan {
				f.Add("plans", "must be plans of the catalogue")
				break
			}
			if !slices.Contains(plans, p) {
				plans = append(plans, p)
			}
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	c := &Coupon{Code: code, PercentOff: in.PercentOff, AmountOffMinor: in.AmountOffMinor, Currency: cur, Duration: in.Duration, Months: months,
		ValidFrom: from, ValidUntil: until, MaxRedemptions: in.MaxRedemptions, Plans: plans, CreatedAt: s.now()}
	if c.PercentOff != 0 {
		c.AmountOffMinor = 0
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*Coupon)(nil)).Where("cp.code = ?", code).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return problem.Invalid(problem.FieldError{Field: "code", Message: "a coupon has this code already"})
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) { // the same code made at the same moment
				return problem.Invalid(problem.FieldError{Field: "code", Message: "a coupon has this code already"})
			}
			return err
		}
		return audit.Record(ctx, tx, a, 0, "billing.coupon_created", code, map[string]string{"off": c.Off(), "duration": c.Duration, "months": fmt.Sprint(months)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Coupons lists the coupons, newest first (platform admin).
func (s *Service) Coupons(ctx context.Context) (*CouponList, error) {
	out := &CouponList{Items: []Coupon{}}
	err := s.DB.NewSelect().Model(&out.Items).OrderExpr("cp.id DESC").Limit(MaxCouponRows).Scan(ctx)
	return out, err
}

// running selects the coupons still running with their coupon.
func running(idb bun.IDB) *bun.SelectQuery {
	return idb.NewSelect().TableExpr("billing_coupon_redemptions AS r").Join("JOIN billing_coupons AS cp ON cp.id = r.coupon_id").
		ColumnExpr("r.id, r.account_id, r.coupon_id, r.invoices_left, cp.code, cp.percent_off, cp.amount_off_minor, cp.currency, cp.duration, cp.plans").
		Where("r.ended_at IS NULL")
}

// activeCoupon is the account's coupon still running (nil: none).
func activeCoupon(ctx context.Context, idb bun.IDB, accountID int64) (*redemption, error) {
	r := new(redemption)
	err := running(idb).Where("r.account_id = ?", accountID).Limit(1).Scan(ctx, r)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return r, err
}

// activeCoupons are the coupons running of the accounts ids, by account: one query for a
// batch of the monthly run.
func activeCoupons(ctx context.Context, idb bun.IDB, ids []int64) (map[int64]*redemption, error) {
	out := map[int64]*redemption{}
	if len(ids) == 0 {
		return out, nil
	}
	var rs []redemption
	if err := running(idb).Where("r.account_id IN (?)", bun.In(ids)).Scan(ctx, &rs); err != nil {
		return nil, err
	}
	for i := range rs {
		out[rs[i].AccountID] = &rs[i]
	}
	return out, nil
}

// applies says whether the coupon applies to plan (its plans, none: every plan).
func (r *redemption) applies(plan string) bool {
	var plans []string
	_ = json.Unmarshal([]byte(r.Plans), &plans)
	return len(plans) == 0 || slices.Contains(plans, plan)
}

// Redeem gives the account the coupon of code (its owner): an unknown code, one not valid
// yet or any more, one redeemed as many times as it may be, one in another currency than the
// account's or for another plan is 422 on code; an account with a coupon running is 409.
// Audited.
func (s *Service) Redeem(ctx context.Context, a *actor.Actor, in RedeemInput) (*Overview, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	if !couponCode.MatchString(code) {
		return nil, problem.Invalid(problem.FieldError{Field: "code", Message: "no coupon has this code"})
	}
	acc, err := s.account(ctx, s.DB, a.AccountID())
	if err != nil {
		return nil, err
	}
	if acc.PartnerUserID != nil {
		return nil, problem.New(http.StatusConflict, "this account is billed by its partner")
	}
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		idb := tx.Unscoped()
		if cur, err := activeCoupon(ctx, idb, sub.AccountID); err != nil {
			return err
		} else if cur != nil {
			return problem.Conflict("code", "the account has a coupon running already")
		}
		c := new(Coupon)
		if err := idb.NewSelect().Model(c).Where("cp.code = ?", code).Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return problem.Invalid(problem.FieldError{Field: "code", Message: "no coupon has this code"})
			}
			return err
		}
		today := day(s.now())
		switch {
		case c.ValidFrom != "" && today < c.ValidFrom:
			return problem.Invalid(problem.Sayf("code", "this coupon is valid from {day}", "day", c.ValidFrom))
		case c.ValidUntil != "" && today > c.ValidUntil:
			return problem.Invalid(problem.Sayf("code", "this coupon expired on {day}", "day", c.ValidUntil))
		case c.AmountOffMinor > 0 && c.Currency != sub.Currency:
			return problem.Invalid(problem.Sayf("code", "currency mismatch: the coupon is in {coupon}, the account is billed in {currency}", "coupon", c.Currency, "currency", sub.Currency))
		case len(c.Plans) > 0 && sub.Plan != TrialPlan && !slices.Contains(c.Plans, sub.Plan):
			return problem.Invalid(problem.Sayf("code", "this coupon does not apply to the {plan} plan", "plan", sub.Plan))
		}
		// The guard against the last redemption taken twice: one statement, the row locked.
		res, err := idb.NewUpdate().Model((*Coupon)(nil)).Set("redemptions = redemptions + 1").
			Where("id = ? AND (max_redemptions = 0 OR redemptions < max_redemptions)", c.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return problem.Invalid(problem.FieldError{Field: "code", Message: "this coupon has been redeemed as many times as it may be"})
		}
		left := int64(1)
		switch c.Duration {
		case CouponRepeating:
			left = c.Months
		case CouponForever:
			left = -1
		}
		if _, err := tx.Exec(ctx, "INSERT INTO billing_coupon_redemptions (account_id, coupon_id, invoices_left, redeemed_at) VALUES (?0, ?1, ?2, ?3)", c.ID, left, s.now()); err != nil {
			if db.IsUniqueViolation(err) { // a redemption of the same account at the same moment
				return problem.Conflict("code", "the account has a coupon running already")
			}
			return err
		}
		return audit.Record(ctx, idb, a, a.AccountID(), "billing.coupon_redeemed", code, map[string]string{"off": c.Off(), "duration": c.Duration})
	})
	if err != nil {
		return nil, err
	}
	return s.Overview(ctx, a)
}

// discount appends the account's coupon to an invoice's lines, as a line before VAT, and
// counts it down, in tx (the issuing transaction): nothing when the account has none, when
// it does not apply to the plan (it waits), or when the lines are worth nothing.
func (s *Service) discount(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line) ([]Line, error) {
	r, err := activeCoupon(ctx, tx.Unscoped(), sub.AccountID)
	if err != nil {
		return nil, err
	}
	return s.applyCoupon(ctx, tx, sub, lines, r)
}

// applyCoupon is discount with the account's coupon read already (nil: none); it counts r
// down (0 left: ended).
func (s *Service) applyCoupon(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line, r *redemption) ([]Line, error) {
	if r == nil || r.InvoicesLeft == 0 || !r.applies(sub.Plan) {
		return lines, nil
	}
	if r.AmountOff > 0 && r.Currency != sub.Currency {
		return lines, nil
	}
	var net int64
	for _, l := range lines {
		net += lineNet(l)
	}
	if net <= 0 {
		return lines, nil
	}
	off := min(r.AmountOff, net)
	what := Money(r.AmountOff, sub.Currency)
	if r.PercentOff > 0 {
		off = PercentOf(net, r.PercentOff)
		what = strconv.FormatInt(r.PercentOff, 10) + "%"
	}
	lines = append(lines, Line{Description: fmt.Sprintf("Coupon %s: %s off", r.Code, what), Quantity: 1, UnitMinor: -off, Coupon: r.Code})
	if r.InvoicesLeft > 0 {
		r.InvoicesLeft--
		var ended *time.Time
		if r.InvoicesLeft == 0 {
			now := s.now()
			ended = &now
		}
		if _, err := tx.Exec(ctx, "UPDATE billing_coupon_redemptions SET invoices_left = ?1, ended_at = ?2 WHERE account_id = ?0 AND id = ?3", r.InvoicesLeft, ended, r.ID); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// PercentOf is pct percent of net (net ≥ 0), in minor units rounded half away from zero.
func PercentOf(net, pct int64) int64 { return (net*pct*2 + 100) / 200 }

// overviewCoupon is the account's coupon for the overview (nil: none).
func (s *Service) overviewCoupon(ctx context.Context, accountID int64) (*ActiveCoupon, error) {
	r, err := activeCoupon(ctx, s.DB, accountID)
	if err != nil || r == nil {
		return nil, err
	}
	return &ActiveCoupon{Code: r.Code, PercentOff: r.PercentOff, AmountOffMinor: r.AmountOff, Currency: r.Currency, Duration: r.Duration, InvoicesLeft: r.InvoicesLeft}, nil
}

// couponRoutes registers the platform admin's coupon routes.
func (h *handlers) couponRoutes(r routes, admin api.Guard) {
	const tag = "Billing (platform)"
	r.Get("/api/v1/platform/billing/coupons", admin, h.coupons, api.Doc{Summary: "The coupons, newest first, with how many times each was redeemed (platform admin)", Tag: tag, Response: CouponList{}})
	r.Post("/api/v1/platform/billing/coupons", admin, h.createCoupon, api.Doc{Summary: "Make a coupon: a code, a percentage or an amount in a currency, once / for some months / forever, the days it may be redeemed, how many times, the plans it applies to (platform admin); audited", Tag: tag, Request: CouponInput{}, Response: Coupon{}, Status: fiber.StatusCreated})
	r.Post("/platform/billing/coupons", admin, h.couponForm)
}

func (h *handlers) coupons(c *fiber.Ctx) error {
	out, err := h.svc.Coupons(c.UserContext())
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createCoupon(c *fiber.Ctx) error {
	var in CouponInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateCoupon(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) couponForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "code", "percent_off", "amount_off_minor", "coupon_currency", "duration", "months", "valid_from", "valid_until", "max_redemptions")
	in := CouponInput{Code: form.Get("code"), PercentOff: amount(form.Get("percent_off")), AmountOffMinor: amount(form.Get("amount_off_minor")),
		Currency: form.Get("coupon_currency"), Duration: form.Get("duration"), Months: amount(form.Get("months")),
		ValidFrom: form.Get("valid_from"), ValidUntil: form.Get("valid_until"), MaxRedemptions: amount(form.Get("max_redemptions"))}
	for _, raw := range c.Request().PostArgs().PeekMulti("plans") {
		if len(in.Plans) < 10 {
			in.Plans = append(in.Plans, string(raw))
		}
	}
	if _, err := h.svc.CreateCoupon(c.UserContext(), actor.From(c), in); err != nil {
		if p, ok := problem.As(err); ok {
			for i := range p.Errors { // the form's currency select has its own name
				if p.Errors[i].Field == "currency" {
					p.Errors[i].Field = "coupon_currency"
				}
			}
		}
		return h.platformRefuse(c, form, err)
	}
	return web.Done(c, "billing.flash.coupon_created", "/platform/billing")
}

func (h *handlers) redeem(c *fiber.Ctx) error {
	var in RedeemInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Redeem(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
