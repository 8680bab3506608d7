package ical

// Team feeds: a manager subscribes to the tasks due of a team they belong to (an admin to any
// team of the account). The URL is theirs, kept like the personal one; a fetch checks again
// that the holder is still an active manager (or admin) of the account reaching the team — a
// demoted or departed manager's URL answers 404 — and asks the sources that implement
// hooks.TeamCalendarSource for the team's people, as the holder sees them.

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	ics "groupcamp/core/ical"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/token"
)

// TeamTokenPrefix starts a team feed's token (the route is the personal feeds').
const TeamTokenPrefix = "gcalt_"

// MaxTeamPeople bounds the people one team feed asks the sources about.
const MaxTeamPeople = 200

// TeamFeed is a manager's feed of a team.
type TeamFeed struct {
	bun.BaseModel `bun:"table:ical_team_feeds"`

	ID            int64      `bun:"id,pk,autoincrement"`
	AccountID     int64      `bun:"account_id"`
	TeamID        int64      `bun:"team_id"`
	UserID        int64      `bun:"user_id"`
	Nonce         string     `bun:"nonce"`
	TokenHash     string     `bun:"token_hash"`
	CreatedAt     time.Time  `bun:"created_at"`
	LastFetchedAt *time.Time `bun:"last_fetched_at"`
}

func (s *Service) teamTokenOf(nonce string) string {
	return TeamTokenPrefix + strings.TrimPrefix(s.tokenOf("team:"+nonce), TokenPrefix)
}

// reachTeam is the team if the actor may subscribe to it: an admin (or owner) any team of the
// account, a manager the teams they belong to; 404 otherwise.
func (s *Service) reachTeam(ctx context.Context, a *actor.Actor, teamID int64) (*identity.Team, error) {
	t, err := s.People.Team(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	if a.Role != actor.RoleOwner && a.Role != actor.RoleAdmin && !slices.Contains(t.MemberIDs, a.UserID) {
		return nil, problem.NotFound()
	}
	return t, nil
}

func (s *Service) ensureTeam(ctx context.Context, a *actor.Actor, teamID int64) (*TeamFeed, error) {
	if _, err := s.reachTeam(ctx, a, teamID); err != nil {
		return nil, err
	}
	q := func(f *TeamFeed) error {
		return s.DB.NewSelect().Model(f).Where("account_id = ? AND team_id = ? AND user_id = ?", a.AccountID(), teamID, a.UserID).Scan(ctx)
	}
	f := new(TeamFeed)
	err := q(f)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return f, err
	}
	nonce := newNonce()
	f = &TeamFeed{AccountID: a.AccountID(), TeamID: teamID, UserID: a.UserID, Nonce: nonce, TokenHash: token.Hash(s.teamTokenOf(nonce)), CreatedAt: s.now()}
	if _, err := s.DB.NewInsert().Model(f).On("CONFLICT (account_id, team_id, user_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	f = new(TeamFeed)
	return f, q(f)
}

func (s *Service) teamView(f *TeamFeed) *FeedView {
	return &FeedView{URL: strings.TrimRight(s.BaseURL, "/") + "/ical/" + s.teamTokenOf(f.Nonce) + ".ics", CreatedAt: f.CreatedAt, LastFetchedAt: f.LastFetchedAt}
}

// TeamFeed is the actor's feed URL of a team (made on first ask).
func (s *Service) TeamFeed(ctx context.Context, a *actor.Actor, teamID int64) (*FeedView, error) {
	f, err := s.ensureTeam(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	return s.teamView(f), nil
}

// RotateTeam gives the actor a new URL of the team's feed; the old one answers 404.
func (s *Service) RotateTeam(ctx context.Context, a *actor.Actor, teamID int64) (*FeedView, error) {
	f, err := s.ensureTeam(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	f.Nonce = newNonce()
	f.TokenHash, f.CreatedAt, f.LastFetchedAt = token.Hash(s.teamTokenOf(f.Nonce)), s.now(), nil
	if _, err := s.DB.NewUpdate().Model(f).Column("nonce", "token_hash", "created_at", "last_fetched_at").
		Where("id = ? AND account_id = ?", f.ID, a.AccountID()).Exec(ctx); err != nil {
		return nil, err
	}
	return s.teamView(f), nil
}

// writeTeam serializes the team feed that raw opens, or 404.
func (s *Service) writeTeam(ctx context.Context, raw string, w io.Writer) error {
	var row struct {
		ID            int64      `bun:"id"`
		AccountID     int64      `bun:"account_id"`
		TeamID        int64      `bun:"team_id"`
		UserID        int64      `bun:"user_id"`
		LastFetchedAt *time.Time `bun:"last_fetched_at"`
		Name          string     `bun:"name"`
		Email         string     `bun:"email"`
		Locale        string     `bun:"locale"`
		TimeZone      string     `bun:"time_zone"`
		Slug          string     `bun:"slug"`
		AccountName   string     `bun:"account_name"`
		Role          string     `bun:"role"`
		CompanyID     int64      `bun:"company_id"`
	}
	err := s.DB.NewSelect().TableExpr("ical_team_feeds AS f").
		Join("JOIN memberships AS m ON m.account_id = f.account_id AND m.user_id = f.user_id AND m.status = 'active' AND m.deactivated_at IS NULL").
		Join("JOIN accounts AS a ON a.id = f.account_id AND a.state <> 'closed'").
		Join("JOIN users AS u ON u.id = f.user_id").
		ColumnExpr("f.id, f.account_id, f.team_id, f.user_id, f.last_fetched_at, u.name, u.email, u.locale, u.time_zone").
		ColumnExpr("a.slug, a.name AS account_name, m.role, m.company_id").
		Where("f.token_hash = ?", token.Hash(raw)).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return problem.NotFound()
	}
	if err != nil {
		return err
	}
	a := actorIn(person{UserID: row.UserID, Name: row.Name, Email: row.Email, Locale: row.Locale, TimeZone: row.TimeZone},
		membership{AccountID: row.AccountID, Slug: row.Slug, Name: row.AccountName, Role: row.Role, CompanyID: row.CompanyID}, s.Enforcer())
	// The holder must still hold the capability and reach the team: a demoted manager, or one
	// who left the team, has a dead URL.
	if !a.May("ical.team", "subscribe") {
		return problem.NotFound()
	}
	t, err := s.reachTeam(ctx, a, row.TeamID)
	if err != nil {
		return err
	}
	people := t.MemberIDs
	if len(people) > MaxTeamPeople {
		people = people[:MaxTeamPeople]
	}
	from, to := s.window(row.TimeZone)
	set := s.Hooks()
	base := strings.TrimRight(s.BaseURL, "/")
	var events []ics.Event
	for _, src := range set.Calendar {
		team, ok := src.Hook.(hooks.TeamCalendarSource)
		if !ok {
			continue
		}
		if on, err := set.Enabled(ctx, row.AccountID, src.Module); err != nil {
			return err
		} else if !on {
			continue
		}
		evs, err := team.TeamEvents(ctx, a, people, from, to)
		if err != nil {
			return err
		}
		for _, e := range evs {
			events = append(events, toEvent(e, a.Account.Slug, base, ""))
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Starts.Before(events[j].Starts) })
	now := s.now()
	if row.LastFetchedAt == nil || now.Sub(*row.LastFetchedAt) > FetchedPrecision {
		if _, err := s.DB.NewUpdate().Model((*TeamFeed)(nil)).Set("last_fetched_at = ?", now).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
	}
	return ics.Write(w, ics.Calendar{Name: t.Name + " — GroupCamp", Stamp: now, Refresh: time.Hour}, events)
}

// TeamRow is a team the actor may subscribe to, with their feed URL if they made one.
type TeamRow struct {
	ID   int64
	Name string
	URL  string
}

// MaxTeamRows bounds the teams the page lists.
const MaxTeamRows = 200

// Teams are the teams the actor may subscribe to (admins: all; managers: theirs), by name,
// with the URLs they already have.
func (s *Service) Teams(ctx context.Context, a *actor.Actor) ([]TeamRow, error) {
	var teams []identity.Team
	if a.Role == actor.RoleOwner || a.Role == actor.RoleAdmin {
		list, err := s.People.ListTeams(ctx, a, api.Page{Limit: MaxTeamRows})
		if err != nil {
			return nil, err
		}
		teams = list.Items
	} else {
		var err error
		if teams, err = s.People.MemberTeams(ctx, a, a.UserID); err != nil {
			return nil, err
		}
	}
	var feeds []TeamFeed
	if err := s.DB.NewSelect().Model(&feeds).Where("account_id = ? AND user_id = ?", a.AccountID(), a.UserID).Scan(ctx); err != nil {
		return nil, err
	}
	urls := map[int64]string{}
	for i := range feeds {
		urls[feeds[i].TeamID] = s.teamView(&feeds[i]).URL
	}
	out := make([]TeamRow, 0, len(teams))
	for _, t := range teams {
		out = append(out, TeamRow{ID: t.ID, Name: t.Name, URL: urls[t.ID]})
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}
