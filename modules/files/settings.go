package files

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Trash retention: an administrator (files.manage) sets how many days the trash keeps what is
// deleted (TrashDays by default, from MinTrashDays to MaxTrashDays); the daily purge deletes, per
// account, what has waited longer. "Empty the trash now" deletes everything in it at once,
// whatever its age — audited, as is every change of the setting.

// Bounds of the retention.
const (
	MinTrashDays = 1
	MaxTrashDays = 3650
)

// Settings are the module's settings of an account.
type Settings struct {
	TrashDays int `json:"trash_days" openapi:"required" example:"30"`
}

// SettingsRow is the stored settings of an account.
type settingsRow struct {
	bun.BaseModel `bun:"table:files_settings,alias:st"`

	AccountID int64     `bun:"account_id,pk"`
	TrashDays int       `bun:"trash_days"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// trashDays is how many days the account's trash keeps things.
func (s *Service) trashDays(ctx context.Context, tn db.Tenant) (int, error) {
	var row settingsRow
	err := tn.Select(&row).Scan(ctx)
	if db.IsNotFound(err) {
		return TrashDays, nil
	}
	return row.TrashDays, err
}

// Settings are the account's settings (anyone reading files: the pages say how long the trash
// keeps things).
func (s *Service) Settings(ctx context.Context, a *actor.Actor) (*Settings, error) {
	d, err := s.trashDays(ctx, s.tenant(a.AccountID()))
	return &Settings{TrashDays: d}, err
}

// SetSettings changes the account's settings (a files manager); audited.
func (s *Service) SetSettings(ctx context.Context, a *actor.Actor, in Settings) (*Settings, error) {
	if !manager(a) {
		return nil, problem.Forbidden("only a files manager changes how long the trash keeps things")
	}
	if in.TrashDays < MinTrashDays || in.TrashDays > MaxTrashDays {
		return nil, problem.Invalid(problem.Sayf("trash_days", "must be from {min} to {max} days", "min", MinTrashDays, "max", MaxTrashDays))
	}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		row := &settingsRow{AccountID: a.AccountID(), TrashDays: in.TrashDays, UpdatedAt: s.now()}
		if _, err := tn.Insert(row).On("CONFLICT (account_id) DO UPDATE").Set("trash_days = EXCLUDED.trash_days, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, a.AccountID(), "files.settings.changed", "", map[string]any{"trash_days": in.TrashDays})
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// EmptyTrash deletes everything in the account's trash now, whatever its age (a files
// manager); audited. It returns how many files and folders went.
func (s *Service) EmptyTrash(ctx context.Context, a *actor.Actor) (int, error) {
	if !manager(a) {
		return 0, problem.Forbidden("only a files manager empties the trash")
	}
	// Everything trashed up to now: the cutoff is just past the clock.
	n, err := s.purgeAccount(ctx, a.AccountID(), s.now().Add(time.Second))
	if err != nil {
		return n, err
	}
	return n, audit.Record(ctx, s.DB, a, a.AccountID(), "files.trash.emptied", "", map[string]any{"deleted": n})
}
