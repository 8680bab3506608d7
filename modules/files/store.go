package files

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// store holds every query of the module. Each method takes the account's db.Tenant, so every
// query is scoped to the account by construction; who sees which folder is the service's
// (service.go: projects through their port, clients through the companies a folder is shared
// with).
type store struct{}

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

// ---- Folders ----

func (store) folder(ctx context.Context, tn db.Tenant, id int64) (*Folder, error) {
	f := new(Folder)
	if err := tn.Select(f).Where("fo.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// folders lists folders by name: the children of parent (0: the top), of the project (0: the
// account's shared space) when at the top; trashed ones only with trashed.
func (store) folders(ctx context.Context, tn db.Tenant, parent, project int64) ([]Folder, error) {
	out := []Folder{}
	q := tn.Select(&out).Where("fo.trashed_at IS NULL").OrderExpr("fo.name_key, fo.id").Limit(5000)
	switch {
	case parent != 0:
		q = q.Where("fo.parent_id = ?", parent)
	case project != 0:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id = ?", project)
	default:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id IS NULL AND fo.owner_id IS NULL")
	}
	return out, q.Scan(ctx)
}

// projectTops lists the top folders of the given projects.
func (store) projectTops(ctx context.Context, tn db.Tenant, projects []int64) ([]Folder, error) {
	out := []Folder{}
	if len(projects) == 0 {
		return out, nil
	}
	err := tn.Select(&out).Where("fo.trashed_at IS NULL AND fo.parent_id IS NULL AND fo.project_id IN (?)", bun.List(projects)).
		OrderExpr("fo.name_key, fo.id").Limit(5000).Scan(ctx)
	return out, err
}

// sharedWith lists the untrashed folders shared with the company.
func (store) sharedWith(ctx context.Context, tn db.Tenant, company int64) ([]Folder, error) {
	out := []Folder{}
	err := tn.Select(&out).Where("fo.trashed_at IS NULL AND fo.visibility = ?", VisibilityClients).
		Where("EXISTS (SELECT 1 FROM files_folder_companies AS fc WHERE fc.account_id = fo.account_id AND fc.folder_id = fo.id AND fc.company_id = ?)", company).
		OrderExpr("fo.name_key, fo.id").Limit(5000).Scan(ctx)
	return out, err
}

func (store) insertFolder(ctx context.Context, tn db.Tenant, f *Folder) error {
	if _, err := tn.Insert(f).Exec(ctx); err != nil {
		return err
	}
	return touch(ctx, tn, folderRef(f.ID))
}

func (store) saveFolder(ctx context.Context, tn db.Tenant, f *Folder) error {
	if _, err := tn.Update(f).Column("parent_id", "name", "name_key", "visibility", "clients_upload", "updated_at", "trashed_at", "trashed_by").WherePK().Exec(ctx); err != nil {
		return err
	}
	return touch(ctx, tn, folderRef(f.ID))
}

// companies fills the companies each folder is shared with.
func (store) companies(ctx context.Context, tn db.Tenant, fs []Folder) error {
	if len(fs) == 0 {
		return nil
	}
	ids := make([]int64, len(fs))
	for i := range fs {
		ids[i] = fs[i].ID
		fs[i].CompanyIDs = []int64{}
	}
	var rows []struct {
		FolderID  int64 `bun:"folder_id"`
		CompanyID int64 `bun:"company_id"`
	}
	if err := tn.SelectFrom("files_folder_companies", "fc").Column("fc.folder_id", "fc.company_id").
		Where("fc.folder_id IN (?)", bun.List(ids)).OrderExpr("fc.company_id").Scan(ctx, &rows); err != nil {
		return err
	}
	at := map[int64]int{}
	for i := range fs {
		at[fs[i].ID] = i
	}
	for _, r := range rows {
		fs[at[r.FolderID]].CompanyIDs = append(fs[at[r.FolderID]].CompanyIDs, r.CompanyID)
	}
	return nil
}

func (store) setCompanies(ctx context.Context, tn db.Tenant, folder int64, companies []int64) error {
	if _, err := tn.Exec(ctx, "DELETE FROM files_folder_companies WHERE account_id = ? AND folder_id = ?", folder); err != nil {
		return err
	}
	for _, c := range companies {
		if _, err := tn.Exec(ctx, "INSERT INTO files_folder_companies (account_id, folder_id, company_id) VALUES (?, ?, ?)", folder, c); err != nil {
			return err
		}
	}
	return nil
}

// clientCompanies keeps, of ids, the account's client companies.
func (store) clientCompanies(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []int64
	if err := tn.SelectFrom("companies", "o").Column("o.id").Where("o.id IN (?) AND o.kind = ?", bun.List(ids), "client").Scan(ctx, &found); err != nil {
		return nil, err
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// ---- Files ----

func (store) file(ctx context.Context, tn db.Tenant, id int64) (*File, error) {
	f := new(File)
	if err := tn.Select(f).Where("fi.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// files lists the untrashed files of a folder by name, with who uploaded their current
// version, at most limit. Only the columns a listing shows are read, and the names come in a
// second query over the few distinct uploaders: a folder of 10,000 files lists in tens of
// milliseconds.
func (s store) files(ctx context.Context, tn db.Tenant, folder int64, limit int, after cursor) ([]File, error) {
	pg := tn.IsPostgres()
	q := tn.SelectFrom("files_files", "fi").Column("fi.id", "fi.name", "fi.size", "fi.sha256", "fi.mime", "fi.version", "fi.created_by", "fi.updated_by")
	if pg {
		q = q.Column("fi.created_at", "fi.updated_at")
	} else {
		// SQLite: the two times as expressions, which the driver hands over as the text they
		// are, parsed here at fixed positions (sqliteTime); as columns, modernc tries
		// t.String()'s layout on every value first, fails, then parses again with time.Parse
		// (a third of the listing's time).
		q = q.ColumnExpr("fi.created_at || '', fi.updated_at || ''")
	}
	q = q.
		// Only images look for their thumbnail (one index lookup; the rest pay nothing): made,
		// or still to make — the page's request for it makes it then (thumbs.go).
		ColumnExpr("CASE WHEN fi.mime IN (?) THEN EXISTS (SELECT 1 FROM files_blobs AS b WHERE b.account_id = fi.account_id AND b.sha256 = fi.sha256 AND b.thumb <> ?) ELSE ? END", bun.In(thumbTypes), thumbNone, false).
		Where("fi.folder_id = ? AND fi.trashed_at IS NULL", folder)
	if after.ID > 0 {
		// Keyset: the files after the last one of the previous page, by (name_key, id) as the
		// index files_files_folder orders them — no offset to skip.
		q = q.Where("(fi.name_key > ? OR (fi.name_key = ? AND fi.id > ?))", after.Key, after.Key, after.ID)
	}
	// Scanned by position rather than through bun's model (which looks each column's field up
	// by name on every row): with 10,000 rows, that lookup weighed as much as the query.
	rows, err := q.OrderExpr("fi.name_key, fi.id").Limit(int64(limit)).Rows(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]File, 0, min(limit, 1024))
	people := map[int64]*int64{} // one pointer per uploader, shared by their files
	person := func(n sql.NullInt64) *int64 {
		if !n.Valid {
			return nil
		}
		p, ok := people[n.Int64]
		if !ok {
			p = &n.Int64
			people[n.Int64] = p
		}
		return p
	}
	mimes := map[string]string{} // the few types, one string each
	var f File
	var createdBy, updatedBy sql.NullInt64
	var createdText, updatedText string
	dest := []any{&f.ID, &f.Name, &f.Size, &f.SHA256, &f.MIME, &f.Version, &createdBy, &updatedBy, &createdText, &updatedText, &f.Thumb}
	if pg {
		dest[8], dest[9] = &f.CreatedAt, &f.UpdatedAt
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if !pg {
			f.CreatedAt, f.UpdatedAt = sqliteTime(createdText), sqliteTime(updatedText)
		}
		if m, ok := mimes[f.MIME]; ok {
			f.MIME = m
		} else {
			mimes[f.MIME] = f.MIME
		}
		f.AccountID, f.FolderID = tn.AccountID, folder
		f.CreatedBy, f.UpdatedBy = person(createdBy), person(updatedBy)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, f := range out {
		if f.UpdatedBy != nil && !seen[*f.UpdatedBy] {
			seen[*f.UpdatedBy] = true
			ids = append(ids, *f.UpdatedBy)
		}
	}
	names, err := s.names(ctx, tn, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].UpdatedBy != nil {
			out[i].UpdatedByName = names[*out[i].UpdatedBy]
		}
	}
	return out, nil
}

// sqliteTime reads a time as the SQLite driver writes it (core/db: _time_format=sqlite,
// "2006-01-02 15:04:05.999999999-07:00", always UTC here) by its fixed positions, falling back
// to time.Parse for any other form.
func sqliteTime(s string) time.Time {
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if len(s) >= 25 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':' && strings.HasSuffix(s, "+00:00") {
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 7)
		d, ok3 := num(8, 10)
		h, ok4 := num(11, 13)
		mi, ok5 := num(14, 16)
		se, ok6 := num(17, 19)
		ns, ok7 := 0, true
		if end := len(s) - 6; end > 19 {
			if s[19] != '.' || end-20 > 9 {
				ok7 = false
			} else if ns, ok7 = num(20, end); ok7 {
				for i := end - 20; i < 9; i++ {
					ns *= 10
				}
			}
		}
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 {
			return time.Date(y, time.Month(mo), d, h, mi, se, ns, time.UTC)
		}
	}
	t, _ := time.Parse("2006-01-02 15:04:05.999999999-07:00", s)
	return t.UTC()
}

// names are the names of the account's people of ids.
func (store) names(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").ColumnExpr("u.id, "+identity.NameSQL("m", "u")+" AS name").
		Where("m.user_id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// insertFile, saveFile, insertFolder and saveFolder tell the search index what changed
// (search.go), in the change's transaction when there is one.
func (store) insertFile(ctx context.Context, tn db.Tenant, f *File) error {
	if _, err := tn.Insert(f).Exec(ctx); err != nil {
		return err
	}
	return touch(ctx, tn, fileRef(f.ID))
}

func (store) saveFile(ctx context.Context, tn db.Tenant, f *File) error {
	if _, err := tn.Update(f).Column("folder_id", "name", "name_key", "size", "sha256", "mime", "version", "updated_by", "updated_at", "trashed_at", "trashed_by").WherePK().Exec(ctx); err != nil {
		return err
	}
	return touch(ctx, tn, fileRef(f.ID))
}

// nameTaken reports whether the folder holds an untrashed file or subfolder of that key
// (but for the file except).
func (store) nameTaken(ctx context.Context, tn db.Tenant, folder int64, key string, exceptFile int64) (bool, error) {
	n, err := tn.SelectFrom("files_files", "fi").Where("fi.folder_id = ? AND fi.name_key = ? AND fi.trashed_at IS NULL AND fi.id <> ?", folder, key, exceptFile).Exists(ctx)
	return n, err
}

// trash lists the trashed files and folders (of the person by, unless 0), newest first, but
// those of another person's personal space than reader's.
func (store) trashedFiles(ctx context.Context, tn db.Tenant, by, reader int64, limit int) ([]File, error) {
	out := []File{}
	q := tn.Select(&out).Where("fi.trashed_at IS NOT NULL").OrderExpr("fi.trashed_at DESC, fi.id DESC").Limit(int64(limit)).
		Where("NOT EXISTS (SELECT 1 FROM files_folders AS fo WHERE fo.account_id = fi.account_id AND fo.id = fi.folder_id AND fo.owner_id IS NOT NULL AND fo.owner_id <> ?)", reader)
	if by != 0 {
		q = q.Where("fi.trashed_by = ?", by)
	}
	return out, q.Scan(ctx)
}

func (store) trashedFolders(ctx context.Context, tn db.Tenant, by, reader int64, limit int) ([]Folder, error) {
	out := []Folder{}
	q := tn.Select(&out).Where("fo.trashed_at IS NOT NULL").OrderExpr("fo.trashed_at DESC, fo.id DESC").Limit(int64(limit)).
		Where("(fo.owner_id IS NULL OR fo.owner_id = ?)", reader)
	if by != 0 {
		q = q.Where("fo.trashed_by = ?", by)
	}
	return out, q.Scan(ctx)
}

// ---- Versions and blobs ----

func (store) versions(ctx context.Context, tn db.Tenant, file int64) ([]Version, error) {
	out := []Version{}
	err := tn.Select(&out).ColumnExpr("v.*").ColumnExpr("u.name AS uploaded_by_name").
		Join("LEFT JOIN users AS u ON u.id = v.uploaded_by").
		Where("v.file_id = ?", file).OrderExpr("v.n DESC").Limit(10000).Scan(ctx)
	return out, err
}

func (store) version(ctx context.Context, tn db.Tenant, file int64, n int) (*Version, error) {
	v := new(Version)
	if err := tn.Select(v).Where("v.file_id = ? AND v.n = ?", file, n).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return v, nil
}

func (store) insertVersion(ctx context.Context, tn db.Tenant, v *Version) error {
	_, err := tn.Insert(v).Exec(ctx)
	return err
}

// reserveBlob returns the account's blob row of sum, made (not stored yet) when there is
// none; a row without references is touched, so that the collector leaves it an hour more.
func (store) reserveBlob(ctx context.Context, tn db.Tenant, sum string, size int64, now time.Time) (*Blob, error) {
	b := &Blob{SHA256: sum, Size: size, CreatedAt: now, UnreferencedAt: &now}
	if _, err := tn.Insert(b).On("CONFLICT (account_id, sha256) DO NOTHING").Returning("NULL").Exec(ctx); err != nil {
		return nil, err
	}
	if _, err := tn.Exec(ctx, "UPDATE files_blobs SET unreferenced_at = ?1 WHERE account_id = ?0 AND sha256 = ?2 AND refs = 0", now, sum); err != nil {
		return nil, err
	}
	b = new(Blob)
	if err := tn.ForUpdate(tn.Select(b).Where("b.sha256 = ?", sum)).Scan(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

func (store) markStored(ctx context.Context, tn db.Tenant, id int64) error {
	_, err := tn.Exec(ctx, "UPDATE files_blobs SET stored = ?1 WHERE account_id = ?0 AND id = ?2", true, id)
	return err
}

// ref adds a reference to a blob; false when the row is gone (the collector took it).
func (store) ref(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	res, err := tn.Exec(ctx, "UPDATE files_blobs SET refs = refs + 1, unreferenced_at = NULL WHERE account_id = ? AND id = ? AND stored = ?", id, true)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// recount sets the references of the account's blobs from the versions that hold them (after
// versions went), and marks those left without one.
func (store) recount(ctx context.Context, tn db.Tenant, blobs []int64, now time.Time) error {
	if len(blobs) == 0 {
		return nil
	}
	if _, err := tn.Exec(ctx, `UPDATE files_blobs SET refs = (SELECT COUNT(*) FROM files_versions AS v WHERE v.account_id = files_blobs.account_id AND v.blob_id = files_blobs.id)
		WHERE account_id = ? AND id IN (?)`, bun.List(blobs)); err != nil {
		return err
	}
	if _, err := tn.Exec(ctx, "UPDATE files_blobs SET unreferenced_at = ?1 WHERE account_id = ?0 AND id IN (?2) AND refs = 0", now, bun.List(blobs)); err != nil {
		return err
	}
	_, err := tn.Exec(ctx, "UPDATE files_blobs SET unreferenced_at = NULL WHERE account_id = ? AND id IN (?) AND refs > 0", bun.List(blobs))
	return err
}

// ---- Downloads ----

func (store) insertDownload(ctx context.Context, tn db.Tenant, d *Download) error {
	_, err := tn.Insert(d).Exec(ctx)
	return err
}

func (store) downloads(ctx context.Context, tn db.Tenant, file int64, limit int) ([]Download, error) {
	out := []Download{}
	err := tn.Select(&out).ColumnExpr("d.*").ColumnExpr("u.name AS user_name").
		Join("LEFT JOIN users AS u ON u.id = d.user_id").
		Where("d.file_id = ?", file).OrderExpr("d.id DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// tree lists the untrashed folders of a project's tree (nil: the account's shared space, or
// the owner's personal space), for choosing where a folder moves.
func (store) tree(ctx context.Context, tn db.Tenant, project, owner *int64) ([]Folder, error) {
	out := []Folder{}
	q := tn.Select(&out).Column("id", "parent_id", "project_id", "owner_id", "name", "visibility").Where("fo.trashed_at IS NULL").OrderExpr("fo.name_key, fo.id").Limit(5000)
	switch {
	case project != nil:
		q = q.Where("fo.project_id = ?", *project)
	case owner != nil:
		q = q.Where("fo.project_id IS NULL AND fo.owner_id = ?", *owner)
	default:
		q = q.Where("fo.project_id IS NULL AND fo.owner_id IS NULL")
	}
	return out, q.Scan(ctx)
}

// Company is a client company of the account, for sharing a folder.
type Company struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

// clientCompanyList lists the account's client companies by name.
func (store) clientCompanyList(ctx context.Context, tn db.Tenant) ([]Company, error) {
	out := []Company{}
	err := tn.SelectFrom("companies", "o").Column("o.id", "o.name").Where("o.kind = ?", "client").OrderExpr("o.name").Limit(1000).Scan(ctx, &out)
	return out, err
}

// setProject moves a folder and every folder below it into project, or into owner's personal
// space (both nil: the shared space).
func (store) setProject(ctx context.Context, tn db.Tenant, folder int64, project, owner *int64) error {
	ids := []int64{folder}
	for next := ids; len(next) > 0; {
		var kids []int64
		if err := tn.SelectFrom("files_folders", "fo").Column("fo.id").Where("fo.parent_id IN (?)", bun.List(next)).Scan(ctx, &kids); err != nil {
			return err
		}
		ids, next = append(ids, kids...), kids
	}
	if _, err := tn.Exec(ctx, "UPDATE files_folders SET project_id = ?1, owner_id = ?2 WHERE account_id = ?0 AND id IN (?3)", project, owner, bun.List(ids)); err != nil {
		return err
	}
	return touch(ctx, tn, folderRef(folder))
}
