package files

import (
	"context"
	"io"

	"github.com/uptrace/bun"

	"groupcamp/core/problem"
	"groupcamp/modules/files/contract"
	"groupcamp/modules/files/storage"
)

// pluginFiles is the files side of the plugin host's port (contract.PluginFiles): the
// account's files in use, for the Host API a partner's plugin calls. The host has checked the
// plugin's grant and the account; it narrows to a viewer's reach through FilesSeen.
type pluginFiles struct{ svc *Service }

var _ contract.PluginFiles = pluginFiles{}

func pluginFileOf(f *File) contract.PluginFile {
	return contract.PluginFile{ID: f.ID, FolderID: f.FolderID, Name: f.Name, Size: f.Size, MIME: f.MIME, SHA256: f.SHA256, Version: f.Version, UpdatedAt: f.UpdatedAt.Unix()}
}

func (p pluginFiles) ProjectFiles(ctx context.Context, accountID, projectID int64, limit int) ([]contract.PluginFile, error) {
	out := []contract.PluginFile{}
	if accountID <= 0 {
		return out, nil
	}
	tn := p.svc.tenant(accountID)
	// The project's untrashed folders; one whose parent is not among them sits under a
	// trashed folder, and so do its children: only the folders reached from the top count.
	pid := projectID
	tree, err := p.svc.store.tree(ctx, tn, &pid, nil)
	if err != nil {
		return nil, err
	}
	children := map[int64][]int64{}
	for _, f := range tree {
		parent := int64(0)
		if f.ParentID != nil {
			parent = *f.ParentID
		}
		children[parent] = append(children[parent], f.ID)
	}
	var live []int64
	for next := children[0]; len(next) > 0; {
		live = append(live, next...)
		var deeper []int64
		for _, id := range next {
			deeper = append(deeper, children[id]...)
		}
		next = deeper
	}
	if len(live) == 0 {
		return out, nil
	}
	var rows []File
	err = tn.Select(&rows).Column("id", "folder_id", "name", "size", "sha256", "mime", "version", "updated_at").
		Where("fi.folder_id IN (?) AND fi.trashed_at IS NULL", bun.List(live)).OrderExpr("fi.name_key, fi.id").Limit(int64(limit)).Scan(ctx)
	for i := range rows {
		out = append(out, pluginFileOf(&rows[i]))
	}
	return out, err
}

func (p pluginFiles) Read(ctx context.Context, accountID, fileID, maxBytes int64) (*contract.PluginFile, []byte, error) {
	if accountID <= 0 {
		return nil, nil, nil
	}
	tn := p.svc.tenant(accountID)
	f, err := p.svc.store.file(ctx, tn, fileID)
	if pr, ok := problem.As(err); ok && pr.Status == 404 {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	if f.TrashedAt != nil {
		return nil, nil, nil
	}
	// The folder and every ancestor must be in use too (trash hides what is under it).
	for id, depth := &f.FolderID, 0; id != nil; depth++ {
		fo, err := p.svc.store.folder(ctx, tn, *id)
		if pr, ok := problem.As(err); (ok && pr.Status == 404) || depth > 64 {
			return nil, nil, nil
		} else if err != nil {
			return nil, nil, err
		}
		if fo.TrashedAt != nil || fo.OwnerID != nil { // nor a personal space's (personal.go)
			return nil, nil, nil
		}
		id = fo.ParentID
	}
	meta := pluginFileOf(f)
	if f.Size > maxBytes {
		return &meta, nil, contract.ErrFileTooLarge
	}
	v, err := p.svc.store.version(ctx, tn, f.ID, f.Version)
	if err != nil {
		return nil, nil, err
	}
	r, err := p.svc.Blobs.Open(ctx, storage.Key(accountID, v.SHA256, v.BlobID), 0, -1)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	// Read one byte past the cap: a blob larger than its row says is refused, not cut.
	b, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(b)) > maxBytes {
		return &meta, nil, contract.ErrFileTooLarge
	}
	return &meta, b, nil
}
