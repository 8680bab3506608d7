package consent

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// errNoLogsGrant is the refusal of the application log without the owner's consent.
var errNoLogsGrant = problem.Forbidden("the owner of this account has not granted access to its application log")

// Counters are an account's technical counters, the only figures support sees.
type Counters struct {
	identity.Counts
	StorageBytes int64 `json:"storage_bytes"` // files arrive with the files module
	Projects     int   `json:"projects"`      // projects arrive with the projects module
}

// Config is an account's configuration as support sees it.
type Config struct {
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Country   string    `json:"country"`
	Currency  string    `json:"currency"`
	TimeUnit  string    `json:"time_unit"`
	Locale    string    `json:"locale"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// SupportView is what support sees of an account, and nothing else: the administrators'
// names, the management teams' names, counters and configuration.
type SupportView struct {
	Admins          []string `json:"admins"`
	ManagementTeams []string `json:"management_teams"`
	Counters        Counters `json:"counters"`
	Config          Config   `json:"config"`
}

// SupportListItem is one account in support's list: who it is and its counters.
type SupportListItem struct {
	ID       int64    `json:"-"`
	Slug     string   `json:"slug"`
	Name     string   `json:"name"`
	State    string   `json:"state"`
	Counters Counters `json:"counters"`
}

// Person is a name and an email.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// PartnerView is what a partner sees of an account it manages: the account and its billing
// data, never application data.
type PartnerView struct {
	ID        int64     `json:"-"`
	Slug      string    `json:"slug"`
	Name      string    `json:"name"`
	Country   string    `json:"country"`
	VATNumber string    `json:"vat_number"`
	Currency  string    `json:"currency"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	Owner     Person    `json:"owner"`
	// Counters are the account's usage (users, projects, storage), on one account's view only
	// (not in the list): a partner sees the figures its customer's plan bounds.
	Counters *Counters `json:"counters,omitempty"`
	// Plan is the account's subscription (on one account's view, when billing is on).
	Plan *hooks.PlanInfo `json:"plan,omitempty"`
}

// reach returns the account with that slug when the platform actor may reach it: support any
// account, a partner the accounts it manages. Anything else is a 404, as for a stranger.
func (s *Service) reach(ctx context.Context, a *actor.Actor, slug string) (*identity.Account, error) {
	acc, err := s.account(ctx, slug)
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return nil, problem.NotFound()
	}
	switch a.PlatformRole {
	case actor.PlatformSupport:
		return acc, nil
	case actor.PlatformPartner:
		if acc.PartnerUserID != nil && *acc.PartnerUserID == a.UserID {
			return acc, nil
		}
	}
	return nil, problem.NotFound()
}

// record writes a platform access to the account's audit trail.
func (s *Service) record(ctx context.Context, a *actor.Actor, accountID int64, action, target string) error {
	return audit.Record(ctx, s.DB, a, accountID, action, target, nil)
}

// recordEach writes one event per account in one transaction.
func (s *Service) recordEach(ctx context.Context, a *actor.Actor, ids []int64, action string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, id := range ids {
			if err := audit.Record(ctx, tx, a, id, action, "", nil); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) counters(ctx context.Context, accountID int64) (Counters, error) {
	c, err := s.People.CountsFor(ctx, accountID)
	if err != nil {
		return Counters{}, err
	}
	out := Counters{Counts: *c}
	if s.Usage != nil {
		// The modules count their own things (hooks.Counter): projects, stored bytes.
		usage, err := s.Usage(ctx, s.DB, accountID)
		if err != nil {
			return Counters{}, err
		}
		out.Projects, out.StorageBytes = int(usage["projects"]), usage["storage_bytes"]
	}
	return out, nil
}

// accountsPage pages through accounts by id, a partner's only when partnerID is not 0.
func (s *Service) accountsPage(ctx context.Context, p api.Page, partnerID int64) ([]identity.Account, error) {
	var accs []identity.Account
	q := s.DB.NewSelect().Model(&accs).Where("id > ?", p.After).OrderExpr("id").Limit(int64(p.Limit + 1))
	if partnerID != 0 {
		q = q.Where("partner_user_id = ?", partnerID)
	}
	return accs, q.Scan(ctx)
}

// SupportAccounts lists every account with its counters, for support. Each account listed
// gets platform.account_listed in its audit trail.
func (s *Service) SupportAccounts(ctx context.Context, a *actor.Actor, p api.Page) (api.List[SupportListItem], error) {
	accs, err := s.accountsPage(ctx, p, 0)
	if err != nil {
		return api.List[SupportListItem]{}, err
	}
	items := make([]SupportListItem, len(accs))
	for i, acc := range accs {
		c, err := s.counters(ctx, acc.ID)
		if err != nil {
			return api.List[SupportListItem]{}, err
		}
		items[i] = SupportListItem{ID: acc.ID, Slug: acc.Slug, Name: acc.Name, State: acc.State, Counters: c}
	}
	list := api.MakeList(items, p, func(it SupportListItem) int64 { return it.ID })
	ids := make([]int64, len(list.Items))
	for i, it := range list.Items {
		ids[i] = it.ID
	}
	return list, s.recordEach(ctx, a, ids, "platform.account_listed")
}

// PartnerAccounts lists the accounts a partner manages, with their account and billing data.
// Each account listed gets platform.account_listed in its audit trail.
func (s *Service) PartnerAccounts(ctx context.Context, a *actor.Actor, p api.Page) (api.List[PartnerView], error) {
	accs, err := s.accountsPage(ctx, p, a.UserID)
	if err != nil {
		return api.List[PartnerView]{}, err
	}
	items := make([]PartnerView, len(accs))
	for i := range accs {
		v, err := s.partnerView(ctx, &accs[i])
		if err != nil {
			return api.List[PartnerView]{}, err
		}
		items[i] = *v
	}
	list := api.MakeList(items, p, func(v PartnerView) int64 { return v.ID })
	ids := make([]int64, len(list.Items))
	for i, it := range list.Items {
		ids[i] = it.ID
	}
	return list, s.recordEach(ctx, a, ids, "platform.account_listed")
}

func (s *Service) partnerView(ctx context.Context, acc *identity.Account) (*PartnerView, error) {
	v := &PartnerView{ID: acc.ID, Slug: acc.Slug, Name: acc.Name, Country: acc.Country, VATNumber: acc.VATNumber,
		Currency: acc.Currency, State: acc.State, CreatedAt: acc.CreatedAt}
	err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("u.name, u.email").Where("m.account_id = ? AND m.role = ?", acc.ID, actor.RoleOwner).
		Limit(1).Scan(ctx, &v.Owner.Name, &v.Owner.Email)
	if err != nil && !db.IsNotFound(err) {
		return nil, err
	}
	return v, nil
}

// SupportAccount is support's view of one account; the access is audited
// (platform.account_viewed).
func (s *Service) SupportAccount(ctx context.Context, a *actor.Actor, slug string) (*SupportView, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	if a.PlatformRole != actor.PlatformSupport {
		return nil, problem.NotFound()
	}
	v := &SupportView{Admins: []string{}, ManagementTeams: []string{}, Config: Config{Slug: acc.Slug, Name: acc.Name,
		Country: acc.Country, Currency: acc.Currency, TimeUnit: acc.TimeUnit, Locale: acc.Locale, State: acc.State, CreatedAt: acc.CreatedAt}}
	if err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").ColumnExpr("u.name").
		Where("m.account_id = ? AND m.role IN (?) AND m.status = ? AND m.deactivated_at IS NULL",
			acc.ID, bun.In([]string{actor.RoleOwner, actor.RoleAdmin}), identity.StatusActive).
		OrderExpr("u.name").Scan(ctx, &v.Admins); err != nil {
		return nil, err
	}
	if err := s.DB.NewSelect().Model((*identity.Team)(nil)).Column("name").
		Where("account_id = ? AND management = ?", acc.ID, true).OrderExpr("name").Scan(ctx, &v.ManagementTeams); err != nil {
		return nil, err
	}
	if v.Counters, err = s.counters(ctx, acc.ID); err != nil {
		return nil, err
	}
	return v, s.record(ctx, a, acc.ID, "platform.account_viewed", acc.Slug)
}

// PartnerAccount is a partner's view of an account it manages (404 for any other); the
// access is audited (platform.account_viewed).
func (s *Service) PartnerAccount(ctx context.Context, a *actor.Actor, slug string) (*PartnerView, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	if a.PlatformRole != actor.PlatformPartner {
		return nil, problem.NotFound()
	}
	v, err := s.partnerView(ctx, acc)
	if err != nil {
		return nil, err
	}
	c, err := s.counters(ctx, acc.ID)
	if err != nil {
		return nil, err
	}
	v.Counters = &c
	if s.Plan != nil {
		if v.Plan, err = s.Plan(ctx, acc.ID); err != nil {
			return nil, err
		}
	}
	return v, s.record(ctx, a, acc.ID, "platform.account_viewed", acc.Slug)
}

// InForce is when the owner's grants in force end, nil for a scope without one.
type InForce struct {
	Logs, Data *time.Time
}

// GrantsInForce tells support which grants are in force in an account, for the console; it
// reveals nothing of the account's data and is not audited on its own (the page that shows it
// records the access).
func (s *Service) GrantsInForce(ctx context.Context, a *actor.Actor, slug string) (*InForce, error) {
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	now, out := s.now(), &InForce{}
	for _, sc := range []struct {
		scope string
		dst   **time.Time
	}{{ScopeLogs, &out.Logs}, {ScopeData, &out.Data}} {
		until, err := s.inForce(ctx, acc.ID, sc.scope, now)
		if err != nil {
			return nil, err
		}
		if !until.IsZero() {
			*sc.dst = &until
		}
	}
	return out, nil
}
