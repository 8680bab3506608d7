package files

import (
	"context"
	"path"
	"strconv"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Copies: a copy of a file is a new file whose version 1 holds the same blob as the original's
// current version (its reference count goes up: no byte is copied, no storage used); a copy of
// a folder copies what the copier sees below it, folders and files, at most MaxCopyFolders and
// MaxCopyFiles (422 beyond: copy a smaller part). A copy goes into any folder the copier
// reaches — of another project too, or to the top of a project they see or of the shared
// space — and takes a free name there: "report.pdf" becomes "report (2).pdf".

// Limits of a folder copy.
const (
	MaxCopyFolders = 200
	MaxCopyFiles   = 1000
)

// CopyInput copies a file into a folder.
type CopyInput struct {
	FolderID int64 `json:"folder_id" openapi:"required" example:"7"`
}

// FolderCopyInput copies a folder: into parent_id, or to the top of project_id, or (neither)
// to the top of the account's shared space.
type FolderCopyInput struct {
	ParentID  int64 `json:"parent_id" example:"12"`
	ProjectID int64 `json:"project_id" example:"0"`
}

// freeName is name, or the first of "name (2)", "name (3)"... (before the extension for a
// file) that is not taken, as taken says of a name key.
func freeName(name string, file bool, taken func(key string) (bool, error)) (string, string, error) {
	base, ext := name, ""
	if file {
		if e := path.Ext(name); e != "" && e != name {
			base, ext = strings.TrimSuffix(name, e), e
		}
	}
	for n := 1; n <= 1000; n++ {
		cand := name
		if n > 1 {
			cand = base + " (" + strconv.Itoa(n) + ")" + ext
		}
		if len(cand) > MaxName {
			// Shorten the base, never the number or the extension.
			cut := len(cand) - MaxName
			b := []rune(base)
			for cut > 0 && len(b) > 0 {
				cut -= len(string(b[len(b)-1]))
				b = b[:len(b)-1]
			}
			cand = string(b) + " (" + strconv.Itoa(n) + ")" + ext
		}
		key := nameKey(cand)
		t, err := taken(key)
		if err != nil {
			return "", "", err
		}
		if !t {
			return cand, key, nil
		}
	}
	return "", "", problem.Conflict("name", "too many copies of this name here: rename some first")
}

// CopyFile copies a file the actor sees into a folder they reach: 201 with the copy.
func (s *Service) CopyFile(ctx context.Context, a *actor.Actor, id int64, in CopyInput) (*File, error) {
	var out *File
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		if _, _, err := s.reach(ctx, tn, a, in.FolderID, false); err != nil {
			if pr, ok := problem.As(err); ok && pr.Status == 404 {
				return problem.Invalid(problem.FieldError{Field: "folder_id", Message: "must be a folder you see"})
			}
			return err
		}
		out, err = s.copyFile(ctx, tn, a, fi, in.FolderID)
		return err
	})
	return out, err
}

// copyFile makes the copy of fi in folder: version 1 on the blob of fi's current version.
func (s *Service) copyFile(ctx context.Context, tn db.Tenant, a *actor.Actor, fi *File, folder int64) (*File, error) {
	v, err := s.store.version(ctx, tn, fi.ID, fi.Version)
	if err != nil {
		return nil, err
	}
	name, key, err := freeName(fi.Name, true, func(key string) (bool, error) { return s.store.nameTaken(ctx, tn, folder, key, 0) })
	if err != nil {
		return nil, err
	}
	now, uid := s.now(), a.UserID
	nf := &File{AccountID: a.AccountID(), FolderID: folder, Name: name, NameKey: key, Size: v.Size, SHA256: v.SHA256, MIME: v.MIME,
		Version: 1, CreatedBy: &uid, UpdatedBy: &uid, CreatedAt: now, UpdatedAt: now}
	if err := s.store.insertFile(ctx, tn, nf); err != nil {
		return nil, err
	}
	if err := s.addVersion(ctx, tn, nf, &Blob{ID: v.BlobID}, uid); err != nil {
		return nil, err
	}
	return nf, nil
}

// CopyFolder copies a folder the actor sees, with what they see below it, into parent_id (not
// the folder itself nor below it) or to the top of project_id or of the shared space: 201
// with the copy. Inside a parent, the copy takes the parent's sharing; at a top, the folder's.
func (s *Service) CopyFolder(ctx context.Context, a *actor.Actor, id int64, in FolderCopyInput) (*Folder, error) {
	var out *Folder
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		src, _, err := s.reach(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		var f problem.Fields
		now, uid := s.now(), a.UserID
		top := &Folder{AccountID: a.AccountID(), Visibility: src.Visibility, CompanyIDs: src.CompanyIDs, CreatedBy: &uid, CreatedAt: now, UpdatedAt: now}
		switch {
		case in.ParentID < 0 || in.ProjectID < 0:
			f.Add("parent_id", "must be an id")
		case in.ParentID != 0:
			parent, _, err := s.reach(ctx, tn, a, in.ParentID, false)
			if pr, ok := problem.As(err); ok && pr.Status == 404 {
				f.Add("parent_id", "must be a folder you see")
				break
			} else if err != nil {
				return err
			}
			below := false
			for p := &parent.ID; p != nil && !below; {
				pf, err := s.store.folder(ctx, tn, *p)
				if err != nil {
					return err
				}
				below, p = pf.ID == src.ID, pf.ParentID
			}
			if below {
				f.Add("parent_id", "must not be inside the folder itself")
			}
			top.ParentID, top.ProjectID, top.OwnerID, top.Visibility, top.CompanyIDs = &parent.ID, parent.ProjectID, parent.OwnerID, parent.Visibility, parent.CompanyIDs
		case in.ProjectID != 0:
			seen, err := s.Projects.Get().SeenIn(ctx, tn.Unscoped(), a, []int64{in.ProjectID})
			if err != nil {
				return err
			}
			if _, ok := seen[in.ProjectID]; !ok {
				f.Add("project_id", "must be a project you see")
			}
			top.ProjectID = &in.ProjectID
		}
		if err := f.Err(); err != nil {
			return err
		}
		// What is copied: the folders below that the actor sees, and their files.
		type node struct {
			src  Folder
			into *Folder
		}
		queue := []node{{*src, top}}
		folders, files := 0, 0
		for i := 0; i < len(queue); i++ {
			folders++
			if folders > MaxCopyFolders {
				return problem.Invalid(problem.Sayf("id", "must hold at most {max} folders to be copied at once", "max", MaxCopyFolders))
			}
			n, err := s.store.countFiles(ctx, tn, queue[i].src.ID)
			if err != nil {
				return err
			}
			if files += n; files > MaxCopyFiles {
				return problem.Invalid(problem.Sayf("id", "must hold at most {max} files to be copied at once", "max", MaxCopyFiles))
			}
			subs, err := s.store.folders(ctx, tn, queue[i].src.ID, 0)
			if err != nil {
				return err
			}
			if subs, err = s.keep(ctx, tn, a, subs); err != nil {
				return err
			}
			for _, sub := range subs {
				queue = append(queue, node{src: sub})
			}
		}
		// The copies, top first: each folder then its files.
		made := map[int64]*Folder{}
		for i, n := range queue {
			nf := n.into
			if i == 0 {
				var parent, project int64
				if nf.ParentID != nil {
					parent = *nf.ParentID
				}
				if nf.ProjectID != nil {
					project = *nf.ProjectID
				}
				if nf.Name, nf.NameKey, err = freeName(src.Name, false, func(key string) (bool, error) {
					return s.store.folderNameTaken(ctx, tn, parent, project, key)
				}); err != nil {
					return err
				}
			} else {
				p := made[*n.src.ParentID]
				nf = &Folder{AccountID: a.AccountID(), ParentID: &p.ID, ProjectID: p.ProjectID, OwnerID: p.OwnerID, Name: n.src.Name, NameKey: n.src.NameKey,
					Visibility: n.src.Visibility, CompanyIDs: n.src.CompanyIDs, CreatedBy: &uid, CreatedAt: now, UpdatedAt: now}
			}
			if nf.OwnerID != nil { // a personal space is nobody's but its owner's
				nf.Visibility = VisibilityInternal
			}
			if nf.Visibility == VisibilityInternal {
				nf.CompanyIDs = nil
			}
			if err := s.store.insertFolder(ctx, tn, nf); err != nil {
				return err
			}
			if err := s.store.setCompanies(ctx, tn, nf.ID, nf.CompanyIDs); err != nil {
				return err
			}
			made[n.src.ID] = nf
			fis, err := s.store.files(ctx, tn, n.src.ID, MaxCopyFiles, cursor{})
			if err != nil {
				return err
			}
			for j := range fis {
				if _, err := s.copyFile(ctx, tn, a, &fis[j], nf.ID); err != nil {
					return err
				}
			}
		}
		out = made[src.ID]
		if out.CompanyIDs == nil {
			out.CompanyIDs = []int64{}
		}
		return nil
	})
	return out, err
}

// ---- Store ----

func (store) countFiles(ctx context.Context, tn db.Tenant, folder int64) (int, error) {
	n, err := tn.SelectFrom("files_files", "fi").Where("fi.folder_id = ? AND fi.trashed_at IS NULL", folder).Count(ctx)
	return int(n), err
}

// folderNameTaken reports whether an untrashed folder of the key is in parent (0: the top of
// project, 0: of the shared space).
func (store) folderNameTaken(ctx context.Context, tn db.Tenant, parent, project int64, key string) (bool, error) {
	q := tn.SelectFrom("files_folders", "fo").Where("fo.name_key = ? AND fo.trashed_at IS NULL", key)
	switch {
	case parent != 0:
		q = q.Where("fo.parent_id = ?", parent)
	case project != 0:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id = ?", project)
	default:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id IS NULL AND fo.owner_id IS NULL")
	}
	return q.Exists(ctx)
}
