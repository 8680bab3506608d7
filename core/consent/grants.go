package consent

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// MaxReason is the longest reason of a grant.
const MaxReason = 500

// Grant is the owner's consent to one kind of support access, until ExpiresAt or until revoked.
type Grant struct {
	bun.BaseModel `bun:"table:support_grants"`

	ID            int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64      `bun:"account_id" json:"-"`
	Scope         string     `bun:"scope" json:"scope" enum:"logs,data"`
	Reason        string     `bun:"reason" json:"reason"`
	GrantedBy     *int64     `bun:"granted_by" json:"granted_by"`
	GrantedByName string     `bun:"granted_by_name,scanonly" json:"granted_by_name"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at" json:"expires_at"`
	RevokedAt     *time.Time `bun:"revoked_at" json:"revoked_at"`
	RevokedBy     *int64     `bun:"revoked_by" json:"revoked_by"`
	// State is the grant's place in its workflow: requested, granted, refused, revoked, expired.
	State       string `bun:"state" json:"state"`
	RequestedBy *int64 `bun:"requested_by" json:"requested_by,omitempty"`
	// Active is true while the grant is in force (not revoked, not expired).
	Active bool `bun:"-" json:"active"`
}

// End is when the grant stopped (or will stop) being in force.
func (g Grant) End() time.Time {
	if g.RevokedAt != nil && g.RevokedAt.Before(g.ExpiresAt) {
		return *g.RevokedAt
	}
	return g.ExpiresAt
}

// GrantInput is the body of POST /api/v1/{slug}/support-grants.
type GrantInput struct {
	Scope string `json:"scope" openapi:"required" enum:"logs,data" example:"logs"`
	// ExpiresAt is an RFC 3339 instant, or a day YYYY-MM-DD (the grant then ends at 00:00 UTC
	// on that day); at most 30 days ahead.
	ExpiresAt string `json:"expires_at" openapi:"required" example:"2026-03-31"`
	Reason    string `json:"reason" openapi:"required" example:"Ticket 4521: tasks vanish from the board"`
}

// parseEnd reads the end of a grant; the message is "" when the value is fine.
func parseEnd(s string, now time.Time) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, "is required"
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return time.Time{}, "must be a day (YYYY-MM-DD) or an instant (RFC 3339)"
		}
	}
	t = t.UTC().Truncate(time.Microsecond)
	switch {
	case !t.After(now):
		return t, "must be in the future"
	case t.After(now.Add(MaxGrant)):
		return t, "must be at most 30 days ahead"
	}
	return t, ""
}

// Give records the owner's consent, unasked: the grant's workflow starts and is granted in the
// same transaction. Validation errors are 422s naming the field.
func (s *Service) Give(ctx context.Context, a *actor.Actor, in GrantInput) (*Grant, error) {
	g, err := s.newGrant(in)
	if err != nil {
		return nil, err
	}
	g.AccountID, g.State, g.GrantedByName = a.AccountID(), StateRequested, a.Name
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(g).Exec(ctx); err != nil {
			return err
		}
		if _, err := s.Workflows.Start(ctx, tx, g.AccountID, WorkflowName, "support_grant", g.ID); err != nil {
			return err
		}
		return s.fire(ctx, tx, g, "grant", a, g.Reason)
	})
	if err != nil {
		return nil, err
	}
	s.forget(g.AccountID)
	return g, nil
}

// Revoke ends a grant of the actor's account at once: 404 for a grant of another account,
// 409 for one that has already ended.
func (s *Service) Revoke(ctx context.Context, a *actor.Actor, id int64) (*Grant, error) {
	return s.Decide(ctx, a, id, "revoke", "")
}

// grants selects the grants of an account with the name of the person who gave each.
func (s *Service) grants(idb bun.IDB, accountID int64) *bun.SelectQuery {
	return idb.NewSelect().TableExpr("support_grants AS g").
		Join("LEFT JOIN users AS u ON u.id = g.granted_by").
		ColumnExpr("g.*, COALESCE(u.name, '') AS granted_by_name").
		Where("g.account_id = ?", accountID)
}

// ListGrants pages through the account's grants, newest first.
func (s *Service) ListGrants(ctx context.Context, a *actor.Actor, p api.Page) (api.List[Grant], error) {
	var out []Grant
	q := s.grants(s.DB, a.AccountID()).OrderExpr("g.id DESC").Limit(int64(p.Limit + 1))
	if p.After != 0 {
		q = q.Where("g.id < ?", p.After)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return api.List[Grant]{}, err
	}
	now := s.now()
	for i := range out {
		out[i].Active = out[i].State == StateGranted && out[i].ExpiresAt.After(now)
	}
	return api.MakeList(out, p, func(g Grant) int64 { return g.ID }), nil
}

// FindGrant returns one grant of the actor's account, or 404.
func (s *Service) FindGrant(ctx context.Context, a *actor.Actor, id int64) (*Grant, error) {
	g := new(Grant)
	err := s.grants(s.DB, a.AccountID()).Where("g.id = ?", id).Scan(ctx, g)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	g.Active = g.State == StateGranted && g.ExpiresAt.After(s.now())
	return g, nil
}

// inForce returns until when a grant of scope is in force in the account (the latest end of
// the grants in force), or the zero time when none is. It always asks the database.
func (s *Service) inForce(ctx context.Context, accountID int64, scope string, now time.Time) (time.Time, error) {
	var ends []time.Time
	err := s.DB.NewSelect().Model((*Grant)(nil)).Column("expires_at").
		Where("account_id = ? AND scope = ? AND state = ? AND expires_at > ?", accountID, scope, StateGranted, now).
		OrderExpr("expires_at DESC").Limit(1).Scan(ctx, &ends)
	if err != nil || len(ends) == 0 {
		return time.Time{}, err
	}
	return ends[0], nil
}

// account loads an account by slug; nil when there is none (or the slug cannot be one).
func (s *Service) account(ctx context.Context, slug string) (*identity.Account, error) {
	if identity.CheckSlug(slug) != "" {
		return nil, nil
	}
	acc := new(identity.Account)
	err := s.DB.NewSelect().Model(acc).Where("slug = ?", slug).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// DataGrant returns the account with that slug when its owner has a data grant in force, else
// nil (authz.SupportReach).
func (s *Service) DataGrant(ctx context.Context, slug string) (*actor.Account, error) {
	acc, err := s.account(ctx, slug)
	if err != nil || acc == nil {
		return nil, err
	}
	until, err := s.inForce(ctx, acc.ID, ScopeData, s.now())
	if err != nil || until.IsZero() {
		return nil, err
	}
	return &actor.Account{ID: acc.ID, Slug: acc.Slug, Name: acc.Name}, nil
}

// RecordDataAccess writes support's access under a data grant to the account's audit trail:
// platform.data_read, or platform.data_denied for a refused write (authz.SupportReach).
func (s *Service) RecordDataAccess(ctx context.Context, a *actor.Actor, route string, allowed bool) error {
	action := "platform.data_read"
	if !allowed {
		action = "platform.data_denied"
	}
	return audit.Record(ctx, s.DB, a, a.AccountID(), action, route, nil)
}

// SupportAccesses returns the latest accesses of platform staff to the account, for its owner.
func (s *Service) SupportAccesses(ctx context.Context, a *actor.Actor, limit int) ([]audit.Event, error) {
	var out []audit.Event
	err := s.DB.NewSelect().Model(&out).Where("account_id = ? AND action LIKE ?", a.AccountID(), "platform.%").
		OrderExpr("id DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}
