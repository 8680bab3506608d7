package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
)

// stored streams r into the store and keeps it under the account's blob row of its hash (the
// same bytes are kept once per account). The row it returns has no reference yet, but was
// touched: the collector leaves it an hour, time for the caller's transaction to take one.
// size is the content's length when known (-1 otherwise): the quota is asked before a byte is
// stored, or — unknown — once the bytes are there, before anything holds them.
func (s *Service) stored(ctx context.Context, a *actor.Actor, r io.Reader, size int64) (*Blob, *storage.Upload, error) {
	if size > s.MaxUpload {
		return nil, nil, problem.TooLarge(fmt.Sprintf("a file may hold at most %d bytes", s.MaxUpload))
	}
	if err := s.checkQuota(ctx, a, size); err != nil {
		return nil, nil, err
	}
	if l, ok := r.(interface{ AtLeast() int64 }); ok && size < 0 && l.AtLeast() > 0 {
		// A streamed part whose exact size comes at its end (http_upload.go).
		if err := s.checkQuota(ctx, a, l.AtLeast()); err != nil {
			return nil, nil, err
		}
	}
	up, err := s.Blobs.Put(ctx, a.AccountID(), r, s.MaxUpload)
	if errors.Is(err, storage.ErrTooLarge) {
		return nil, nil, problem.TooLarge(fmt.Sprintf("a file may hold at most %d bytes", s.MaxUpload))
	}
	if err != nil {
		return nil, nil, err
	}
	if size < 0 {
		if err := s.checkQuota(ctx, a, up.Size); err != nil {
			_ = s.Blobs.Drop(context.WithoutCancel(ctx), up.TmpKey)
			return nil, nil, err
		}
	}
	tn := s.tenant(a.AccountID())
	var b *Blob
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		var err error
		b, err = s.store.reserveBlob(ctx, tn, up.SHA256, up.Size, s.now())
		return err
	})
	if err != nil {
		_ = s.Blobs.Drop(context.WithoutCancel(ctx), up.TmpKey)
		return nil, nil, err
	}
	if b.Stored {
		// The account holds these bytes already.
		return b, up, s.Blobs.Drop(ctx, up.TmpKey)
	}
	// Another upload of the same bytes may be keeping them at this moment: both keep the
	// same bytes under the same key, which is harmless.
	if err := s.Blobs.Keep(ctx, up.TmpKey, storage.Key(a.AccountID(), b.SHA256, b.ID)); err != nil {
		return nil, nil, err
	}
	if err := s.store.markStored(ctx, tn, b.ID); err != nil {
		return nil, nil, err
	}
	b.Stored = true
	return b, up, nil
}

// sniff is the type of content from its first bytes (never from what the client said).
func sniff(head []byte) string { return http.DetectContentType(head) }

// Upload adds a file to a folder the actor reaches, streaming its content (of size bytes, -1
// when unknown: see stored): 201 with version 1; 409 when the folder holds a file of that name
// (ignoring case and Unicode normalization); 413 past the account's storage quota.
func (s *Service) Upload(ctx context.Context, a *actor.Actor, folderID int64, name string, r io.Reader, size int64) (*Uploaded, error) {
	return s.uploadInto(ctx, a, folderID, name, r, size, false, nil)
}

// uploadInto is Upload; with free, a taken name becomes "name (2).ext" instead of a 409; then,
// when given, runs in the transaction that adds the file (an attachment's row: attach.go).
func (s *Service) uploadInto(ctx context.Context, a *actor.Actor, folderID int64, name string, r io.Reader, size int64,
	free bool, then func(ctx context.Context, tn db.Tenant, fi *File) error) (*Uploaded, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	name, key := checkName(&f, "file", name)
	if err := f.Err(); err != nil {
		return nil, err
	}
	folder, _, err := s.reach(ctx, tn, a, folderID, false)
	if err != nil {
		return nil, err
	}
	// A plain upload follows the folder's rule (an attachment, then, its task's: attach.go).
	plain := then == nil
	if plain && !mayUpload(a, folder) {
		return nil, problem.Forbidden("this folder takes no uploads from you")
	}
	// A client's upload is told to the folder's project team, asked before the transaction.
	var tell []int64
	if plain {
		if tell, err = s.clientUploadRecipients(ctx, a, folder); err != nil {
			return nil, err
		}
	}
	if taken, err := s.store.nameTaken(ctx, tn, folderID, key, 0); err != nil {
		return nil, err
	} else if taken && !free {
		return nil, problem.Conflict("file", "a file of this name exists in the folder")
	}
	b, up, err := s.stored(ctx, a, r, size)
	if err != nil {
		return nil, err
	}
	var out *Uploaded
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		folder, _, err := s.reach(ctx, tn, a, folderID, false)
		if err != nil {
			return err
		}
		if plain && !mayUpload(a, folder) { // the share changed meanwhile
			return problem.Forbidden("this folder takes no uploads from you")
		}
		if free {
			var err error
			name, key, err = freeName(name, true, func(k string) (bool, error) { return s.store.nameTaken(ctx, tn, folderID, k, 0) })
			if err != nil {
				return err
			}
		}
		now, uid := s.now(), a.UserID
		fi := &File{AccountID: a.AccountID(), FolderID: folderID, Name: name, NameKey: key, Size: up.Size, SHA256: up.SHA256,
			MIME: sniff(up.Head), Version: 1, CreatedBy: &uid, UpdatedBy: &uid, CreatedAt: now, UpdatedAt: now}
		if err := s.store.insertFile(ctx, tn, fi); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("file", "a file of this name exists in the folder")
			}
			return err
		}
		if err := s.addVersion(ctx, tn, fi, b, uid); err != nil {
			return err
		}
		if then != nil {
			if err := then(ctx, tn, fi); err != nil {
				return err
			}
		}
		if plain {
			if err := s.clientUploaded(ctx, tn, a, folder, fi, tell); err != nil {
				return err
			}
		}
		out = &Uploaded{ID: fi.ID, Name: fi.Name, Size: fi.Size, SHA256: fi.SHA256, Version: 1}
		return nil
	})
	return out, err
}

// addVersion records version fi.Version of the file on blob b, and takes its reference.
func (s *Service) addVersion(ctx context.Context, tn db.Tenant, fi *File, b *Blob, by int64) error {
	ok, err := s.store.ref(ctx, tn, b.ID)
	if err != nil {
		return err
	}
	if !ok {
		// Cannot happen within the hour the upload reserved; never a silent loss if it does.
		return problem.New(http.StatusServiceUnavailable, "the stored content went away; please upload again")
	}
	v := &Version{AccountID: fi.AccountID, FileID: fi.ID, N: fi.Version, BlobID: b.ID, Size: fi.Size, SHA256: fi.SHA256, MIME: fi.MIME, UploadedBy: &by, CreatedAt: fi.UpdatedAt}
	return s.store.insertVersion(ctx, tn, v)
}

// File is a file the actor sees.
func (s *Service) File(ctx context.Context, a *actor.Actor, id int64) (*File, *Folder, error) {
	return s.reachFile(ctx, s.tenant(a.AccountID()), a, id, false)
}

// UpdateFile renames a file or moves it to another folder the actor reaches (its uploader,
// or a files manager); 409 when the name is taken there.
func (s *Service) UpdateFile(ctx context.Context, a *actor.Actor, id int64, in FilePatch) (*File, error) {
	var out *File
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, from, err := s.reachFile(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		var f problem.Fields
		if in.Name != nil {
			fi.Name, fi.NameKey = checkName(&f, "name", *in.Name)
		}
		if in.FolderID != nil {
			if to, _, err := s.reach(ctx, tn, a, *in.FolderID, false); err != nil {
				if pr, ok := problem.As(err); ok && pr.Status == 404 {
					f.Add("folder_id", "must be a folder you see")
				} else {
					return err
				}
			} else {
				if to.OwnerID != nil && from.OwnerID == nil && !owns(a, fi.CreatedBy) {
					return problem.Forbidden("only its uploader or a files manager moves a file into their personal space")
				}
				fi.FolderID = *in.FolderID
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		field := "name"
		if in.Name == nil {
			field = "folder_id"
		}
		if taken, err := s.store.nameTaken(ctx, tn, fi.FolderID, fi.NameKey, fi.ID); err != nil {
			return err
		} else if taken {
			return problem.Conflict(field, "a file of this name exists in the folder")
		}
		fi.UpdatedAt = s.now()
		if err := s.store.saveFile(ctx, tn, fi); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict(field, "a file of this name exists in the folder")
			}
			return err
		}
		out = fi
		return nil
	})
	return out, err
}

// TrashFile moves a file to the trash (its uploader or a files manager).
func (s *Service) TrashFile(ctx context.Context, a *actor.Actor, id int64) error {
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		now, uid := s.now(), a.UserID
		fi.TrashedAt, fi.TrashedBy = &now, &uid
		return s.store.saveFile(ctx, tn, fi)
	})
}

// RestoreFile brings a file back from the trash; 409 when a file of its name came meanwhile.
func (s *Service) RestoreFile(ctx context.Context, a *actor.Actor, id int64) (*File, error) {
	var out *File
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, id, true)
		if err != nil {
			return err
		}
		if fi.TrashedAt == nil {
			return problem.Conflict("id", "the file is not in the trash")
		}
		fi.TrashedAt, fi.TrashedBy = nil, nil
		if err := s.store.saveFile(ctx, tn, fi); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a file of this name exists in the folder: rename it first")
			}
			return err
		}
		out = fi
		return nil
	})
	return out, err
}

// Trash lists what is in the trash: what the actor deleted, everything for a manager.
func (s *Service) Trash(ctx context.Context, a *actor.Actor) ([]Folder, []File, error) {
	tn := s.tenant(a.AccountID())
	by := a.UserID
	if manager(a) {
		by = 0
	}
	fos, err := s.store.trashedFolders(ctx, tn, by, a.UserID, 500)
	if err != nil {
		return nil, nil, err
	}
	fis, err := s.store.trashedFiles(ctx, tn, by, a.UserID, 500)
	return fos, fis, err
}

// ---- Versions ----

// Versions lists a file's versions, newest first.
func (s *Service) Versions(ctx context.Context, a *actor.Actor, id int64) ([]Version, error) {
	tn := s.tenant(a.AccountID())
	if _, _, err := s.reachFile(ctx, tn, a, id, false); err != nil {
		return nil, err
	}
	return s.store.versions(ctx, tn, id)
}

// AddVersion uploads new content (of size bytes, -1 when unknown) onto a file: version n+1.
func (s *Service) AddVersion(ctx context.Context, a *actor.Actor, id int64, r io.Reader, size int64) (*Uploaded, error) {
	tn := s.tenant(a.AccountID())
	if _, _, err := s.reachFile(ctx, tn, a, id, false); err != nil {
		return nil, err
	}
	b, up, err := s.stored(ctx, a, r, size)
	if err != nil {
		return nil, err
	}
	return s.newVersion(ctx, a, id, b, up.Size, up.SHA256, sniff(up.Head))
}

// RestoreVersion makes a new version with the content of version n.
func (s *Service) RestoreVersion(ctx context.Context, a *actor.Actor, id int64, n int) (*Uploaded, error) {
	tn := s.tenant(a.AccountID())
	if _, _, err := s.reachFile(ctx, tn, a, id, false); err != nil {
		return nil, err
	}
	v, err := s.store.version(ctx, tn, id, n)
	if err != nil {
		return nil, err
	}
	return s.newVersion(ctx, a, id, &Blob{ID: v.BlobID}, v.Size, v.SHA256, v.MIME)
}

func (s *Service) newVersion(ctx context.Context, a *actor.Actor, id int64, b *Blob, size int64, sum, mime string) (*Uploaded, error) {
	var out *Uploaded
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		fi, _, err := s.reachFile(ctx, tn, a, id, false)
		if err != nil {
			return err
		}
		uid := a.UserID
		fi.Version++
		fi.Size, fi.SHA256, fi.MIME, fi.UpdatedBy, fi.UpdatedAt = size, sum, mime, &uid, s.now()
		if err := s.store.saveFile(ctx, tn, fi); err != nil {
			return err
		}
		if err := s.addVersion(ctx, tn, fi, b, uid); err != nil {
			return err
		}
		out = &Uploaded{ID: fi.ID, Name: fi.Name, Size: fi.Size, SHA256: fi.SHA256, Version: fi.Version}
		return nil
	})
	return out, err
}

// ---- Downloads ----

// Content is what a download sends.
type Content struct {
	File    *File
	Version *Version
	Key     string
}

// Open finds version n (0: the current one) of a file the actor sees, for a download.
func (s *Service) Open(ctx context.Context, a *actor.Actor, id int64, n int) (*Content, error) {
	tn := s.tenant(a.AccountID())
	fi, _, err := s.reachFile(ctx, tn, a, id, false)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		n = fi.Version
	}
	v, err := s.store.version(ctx, tn, id, n)
	if err != nil {
		return nil, err
	}
	return &Content{File: fi, Version: v, Key: storage.Key(a.AccountID(), v.SHA256, v.BlobID)}, nil
}

// Downloaded records a download in the file's history.
func (s *Service) Downloaded(ctx context.Context, a *actor.Actor, c *Content) error {
	uid := a.UserID
	return s.store.insertDownload(ctx, s.tenant(a.AccountID()), &Download{AccountID: a.AccountID(), FileID: c.File.ID, Version: c.Version.N, UserID: &uid, CreatedAt: s.now()})
}

// MayHistory reports whether the actor reads the download history of the file: its uploader
// and the files managers.
func MayHistory(a *actor.Actor, fi *File) bool {
	return manager(a) || (fi.CreatedBy != nil && *fi.CreatedBy == a.UserID)
}

// Downloads is the download history of a file, newest first (its uploader, files managers).
func (s *Service) Downloads(ctx context.Context, a *actor.Actor, id int64) ([]Download, error) {
	tn := s.tenant(a.AccountID())
	fi, _, err := s.reachFile(ctx, tn, a, id, false)
	if err != nil {
		return nil, err
	}
	if !MayHistory(a, fi) {
		return nil, problem.Forbidden("the download history is its uploader's and the files managers'")
	}
	return s.store.downloads(ctx, tn, id, 1000)
}
