package identity

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/core/web"
)

// Locales the product speaks: a profile's or an account's language is one of them (the
// catalogues' list, so a language joins both at once; docs/TRANSLATING.md).
var Locales = web.Languages

// Service holds the identity use cases.
type Service struct {
	DB      *bun.DB
	Mail    *mail.Queue // invitation emails; nil sends none
	BaseURL string
	Now     func() time.Time
	// Throttle guards the password proof of an invitation accepted with an existing login
	// the way sign-in is guarded (core/auth provides it); nil: no throttle.
	Throttle PasswordThrottle
	// Credentials ends a person's sessions and tokens when their last active membership is
	// deactivated (core/auth provides it); nil: none are ended.
	Credentials CredentialRevoker
	// ForgetCompany lets the modules let go of a company being deleted, in the deletion's
	// transaction (core/app gives it the modules' hooks); nil: nothing else names companies.
	ForgetCompany func(ctx context.Context, tx bun.IDB, accountID, companyID int64) error
	// CalendarURL is the person's calendar feed URL, for GET /api/v1/me (core/app gives it
	// the module serving the feeds); nil: no feed.
	CalendarURL func(ctx context.Context, userID int64) (string, error)
	// SignedUp is told of a new account and its owner in the signup's transaction (core/app:
	// the search indexes the owner); nil: nobody needs to know.
	SignedUp func(ctx context.Context, tx bun.IDB, accountID, ownerID int64) error
	// Allow gates an invitation by the account's "users" quota, in its transaction (core/app
	// gives it the hooks' Allow: billing's limiter); nil: no quota.
	Allow func(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error
}

// CredentialRevoker ends credentials (core/auth implements it).
type CredentialRevoker interface {
	// EndAccess deletes every session of the person and revokes every personal API token, in tx.
	EndAccess(ctx context.Context, tx bun.IDB, userID int64) error
	// Forget drops what this process (and, through the broker, every other) caches of the
	// person's credentials; called once the change is committed.
	Forget(userID int64)
}

// PasswordThrottle limits password guessing outside sign-in.
type PasswordThrottle interface {
	// Throttled returns a 429 problem while the email or the IP may not try again.
	Throttled(ctx context.Context, email, ip string) error
	// Failed records a wrong password given for the email from the IP.
	Failed(ctx context.Context, email, ip string) error
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

// SignupInput is the body of POST /api/v1/signup.
type SignupInput struct {
	AccountName string `json:"account_name" openapi:"required" example:"Acme Studio"`
	Slug        string `json:"slug" openapi:"required" example:"acme"`
	Country     string `json:"country" openapi:"required" example:"FR"`
	OwnerName   string `json:"owner_name" openapi:"required" example:"Ada Lovelace"`
	Email       string `json:"email" openapi:"required" format:"email" example:"ada@example.com"`
	Password    string `json:"password" openapi:"required" format:"password" example:"correct horse battery staple"`
	Currency    string `json:"currency,omitempty" example:"EUR"`
	Locale      string `json:"locale,omitempty" enum:"en,fr,ru" example:"en"`
	TimeUnit    string `json:"time_unit,omitempty" enum:"hours,days" example:"hours"`
}

func checkCountry(s string) string {
	if len(s) != 2 || strings.ToUpper(s) != s {
		return "must be an ISO 3166 two-letter country code, e.g. FR"
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return "is not a known country code"
	}
	return ""
}

func checkCurrency(s string) string {
	if len(s) != 3 || strings.ToUpper(s) != s {
		return "must be an ISO 4217 currency code, e.g. EUR"
	}
	if _, err := currency.ParseISO(s); err != nil {
		return "is not a known currency"
	}
	return ""
}

func defaultCurrency(country string) string {
	if r, err := language.ParseRegion(country); err == nil {
		if u, ok := currency.FromRegion(r); ok {
			return u.String()
		}
	}
	return "EUR"
}

// Signup creates an account, its internal company and its owner, in one transaction.
func (s *Service) Signup(ctx context.Context, in SignupInput, meta *actor.Actor) (*Account, *User, error) {
	in.Email = validate.NormalizeEmail(in.Email)
	in.Slug = strings.TrimSpace(in.Slug)
	in.AccountName = strings.TrimSpace(in.AccountName)
	in.OwnerName = strings.TrimSpace(in.OwnerName)
	var f problem.Fields
	f.Check(validate.Name(in.AccountName, validate.MaxName) == "", "account_name", validate.Name(in.AccountName, validate.MaxName))
	f.Check(CheckSlug(in.Slug) == "", "slug", CheckSlug(in.Slug))
	f.Check(checkCountry(in.Country) == "", "country", checkCountry(in.Country))
	f.Check(validate.Name(in.OwnerName, validate.MaxName) == "", "owner_name", validate.Name(in.OwnerName, validate.MaxName))
	f.Check(validate.Email(in.Email) == "", "email", validate.Email(in.Email))
	f.Check(password.Check(in.Password) == "", "password", password.Check(in.Password))
	if in.Currency == "" && !f.Has("country") {
		in.Currency = defaultCurrency(in.Country)
	}
	if in.Currency != "" {
		f.Check(checkCurrency(in.Currency) == "", "currency", checkCurrency(in.Currency))
	}
	if in.Locale == "" {
		in.Locale = "en"
	}
	f.Check(validate.OneOf(in.Locale, Locales...) == "", "locale", validate.OneOf(in.Locale, Locales...))
	if in.TimeUnit == "" {
		in.TimeUnit = "hours"
	}
	f.Check(validate.OneOf(in.TimeUnit, "hours", "days") == "", "time_unit", validate.OneOf(in.TimeUnit, "hours", "days"))
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	acc := &Account{Slug: in.Slug, Name: in.AccountName, Country: in.Country, Currency: in.Currency,
		TimeUnit: in.TimeUnit, Locale: in.Locale, State: StateTrial, CreatedAt: now, UpdatedAt: now}
	user := &User{Email: in.Email, Name: in.OwnerName, PasswordHash: hash, Locale: in.Locale, TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Check both uniqueness rules up front so that the 409 names the field; the unique
		// indexes still decide when two signups race.
		if n, err := tx.NewSelect().Model((*Account)(nil)).Where("slug = ?", acc.Slug).Count(ctx); err != nil {
			return err
		} else if n > 0 {
			return problem.Conflict("slug", "this address is already taken")
		}
		if n, err := tx.NewSelect().Model((*User)(nil)).Where("email = ?", user.Email).Count(ctx); err != nil {
			return err
		} else if n > 0 {
			return problem.Conflict("email", "an account already uses this email; sign in instead")
		}
		if _, err := tx.NewInsert().Model(acc).Exec(ctx); err != nil {
			return conflictOr(err, "slug", "this address is already taken")
		}
		if _, err := tx.NewInsert().Model(user).Exec(ctx); err != nil {
			return conflictOr(err, "email", "an account already uses this email; sign in instead")
		}
		co := &Company{AccountID: acc.ID, Name: acc.Name, Kind: KindInternal, CreatedAt: now}
		if _, err := tx.NewInsert().Model(co).Exec(ctx); err != nil {
			return err
		}
		m := &Membership{AccountID: acc.ID, UserID: user.ID, CompanyID: co.ID, Role: actor.RoleOwner, Status: StatusActive, CreatedAt: now}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return err
		}
		who := &actor.Actor{UserID: user.ID, Name: user.Name}
		if meta != nil {
			who.IP, who.UserAgent = meta.IP, meta.UserAgent
		}
		if s.SignedUp != nil {
			if err := s.SignedUp(ctx, tx, acc.ID, user.ID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, who, acc.ID, "account.created", acc.Slug, nil)
	})
	if err != nil {
		return nil, nil, err
	}
	return acc, user, nil
}

func conflictOr(err error, field, msg string) error {
	if db.IsUniqueViolation(err) {
		return problem.Conflict(field, msg)
	}
	return err
}

// Account returns the actor's account.
func (s *Service) Account(ctx context.Context, a *actor.Actor) (*Account, error) {
	acc := new(Account)
	err := s.DB.NewSelect().Model(acc).Where("id = ?", a.AccountID()).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	return acc, err
}

// AccountPatch is the body of PATCH /api/v1/{slug}/account; absent fields stay as they are.
type AccountPatch struct {
	Name      *string `json:"name,omitempty" example:"Acme Studio SAS"`
	Country   *string `json:"country,omitempty"`
	VATNumber *string `json:"vat_number,omitempty"`
	Currency  *string `json:"currency,omitempty"`
	TimeUnit  *string `json:"time_unit,omitempty" enum:"hours,days"`
	Locale    *string `json:"locale,omitempty" enum:"en,fr,ru"`
}

// UpdateAccount changes settings. Legal and billing fields (country, VAT number, currency)
// need the account:billing capability, which only the owner holds.
func (s *Service) UpdateAccount(ctx context.Context, a *actor.Actor, p AccountPatch) (*Account, error) {
	if !a.May("account", "billing") {
		var denied []problem.FieldError
		for field, set := range map[string]bool{"country": p.Country != nil, "vat_number": p.VATNumber != nil, "currency": p.Currency != nil} {
			if set {
				denied = append(denied, problem.FieldError{Field: field, Message: "only the owner may change this field"})
			}
		}
		if denied != nil {
			pr := problem.Forbidden("only the owner may change legal and billing fields")
			pr.Errors = denied
			return nil, pr
		}
	}
	var f problem.Fields
	acc, err := s.Account(ctx, a)
	if err != nil {
		return nil, err
	}
	before := *acc
	if p.Name != nil {
		v := strings.TrimSpace(*p.Name)
		f.Check(validate.Name(v, validate.MaxName) == "", "name", validate.Name(v, validate.MaxName))
		acc.Name = v
	}
	if p.Country != nil {
		f.Check(checkCountry(*p.Country) == "", "country", checkCountry(*p.Country))
		acc.Country = *p.Country
	}
	if p.VATNumber != nil {
		v := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(*p.VATNumber), " ", ""))
		f.Check(v == "" || vatPattern.MatchString(v), "vat_number", "must look like an EU VAT number, e.g. FR12345678901")
		acc.VATNumber = v
	}
	if p.Currency != nil {
		f.Check(checkCurrency(*p.Currency) == "", "currency", checkCurrency(*p.Currency))
		acc.Currency = *p.Currency
	}
	if p.TimeUnit != nil {
		f.Check(validate.OneOf(*p.TimeUnit, "hours", "days") == "", "time_unit", validate.OneOf(*p.TimeUnit, "hours", "days"))
		acc.TimeUnit = *p.TimeUnit
	}
	if p.Locale != nil {
		f.Check(validate.OneOf(*p.Locale, Locales...) == "", "locale", validate.OneOf(*p.Locale, Locales...))
		acc.Locale = *p.Locale
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	acc.UpdatedAt = s.now()
	changes := diffAccount(&before, acc)
	if len(changes) == 0 {
		return acc, nil
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(acc).Column("name", "country", "vat_number", "currency", "time_unit", "locale", "updated_at").
			Where("id = ?", acc.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, acc.ID, "account.settings_changed", acc.Slug, changes)
	})
	return acc, err
}

func diffAccount(a, b *Account) map[string][2]string {
	d := map[string][2]string{}
	add := func(k, x, y string) {
		if x != y {
			d[k] = [2]string{x, y}
		}
	}
	add("name", a.Name, b.Name)
	add("country", a.Country, b.Country)
	add("vat_number", a.VATNumber, b.VATNumber)
	add("currency", a.Currency, b.Currency)
	add("time_unit", a.TimeUnit, b.TimeUnit)
	add("locale", a.Locale, b.Locale)
	return d
}
