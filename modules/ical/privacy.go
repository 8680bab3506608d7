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

const catFeed = "ical.data.feed"

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string { return []string{"ical_feeds"} }

// Describe counts the person's feed (0 or 1).
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.DB.NewSelect().Model((*Feed)(nil)).Where("user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("ical", catFeed, n, personal.FieldSettings, personal.FieldTimes)}, nil
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
	return out.JSON("ical_feed.json", list)
}

// Erase revokes the feed.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	return p.svc.Revoke(ctx, tx, s.UserID)
}
