package files

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the
// folders they made, the files and versions they uploaded (files_folders, files_files,
// files_versions: who and when), the share links they made or revoked (files_links) and the
// files they downloaded (files_downloads), and their unfinished resumable uploads
// (files_uploads: deleted on erasure, exported). The files they attached to tasks (files_attachments:
// who) are versions they uploaded like any other, described and exported with them.
//
// files_link_failures holds the IPs of wrong share-link passwords, tied to no person (a
// visitor signed out): the daily purge deletes them after a day, an erasure finds none of the
// person's there.
//
// Files are the account's documents: Erase keeps them, detaching the person (their id goes
// from the folders, files and versions they made, uploaded or trashed), and deletes their
// download history. The account's blobs go when the account closes (CloseAccount,
// hooks.AccountData): the rows go with the account, the bytes with this hook.
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catUploads   = "files.data.uploads"
	catDownloads = "files.data.downloads"
)

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string {
	return []string{"files_folders", "files_files", "files_versions", "files_downloads", "files_links", "files_link_failures", "files_attachments", "files_uploads"}
}

// Describe counts the versions the person uploaded and the downloads they made.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	// No tenant before a person is named: the record of processing describes with no account.
	ups, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("files_versions", "v").Where("v.uploaded_by = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	downs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("files_downloads", "d").Where("d.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("files", catUploads, ups, personal.FieldActions, personal.FieldTimes),
		personal.Category("files", catDownloads, downs, personal.FieldActions, personal.FieldTimes),
	}, nil
}

// exported is one line of the export: what the person did to which file, when.
type exported struct {
	FileID  int64  `json:"file_id" bun:"file_id"`
	Name    string `json:"name" bun:"name"`
	Version int    `json:"version" bun:"version"`
	At      any    `json:"at" bun:"at"`
}

// Export writes files_uploads.json (the versions they uploaded), files_links.json (the share
// links they made) and files_downloads.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	ups := []exported{}
	if err := tn.SelectFrom("files_versions", "v").ColumnExpr("v.file_id, fi.name, v.n AS version, v.created_at AS at").
		Join("JOIN files_files AS fi ON fi.account_id = v.account_id AND fi.id = v.file_id").
		Where("v.uploaded_by = ?", s.UserID).OrderExpr("v.id").Scan(ctx, &ups); err != nil {
		return err
	}
	downs := []exported{}
	if err := tn.SelectFrom("files_downloads", "d").ColumnExpr("d.file_id, fi.name, d.version, d.created_at AS at").
		Join("JOIN files_files AS fi ON fi.account_id = d.account_id AND fi.id = d.file_id").
		Where("d.user_id = ?", s.UserID).OrderExpr("d.id").Scan(ctx, &downs); err != nil {
		return err
	}
	links := []exported{}
	if err := tn.SelectFrom("files_links", "l").ColumnExpr("l.file_id, fi.name, 0 AS version, l.created_at AS at").
		Join("JOIN files_files AS fi ON fi.account_id = l.account_id AND fi.id = l.file_id").
		Where("l.created_by = ?", s.UserID).OrderExpr("l.id").Scan(ctx, &links); err != nil {
		return err
	}
	open := []exported{}
	if err := tn.SelectFrom("files_uploads", "up").ColumnExpr("COALESCE(up.file_id, 0) AS file_id, up.name, 0 AS version, up.created_at AS at").
		Where("up.created_by = ?", s.UserID).OrderExpr("up.id").Scan(ctx, &open); err != nil {
		return err
	}
	if err := out.JSON("files_upload_sessions.json", open); err != nil {
		return err
	}
	if err := out.JSON("files_uploads.json", ups); err != nil {
		return err
	}
	if err := out.JSON("files_links.json", links); err != nil {
		return err
	}
	return out.JSON("files_downloads.json", downs)
}

// Erase detaches the person from the account's folders, files and versions, and deletes
// their download history, in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("files: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	for _, q := range []string{
		"UPDATE files_folders SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		"UPDATE files_folders SET trashed_by = NULL WHERE account_id = ? AND trashed_by = ?",
		"UPDATE files_files SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		"UPDATE files_files SET updated_by = NULL WHERE account_id = ? AND updated_by = ?",
		"UPDATE files_files SET trashed_by = NULL WHERE account_id = ? AND trashed_by = ?",
		"UPDATE files_versions SET uploaded_by = NULL WHERE account_id = ? AND uploaded_by = ?",
		"UPDATE files_links SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		"UPDATE files_links SET revoked_by = NULL WHERE account_id = ? AND revoked_by = ?",
		"DELETE FROM files_downloads WHERE account_id = ? AND user_id = ?",
		// An attachment stays on its task: only who attached it goes.
		"UPDATE files_attachments SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		// Their unfinished resumable uploads go (the collector sweeps the chunks left).
		"DELETE FROM files_uploads WHERE account_id = ? AND created_by = ?",
	} {
		if _, err := tn.Exec(ctx, q, s.UserID); err != nil {
			return err
		}
	}
	return nil
}

// CloseAccount deletes the account's blobs (hooks.AccountData); its rows go with the account.
func (p personalData) CloseAccount(ctx context.Context, accountID int64) error {
	if accountID <= 0 {
		return errors.New("files: close: no account")
	}
	return p.svc.Blobs.DeleteAccount(ctx, accountID)
}

var (
	_ hooks.PersonalData = personalData{}
	_ hooks.AccountData  = personalData{}
)
