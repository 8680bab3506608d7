package ical

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): their
// feed (ical_feeds: when it was made, when last fetched). The feed is the person's, not an
// account's: an erasure in any account deletes it (the URL answers 404; the profile makes a
// new one if the person still has a login), as the brief of a secret held for them wants.
type personalData struct{ svc *Service }

const (
	catFeed      = "ical.data.feed"
	catTeamFeeds = "ical.data.team_feeds"
)

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string { return []string{"ical_feeds", "ical_team_feeds"} }

// Describe counts the person's feeds: their own (0 or 1) and their team feeds in the account.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.DB.NewSelect().Model((*Feed)(nil)).Where("user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	teams, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.DB.NewSelect().Model((*TeamFeed)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("ical", catFeed, n, personal.FieldSettings, personal.FieldTimes),
		personal.Category("ical", catTeamFeeds, teams, personal.FieldSettings, personal.FieldTimes)}, nil
}

// feedExport is the feed as exported: never the URL (an export is a file that travels; the
// URL is on the profile page).
type feedExport struct {
	CreatedAt     time.Time  `json:"created_at"`
	LastFetchedAt *time.Time `json:"last_fetched_at"`
}

// Export writes ical_feed.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	var rows []Feed
	if err := p.svc.DB.NewSelect().Model(&rows).Where("user_id = ?", s.UserID).Scan(ctx); err != nil {
		return err
	}
	list := []feedExport{}
	for _, f := range rows {
		list = append(list, feedExport{CreatedAt: f.CreatedAt, LastFetchedAt: f.LastFetchedAt})
	}
	if err := out.JSON("ical_feed.json", list); err != nil {
		return err
	}
	var teams []TeamFeed
	if err := p.svc.DB.NewSelect().Model(&teams).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	type teamExport struct {
		TeamID int64 `json:"team_id"`
		feedExport
	}
	tl := []teamExport{}
	for _, f := range teams {
		tl = append(tl, teamExport{f.TeamID, feedExport{CreatedAt: f.CreatedAt, LastFetchedAt: f.LastFetchedAt}})
	}
	return out.JSON("ical_team_feeds.json", tl)
}

// Erase revokes the person's feed and their team feeds of the account.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if _, err := tx.NewDelete().Model((*TeamFeed)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
		return err
	}
	return p.svc.Revoke(ctx, tx, s.UserID)
}
