package files

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
)

// projectFiles is the files side of the projects module's ProjectFiles port: a project's
// overview lists its latest files, each checked by the same reach as the file pages (the
// project seen through ProjectsSeen, a client only the folders shared with their company,
// nothing in the trash or under a trashed folder).
type projectFiles struct{ svc *Service }

var _ projects.ProjectFiles = projectFiles{}

// maxRecentScan bounds how many of a project's latest files one overview looks at to find
// limit the reader sees (a client may see few of them).
const maxRecentScan = 200

func (p projectFiles) Recent(ctx context.Context, a *actor.Actor, slug string, projectID int64, limit int) ([]projects.ProjectFile, error) {
	out := []projects.ProjectFile{}
	if a == nil || a.AccountID() <= 0 || projectID <= 0 || limit <= 0 {
		return out, nil
	}
	tn := p.svc.tenant(a.AccountID())
	var rows []File
	if err := tn.Select(&rows).Column("fi.id", "fi.folder_id", "fi.name", "fi.size", "fi.mime", "fi.updated_by", "fi.updated_at").
		Join("JOIN files_folders AS fo ON fo.account_id = fi.account_id AND fo.id = fi.folder_id").
		Where("fo.project_id = ? AND fo.trashed_at IS NULL AND fi.trashed_at IS NULL", projectID).
		OrderExpr("fi.updated_at DESC, fi.id DESC").Limit(int64(min(limit*4, maxRecentScan))).Scan(ctx); err != nil {
		return nil, err
	}
	seen := map[int64]bool{} // folder id: the reader reaches it
	var kept []File
	for _, f := range rows {
		ok, asked := seen[f.FolderID]
		if !asked {
			_, _, err := p.svc.reach(ctx, tn, a, f.FolderID, false)
			if pr, isPr := problem.As(err); isPr && pr.Status == 404 {
				err = nil
			} else if err == nil {
				ok = true
			}
			if err != nil {
				return nil, err
			}
			seen[f.FolderID] = ok
		}
		if ok {
			kept = append(kept, f)
		}
		if len(kept) == limit {
			break
		}
	}
	var ids []int64
	for _, f := range kept {
		if f.UpdatedBy != nil {
			ids = append(ids, *f.UpdatedBy)
		}
	}
	names, err := p.svc.store.names(ctx, tn, ids)
	if err != nil {
		return nil, err
	}
	for _, f := range kept {
		pf := projects.ProjectFile{ID: f.ID, Name: f.Name, Size: f.Size, MIME: f.MIME, UpdatedAt: f.UpdatedAt, URL: "/" + slug + "/files/" + itoa(f.ID)}
		if f.UpdatedBy != nil {
			pf.UpdatedByName = names[*f.UpdatedBy]
		}
		out = append(out, pf)
	}
	return out, nil
}
