package auth

import (
	"context"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/validate"
)

// TokenInput is the body of POST /api/v1/tokens. Scopes default to ["write"] (everything
// the person may do); ExpiresAt, when given, must lie in the future and at most
// MaxTokenYears ahead; without it the token lasts until revoked.
type TokenInput struct {
	Name      string     `json:"name" openapi:"required" example:"CI deploys"`
	Scopes    []string   `json:"scopes,omitempty" example:"read,projects:write"`
	ExpiresAt *time.Time `json:"expires_at,omitempty" example:"2026-12-31T00:00:00Z"`
}

// NewToken is the answer to POST /api/v1/tokens: the only time the secret is shown.
type NewToken struct {
	APIToken
	Token string `json:"token"`
}

// MaxTokensPerUser bounds how many live tokens one person may hold.
const MaxTokensPerUser = 50

// MaxTokenYears is how far ahead a token's expiry may be set: one year (and a day, so that
// the profile page's "expires on" may name the same day next year). A token without an
// expiry lasts until it is revoked.
const MaxTokenYears = 1

// CreateToken issues a personal API token for the actor.
func (s *Service) CreateToken(ctx context.Context, a *actor.Actor, in TokenInput) (*NewToken, error) {
	in.Name = strings.TrimSpace(in.Name)
	now := s.now()
	var f problem.Fields
	f.Check(validate.Name(in.Name, MaxTokenName) == "", "name", validate.Name(in.Name, MaxTokenName))
	scopes := CheckScopes(in.Scopes, s.Objects, &f)
	if in.ExpiresAt != nil {
		if !in.ExpiresAt.After(now) {
			f.Add("expires_at", "must be in the future")
		} else if !in.ExpiresAt.Before(now.AddDate(MaxTokenYears, 0, 1)) {
			f.Add("expires_at", "must be within one year")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	n, err := s.DB.NewSelect().Model((*APIToken)(nil)).Where("user_id = ? AND revoked_at IS NULL", a.UserID).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n >= MaxTokensPerUser {
		return nil, problem.Conflict("", "you hold the maximum of 50 tokens; revoke one first")
	}
	raw, hash := token.New(prefixPersonal)
	t := &APIToken{UserID: a.UserID, Name: in.Name, Prefix: raw[:len(prefixPersonal)+6], TokenHash: hash, Scopes: scopes, CreatedAt: now}
	if in.ExpiresAt != nil {
		e := in.ExpiresAt.UTC().Truncate(time.Microsecond)
		t.ExpiresAt = &e
	}
	if _, err := s.DB.NewInsert().Model(t).Exec(ctx); err != nil {
		return nil, err
	}
	return &NewToken{APIToken: *t, Token: raw}, nil
}

// ListTokens pages through the actor's live tokens.
func (s *Service) ListTokens(ctx context.Context, a *actor.Actor, p api.Page) (api.List[APIToken], error) {
	var out []APIToken
	err := s.DB.NewSelect().Model(&out).Where("user_id = ? AND revoked_at IS NULL AND id > ?", a.UserID, p.After).
		OrderExpr("id").Limit(int64(p.Limit + 1)).Scan(ctx)
	for i := range out {
		if len(out[i].Scopes) == 0 { // as Authenticate reads it
			out[i].Scopes = Scopes{ScopeWrite}
		}
	}
	return api.MakeList(out, p, func(t APIToken) int64 { return t.ID }), err
}

// RevokeToken revokes one of the actor's own tokens; anyone else's is a 404.
func (s *Service) RevokeToken(ctx context.Context, a *actor.Actor, id int64) error {
	res, err := s.DB.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", s.now()).
		Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, a.UserID).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.NotFound()
	}
	s.Forget(a.UserID)
	return nil
}
