// Package contract is what the files module publishes for the other modules: its ports. It is
// the one package of files another module may import.
package contract

import (
	"context"

	"groupcamp/core/actor"
)

// FilesSeenPort is the name of the FilesSeen port, which files provides (for the extranet's
// deliverables: the file a deliverable points at).
const FilesSeenPort = "files.files_seen"

// FileRef is a file as another module names it.
type FileRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Shared says whether the file's folder is shared with the company asked about.
	Shared bool `json:"shared"`
}

// FilesSeen answers which files a person sees, with the files module's own scope (the folder's
// project, its visibility, the trash), without the asking module importing files.
type FilesSeen interface {
	// Seen keeps, of ids, the files of the person's account that they see, by id; with a
	// companyID, Shared says whether each one's folder is shared with that client company.
	Seen(ctx context.Context, person *actor.Actor, companyID int64, ids []int64) (map[int64]FileRef, error)
}
