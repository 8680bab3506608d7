// Package contract is what the files module publishes for the other modules: its ports. It is
// the one package of files another module may import.
package contract

import (
	"context"
	"errors"

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

// PluginFilesPort is the name of the PluginFiles port, which files provides for the plugin
// host (plugins/host).
const PluginFilesPort = "files.plugin_files"

// PluginFile is a file's metadata as a partner's plugin reads it (its current version).
type PluginFile struct {
	ID        int64
	FolderID  int64
	Name      string
	Size      int64
	MIME      string
	SHA256    string
	Version   int
	UpdatedAt int64 // Unix seconds
}

// ErrFileTooLarge is what PluginFiles.Read answers for a file past the reader's cap.
var ErrFileTooLarge = errors.New("the file is larger than the cap")

// PluginFiles answers the plugin host's reads of an account's files: the files in use (not
// in the trash, nor under a trashed folder), never those of a person's personal space. The host has checked the plugin's grant and the
// calling account, and narrows the answers to what a viewer sees through FilesSeen.
type PluginFiles interface {
	// ProjectFiles lists the files of a project's folders, by name, at most limit.
	ProjectFiles(ctx context.Context, accountID, projectID int64, limit int) ([]PluginFile, error)
	// Read answers a file's current bytes, ErrFileTooLarge past maxBytes, and (nil, nil)
	// metadata for no such file in use in the account.
	Read(ctx context.Context, accountID, fileID, maxBytes int64) (*PluginFile, []byte, error)
}
