package files

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
	"groupcamp/modules/files/storage"
)

// searchSource offers folders and files to the search (core/search), found by their names —
// and a small text file (plain text, Markdown: at most SearchText bytes) by its words too —
// with the visibility of the module's pages (service.go, sees) as audience keys:
//
//   - a folder of the account's shared space, and what it holds: "staff" (every colleague);
//     shared with client companies, also "files:co:<company>" for each;
//   - a folder of a person's personal space, and what it holds: "files:u:<person>" alone;
//   - a project's folder: "files:p:<project>", which the person holds when the projects
//     module says they see the project (ProjectsSeen, the rule of the pages); shared with
//     client companies, "files:p:<project>:co:<company>" for each, held by a client of that
//     company who sees the project.
//
// A client's key is the folder's own (not its ancestors'), as on the pages. What is in the
// trash, or under a folder in the trash, is not offered, so trashing takes it out of the index
// and restoring puts it back. The service touches (search.Touch) what it changes, in the
// change's transaction: a folder's ref covers everything beneath it (Parent chain).
type searchSource struct{ svc *Service }

// The kinds of documents files offers.
const (
	KindFolder = "folder"
	KindFile   = "file"
)

// SearchText is the largest text file whose content is searched.
const SearchText = 64 << 10

func (searchSource) Kinds() []string { return []string{KindFolder, KindFile} }

func folderRef(id int64) hooks.Ref { return hooks.Ref{Kind: KindFolder, ID: id} }
func fileRef(id int64) hooks.Ref   { return hooks.Ref{Kind: KindFile, ID: id} }

// touch tells the index what changed, in the change's transaction.
func touch(ctx context.Context, tn db.Tenant, refs ...hooks.Ref) error {
	return search.Touch(ctx, tn.Unscoped(), tn.AccountID, refs...)
}

// searchFolder is a folder as the source reads the tree.
type searchFolder struct {
	ID         int64      `bun:"id"`
	ParentID   *int64     `bun:"parent_id"`
	ProjectID  *int64     `bun:"project_id"`
	OwnerID    *int64     `bun:"owner_id"`
	Name       string     `bun:"name"`
	Visibility string     `bun:"visibility"`
	UpdatedAt  time.Time  `bun:"updated_at"`
	TrashedAt  *time.Time `bun:"trashed_at"`
}

// searchFile is a file with the blob of its current version.
type searchFile struct {
	ID        int64     `bun:"id"`
	FolderID  int64     `bun:"folder_id"`
	Name      string    `bun:"name"`
	Size      int64     `bun:"size"`
	SHA256    string    `bun:"sha256"`
	MIME      string    `bun:"mime"`
	UpdatedAt time.Time `bun:"updated_at"`
	BlobID    int64     `bun:"blob_id"`
}

// Documents offers the account's folders and files, or those of refs and beneath them.
func (src searchSource) Documents(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref, fn func(hooks.Document) error) error {
	tn := db.For(idb, accountID)
	var tree []searchFolder
	if err := tn.SelectFrom("files_folders", "fo").Column("fo.id", "fo.parent_id", "fo.project_id", "fo.owner_id", "fo.name", "fo.visibility", "fo.updated_at", "fo.trashed_at").
		OrderExpr("fo.id").Scan(ctx, &tree); err != nil {
		return err
	}
	var shares []struct {
		FolderID  int64 `bun:"folder_id"`
		CompanyID int64 `bun:"company_id"`
	}
	if err := tn.SelectFrom("files_folder_companies", "fc").Column("fc.folder_id", "fc.company_id").Scan(ctx, &shares); err != nil {
		return err
	}
	byID := make(map[int64]*searchFolder, len(tree))
	kids := map[int64][]int64{}
	for i := range tree {
		byID[tree[i].ID] = &tree[i]
		if p := tree[i].ParentID; p != nil {
			kids[*p] = append(kids[*p], tree[i].ID)
		}
	}
	companies := map[int64][]int64{}
	for _, sh := range shares {
		companies[sh.FolderID] = append(companies[sh.FolderID], sh.CompanyID)
	}
	// alive: neither the folder nor an ancestor is in the trash (memoized up the chain).
	alive := map[int64]bool{}
	var isAlive func(id int64, depth int) bool
	isAlive = func(id int64, depth int) bool {
		if v, ok := alive[id]; ok {
			return v
		}
		f := byID[id]
		v := f != nil && f.TrashedAt == nil && depth < 64 && (f.ParentID == nil || isAlive(*f.ParentID, depth+1))
		alive[id] = v
		return v
	}
	audience := func(f *searchFolder) []string {
		var aud []string
		if f.OwnerID != nil { // a personal space: its owner's alone
			return []string{"files:u:" + strconv.FormatInt(*f.OwnerID, 10)}
		}
		if f.ProjectID == nil {
			aud = []string{search.KeyStaff}
			if f.Visibility == VisibilityClients {
				for _, co := range companies[f.ID] {
					aud = append(aud, "files:co:"+strconv.FormatInt(co, 10))
				}
			}
			return aud
		}
		p := "files:p:" + strconv.FormatInt(*f.ProjectID, 10)
		aud = []string{p}
		if f.Visibility == VisibilityClients {
			for _, co := range companies[f.ID] {
				aud = append(aud, p+":co:"+strconv.FormatInt(co, 10))
			}
		}
		return aud
	}

	// Which folders (and which single files) to offer.
	folders := map[int64]bool{}
	var single []int64
	if len(refs) == 0 {
		for _, f := range tree {
			folders[f.ID] = true
		}
	}
	var below func(id int64, depth int)
	below = func(id int64, depth int) {
		if folders[id] || depth > 64 {
			return
		}
		folders[id] = true
		for _, k := range kids[id] {
			below(k, depth+1)
		}
	}
	for _, r := range refs {
		switch r.Kind {
		case KindFolder:
			below(r.ID, 0)
		case KindFile:
			single = append(single, r.ID)
		}
	}
	var offered []int64
	for _, f := range tree {
		if !folders[f.ID] || !isAlive(f.ID, 0) {
			continue
		}
		offered = append(offered, f.ID)
		// No ProjectID: the index refreshes a "project" ref (projects touches one when a
		// project changes) by asking the projects module alone, and would drop what files
		// offered under that project. Who finds a project's files is in the audience.
		doc := hooks.Document{AccountID: accountID, Kind: KindFolder, ID: f.ID, Title: f.Name, URL: "/files/folders/" + strconv.FormatInt(f.ID, 10),
			UpdatedAt: f.UpdatedAt, Audience: audience(byID[f.ID])}
		if f.ParentID != nil {
			doc.Parent = folderRef(*f.ParentID).String()
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	if len(offered) == 0 && len(single) == 0 {
		return nil
	}
	q := tn.SelectFrom("files_files", "fi").Column("fi.id", "fi.folder_id", "fi.name", "fi.size", "fi.sha256", "fi.mime", "fi.updated_at").
		ColumnExpr("v.blob_id").Join("JOIN files_versions AS v ON v.account_id = fi.account_id AND v.file_id = fi.id AND v.n = fi.version").
		Where("fi.trashed_at IS NULL").OrderExpr("fi.id")
	switch {
	case len(refs) == 0:
	case len(single) == 0:
		q = q.Where("fi.folder_id IN (?)", bun.List(offered))
	case len(offered) == 0:
		q = q.Where("fi.id IN (?)", bun.List(single))
	default:
		q = q.Where("fi.folder_id IN (?) OR fi.id IN (?)", bun.List(offered), bun.List(single))
	}
	var fs []searchFile
	if err := q.Scan(ctx, &fs); err != nil {
		return err
	}
	for _, fi := range fs {
		if !isAlive(fi.FolderID, 0) {
			continue
		}
		f := byID[fi.FolderID]
		doc := hooks.Document{AccountID: accountID, Kind: KindFile, ID: fi.ID, Title: fi.Name, URL: "/files/" + strconv.FormatInt(fi.ID, 10),
			Parent: folderRef(fi.FolderID).String(), UpdatedAt: fi.UpdatedAt, Audience: audience(f)}
		if searchable(fi.Name, fi.MIME, fi.Size) {
			doc.Body = src.text(ctx, storage.Key(accountID, fi.SHA256, fi.BlobID))
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return nil
}

// searchable reports whether a file's words are searched: small plain text or Markdown.
func searchable(name, mime string, size int64) bool {
	if size == 0 || size > SearchText {
		return false
	}
	base, _, _ := strings.Cut(mime, ";")
	ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
	return strings.TrimSpace(base) == "text/plain" || (base == "application/octet-stream" && (ext == "md" || ext == "markdown" || ext == "txt"))
}

// text is the content of a small text file, "" when it cannot be read or is not UTF-8 (the
// name alone is then found).
func (src searchSource) text(ctx context.Context, key string) string {
	r, err := src.svc.Blobs.Open(ctx, key, 0, SearchText)
	if err != nil {
		return ""
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, SearchText))
	if err != nil || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}

// Audience is the keys the actor holds in files: their personal space ("files:u:<id>"), the
// projects they see ("files:p:<id>"), and
// for a client their company's shares, in the account's space and in each project they see.
func (src searchSource) Audience(ctx context.Context, a *actor.Actor) ([]string, error) {
	ps, err := src.svc.Projects.Get().Projects(ctx, a, 1000)
	if err != nil {
		return nil, err
	}
	var keys []string
	co := ""
	if client(a) {
		if a.CompanyID <= 0 {
			return nil, nil
		}
		co = ":co:" + strconv.FormatInt(a.CompanyID, 10)
		keys = append(keys, "files"+co)
	} else {
		keys = append(keys, "files:u:"+strconv.FormatInt(a.UserID, 10))
	}
	for _, p := range ps {
		keys = append(keys, "files:p:"+strconv.FormatInt(p.ID, 10)+co)
	}
	return keys, nil
}

var _ hooks.SearchSource = searchSource{}
