package files

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
	"groupcamp/modules/files/storage"
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
// download history. But a person's personal space (personal.go) is theirs: the export holds
// its files (files_personal.json, and the current content of each under files/personal/), and
// Erase deletes it with everything in it (files, versions, share links, download history),
// counting again the blobs its versions held (the collector deletes those left without one). The account's blobs go when the account closes (CloseAccount,
// hooks.AccountData): the rows go with the account, the bytes with this hook.
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catUploads   = "files.data.uploads"
	catDownloads = "files.data.downloads"
	catPersonal  = "files.data.personal"
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
	own, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("files_files", "fi").
			Join("JOIN files_folders AS fo ON fo.account_id = fi.account_id AND fo.id = fi.folder_id").Where("fo.owner_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("files", catUploads, ups, personal.FieldActions, personal.FieldTimes),
		personal.Category("files", catDownloads, downs, personal.FieldActions, personal.FieldTimes),
		personal.Category("files", catPersonal, own, personal.FieldActions, personal.FieldTimes),
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
	if err := p.exportPersonal(ctx, tn, s, out); err != nil {
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
	if !e.Closure {
		if err := p.erasePersonal(ctx, tn, s); err != nil {
			return err
		}
	}
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

// personalFile is a file of a person's personal space, in the export.
type personalFile struct {
	ID        int64     `json:"id" bun:"id"`
	FolderID  int64     `json:"-" bun:"folder_id"`
	Path      string    `json:"path" bun:"-"` // in the export: files/personal/<path>
	Name      string    `json:"name" bun:"name"`
	Size      int64     `json:"size" bun:"size"`
	SHA256    string    `json:"sha256" bun:"sha256"`
	MIME      string    `json:"mime" bun:"mime"`
	Version   int       `json:"version" bun:"version"`
	BlobID    int64     `json:"-" bun:"blob_id"`
	UpdatedAt time.Time `json:"updated_at" bun:"updated_at"`
	Trashed   bool      `json:"in_trash" bun:"trashed"`
}

// exportPersonal writes files_personal.json (the files of the person's personal space, with
// their folders' path) and each one's current content under files/personal/<path>.
func (p personalData) exportPersonal(ctx context.Context, tn db.Tenant, s hooks.Subject, out hooks.Exporter) error {
	var folders []Folder
	if err := tn.Select(&folders).Column("id", "parent_id", "name").Where("fo.owner_id = ?", s.UserID).OrderExpr("fo.id").Scan(ctx); err != nil {
		return err
	}
	byID := map[int64]Folder{}
	ids := make([]int64, len(folders))
	for i, f := range folders {
		byID[f.ID], ids[i] = f, f.ID
	}
	dir := func(id int64) string { // the path below the top folder
		var parts []string
		for f, ok := byID[id]; ok && f.ParentID != nil && len(parts) < 64; f, ok = byID[*f.ParentID] {
			parts = append([]string{f.Name}, parts...)
		}
		return strings.Join(parts, "/")
	}
	files := []personalFile{}
	if len(ids) > 0 {
		if err := tn.SelectFrom("files_files", "fi").Column("fi.id", "fi.folder_id", "fi.name", "fi.size", "fi.sha256", "fi.mime", "fi.version", "fi.updated_at").
			ColumnExpr("v.blob_id, fi.trashed_at IS NOT NULL AS trashed").
			Join("JOIN files_versions AS v ON v.account_id = fi.account_id AND v.file_id = fi.id AND v.n = fi.version").
			Where("fi.folder_id IN (?)", bun.List(ids)).OrderExpr("fi.id").Scan(ctx, &files); err != nil {
			return err
		}
	}
	taken := map[string]bool{}
	for i := range files {
		f := &files[i]
		f.Path = path.Join(dir(f.FolderID), f.Name)
		if taken[nameKey(f.Path)] { // a file in the trash beside one of its name
			f.Path = path.Join(dir(f.FolderID), strconv.FormatInt(f.ID, 10)+"-"+f.Name)
		}
		taken[nameKey(f.Path)] = true
	}
	if err := out.JSON("files_personal.json", files); err != nil {
		return err
	}
	for _, f := range files {
		if err := p.exportContent(ctx, tn.AccountID, f, out); err != nil {
			return err
		}
	}
	return nil
}

func (p personalData) exportContent(ctx context.Context, accountID int64, f personalFile, out hooks.Exporter) error {
	r, err := p.svc.Blobs.Open(ctx, storage.Key(accountID, f.SHA256, f.BlobID), 0, -1)
	if err != nil {
		return err
	}
	defer r.Close()
	return out.File("files/personal/"+f.Path, r)
}

// erasePersonal deletes the person's personal space: its files (their versions, links and
// download history go with them), then its folders, deepest first, and counts again the
// references of the blobs the versions held.
func (p personalData) erasePersonal(ctx context.Context, tn db.Tenant, s hooks.Subject) error {
	var ids []int64
	if err := tn.SelectFrom("files_folders", "fo").Column("fo.id").Where("fo.owner_id = ?", s.UserID).OrderExpr("fo.id").Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	var blobs []int64
	if err := tn.SelectFrom("files_versions", "v").ColumnExpr("DISTINCT v.blob_id").
		Join("JOIN files_files AS fi ON fi.account_id = v.account_id AND fi.id = v.file_id").
		Where("fi.folder_id IN (?)", bun.List(ids)).Scan(ctx, &blobs); err != nil {
		return err
	}
	var tops []int64
	if err := tn.SelectFrom("files_folders", "fo").Column("fo.id").Where("fo.owner_id = ? AND fo.parent_id IS NULL", s.UserID).Scan(ctx, &tops); err != nil {
		return err
	}
	if _, err := tn.Exec(ctx, "DELETE FROM files_files WHERE account_id = ? AND folder_id IN (?)", bun.List(ids)); err != nil {
		return err
	}
	// Children before parents: a folder's id is larger than its parent's when made below it,
	// but a move may have put an older folder below a newer one, so delete until none is left.
	for left := len(ids); left > 0; {
		res, err := tn.Exec(ctx, "DELETE FROM files_folders WHERE account_id = ? AND owner_id = ? AND NOT EXISTS (SELECT 1 FROM files_folders AS k WHERE k.account_id = files_folders.account_id AND k.parent_id = files_folders.id)", s.UserID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if n == 0 {
			break
		}
		left -= int(n)
	}
	if err := p.svc.store.recount(ctx, tn, blobs, p.svc.now()); err != nil {
		return err
	}
	refs := make([]hooks.Ref, len(tops))
	for i, id := range tops {
		refs[i] = folderRef(id)
	}
	return touch(ctx, tn, refs...)
}
