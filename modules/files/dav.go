package files

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/net/webdav"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
)

// WebDAV (README "Files"): /dav/{slug}/ serves the files to desktop file managers and rclone,
// through golang.org/x/net/webdav over a FileSystem that calls the service as the signed-in
// person — the same scope, visibility and capabilities as the pages and the API. Clients sign
// in with HTTP Basic: any user name, a personal API token as the password (an "app password";
// a read-only token mounts read-only). The tree: the account's shared folders at the top, and
// one directory per project one sees holding the project's folders (a project whose name is
// also a shared folder's shows as "name (project)"); files live in folders, not at the top.
// PUT makes a file, or a new version of one; DELETE moves to the trash; MOVE renames and moves;
// COPY copies through the store (the same bytes are kept once). Locks live in memory, per
// account and per process: enough for one server (several behind a load balancer do not share
// them — a client's lock then guards nothing on another instance).
//
// A PUT's body streams from the connection to the store (dav_http.go), as the API's uploads
// do: it is limited to the same MaxUpload.

// DavMaxPut is the largest file a WebDAV PUT takes.
const DavMaxPut = MaxUpload

// davChallenge is the 401's WWW-Authenticate on /dav/: clients sign in once challenged.
const davChallenge = `Basic realm="GroupCamp WebDAV", charset="UTF-8"`

// davRoutes registers /dav/{slug}/ for every WebDAV method: reads need files.read, changes
// files.write.
func (h *handlers) davRoutes(r routes) {
	read, write := api.Can("files", "read"), api.Can("files", "write")
	h.locks = &davLocks{m: map[int64]webdav.LockSystem{}}
	for _, p := range []string{"/dav/:slug", "/dav/:slug/*"} {
		for _, m := range []string{"OPTIONS", "PROPFIND", "GET", "HEAD"} {
			r.Handle(m, p, read, h.dav, api.Doc{Challenge: davChallenge, Stream: m == "GET"})
		}
		for _, m := range []string{"PUT", "DELETE", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "PROPPATCH"} {
			d := api.Doc{Challenge: davChallenge}
			if m == "PUT" {
				// Only a PUT carries a file; the others' XML keeps the server's small limit.
				d.MaxBody = DavMaxPut
			}
			r.Handle(m, p, write, h.dav, d)
		}
	}
}

// davLocks are the accounts' lock systems (in memory).
type davLocks struct {
	mu sync.Mutex
	m  map[int64]webdav.LockSystem
}

func (l *davLocks) of(account int64) webdav.LockSystem {
	l.mu.Lock()
	defer l.mu.Unlock()
	ls, ok := l.m[account]
	if !ok {
		ls = webdav.NewMemLS()
		l.m[account] = ls
	}
	return ls
}

func (h *handlers) dav(c *fiber.Ctx) error {
	a := actor.From(c)
	size := int64(-1)
	if c.Method() == fiber.MethodPut {
		if n := c.Request().Header.ContentLength(); n >= 0 {
			size = int64(n)
		}
		// The quota's 413 before anything: the WebDAV handler would turn it into a 405.
		if err := h.svc.checkQuota(c.UserContext(), a, size); err != nil {
			return err
		}
	}
	fs := &davFS{svc: h.svc, a: a, putSize: size}
	if m := c.Method(); m == fiber.MethodGet || m == fiber.MethodHead {
		// A browser opening a directory gets the files' pages (WebDAV has no GET of one).
		name := strings.TrimPrefix(string(c.Request().URI().Path()), "/dav/"+a.Account.Slug)
		if fi, err := fs.Stat(c.UserContext(), name); err == nil && fi.IsDir() {
			return c.Redirect("/"+a.Account.Slug+"/files", fiber.StatusSeeOther)
		}
	}
	wh := &webdav.Handler{Prefix: "/dav/" + a.Account.Slug, FileSystem: fs, LockSystem: h.locks.of(a.AccountID())}
	return serveHTTP(c, wh) // dav_http.go: the PUT's body streams
}

// davFS is the files of the account as the actor sees them, for one request. It remembers
// what it resolved in the request (a listing's children too): the WebDAV handler stats and
// opens every child of a PROPFIND again, which would otherwise walk the tree from the top for
// each. A change forgets it all.
type davFS struct {
	svc     *Service
	a       *actor.Actor
	putSize int64 // the PUT's Content-Length, -1 unknown
	known   map[string]*davNode
	top     *davTop
}

// davTop is the top of the tree (davFS.tops).
type davTop struct {
	shared   []Folder
	projects map[string]int64
	names    map[int64]string
}

func davKey(name string) string { return nameKey(strings.Join(split(name), "/")) }

func (d *davFS) remember(name string, n *davNode) {
	if d.known == nil {
		d.known = map[string]*davNode{}
	}
	d.known[davKey(name)] = n
}

// forget drops what the request resolved, after a change.
func (d *davFS) forget() { d.known, d.top = nil, nil }

// davNode is what a path names: the top, a project's directory, a folder or a file.
type davNode struct {
	project   int64  // a project's directory (or the project of a folder at its top)
	projectNm string // its name
	folder    *Folder
	file      *File
}

func (n *davNode) top() bool { return n.folder == nil && n.file == nil && n.project == 0 }

// osErr turns the service's answers into the errors the WebDAV handler knows.
func osErr(err error) error {
	if err == nil {
		return nil
	}
	if p, ok := problem.As(err); ok {
		switch {
		case p.Status == http.StatusNotFound:
			return os.ErrNotExist
		case p.Status == http.StatusConflict:
			return os.ErrExist
		case p.Status < 500:
			return os.ErrPermission
		}
	}
	return err
}

func split(name string) []string {
	name = strings.Trim(path.Clean("/"+name), "/")
	if name == "" {
		return nil
	}
	return strings.Split(name, "/")
}

// tops are the top of the tree: the shared folders by name, the person's personal space
// ("Personal"), the projects' directories by name.
func (d *davFS) tops(ctx context.Context) ([]Folder, map[string]int64, map[int64]string, error) {
	if d.top != nil {
		return d.top.shared, d.top.projects, d.top.names, nil
	}
	shared, projects, names, err := d.readTops(ctx)
	if err == nil {
		d.top = &davTop{shared, projects, names}
	}
	return shared, projects, names, err
}

func (d *davFS) readTops(ctx context.Context) ([]Folder, map[string]int64, map[int64]string, error) {
	fs, err := d.svc.TopFolders(ctx, d.a, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	var shared []Folder
	projects := map[string]int64{}
	names := map[int64]string{}
	taken := map[string]bool{}
	for _, f := range fs {
		if f.ProjectID == nil {
			shared = append(shared, f)
			taken[f.NameKey] = true
		}
	}
	// The personal space (personal.go), beside the shared folders, for those who have one.
	if !client(d.a) && mayWrite(d.a) {
		top, err := d.svc.Personal(ctx, d.a)
		if err != nil {
			return nil, nil, nil, err
		}
		p := *top
		if taken[p.NameKey] {
			p.Name = PersonalName + " (mine)"
			p.NameKey = nameKey(p.Name)
		}
		shared = append(shared, p)
		taken[p.NameKey] = true
	}
	for _, f := range fs {
		if f.ProjectID == nil {
			continue
		}
		if _, ok := names[*f.ProjectID]; ok {
			continue
		}
		n := strings.ReplaceAll(f.ProjectName, "/", "-")
		if n == "" || taken[nameKey(n)] {
			n += " (project)"
		}
		names[*f.ProjectID], projects[nameKey(n)] = n, *f.ProjectID
	}
	return shared, projects, names, nil
}

// resolve finds what name names, each step one the actor sees.
func (d *davFS) resolve(ctx context.Context, name string) (*davNode, error) {
	if n, ok := d.known[davKey(name)]; ok {
		return n, nil
	}
	n, err := d.walk(ctx, name)
	if err == nil {
		d.remember(name, n)
	}
	return n, err
}

func (d *davFS) walk(ctx context.Context, name string) (*davNode, error) {
	segs := split(name)
	n := &davNode{}
	if len(segs) == 0 {
		return n, nil
	}
	tn := d.svc.tenant(d.a.AccountID())
	shared, projects, names, err := d.tops(ctx)
	if err != nil {
		return nil, err
	}
	key := nameKey(segs[0])
	for i := range shared {
		if shared[i].NameKey == key {
			n.folder = &shared[i]
		}
	}
	if n.folder == nil {
		id, ok := projects[key]
		if !ok {
			return nil, os.ErrNotExist
		}
		n.project, n.projectNm = id, names[id]
		if len(segs) == 1 {
			return n, nil
		}
		segs = segs[1:]
		fo, err := d.svc.store.childFolder(ctx, tn, 0, id, nameKey(segs[0]))
		if err != nil {
			return nil, osErr(err)
		}
		if n.folder, _, err = d.svc.reach(ctx, tn, d.a, fo.ID, false); err != nil {
			return nil, osErr(err)
		}
	}
	for i, seg := range segs[1:] {
		key := nameKey(seg)
		fo, err := d.svc.store.childFolder(ctx, tn, n.folder.ID, 0, key)
		if err == nil {
			if n.folder, _, err = d.svc.reach(ctx, tn, d.a, fo.ID, false); err != nil {
				return nil, osErr(err)
			}
			continue
		}
		if !db.IsNotFound(err) && !isNotFound(err) {
			return nil, err
		}
		if i != len(segs)-2 {
			return nil, os.ErrNotExist
		}
		fi, err := d.svc.store.fileByKey(ctx, tn, n.folder.ID, key)
		if err != nil {
			return nil, osErr(err)
		}
		n.file = fi
	}
	return n, nil
}

func isNotFound(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status == http.StatusNotFound
}

// Stat is what name names.
func (d *davFS) Stat(ctx context.Context, name string) (os.FileInfo, error) {
	n, err := d.resolve(ctx, name)
	if err != nil {
		return nil, err
	}
	return n.info(), nil
}

func (n *davNode) info() *davInfo {
	switch {
	case n.file != nil:
		return &davInfo{name: n.file.Name, size: n.file.Size, mod: n.file.UpdatedAt, file: n.file}
	case n.folder != nil:
		return &davInfo{name: n.folder.Name, dir: true, mod: n.folder.UpdatedAt}
	case n.project != 0:
		return &davInfo{name: n.projectNm, dir: true}
	}
	return &davInfo{name: "/", dir: true}
}

// Mkdir makes a folder: at the top (the shared space), in a project's directory (its top), or
// in a folder.
func (d *davFS) Mkdir(ctx context.Context, name string, _ os.FileMode) error {
	segs := split(name)
	if len(segs) == 0 {
		return os.ErrExist
	}
	parent, err := d.resolve(ctx, path.Join(segs[:len(segs)-1]...))
	if err != nil {
		return err
	}
	if _, err := d.resolve(ctx, name); err == nil {
		return os.ErrExist
	}
	in := FolderInput{Name: segs[len(segs)-1]}
	switch {
	case parent.file != nil:
		return os.ErrNotExist
	case parent.folder != nil:
		in.ParentID = parent.folder.ID
	case parent.project != 0:
		in.ProjectID = parent.project
	}
	_, err = d.svc.CreateFolder(ctx, d.a, in)
	d.forget()
	return osErr(err)
}

// RemoveAll moves a file or a folder to the trash.
func (d *davFS) RemoveAll(ctx context.Context, name string) error {
	n, err := d.resolve(ctx, name)
	if err != nil {
		return err
	}
	defer d.forget()
	switch {
	case n.file != nil:
		return osErr(d.svc.TrashFile(ctx, d.a, n.file.ID))
	case n.folder != nil:
		return osErr(d.svc.TrashFolder(ctx, d.a, n.folder.ID))
	}
	return os.ErrPermission
}

// Rename renames and moves a file (into any folder) or a folder (into a folder, or at the top
// where it is).
func (d *davFS) Rename(ctx context.Context, oldName, newName string) error {
	n, err := d.resolve(ctx, oldName)
	if err != nil {
		return err
	}
	segs := split(newName)
	if len(segs) == 0 {
		return os.ErrPermission
	}
	to, err := d.resolve(ctx, path.Join(segs[:len(segs)-1]...))
	if err != nil {
		return err
	}
	base := segs[len(segs)-1]
	defer d.forget()
	switch {
	case n.file != nil:
		if to.folder == nil {
			return os.ErrPermission
		}
		_, err = d.svc.UpdateFile(ctx, d.a, n.file.ID, FilePatch{Name: &base, FolderID: &to.folder.ID})
	case n.folder != nil:
		p := FolderPatch{Name: &base}
		switch {
		case to.folder != nil:
			p.ParentID = &to.folder.ID
		case n.folder.ParentID != nil && ((to.top() && n.folder.ProjectID == nil) || (to.project != 0 && sameProject(n.folder.ProjectID, &to.project))):
			zero := int64(0)
			p.ParentID = &zero
		case n.folder.ParentID == nil && ((to.top() && n.folder.ProjectID == nil) || (to.project != 0 && sameProject(n.folder.ProjectID, &to.project))):
		default:
			return os.ErrPermission
		}
		_, err = d.svc.UpdateFolder(ctx, d.a, n.folder.ID, p)
	default:
		return os.ErrPermission
	}
	return osErr(err)
}

// OpenFile opens a directory or a file to read, or a file to write (a new file, or a new
// version of one).
func (d *davFS) OpenFile(ctx context.Context, name string, flag int, _ os.FileMode) (webdav.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC) == 0 {
		n, err := d.resolve(ctx, name)
		if err != nil {
			return nil, err
		}
		if n.file != nil {
			return &davReader{fs: d, ctx: ctx, n: n}, nil
		}
		return &davDir{fs: d, ctx: ctx, n: n, name: name}, nil
	}
	segs := split(name)
	if len(segs) < 2 {
		return nil, os.ErrPermission
	}
	parent, err := d.resolve(ctx, path.Join(segs[:len(segs)-1]...))
	if err != nil {
		return nil, err
	}
	if parent.folder == nil {
		return nil, os.ErrPermission
	}
	if !mayWrite(d.a) {
		return nil, os.ErrPermission
	}
	var f problem.Fields
	base, key := checkName(&f, "name", segs[len(segs)-1])
	if f.Err() != nil {
		return nil, os.ErrPermission
	}
	existing, err := d.svc.store.fileByKey(ctx, d.svc.tenant(d.a.AccountID()), parent.folder.ID, key)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	if _, err := d.resolve(ctx, path.Join(segs...)); err == nil && existing == nil {
		return nil, os.ErrExist // a folder of that name
	}
	d.forget()
	pr, pw := io.Pipe()
	w := &davWriter{pw: pw, done: make(chan error, 1), name: base}
	size := d.putSize
	go func() {
		var err error
		if existing != nil {
			_, err = d.svc.AddVersion(ctx, d.a, existing.ID, pr, size)
		} else {
			_, err = d.svc.Upload(ctx, d.a, parent.folder.ID, base, pr, size)
		}
		pr.CloseWithError(err)
		w.done <- err
	}()
	return w, nil
}

// davInfo describes a file or a directory; for a file, its type and ETag come from the
// database (the handler would otherwise read the content to sniff it, for every PROPFIND).
type davInfo struct {
	name string
	size int64
	dir  bool
	mod  time.Time
	file *File
}

func (i *davInfo) Name() string       { return i.name }
func (i *davInfo) Size() int64        { return i.size }
func (i *davInfo) ModTime() time.Time { return i.mod }
func (i *davInfo) IsDir() bool        { return i.dir }
func (i *davInfo) Sys() any           { return nil }
func (i *davInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}

func (i *davInfo) ContentType(context.Context) (string, error) {
	if i.file == nil {
		return "", webdav.ErrNotImplemented
	}
	return i.file.MIME, nil
}

func (i *davInfo) ETag(context.Context) (string, error) {
	if i.file == nil {
		return "", webdav.ErrNotImplemented
	}
	return `"` + i.file.SHA256 + `"`, nil
}

// davDir is an open directory: its children.
type davDir struct {
	fs   *davFS
	ctx  context.Context
	n    *davNode
	name string
	list []os.FileInfo
	done bool
}

func (d *davDir) Close() error                   { return nil }
func (d *davDir) Read([]byte) (int, error)       { return 0, os.ErrInvalid }
func (d *davDir) Write([]byte) (int, error)      { return 0, os.ErrInvalid }
func (d *davDir) Seek(int64, int) (int64, error) { return 0, os.ErrInvalid }
func (d *davDir) Stat() (os.FileInfo, error)     { return d.n.info(), nil }

// children lists the directory, and remembers each child for the handler's next questions.
func (d *davDir) children() ([]os.FileInfo, error) {
	var nodes []*davNode
	switch {
	case d.n.folder != nil:
		v, err := d.fs.svc.Folder(d.ctx, d.fs.a, d.n.folder.ID, MaxListed)
		if err != nil {
			return nil, osErr(err)
		}
		for i := range v.Folders {
			nodes = append(nodes, &davNode{folder: &v.Folders[i]})
		}
		for i := range v.Files {
			nodes = append(nodes, &davNode{file: &v.Files[i]})
		}
	case d.n.project != 0:
		fs, err := d.fs.svc.TopFolders(d.ctx, d.fs.a, d.n.project)
		if err != nil {
			return nil, err
		}
		for i := range fs {
			nodes = append(nodes, &davNode{folder: &fs[i]})
		}
	default:
		shared, _, names, err := d.fs.tops(d.ctx)
		if err != nil {
			return nil, err
		}
		for i := range shared {
			nodes = append(nodes, &davNode{folder: &shared[i]})
		}
		for id, nm := range names {
			nodes = append(nodes, &davNode{project: id, projectNm: nm})
		}
	}
	out := make([]os.FileInfo, len(nodes))
	for i, n := range nodes {
		info := n.info()
		d.fs.remember(path.Join("/", d.name, info.name), n)
		out[i] = info
	}
	return out, nil
}

func (d *davDir) Readdir(count int) ([]os.FileInfo, error) {
	if !d.done {
		list, err := d.children()
		if err != nil {
			return nil, err
		}
		d.list, d.done = list, true
	}
	if count <= 0 {
		out := d.list
		d.list = nil
		return out, nil
	}
	if len(d.list) == 0 {
		return nil, io.EOF
	}
	n := min(count, len(d.list))
	out := d.list[:n]
	d.list = d.list[n:]
	return out, nil
}

// davReader is a file open to read: it streams from the store from where it is sought, and
// the read from its first byte is a download in the file's history.
type davReader struct {
	fs     *davFS
	ctx    context.Context
	n      *davNode
	off    int64
	body   io.ReadCloser
	at     int64 // where body is
	logged bool
}

func (r *davReader) Stat() (os.FileInfo, error)         { return r.n.info(), nil }
func (r *davReader) Readdir(int) ([]os.FileInfo, error) { return nil, os.ErrInvalid }
func (r *davReader) Write([]byte) (int, error)          { return 0, os.ErrPermission }
func (r *davReader) Close() error {
	if r.body != nil {
		return r.body.Close()
	}
	return nil
}

func (r *davReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.n.file.Size
	}
	if offset < 0 {
		return 0, os.ErrInvalid
	}
	r.off = offset
	return offset, nil
}

func (r *davReader) Read(p []byte) (int, error) {
	size := r.n.file.Size
	if r.off >= size {
		return 0, io.EOF
	}
	if r.body == nil || r.at != r.off {
		if r.body != nil {
			r.body.Close()
		}
		ct, err := r.fs.svc.Open(r.ctx, r.fs.a, r.n.file.ID, 0)
		if err != nil {
			return 0, osErr(err)
		}
		if r.off == 0 && !r.logged {
			r.logged = true
			if err := r.fs.svc.Downloaded(r.ctx, r.fs.a, ct); err != nil {
				return 0, err
			}
		}
		if r.body, err = r.fs.svc.Blobs.Open(r.ctx, storage.Key(r.fs.a.AccountID(), ct.Version.SHA256, ct.Version.BlobID), r.off, size-r.off); err != nil {
			return 0, err
		}
		r.at = r.off
	}
	n, err := r.body.Read(p)
	r.off += int64(n)
	r.at = r.off
	return n, err
}

// davWriter is a file open to write: what is written streams to the service's upload, which
// runs beside; Close waits for it.
type davWriter struct {
	pw      *io.PipeWriter
	done    chan error
	name    string
	written int64
	closed  bool
	err     error
}

func (w *davWriter) Write(p []byte) (int, error) {
	n, err := w.pw.Write(p)
	w.written += int64(n)
	return n, err
}

func (w *davWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	w.pw.Close()
	w.err = osErr(<-w.done)
	return w.err
}

func (w *davWriter) Stat() (os.FileInfo, error) {
	return &davInfo{name: w.name, size: w.written, mod: time.Now()}, nil
}
func (w *davWriter) Read([]byte) (int, error)           { return 0, os.ErrInvalid }
func (w *davWriter) Seek(int64, int) (int64, error)     { return 0, os.ErrInvalid }
func (w *davWriter) Readdir(int) ([]os.FileInfo, error) { return nil, os.ErrInvalid }

// ---- Store ----

// childFolder is the untrashed folder of the key in parent (0: at the top of project, 0: of
// the shared space).
func (store) childFolder(ctx context.Context, tn db.Tenant, parent, project int64, key string) (*Folder, error) {
	f := new(Folder)
	q := tn.Select(f).Where("fo.name_key = ? AND fo.trashed_at IS NULL", key)
	switch {
	case parent != 0:
		q = q.Where("fo.parent_id = ?", parent)
	case project != 0:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id = ?", project)
	default:
		q = q.Where("fo.parent_id IS NULL AND fo.project_id IS NULL")
	}
	if err := q.Limit(1).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// fileByKey is the untrashed file of the key in the folder.
func (store) fileByKey(ctx context.Context, tn db.Tenant, folder int64, key string) (*File, error) {
	f := new(File)
	if err := tn.Select(f).Where("fi.folder_id = ? AND fi.name_key = ? AND fi.trashed_at IS NULL", folder, key).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return f, nil
}
