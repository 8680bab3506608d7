package search

import (
	"context"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
)

// KindPerson is a person of the account (core's source).
const KindPerson = "person"

// People is core's search source: the people of the account (name; email and company in the
// body), found by its colleagues — audience "staff" — and by nobody else. A client does not
// read the account's people (users:read is a colleagues' capability), so a client finds no
// one. Deactivated people leave the index; invited ones are in it (the people page lists
// them). Their documents are about them (AuthorID): erasing a person removes their card.
type People struct {
	DB *bun.DB
}

// Kinds are the people.
func (People) Kinds() []string { return []string{KindPerson} }

type personRow struct {
	ID        int64     `bun:"id"`
	Name      string    `bun:"name"`
	Email     string    `bun:"email"`
	Company   string    `bun:"company"`
	CreatedAt time.Time `bun:"created_at"`
}

// Documents calls fn with the account's people (those of refs when given).
func (p People) Documents(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref, fn func(hooks.Document) error) error {
	q := idb.NewSelect().TableExpr("memberships AS m").
		Join("JOIN users AS u ON u.id = m.user_id").
		Join("LEFT JOIN companies AS co ON co.account_id = m.account_id AND co.id = m.company_id").
		ColumnExpr("u.id, "+identity.NameSQL("m", "u")+" AS name, u.email, COALESCE(co.name, '') AS company, m.created_at").
		Where("m.account_id = ? AND m.deactivated_at IS NULL", accountID).
		OrderExpr("u.id")
	if len(refs) > 0 {
		ids := make([]int64, 0, len(refs))
		for _, r := range refs {
			ids = append(ids, r.ID)
		}
		q = q.Where("u.id IN (?)", bun.In(ids))
	}
	var rows []personRow
	if err := q.Scan(ctx, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		body := r.Email
		if r.Company != "" {
			body += " · " + r.Company
		}
		if err := fn(hooks.Document{
			AccountID: accountID, Kind: KindPerson, ID: r.ID, AuthorID: r.ID,
			Title: r.Name, Body: body, URL: "/people/" + strconv.FormatInt(r.ID, 10),
			UpdatedAt: r.CreatedAt, Audience: []string{KeyStaff},
		}); err != nil {
			return err
		}
	}
	return nil
}

// Audience adds nothing to core's keys by role.
func (People) Audience(context.Context, *actor.Actor) ([]string, error) { return nil, nil }

var _ hooks.SearchSource = People{}

// SignedUp indexes a new account's owner (identity.Service.SignedUp), in the signup's
// transaction: the invited people come with identity's events, the founder with none.
func (s *Service) SignedUp(ctx context.Context, tx bun.IDB, accountID, ownerID int64) error {
	return Touch(ctx, tx, accountID, hooks.Ref{Kind: KindPerson, ID: ownerID})
}
