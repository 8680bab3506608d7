package files

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
	projects "groupcamp/modules/projects/contract"
)

// Service holds the use cases of the module: plain Go, an actor and a context in, domain
// errors (core/problem) out. The pages and the API both call it.
type Service struct {
	DB       *bun.DB
	Blobs    *storage.Store
	Projects *app.Port[projects.ProjectsSeen]
	// Tasks says which tasks a person sees, for attachments (attach.go; optional).
	Tasks *app.Port[projects.TasksSeen]
	// TasksGone says which tasks and comments went, for their attachments (attach_gc.go).
	TasksGone *app.Port[projects.TasksGone]
	// MaxUpload is the largest file accepted, in bytes.
	MaxUpload int64
	// Secret is the server's secret key (share link tokens); BaseURL the public URL.
	Secret, BaseURL string
	// Hooks are the modules' hooks (the quota limiter).
	Hooks *hooks.Set
	// People is who works on a project (optional), and Notifier delivers notices: a client's
	// upload is told to the folder's project team (client_upload.go).
	People   *app.Port[projects.ProjectPeople]
	Notifier automation.Notifier
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time

	store store
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// client reports whether the actor is a guest of a client company: they see only the folders
// shared with their company.
func client(a *actor.Actor) bool {
	switch a.Role {
	case actor.RoleOwner, actor.RoleAdmin, actor.RoleManager, actor.RoleMember:
		return false
	}
	return true
}

// manager reports whether the actor manages every file of the account (others' files, the
// whole trash, purging).
func manager(a *actor.Actor) bool { return a.May("files", "manage") }

// mayWrite reports whether the actor may add files and folders.
func mayWrite(a *actor.Actor) bool { return a.May("files", "write") }

// mayUpload reports whether the actor may upload files into the folder (one they reach): a
// writer; a client with files.upload when the folder is shared with their company and its
// sharer let clients upload (Folder.ClientsUpload).
func mayUpload(a *actor.Actor, f *Folder) bool {
	if !client(a) {
		return mayWrite(a)
	}
	return a.May("files", "upload") && a.CompanyID != 0 && f.ClientsUpload && f.Visibility == VisibilityClients &&
		slices.Contains(f.CompanyIDs, a.CompanyID)
}

// owns reports whether the actor may change whom what by made is shared with. Renaming,
// moving, deleting and restoring are for every writer who sees the folder: a folder is a
// team's shared space.
func owns(a *actor.Actor, by *int64) bool {
	return manager(a) || (mayWrite(a) && by != nil && *by == a.UserID)
}

// ---- Reach: who sees which folder ----

// sees reports whether the actor sees the folder itself (not its ancestors): clients only
// folders shared with their company; a project's folder only those who see the project
// (asked of the projects module).
func (s *Service) sees(ctx context.Context, a *actor.Actor, f *Folder, seen map[int64]string) bool {
	if f.OwnerID != nil && *f.OwnerID != a.UserID { // another person's personal space (personal.go)
		return false
	}
	if client(a) && (f.Visibility != VisibilityClients || !slices.Contains(f.CompanyIDs, a.CompanyID)) {
		return false
	}
	if f.ProjectID != nil {
		if _, ok := seen[*f.ProjectID]; !ok {
			return false
		}
		f.ProjectName = seen[*f.ProjectID]
	}
	return true
}

// seenProjects asks the projects module which of the folders' projects the actor sees,
// through tn's database: inside a transaction, the question is read in it (see
// ProjectsSeen.SeenIn) rather than wait for a second pooled connection.
func (s *Service) seenProjects(ctx context.Context, tn db.Tenant, a *actor.Actor, fs ...Folder) (map[int64]string, error) {
	var ids []int64
	for _, f := range fs {
		if f.ProjectID != nil && !slices.Contains(ids, *f.ProjectID) {
			ids = append(ids, *f.ProjectID)
		}
	}
	if len(ids) == 0 {
		return map[int64]string{}, nil
	}
	return s.Projects.Get().SeenIn(ctx, tn.Unscoped(), a, ids)
}

// keep keeps the folders the actor sees.
func (s *Service) keep(ctx context.Context, tn db.Tenant, a *actor.Actor, fs []Folder) ([]Folder, error) {
	if err := s.store.companies(ctx, tn, fs); err != nil {
		return nil, err
	}
	seen, err := s.seenProjects(ctx, tn, a, fs...)
	if err != nil {
		return nil, err
	}
	out := []Folder{}
	for i := range fs {
		if s.sees(ctx, a, &fs[i], seen) {
			out = append(out, fs[i])
		}
	}
	return out, nil
}

// reach loads a folder the actor sees, with its ancestors (top first), or 404: a folder in the
// trash, or under a folder in the trash, is not reached (but with trashed, for restoring it).
func (s *Service) reach(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64, trashed bool) (*Folder, []Folder, error) {
	f, err := s.store.folder(ctx, tn, id)
	if err != nil {
		return nil, nil, err
	}
	if f.TrashedAt != nil && !trashed {
		return nil, nil, problem.NotFound()
	}
	chain := []Folder{*f}
	for p := f.ParentID; p != nil; {
		if len(chain) > 64 {
			return nil, nil, problem.NotFound()
		}
		pf, err := s.store.folder(ctx, tn, *p)
		if err != nil {
			return nil, nil, err
		}
		if pf.TrashedAt != nil {
			return nil, nil, problem.NotFound()
		}
		chain = append(chain, *pf)
		p = pf.ParentID
	}
	if err := s.store.companies(ctx, tn, chain); err != nil {
		return nil, nil, err
	}
	seen, err := s.seenProjects(ctx, tn, a, chain[0])
	if err != nil {
		return nil, nil, err
	}
	if !s.sees(ctx, a, &chain[0], seen) {
		return nil, nil, problem.NotFound()
	}
	// The path shows the ancestors the reader sees (a client may see a shared folder inside
	// one that is not shared).
	var path []Folder
	for i := len(chain) - 1; i >= 1; i-- {
		if s.sees(ctx, a, &chain[i], seen) {
			path = append(path, chain[i])
		} else {
			path = nil
		}
	}
	out := chain[0]
	return &out, path, nil
}

// reachFile loads a file the actor sees (in a folder they reach), or 404.
func (s *Service) reachFile(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64, trashed bool) (*File, *Folder, error) {
	f, err := s.store.file(ctx, tn, id)
	if err != nil {
		return nil, nil, err
	}
	if f.TrashedAt != nil && !trashed {
		return nil, nil, problem.NotFound()
	}
	folder, _, err := s.reach(ctx, tn, a, f.FolderID, false)
	if err != nil {
		return nil, nil, err
	}
	return f, folder, nil
}

// ---- Folders ----

// TopFolders lists the top folders the actor sees: of the project (projectID), or of the
// account's shared space and of every project they see (0). For a client: every folder shared
// with their company whose parent they do not see.
func (s *Service) TopFolders(ctx context.Context, a *actor.Actor, projectID int64) ([]Folder, error) {
	tn := s.tenant(a.AccountID())
	var fs []Folder
	var err error
	switch {
	case client(a):
		fs, err = s.store.sharedWith(ctx, tn, a.CompanyID)
	case projectID != 0:
		fs, err = s.store.folders(ctx, tn, 0, projectID)
	default:
		if fs, err = s.store.folders(ctx, tn, 0, 0); err != nil {
			return nil, err
		}
		var ps []projects.ProjectRef
		if ps, err = s.Projects.Get().Projects(ctx, a, 1000); err != nil {
			return nil, err
		}
		ids := make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		var more []Folder
		more, err = s.store.projectTops(ctx, tn, ids)
		fs = append(fs, more...)
	}
	if err != nil {
		return nil, err
	}
	out, err := s.keep(ctx, tn, a, fs)
	if err != nil || !client(a) {
		return out, err
	}
	// A client's top: the shared folders whose parent is not shared with them too.
	shared := map[int64]bool{}
	for _, f := range out {
		shared[f.ID] = true
	}
	tops := []Folder{}
	for _, f := range out {
		if f.ParentID == nil || !shared[*f.ParentID] {
			tops = append(tops, f)
		}
	}
	if projectID != 0 {
		tops = slices.DeleteFunc(tops, func(f Folder) bool { return f.ProjectID == nil || *f.ProjectID != projectID })
	}
	return tops, nil
}

// Projects lists the projects the actor sees (for choosing where a top folder goes).
func (s *Service) ProjectChoices(ctx context.Context, a *actor.Actor) ([]projects.ProjectRef, error) {
	return s.Projects.Get().Projects(ctx, a, 1000)
}

func checkVisibility(f *problem.Fields, v string) string {
	switch v {
	case "":
		return ""
	case VisibilityInternal, VisibilityClients:
		return v
	}
	f.Add("visibility", "must be internal or clients")
	return ""
}

// checkCompanies keeps the company ids distinct, each a client company of the account.
func (s *Service) checkCompanies(ctx context.Context, tn db.Tenant, f *problem.Fields, ids []int64) ([]int64, error) {
	if len(ids) > 100 {
		f.Add("company_ids", "must name at most 100 companies")
		return nil, nil
	}
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	ok, err := s.store.clientCompanies(ctx, tn, out)
	if err != nil {
		return nil, err
	}
	for _, id := range out {
		if !ok[id] {
			f.Add("company_ids", "must be client companies of the account")
			break
		}
	}
	return out, nil
}

// CreateFolder adds a folder (writers): inside a folder they reach, or at the top of a
// project they see, or of the account's shared space.
func (s *Service) CreateFolder(ctx context.Context, a *actor.Actor, in FolderInput) (*Folder, error) {
	var out *Folder
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		var f problem.Fields
		now := s.now()
		uid := a.UserID
		fo := &Folder{AccountID: a.AccountID(), CreatedBy: &uid, CreatedAt: now, UpdatedAt: now, Visibility: VisibilityInternal}
		fo.Name, fo.NameKey = checkName(&f, "name", in.Name)
		vis := checkVisibility(&f, in.Visibility)
		companies, err := s.checkCompanies(ctx, tn, &f, in.CompanyIDs)
		if err != nil {
			return err
		}
		switch {
		case in.ParentID < 0 || in.ProjectID < 0:
			f.Add("parent_id", "must be an id")
		case in.ParentID != 0:
			parent, _, err := s.reach(ctx, tn, a, in.ParentID, false)
			if pr, ok := problem.As(err); ok && pr.Status == 404 {
				f.Add("parent_id", "must be a folder you see")
			} else if err != nil {
				return err
			} else {
				fo.ParentID, fo.ProjectID, fo.OwnerID = &parent.ID, parent.ProjectID, parent.OwnerID
				if in.ProjectID != 0 && (parent.ProjectID == nil || *parent.ProjectID != in.ProjectID) {
					f.Add("project_id", "must be the project of the parent folder")
				}
				fo.Visibility, fo.CompanyIDs, fo.ClientsUpload = parent.Visibility, parent.CompanyIDs, parent.ClientsUpload
			}
		case in.ProjectID != 0:
			seen, err := s.Projects.Get().SeenIn(ctx, tn.Unscoped(), a, []int64{in.ProjectID})
			if err != nil {
				return err
			}
			if _, ok := seen[in.ProjectID]; !ok {
				f.Add("project_id", "must be a project you see")
			}
			fo.ProjectID = &in.ProjectID
		}
		if vis != "" {
			fo.Visibility, fo.CompanyIDs = vis, companies
		}
		if in.ClientsUpload != nil {
			fo.ClientsUpload = *in.ClientsUpload
		}
		if fo.OwnerID != nil && fo.Visibility != VisibilityInternal {
			f.Add("visibility", "must be internal in your personal space: share its files by link")
		}
		if fo.Visibility == VisibilityInternal {
			if in.ClientsUpload != nil && *in.ClientsUpload {
				f.Add("clients_upload", "is only for a folder shared with clients")
			}
			fo.CompanyIDs, fo.ClientsUpload = nil, false
		} else if len(fo.CompanyIDs) == 0 {
			f.Add("company_ids", "must name at least one client company when shared with clients")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := s.store.insertFolder(ctx, tn, fo); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a folder of this name exists here")
			}
			return err
		}
		if err := s.store.setCompanies(ctx, tn, fo.ID, fo.CompanyIDs); err != nil {
			return err
		}
		if fo.CompanyIDs == nil {
			fo.CompanyIDs = []int64{}
		}
		out = fo
		return nil
	})
	return out, err
}

// MaxListed is the most files one folder listing returns.
const MaxListed = 10000

// Folder is a folder the actor sees, with its path, subfolders and first limit files by name.
func (s *Service) Folder(ctx context.Context, a *actor.Actor, id int64, limit int) (*FolderView, error) {
	return s.folderPage(ctx, a, id, limit, cursor{})
}

// folderPage is Folder from a cursor: the files after it, and Next when there are more.
func (s *Service) folderPage(ctx context.Context, a *actor.Actor, id int64, limit int, after cursor) (*FolderView, error) {
	tn := s.tenant(a.AccountID())
	f, path, err := s.reach(ctx, tn, a, id, false)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.folders(ctx, tn, f.ID, 0)
	if err != nil {
		return nil, err
	}
	if subs, err = s.keep(ctx, tn, a, subs); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxListed {
		limit = MaxListed
	}
	files, err := s.store.files(ctx, tn, f.ID, limit+1, after)
	if err != nil {
		return nil, err
	}
	if path == nil {
		path = []Folder{}
	}
	out := &FolderView{Folder: *f, Path: path, Folders: subs, Files: files, Writable: mayWrite(a), Uploadable: mayUpload(a, f)}
	if len(files) > limit {
		out.Files = files[:limit]
		last := files[limit-1]
		out.Next = api.KeyCursor(nameKey(last.Name), last.ID) // the key the name was stored with
	}
	return out, nil
}

// UpdateFolder renames, moves (never into itself or below itself; into a folder of another
// project's tree, or of the shared space, the actor sees: what is below goes along) or changes
// the visibility of a folder (its maker, or a manager of files).
func (s *Service) UpdateFolder(ctx context.Context, a *actor.Actor, id int64, in FolderPatch) (*Folder, error) {
	var out *Folder
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fo, _, err := s.reach(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		if (in.Visibility != nil || in.CompanyIDs != nil || in.ClientsUpload != nil) && !owns(a, fo.CreatedBy) {
			return problem.Forbidden("only its maker or a files manager changes whom a folder is shared with")
		}
		if personalTop(fo) && (in.Name != nil || in.ParentID != nil) {
			return problem.Conflict("id", "your personal space's top folder is neither renamed nor moved")
		}
		var f problem.Fields
		if in.Name != nil {
			fo.Name, fo.NameKey = checkName(&f, "name", *in.Name)
		}
		if in.Visibility != nil {
			if v := checkVisibility(&f, *in.Visibility); v != "" {
				fo.Visibility = v
			}
		}
		if in.CompanyIDs != nil {
			if fo.CompanyIDs, err = s.checkCompanies(ctx, tn, &f, *in.CompanyIDs); err != nil {
				return err
			}
		}
		if in.ClientsUpload != nil {
			fo.ClientsUpload = *in.ClientsUpload
		}
		if fo.OwnerID != nil && fo.Visibility != VisibilityInternal {
			f.Add("visibility", "must be internal in your personal space: share its files by link")
		}
		if fo.Visibility == VisibilityInternal {
			if in.ClientsUpload != nil && *in.ClientsUpload {
				f.Add("clients_upload", "is only for a folder shared with clients")
			}
			fo.CompanyIDs, fo.ClientsUpload = []int64{}, false
		} else if len(fo.CompanyIDs) == 0 {
			f.Add("company_ids", "must name at least one client company when shared with clients")
		}
		reproject := false
		if in.ParentID != nil {
			switch to := *in.ParentID; {
			case to == 0 && fo.OwnerID != nil:
				f.Add("parent_id", "must be a folder: your personal space has one top folder")
			case to == 0:
				fo.ParentID = nil
			case to == fo.ID:
				f.Add("parent_id", "must not be the folder itself")
			default:
				target, path, err := s.reach(ctx, tn, a, to, false)
				if pr, ok := problem.As(err); ok && pr.Status == 404 {
					f.Add("parent_id", "must be a folder you see")
					break
				} else if err != nil {
					return err
				}
				below := false
				for _, p := range append(path, *target) {
					below = below || p.ID == fo.ID
				}
				// reach's path may leave out ancestors a client does not see: walk them all.
				for p := target.ParentID; p != nil && !below; {
					pf, err := s.store.folder(ctx, tn, *p)
					if err != nil {
						return err
					}
					below, p = pf.ID == fo.ID, pf.ParentID
				}
				switch {
				case below:
					f.Add("parent_id", "must not be inside the folder itself")
				case target.OwnerID != nil && fo.OwnerID == nil && !owns(a, fo.CreatedBy):
					return problem.Forbidden("only its maker or a files manager moves a folder into their personal space")
				case target.OwnerID != nil && fo.Visibility != VisibilityInternal:
					f.Add("parent_id", "must not be in your personal space while the folder is shared with clients")
				default:
					// Into another project's tree (or the shared space, or the personal space):
					// the folder and what is below it go with it — the actor sees the target,
					// checked by reach.
					reproject = !sameProject(target.ProjectID, fo.ProjectID) || !sameProject(target.OwnerID, fo.OwnerID)
					fo.ParentID, fo.ProjectID, fo.OwnerID = &target.ID, target.ProjectID, target.OwnerID
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		fo.UpdatedAt = s.now()
		if err := s.store.saveFolder(ctx, tn, fo); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a folder of this name exists here")
			}
			return err
		}
		if reproject {
			if err := s.store.setProject(ctx, tn, fo.ID, fo.ProjectID, fo.OwnerID); err != nil {
				if db.IsUniqueViolation(err) {
					return problem.Conflict("parent_id", "a folder of this name exists here")
				}
				return err
			}
		}
		if err := s.store.setCompanies(ctx, tn, fo.ID, fo.CompanyIDs); err != nil {
			return err
		}
		out = fo
		return nil
	})
	return out, err
}

func sameProject(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// TrashFolder moves a folder, and so everything in it, to the trash (its maker or a manager).
func (s *Service) TrashFolder(ctx context.Context, a *actor.Actor, id int64) error {
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fo, _, err := s.reach(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		if personalTop(fo) {
			return problem.Conflict("id", "your personal space's top folder is not deleted: delete what it holds")
		}
		now, uid := s.now(), a.UserID
		fo.TrashedAt, fo.TrashedBy, fo.UpdatedAt = &now, &uid, now
		return s.store.saveFolder(ctx, tn, fo)
	})
}

// RestoreFolder brings a folder back from the trash (who trashed it, or a manager); 409 when
// a folder of its name came in the meantime.
func (s *Service) RestoreFolder(ctx context.Context, a *actor.Actor, id int64) (*Folder, error) {
	var out *Folder
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fo, _, err := s.reach(ctx, tn, a, id, true)
		if err != nil {
			return err
		}
		if fo.TrashedAt == nil {
			return problem.Conflict("id", "the folder is not in the trash")
		}
		fo.TrashedAt, fo.TrashedBy, fo.UpdatedAt = nil, nil, s.now()
		if err := s.store.saveFolder(ctx, tn, fo); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a folder of this name exists here: rename it first")
			}
			return err
		}
		out = fo
		return nil
	})
	return out, err
}

// MoveTargets are where the folder may move: the folders of its tree the actor sees that are
// neither the folder nor below it, each named by its path ("Deliverables / 2026").
func (s *Service) MoveTargets(ctx context.Context, a *actor.Actor, f *Folder) ([]Folder, error) {
	tn := s.tenant(a.AccountID())
	all, err := s.store.tree(ctx, tn, f.ProjectID, f.OwnerID)
	if err != nil {
		return nil, err
	}
	if all, err = s.keep(ctx, tn, a, all); err != nil {
		return nil, err
	}
	byID := map[int64]*Folder{}
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	out := []Folder{}
	for _, c := range all {
		label, below := c.Name, c.ID == f.ID
		for p := c.ParentID; p != nil && !below; {
			pf, ok := byID[*p]
			if !ok {
				break
			}
			below, label, p = pf.ID == f.ID, pf.Name+" / "+label, pf.ParentID
		}
		if !below && (f.ParentID == nil || c.ID != *f.ParentID) {
			c.Name = label
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y Folder) int { return strings.Compare(nameKey(x.Name), nameKey(y.Name)) })
	return out, nil
}
