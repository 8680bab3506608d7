package shell

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are the shell's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is the shell's part of a person's GDPR rights: when they last opened the
// account's home (for "what changed since your last visit"). Erase deletes it.
type PersonalData struct {
	DB *bun.DB
}

const catVisits = "shell.data.home_visits"

// Tables are the shell's tables that name a person.
func (PersonalData) Tables() []string { return []string{"home_visits"} }

// Describe counts the person's visit record in the account (one at most).
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*homeVisit)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("core", catVisits, n, personal.FieldTimes)}, nil
}

// VisitExport is the person's visit record, as exported.
type VisitExport struct {
	LastSeenAt time.Time  `json:"last_seen_at"`
	SinceAt    *time.Time `json:"since_at,omitempty"`
}

// Export writes shell/home_visits.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []VisitExport{}
	if err := p.DB.NewSelect().Model((*homeVisit)(nil)).Column("last_seen_at", "since_at").
		Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("shell/home_visits.json", rows)
}

// Erase deletes the person's visit record in the account.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	_, err := tx.NewDelete().Model((*homeVisit)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Exec(ctx)
	return err
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
