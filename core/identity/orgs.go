package identity

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// CompanyInput is the body of POST /api/v1/{slug}/companies.
type CompanyInput struct {
	Name string `json:"name" openapi:"required" example:"Globex"`
	Kind string `json:"kind" openapi:"required" enum:"client,supplier" example:"client"`
}

// ListCompanies pages through the account's companies.
func (s *Service) ListCompanies(ctx context.Context, a *actor.Actor, p api.Page) (api.List[Company], error) {
	var out []Company
	err := s.DB.NewSelect().Model(&out).Where("account_id = ? AND id > ?", a.AccountID(), p.After).
		OrderExpr("id").Limit(int64(p.Limit + 1)).Scan(ctx)
	return api.MakeList(out, p, func(c Company) int64 { return c.ID }), err
}

// CreateCompany adds a client or supplier company (the internal one exists from signup).
func (s *Service) CreateCompany(ctx context.Context, a *actor.Actor, in CompanyInput) (*Company, error) {
	in.Name = strings.TrimSpace(in.Name)
	var f problem.Fields
	f.Check(validate.Name(in.Name, validate.MaxName) == "", "name", validate.Name(in.Name, validate.MaxName))
	f.Check(in.Kind == KindClient || in.Kind == KindSupplier, "kind", "must be client or supplier (the internal company exists already)")
	if err := f.Err(); err != nil {
		return nil, err
	}
	co := &Company{AccountID: a.AccountID(), Name: in.Name, Kind: in.Kind, CreatedAt: s.now()}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(co).Exec(ctx); err != nil {
			return conflictOr(err, "name", "a company with this name exists already")
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "company.created", co.Name, map[string]string{"kind": co.Kind})
	})
	return co, err
}

// CompanyPatch is the body of PATCH /api/v1/{slug}/companies/{id}.
type CompanyPatch struct {
	Name *string `json:"name,omitempty" example:"Globex Europe"`
}

// UpdateCompany renames a company of the account (the internal one too: it is how the
// account names itself to its clients).
func (s *Service) UpdateCompany(ctx context.Context, a *actor.Actor, id int64, in CompanyPatch) (*Company, error) {
	co, err := s.Company(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		return co, nil
	}
	name := strings.TrimSpace(*in.Name)
	if msg := validate.Name(name, validate.MaxName); msg != "" {
		return nil, problem.Invalid(problem.FieldError{Field: "name", Message: msg})
	}
	if name == co.Name {
		return co, nil
	}
	was := co.Name
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Company)(nil)).Set("name = ?", name).
			Where("account_id = ? AND id = ?", a.AccountID(), co.ID).Exec(ctx); err != nil {
			return conflictOr(err, "name", "a company with this name exists already")
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "company.renamed", name, map[string]string{"from": was})
	})
	if err != nil {
		return nil, err
	}
	co.Name = name
	return co, nil
}

// DeleteCompany deletes a client or supplier company of the account. What a person would
// expect decides the rules:
//
//   - the internal company is the account's own (every colleague belongs to it): it cannot be
//     deleted (409);
//   - a company someone belongs to — active, invited or deactivated — cannot be deleted either
//     (409, saying how many): a person always belongs to a company, and a client's company is
//     what decides what they see, so their move to another company must be a decision of its
//     own (their page), never a side effect;
//   - otherwise it goes, and each module lets go of it in the same transaction
//     (ForgetCompany): a project whose client it was keeps going with no client, and task
//     lists stop being shared with it (a list shared with it alone becomes internal). Since
//     nobody belongs to the company any more, nobody sees less or more for it; the company's
//     page lists these before the delete is confirmed.
func (s *Service) DeleteCompany(ctx context.Context, a *actor.Actor, id int64) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		co := new(Company)
		q := tx.NewSelect().Model(co).Where("account_id = ? AND id = ?", a.AccountID(), id)
		if db.IsPostgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return problem.NotFound()
			}
			return err
		}
		if co.Kind == KindInternal {
			return problem.Conflict("", "this is the account's own company; it cannot be deleted")
		}
		n, err := tx.NewSelect().Model((*Membership)(nil)).Where("account_id = ? AND company_id = ?", a.AccountID(), co.ID).Count(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return problem.Conflict("", peopleLeft(co.Name, int(n)))
		}
		if s.ForgetCompany != nil {
			if err := s.ForgetCompany(ctx, tx, a.AccountID(), co.ID); err != nil {
				return err
			}
		}
		if _, err := tx.NewDelete().Model((*Company)(nil)).Where("account_id = ? AND id = ?", a.AccountID(), co.ID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "company.deleted", co.Name, map[string]string{"kind": co.Kind})
	})
}

func peopleLeft(name string, n int) string {
	if n == 1 {
		return fmt.Sprintf("1 person belongs to %s (deactivated and invited people count): move them to another company first", name)
	}
	return fmt.Sprintf("%d people belong to %s (deactivated and invited people count): move them to another company first", n, name)
}

// TeamInput is the body of POST /api/v1/{slug}/teams.
type TeamInput struct {
	Name       string `json:"name" openapi:"required" example:"Design"`
	Management bool   `json:"management"`
}

// ListTeams pages through the account's teams with their member ids.
func (s *Service) ListTeams(ctx context.Context, a *actor.Actor, p api.Page) (api.List[Team], error) {
	var out []Team
	if err := s.DB.NewSelect().Model(&out).Where("account_id = ? AND id > ?", a.AccountID(), p.After).
		OrderExpr("id").Limit(int64(p.Limit + 1)).Scan(ctx); err != nil {
		return api.List[Team]{}, err
	}
	list := api.MakeList(out, p, func(t Team) int64 { return t.ID })
	if len(list.Items) == 0 {
		return list, nil
	}
	ids := make([]int64, len(list.Items))
	index := map[int64]int{}
	for i, t := range list.Items {
		ids[i] = t.ID
		index[t.ID] = i
		list.Items[i].MemberIDs = []int64{}
	}
	var links []TeamMember
	if err := s.DB.NewSelect().Model(&links).Where("account_id = ? AND team_id IN (?)", a.AccountID(), bun.List(ids)).
		OrderExpr("team_id, user_id").Scan(ctx); err != nil {
		return list, err
	}
	for _, l := range links {
		t := &list.Items[index[l.TeamID]]
		t.MemberIDs = append(t.MemberIDs, l.UserID)
	}
	return list, nil
}

// CreateTeam adds a team.
func (s *Service) CreateTeam(ctx context.Context, a *actor.Actor, in TeamInput) (*Team, error) {
	in.Name = strings.TrimSpace(in.Name)
	var f problem.Fields
	f.Check(validate.Name(in.Name, validate.MaxName) == "", "name", validate.Name(in.Name, validate.MaxName))
	if err := f.Err(); err != nil {
		return nil, err
	}
	t := &Team{AccountID: a.AccountID(), Name: in.Name, Management: in.Management, CreatedAt: s.now(), MemberIDs: []int64{}}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return conflictOr(err, "name", "a team with this name exists already")
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "team.created", t.Name, map[string]bool{"management": t.Management})
	})
	return t, err
}

// SetTeamMember adds (in=true) or removes a person from a team. Both ids must belong to the
// account: an id of another account is a 404, never a link across accounts.
func (s *Service) SetTeamMember(ctx context.Context, a *actor.Actor, teamID, userID int64, in bool) error {
	t := new(Team)
	if err := s.DB.NewSelect().Model(t).Where("account_id = ? AND id = ?", a.AccountID(), teamID).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return problem.NotFound()
		}
		return err
	}
	m, err := s.Member(ctx, a, userID)
	if err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		action := "team.member_added"
		if in {
			link := &TeamMember{AccountID: a.AccountID(), TeamID: t.ID, UserID: m.ID, CreatedAt: s.now()}
			res, err := tx.NewInsert().Model(link).On("CONFLICT DO NOTHING").Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // already in: PUT is idempotent
			}
		} else {
			action = "team.member_removed"
			res, err := tx.NewDelete().Model((*TeamMember)(nil)).Where("account_id = ? AND team_id = ? AND user_id = ?", a.AccountID(), t.ID, m.ID).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return problem.NotFound()
			}
		}
		return audit.Record(ctx, tx, a, a.AccountID(), action, t.Name, map[string]string{"user": m.Email})
	})
}

// MembershipView is one of a user's accounts, as GET /api/v1/me lists them.
type MembershipView struct {
	Account struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	} `json:"account"`
	Role string `json:"role" enum:"owner,admin,manager,member,client"`
}

// Me is the body of GET /api/v1/me.
type Me struct {
	User        *User            `json:"user"`
	Memberships []MembershipView `json:"memberships"`
	// ICalURL is the person's calendar feed (secret: whoever has it reads the feed).
	ICalURL string `json:"ical_url,omitempty" format:"uri"`
}

// Me returns the user and their active memberships.
func (s *Service) Me(ctx context.Context, userID int64) (*Me, error) {
	u := new(User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
		return nil, err
	}
	var rows []struct {
		Slug string `bun:"slug"`
		Name string `bun:"name"`
		Role string `bun:"role"`
	}
	if err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("a.slug, a.name, m.role").
		Where("m.user_id = ? AND m.status = ? AND m.deactivated_at IS NULL", userID, StatusActive).
		OrderExpr("a.name").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	me := &Me{User: u, Memberships: make([]MembershipView, len(rows))}
	for i, r := range rows {
		me.Memberships[i].Account.Slug, me.Memberships[i].Account.Name, me.Memberships[i].Role = r.Slug, r.Name, r.Role
	}
	if s.CalendarURL != nil {
		var err error
		if me.ICalURL, err = s.CalendarURL(ctx, userID); err != nil {
			return nil, err
		}
	}
	return me, nil
}

// Access is what the authz middleware needs to know about a user in an account.
type Access struct {
	AccountID   int64  `bun:"account_id"`
	AccountName string `bun:"account_name"`
	Locale      string `bun:"account_locale"` // the account's default language
	Role        string `bun:"role"`
	CompanyID   int64  `bun:"company_id"`
}

// AccessFor returns the user's active membership in the account with that slug, or
// (nil, nil) when there is none (deactivated, invited-only, or not a member).
func (s *Service) AccessFor(ctx context.Context, slug string, userID int64) (*Access, error) {
	var acc Access
	err := s.DB.NewSelect().TableExpr("accounts AS a").Join("JOIN memberships AS m ON m.account_id = a.id").
		ColumnExpr("a.id AS account_id, a.name AS account_name, a.locale AS account_locale, m.role, m.company_id").
		Where("a.slug = ? AND m.user_id = ? AND m.status = ? AND m.deactivated_at IS NULL", slug, userID, StatusActive).
		Scan(ctx, &acc)
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &acc, nil
}

// GrantPlatformRole makes a user support, partner or platform admin staff (command line only).
func (s *Service) GrantPlatformRole(ctx context.Context, email, role string) error {
	if role != actor.PlatformSupport && role != actor.PlatformPartner && role != actor.PlatformAdmin {
		return problem.Invalid(problem.FieldError{Field: "role", Message: "must be support, partner or platform_admin"})
	}
	res, err := s.DB.NewUpdate().Model((*User)(nil)).Set("platform_role = ?", role).Set("updated_at = ?", s.now()).
		Where("email = ?", validate.NormalizeEmail(email)).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.Invalid(problem.FieldError{Field: "email", Message: "no user with this email"})
	}
	return audit.Record(ctx, s.DB, nil, 0, "platform.role_granted", validate.NormalizeEmail(email), map[string]string{"role": role})
}

// SetPartner makes a partner user the manager of an account (command line only).
func (s *Service) SetPartner(ctx context.Context, partnerEmail, slug string) error {
	u := new(User)
	if err := s.DB.NewSelect().Model(u).Where("email = ?", validate.NormalizeEmail(partnerEmail)).Scan(ctx); err != nil {
		return problem.Invalid(problem.FieldError{Field: "email", Message: "no user with this email"})
	}
	if u.PlatformRole != actor.PlatformPartner {
		return problem.Invalid(problem.FieldError{Field: "email", Message: "this user is not a partner; grant the partner role first"})
	}
	res, err := s.DB.NewUpdate().Model((*Account)(nil)).Set("partner_user_id = ?", u.ID).Where("slug = ?", slug).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.Invalid(problem.FieldError{Field: "slug", Message: "no account with this slug"})
	}
	var accID int64
	_ = s.DB.NewSelect().Model((*Account)(nil)).Column("id").Where("slug = ?", slug).Scan(ctx, &accID)
	return audit.Record(ctx, s.DB, nil, accID, "platform.partner_assigned", u.Email, nil)
}
