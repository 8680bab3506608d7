package identity

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The queries of this file serve the people-admin pages: a team with the names of its
// members, the teams of one person, and head counts per company. Like every query of the
// package they are scoped by the actor's account.

// Team returns one team of the account with its member ids, or 404.
func (s *Service) Team(ctx context.Context, a *actor.Actor, teamID int64) (*Team, error) {
	t := new(Team)
	err := s.DB.NewSelect().Model(t).Where("account_id = ? AND id = ?", a.AccountID(), teamID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	t.MemberIDs = []int64{}
	err = s.DB.NewSelect().Model((*TeamMember)(nil)).Column("user_id").
		Where("account_id = ? AND team_id = ?", a.AccountID(), t.ID).OrderExpr("user_id").Scan(ctx, &t.MemberIDs)
	return t, err
}

// TeamMembers lists the people of a team of the account, by name.
func (s *Service) TeamMembers(ctx context.Context, a *actor.Actor, teamID int64) ([]Member, error) {
	var out []Member
	err := s.members(a).Join("JOIN team_members AS tm ON tm.user_id = m.user_id AND tm.account_id = m.account_id").
		Where("tm.team_id = ?", teamID).OrderExpr("LOWER("+NameSQL("m", "u")+"), u.id").Scan(ctx, &out)
	for i := range out {
		out[i].Active = out[i].Status == StatusActive && out[i].DeactivatedAt == nil
	}
	return out, err
}

// MemberTeams lists the teams of the account that a person belongs to, by name.
func (s *Service) MemberTeams(ctx context.Context, a *actor.Actor, userID int64) ([]Team, error) {
	var out []Team
	err := s.DB.NewSelect().Model(&out).
		Join("JOIN team_members AS tm ON tm.team_id = team.id AND tm.account_id = team.account_id").
		Where("team.account_id = ? AND tm.user_id = ?", a.AccountID(), userID).
		OrderExpr("LOWER(team.name), team.id").Scan(ctx)
	return out, err
}

// CompanyHeadcounts returns, per company of the account, how many people belong to it
// (deactivated people included: they still belong to their company).
func (s *Service) CompanyHeadcounts(ctx context.Context, a *actor.Actor) (map[int64]int, error) {
	var rows []struct {
		CompanyID int64 `bun:"company_id"`
		N         int   `bun:"n"`
	}
	err := s.DB.NewSelect().Model((*Membership)(nil)).ColumnExpr("company_id, COUNT(*) AS n").
		Where("account_id = ?", a.AccountID()).GroupExpr("company_id").Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.CompanyID] = r.N
	}
	return out, err
}
