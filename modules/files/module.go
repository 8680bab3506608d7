// Package files is file sharing (shared/PRODUCT.md "Files", shared/API.md "Files"): folders
// in a tree — at the top of a project, or of the account's shared space — holding files, each
// with its versions; uploads and downloads stream; what is deleted waits 30 days in the trash.
//
// # Storage
//
// The bytes live in a blob store (package storage, over gocloud.dev/blob): a directory under
// the data directory by default, S3-compatible storage when GROUPCAMP_BLOB_URL says
// s3://bucket?endpoint=...; the database keeps the metadata. Content is addressed by SHA-256
// per account: the same bytes uploaded twice in an account (another file, another version, a
// restored version) are stored once. Blobs are reference counted (files_blobs.refs: the
// versions that hold a blob); the hourly collector (Collect) deletes the blobs no version has
// held for an hour, and the temporary content of uploads cut half-way. An upload reserves its
// blob row before it takes the reference (touching it), so the collector, which re-checks in
// its delete, never takes content an upload is about to use; and a blob's key names its row, so
// the same bytes uploaded again after a collection never share a key with the deleted copy.
//
// # Streaming
//
// An upload is a multipart form (the part "file"): the server lets a body up to MaxUpload in
// for the upload routes only (core/app, bodylimit.go; every other route keeps its small limit)
// and streams request bodies, so the API's upload reads the part from the connection straight
// into the store while hashing it (http_upload.go: no spool file, no copy in memory), and so
// does WebDAV's PUT (dav_http.go). The browser's form of several files goes through fasthttp's
// multipart reader, which spools each part to a temporary file. A download streams from the
// store, with one Range (206, If-Range, 416), the ETag (the SHA-256), the original name in
// Content-Disposition (RFC 6266, UTF-8 in filename*), the type sniffed on upload (never the
// client's word), nosniff and a sandboxing CSP: HTML, SVG, XML and JavaScript are always
// attachments, so an uploaded file cannot run script on the app's origin.
//
// # Who sees what
//
// Capabilities (policy.csv): files.read for colleagues and clients, files.write for members
// and up, files.manage for admins. On top, the service scopes every folder (service.go, reach):
// a project's folders are seen by those who see the project (asked of the projects module
// through its ProjectsSeen port; this module never imports projects); a client sees only the
// folders shared with their company (visibility "clients" and company_ids — the rule of the
// projects module's task lists); a folder in the trash, or under one, is seen by nobody but
// through the trash. Renaming, moving and deleting are for what one made (or a files manager),
// the download history for a file's uploader and the managers.
//
// Clients upload only where the folder's sharer let them (clients_upload, capability
// files.upload; client_upload.go): into a folder shared with their company, through the API's
// upload, the resumable upload and the folder's page — 403 elsewhere in what they see, 404 in
// what they do not — never WebDAV, new versions, renames or deletes. Their uploads count in
// the quota, are audited and told to the folder's project team.
//
// # Personal spaces
//
// Each member and up has a folder tree of their own (personal.go): its top is made on first
// use (GET /api/v1/{slug}/folders/personal, the page /{slug}/files/personal, the directory
// Personal of WebDAV), and every folder below keeps its owner_id. Only its owner sees it —
// for everyone else, the account's administrators included, its folders and files are a 404,
// and they are out of their listings, search, trash and the plugins' reads; clients have none.
// Its files are shared by link only (never with client companies); its bytes count in the
// account's storage; the owner's export holds them and their erasure deletes them.
//
// # Names
//
// At most 255 bytes, no "/", "\", NUL or control characters, not "." or ".."; unique in a
// folder ignoring case and Unicode normalization (NFC, case folded: name_key): a clash is a
// 409 naming the field. A folder never moves into itself or below itself (422), and stays in
// its project's tree.
//
// # Pages
//
// /{slug}/files lists the account's shared folders and the folders of the projects one sees
// (?project= one project's: the project's Files app links there); a folder's page lists its
// subfolders and files in a sortable table, takes uploads of several files (drag and drop,
// one progress bar per file; a plain form without JavaScript) and new folders; a file's page
// its versions, a new version and the download history; /{slug}/files/trash the trash. A folder
// shows 500 files at a time ("More files"); the API pages a folder's files by keyset
// (?limit=, ?cursor= from the answer's next) as well as returning up to 10,000 at once.
//
// # Attachments
//
// Tasks and comments of the projects module carry files (attach.go): stored in their project's
// "Attachments" folder (made on demand), counted in the quota, listed, downloaded and removed
// under /api/v1/{slug}/tasks/{id}/attachments with the task's rule — asked of projects through
// its TasksSeen port — not the folder's; the task page lists them through this module's
// TaskAttachments port. A removed attachment's file waits in the trash; so do those of a task
// purged or a comment deleted, which the hourly collector finds through projects' TasksGone
// port (attach_gc.go). A project's overview lists its latest files through the projects
// module's ProjectFiles port (port_project_files.go), each by the reader's reach of its folder.
//
// # Thumbnails
//
// A job every minute makes a 256-pixel JPEG of each image uploaded since (thumbs.go, pure Go);
// the listings show it and GET /api/v1/{slug}/files/{id}/thumbnail serves it.
package files

import (
	"context"
	"embed"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/web"
	"groupcamp/jobs"
	"groupcamp/modules/files/contract"
	"groupcamp/modules/files/storage"
	projects "groupcamp/modules/projects/contract"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// MaxUpload is the largest file accepted (the plans' quotas will say less).
const MaxUpload = 10 << 30

// Job task types.
const (
	CollectTask = "files:collect"
	PurgeTask   = "files:purge-trash"
)

// Module is the files module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "files" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// PluginFiles is the module's PluginFiles port once registered (for tests).
func (m *Module) PluginFiles() contract.PluginFiles { return pluginFiles{m.svc} }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the blob store, the ports, the jobs, the personal data,
// the walkers' fixtures, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	cfg := r.Config()
	blobs, err := storage.Open(context.Background(), cfg.BlobURL, cfg.DataDir)
	if err != nil {
		return err
	}
	m.svc = &Service{DB: r.DB(), Blobs: blobs, Projects: app.Require[projects.ProjectsSeen](r, projects.ProjectsSeenPort), MaxUpload: MaxUpload,
		Secret: cfg.SecretKey, BaseURL: cfg.BaseURL, Hooks: r.Hooks()}
	app.Provide[projects.FilesApp](r, projects.FilesAppPort, filesApp{})
	app.Provide[contract.FilesSeen](r, contract.FilesSeenPort, filesSeen{m.svc})       // port_seen.go
	app.Provide[contract.PluginFiles](r, contract.PluginFilesPort, pluginFiles{m.svc}) // port_plugins.go
	// attach.go: files attached to tasks and comments, checked by the task's rule.
	m.svc.Tasks = app.Optional[projects.TasksSeen](r, projects.TasksSeenPort)
	m.svc.TasksGone = app.Optional[projects.TasksGone](r, projects.TasksGonePort) // attach_gc.go
	app.Provide[projects.TaskAttachments](r, projects.TaskAttachmentsPort, taskAttachments{m.svc})
	// client_upload.go: a client's upload is told to the project's team.
	m.svc.People, m.svc.Notifier = app.Optional[projects.ProjectPeople](r, projects.ProjectPeoplePort), r.Notifier()
	app.Provide[projects.ProjectFiles](r, projects.ProjectFilesPort, projectFiles{m.svc}) // port_project_files.go: a project's overview
	r.Portal(hooks.PortalSection{Key: "files", Label: "files.portal.label", Intro: "files.portal.intro", Path: "/files", Order: 20,
		Has: func(ctx context.Context, a *actor.Actor) (bool, error) {
			fs, err := m.svc.TopFolders(ctx, a, 0)
			return len(fs) > 0, err
		}})
	r.PersonalData(personalData{m.svc})
	r.Search(searchSource{m.svc}) // search.go
	r.Counter(storageCounter())
	r.Fixtures(fixtures{})
	r.Task(CollectTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Collect(ctx); return err })
	r.Task(PurgeTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Purge(ctx); return err })
	r.Every("@hourly", CollectTask, nil, jobs.Low)
	r.Every("@daily", PurgeTask, nil, jobs.Low)
	r.Task(ThumbTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Thumbnails(ctx); return err })
	r.Every("@every 1m", ThumbTask, nil, jobs.Low)
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	h.linkRoutes(r)
	h.davRoutes(r)
	h.attachRoutes(r)
	h.resumableRoutes(r) // resumable.go
	r.Nav(web.NavItem{Label: "files.nav", Path: "/files", Object: "files", Action: "read", Order: 40})
	return nil
}

// filesApp is the projects module's FilesApp port: a project's files are its top folders.
type filesApp struct{}

func (filesApp) ProjectFilesPath(slug string, projectID int64) string {
	return "/" + slug + "/files?project=" + itoa(projectID)
}
