package files

import (
	"context"
	"slices"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
)

// Clients uploading into shared folders (shared/PRODUCT.md "Client extranet"): whoever shares
// a folder with client companies chooses whether those companies' client people may upload
// into it (Folder.ClientsUpload, default no; capability files.upload). A client's upload goes
// through the same paths as a colleague's — the API's multipart or JSON upload, the resumable
// upload, the folder's page — with the same name rules and storage quota; a folder that does
// not take their uploads answers 403 (one they do not see, 404), and writes nothing. WebDAV
// and new versions stay the team's (files.write). The upload is audited
// (files.file.client_uploaded) and told to the folder's project team — or, in the account's
// shared space, to the folder's maker — in the upload's transaction; the file's versions
// name the client as their uploader.

// ClientUploadEvent is the event type of a client's upload (notices' preferences).
const ClientUploadEvent = "files.client_uploaded"

// clientUploadRecipients are whom a client's upload into the folder is told to: the project's
// team (asked of projects), else the folder's maker. Nobody for a colleague's upload.
func (s *Service) clientUploadRecipients(ctx context.Context, a *actor.Actor, f *Folder) ([]int64, error) {
	if !client(a) {
		return nil, nil
	}
	var to []int64
	if f.ProjectID != nil && s.People != nil && s.People.Has() {
		var err error
		if to, err = s.People.Get().Team(ctx, a.AccountID(), *f.ProjectID, 200); err != nil {
			return nil, err
		}
	}
	if f.CreatedBy != nil && !slices.Contains(to, *f.CreatedBy) {
		to = append(to, *f.CreatedBy)
	}
	return slices.DeleteFunc(to, func(id int64) bool { return id == a.UserID }), nil
}

// clientUploaded audits a client's upload and notifies tell, in the upload's transaction.
func (s *Service) clientUploaded(ctx context.Context, tn db.Tenant, a *actor.Actor, f *Folder, fi *File, tell []int64) error {
	if !client(a) {
		return nil
	}
	idb := tn.Unscoped()
	if err := audit.Record(ctx, idb, a, tn.AccountID, "files.file.client_uploaded", fi.Name,
		map[string]any{"file_id": fi.ID, "folder_id": f.ID, "size": fi.Size, "company_id": a.CompanyID}); err != nil {
		return err
	}
	if s.Notifier == nil || len(tell) == 0 {
		return nil
	}
	return s.Notifier.Notify(ctx, idb, automation.Notice{AccountID: tn.AccountID, UserIDs: tell, EventType: ClientUploadEvent,
		Key: "files.notice.client_uploaded", Args: []any{"Name", a.Name, "File", fi.Name, "Folder", f.Name},
		Text: a.Name + " uploaded " + fi.Name + " into " + f.Name + ".", Path: "/files/" + itoa(fi.ID)})
}
