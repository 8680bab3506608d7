package files

import (
	"path"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Visibility of a folder: internal (colleagues) or shared with chosen client companies.
const (
	VisibilityInternal = "internal"
	VisibilityClients  = "clients"
)

// Folder is a folder of the tree: at the top of a project (ProjectID, no parent), of a
// person's personal space (OwnerID, no parent) or of the account's shared space (none), or
// inside another folder (whose project or owner it keeps).
type Folder struct {
	bun.BaseModel `bun:"table:files_folders,alias:fo"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	ParentID  *int64 `bun:"parent_id" json:"parent_id"`
	ProjectID *int64 `bun:"project_id" json:"project_id"`
	// OwnerID is the person whose personal space the folder is in (personal.go): only they
	// see it. Nil for the shared space's and the projects' folders.
	OwnerID    *int64 `bun:"owner_id" json:"owner_id,omitempty"`
	Name       string `bun:"name" json:"name"`
	NameKey    string `bun:"name_key" json:"-"`
	Visibility string `bun:"visibility" json:"visibility" enum:"internal,clients"`
	// ClientsUpload: the client people of the companies it is shared with may upload files
	// into it (the sharer's choice; false for an internal folder).
	ClientsUpload bool       `bun:"clients_upload" json:"clients_upload"`
	CreatedBy     *int64     `bun:"created_by" json:"created_by"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
	TrashedAt     *time.Time `bun:"trashed_at" json:"trashed_at,omitempty"`
	TrashedBy     *int64     `bun:"trashed_by" json:"-"`

	CompanyIDs []int64 `bun:"-" json:"company_ids"`
	// ProjectName is the project's name, for people.
	ProjectName string `bun:"-" json:"project_name,omitempty"`
}

// Personal reports whether the folder is the top of a personal space (personal.go), which
// pages name in the reader's language.
func (f Folder) Personal() bool { return personalTop(&f) }

// FolderInput creates a folder. Without parent_id it is a top folder: of the project
// project_id, or of the account's shared space. Without visibility it takes its parent's.
type FolderInput struct {
	Name       string  `json:"name" openapi:"required" example:"Deliverables"`
	ParentID   int64   `json:"parent_id" example:"0"`
	ProjectID  int64   `json:"project_id" example:"3"`
	Visibility string  `json:"visibility" enum:"internal,clients" example:"clients"`
	CompanyIDs []int64 `json:"company_ids" example:"[4]"`
	// ClientsUpload lets those companies' client people upload files into it (default: its
	// parent's choice, or no).
	ClientsUpload *bool `json:"clients_upload" example:"false"`
}

// FolderPatch renames a folder, moves it (parent_id; 0 to the top), changes its visibility.
type FolderPatch struct {
	Name       *string  `json:"name" example:"Final deliverables"`
	ParentID   *int64   `json:"parent_id" example:"0"`
	Visibility *string  `json:"visibility" enum:"internal,clients" example:"internal"`
	CompanyIDs *[]int64 `json:"company_ids" example:"[]"`
	// ClientsUpload lets the client people of the companies it is shared with upload into it.
	ClientsUpload *bool `json:"clients_upload" example:"true"`
}

// FolderView is a folder with its path and its content.
type FolderView struct {
	Folder  Folder   `json:"folder"`
	Path    []Folder `json:"path"` // the ancestors the reader sees, top first
	Folders []Folder `json:"folders"`
	Files   []File   `json:"files"`
	// Writable: the reader may add, rename and delete here.
	Writable bool `json:"writable"`
	// Uploadable: the reader may upload files here (a writer, or a client where the folder's
	// share lets its clients upload).
	Uploadable bool `json:"uploadable"`
	// Next is the cursor of the files after these (?cursor=), when there are more.
	Next string `json:"next,omitempty"`
}

// cursor is where a page of a folder's files starts: after the file of name key Key and id
// ID (0: at the first).
type cursor struct {
	Key string
	ID  int64
}

// File is a file in a folder: its current version's size, hash and type.
type File struct {
	bun.BaseModel `bun:"table:files_files,alias:fi"`

	ID        int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64      `bun:"account_id" json:"-"`
	FolderID  int64      `bun:"folder_id" json:"folder_id"`
	Name      string     `bun:"name" json:"name"`
	NameKey   string     `bun:"name_key" json:"-"`
	Size      int64      `bun:"size" json:"size"`
	SHA256    string     `bun:"sha256" json:"sha256"`
	MIME      string     `bun:"mime" json:"mime"`
	Version   int        `bun:"version" json:"version"`
	CreatedBy *int64     `bun:"created_by" json:"created_by"`
	UpdatedBy *int64     `bun:"updated_by" json:"updated_by"`
	CreatedAt time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time  `bun:"updated_at" json:"updated_at"`
	TrashedAt *time.Time `bun:"trashed_at" json:"trashed_at,omitempty"`
	TrashedBy *int64     `bun:"trashed_by" json:"-"`

	// UpdatedByName is who uploaded the current version, for people.
	UpdatedByName string `bun:"updated_by_name,scanonly" json:"updated_by_name,omitempty"`
	// Thumb: the current version is an image with a thumbnail (GET .../thumbnail), in listings.
	Thumb bool `bun:"thumb,scanonly" json:"thumb,omitempty"`
}

// Badge is the type label pages show for a file without a thumbnail (a PDF, a spreadsheet…):
// its extension, upper-cased, at most 4 letters or digits; "" when it has none.
func (f File) Badge() string {
	ext := strings.TrimPrefix(path.Ext(f.Name), ".")
	if ext == "" || len(ext) > 4 {
		return ""
	}
	for _, r := range ext {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return ""
		}
	}
	return strings.ToUpper(ext)
}

// FileInput creates a small text file from JSON (the API's alternative to a multipart
// upload: notes, scripts' output).
type FileInput struct {
	Name    string `json:"name" openapi:"required" example:"notes.txt"`
	Content string `json:"content" example:"Minutes of the kick-off meeting"`
	// ContentBase64 is the content of a small binary file (an icon, a scan), in standard
	// base64, instead of Content.
	ContentBase64 string `json:"content_base64,omitempty"`
}

// FilePatch renames a file or moves it to another folder.
type FilePatch struct {
	Name     *string `json:"name" example:"report-final.pdf"`
	FolderID *int64  `json:"folder_id" example:"7"`
}

// Version is one version of a file.
type Version struct {
	bun.BaseModel `bun:"table:files_versions,alias:v"`

	ID         int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID  int64     `bun:"account_id" json:"-"`
	FileID     int64     `bun:"file_id" json:"file_id"`
	N          int       `bun:"n" json:"n"`
	BlobID     int64     `bun:"blob_id" json:"-"`
	Size       int64     `bun:"size" json:"size"`
	SHA256     string    `bun:"sha256" json:"sha256"`
	MIME       string    `bun:"mime" json:"mime"`
	UploadedBy *int64    `bun:"uploaded_by" json:"uploaded_by"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`

	UploadedByName string `bun:"uploaded_by_name,scanonly" json:"uploaded_by_name,omitempty"`
}

// VersionInput is a new version's content as JSON text (the API's alternative to multipart).
type VersionInput struct {
	Content       string `json:"content" example:"Minutes, second draft"`
	ContentBase64 string `json:"content_base64,omitempty"`
}

// Blob is stored content of the account: one row per distinct SHA-256.
type Blob struct {
	bun.BaseModel `bun:"table:files_blobs,alias:b"`

	ID             int64      `bun:"id,pk,autoincrement"`
	AccountID      int64      `bun:"account_id"`
	SHA256         string     `bun:"sha256"`
	Size           int64      `bun:"size"`
	Refs           int        `bun:"refs"`
	Stored         bool       `bun:"stored"`
	Thumb          int        `bun:"thumb"` // thumbs.go
	CreatedAt      time.Time  `bun:"created_at"`
	UnreferencedAt *time.Time `bun:"unreferenced_at"`
}

// Download is one download of a file.
type Download struct {
	bun.BaseModel `bun:"table:files_downloads,alias:d"`

	ID        int64  `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64  `bun:"account_id" json:"-"`
	FileID    int64  `bun:"file_id" json:"file_id"`
	Version   int    `bun:"version" json:"version"`
	UserID    *int64 `bun:"user_id" json:"user_id"`
	// LinkID is the share link it came through (no person then).
	LinkID    *int64    `bun:"link_id" json:"link_id,omitempty"`
	CreatedAt time.Time `bun:"created_at" json:"at"`

	UserName string `bun:"user_name,scanonly" json:"user_name,omitempty"`
}

// Uploaded is the answer to an upload.
type Uploaded struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	Version int    `json:"version"`
}
