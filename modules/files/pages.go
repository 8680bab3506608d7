package files

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	projects "groupcamp/modules/projects/contract"
)

// pageRoutes registers the pages and their forms.
func (h *handlers) pageRoutes(r routes) {
	read, write := api.Can("files", "read"), api.Can("files", "write")
	r.Get("/:slug/files", read, h.indexPage)
	r.Get("/:slug/files/trash", read, h.trashPage)
	r.Get("/:slug/files/personal", write, h.personalPage) // personal.go
	r.Post("/:slug/files/trash/settings", api.Can("files", "manage"), h.trashSettingsForm)
	r.Post("/:slug/files/trash/empty", api.Can("files", "manage"), h.emptyTrashForm)
	r.Post("/:slug/files/folders", write, h.createFolderForm)
	r.Get("/:slug/files/folders/:id", read, h.folderPage)
	r.Post("/:slug/files/folders/:id/upload", api.Can("files", "upload"), h.uploadForm, api.Doc{MaxBody: h.svc.MaxUpload})
	r.Post("/:slug/files/folders/:id/rename", write, h.renameFolderForm)
	r.Post("/:slug/files/folders/:id/move", write, h.moveFolderForm)
	r.Post("/:slug/files/folders/:id/share", write, h.shareFolderForm)
	r.Post("/:slug/files/folders/:id/delete", write, h.trashFolderForm)
	r.Post("/:slug/files/folders/:id/restore", write, h.restoreFolderForm)
	r.Get("/:slug/files/:id", read, h.filePage)
	r.Post("/:slug/files/:id/rename", write, h.renameFileForm)
	r.Post("/:slug/files/:id/move", write, h.moveFileForm)
	r.Post("/:slug/files/:id/copy", write, h.copyFileForm)
	r.Post("/:slug/files/:id/delete", write, h.trashFileForm)
	r.Post("/:slug/files/:id/restore", write, h.restoreFileForm)
	r.Post("/:slug/files/:id/versions", write, h.versionForm, api.Doc{MaxBody: h.svc.MaxUpload})
	r.Post("/:slug/files/:id/versions/:n/restore", write, h.restoreVersionForm)
}

// localSize writes a size for the reader: their language's units (KB, Ko, КБ: multiples of
// 1,024, as file managers show them) and decimal separator, one decimal.
func localSize(l *web.Localizer, n int64) string {
	v, exp := float64(n), 0
	for v >= 1024 && exp < 5 {
		v /= 1024
		exp++
	}
	if exp > 0 {
		v = math.Round(v*10) / 10
	}
	return l.T("files.unit."+[]string{"b", "kb", "mb", "gb", "tb", "pb"}[exp], "N", l.Num(v))
}

// humanSize writes a size in English for messages that are not localised (a problem's
// detail): binary units, one decimal.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

// indexData is what /{slug}/files shows.
type indexData struct {
	Shared   []Folder
	Projects []projectGroup
	Choices  []projects.ProjectRef
	Project  int64 // the project asked for (?project=), 0 for all
	Writable bool
}

type projectGroup struct {
	ID      int64
	Name    string
	Folders []Folder
}

func (h *handlers) indexView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	d := &indexData{Writable: mayWrite(a)}
	if s := c.Query("project"); s != "" {
		d.Project, _ = api.ParseID(s)
	}
	fs, err := h.svc.TopFolders(ctx, a, d.Project)
	if err != nil {
		return nil, err
	}
	if !client(a) {
		if d.Choices, err = h.svc.ProjectChoices(ctx, a); err != nil {
			return nil, err
		}
	}
	at := map[int64]int{}
	for _, f := range fs {
		if f.ProjectID == nil {
			d.Shared = append(d.Shared, f)
			continue
		}
		i, ok := at[*f.ProjectID]
		if !ok {
			i = len(d.Projects)
			at[*f.ProjectID] = i
			d.Projects = append(d.Projects, projectGroup{ID: *f.ProjectID, Name: f.ProjectName})
		}
		d.Projects[i].Folders = append(d.Projects[i].Folders, f)
	}
	if d.Project != 0 && len(d.Projects) == 0 {
		for _, p := range d.Choices {
			if p.ID == d.Project {
				d.Projects = append(d.Projects, projectGroup{ID: p.ID, Name: p.Name})
			}
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"project_id": strconv.FormatInt(d.Project, 10)})
	}
	p := h.web.NewPage(c, "files.title")
	p.Data = d
	p.Form = form
	return p, nil
}

func (h *handlers) indexPage(c *fiber.Ctx) error {
	p, err := h.indexView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/index", p)
}

// refuse re-renders the page of a refused form; 404s and server errors go to the error page.
// refuseOnFolder shows the folder's page again with the refusal's messages (and what was
// typed) when a person can fix it; other errors (404, 5xx) go on to the error handler.
func (h *handlers) refuseOnFolder(c *fiber.Ctx, id int64, form *web.Form, err error) error {
	if !refusable(err) {
		return err
	}
	p, verr := h.folderView(c, id, form)
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, "files/folder", p, err)
}

func refusable(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status < 500 && p.Status != fiber.StatusNotFound
}

func formID(form *web.Form, name string) int64 {
	id, _ := api.ParseID(form.Get(name))
	return id
}

func (h *handlers) createFolderForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "name", "parent_id", "project_id")
	out, err := h.svc.CreateFolder(c.UserContext(), a, FolderInput{Name: form.Get("name"), ParentID: formID(form, "parent_id"), ProjectID: formID(form, "project_id")})
	if err != nil {
		if !refusable(err) {
			return err
		}
		if parent := formID(form, "parent_id"); parent != 0 {
			return h.refuseOnFolder(c, parent, form, err)
		}
		p, verr := h.indexView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "files/index", p, err)
	}
	return web.Done(c, "files.flash.folder_created", h.folderPath(a, out.ID))
}

func (h *handlers) folderPath(a *actor.Actor, id int64) string {
	return "/" + a.Account.Slug + "/files/folders/" + itoa(id)
}

func (h *handlers) filePath(a *actor.Actor, id int64) string {
	return "/" + a.Account.Slug + "/files/" + itoa(id)
}

// folderData is what a folder's page shows.
type folderData struct {
	*FolderView
	Rows    []fileRow
	Targets []Folder // where the folder may move: the folders of its tree but itself and below
	// Companies are the account's client companies, for whoever may share the folder.
	Companies []companyChoice
}

type companyChoice struct {
	Company
	Chosen bool
}

// pageRows is how many files a folder's page shows at once; "More files" shows the next
// ones (a page of 10,000 rows took a second to build and longer to draw).
const pageRows = 500

type fileRow struct {
	File
	Human string
}

func (h *handlers) folderView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	var f problem.Fields
	after := queryCursor(c, &f)
	if f.Err() != nil {
		after = cursor{}
	}
	v, err := h.svc.folderPage(c.UserContext(), actor.From(c), id, pageRows, after)
	if err != nil {
		return nil, err
	}
	d := &folderData{FolderView: v, Rows: make([]fileRow, len(v.Files))}
	for i, f := range v.Files {
		d.Rows[i] = fileRow{File: f}
	}
	if v.Writable {
		if d.Targets, err = h.svc.MoveTargets(c.UserContext(), actor.From(c), &v.Folder); err != nil {
			return nil, err
		}
	}
	if owns(actor.From(c), v.Folder.CreatedBy) && v.Folder.OwnerID == nil { // a personal space is never shared with clients
		cs, err := h.svc.store.clientCompanyList(c.UserContext(), h.svc.tenant(actor.From(c).AccountID()))
		if err != nil {
			return nil, err
		}
		for _, co := range cs {
			d.Companies = append(d.Companies, companyChoice{Company: co, Chosen: slices.Contains(v.Folder.CompanyIDs, co.ID)})
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"rename": v.Folder.Name})
	}
	p := h.web.NewPage(c, "files.folder.title")
	if v.Folder.OwnerID != nil { // the personal space's top, in the reader's language
		for i := range d.Targets {
			if t := &d.Targets[i]; t.Name == PersonalName || strings.HasPrefix(t.Name, PersonalName+" / ") {
				t.Name = p.T("files.personal.title") + strings.TrimPrefix(t.Name, PersonalName)
			}
		}
	}
	for i := range d.Rows {
		d.Rows[i].Human = localSize(p.L, d.Rows[i].Size)
	}
	p.Data = d
	p.Form = form
	return p, nil
}

func (h *handlers) folderPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.folderView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/folder", p)
}

// uploadForm takes the files of the plain form (several at once), one after the other; the
// page's script sends each through the API instead, with its progress.
func (h *handlers) uploadForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	parts, err := fileParts(c)
	if err == nil {
		for _, part := range parts {
			r, oerr := part.Open()
			if oerr != nil {
				return oerr
			}
			_, err = h.svc.Upload(c.UserContext(), a, id, part.Filename, r, part.Size)
			r.Close()
			if err != nil {
				break
			}
		}
	}
	if err != nil {
		return h.refuseOnFolder(c, id, web.EmptyForm(nil), err)
	}
	return web.Done(c, "files.flash.uploaded", h.folderPath(a, id))
}

func (h *handlers) renameFolderForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "rename")
	name := form.Get("rename")
	if _, err := h.svc.UpdateFolder(c.UserContext(), a, id, FolderPatch{Name: &name}); err != nil {
		if p, ok := problem.As(err); ok {
			for i := range p.Errors {
				if p.Errors[i].Field == "name" {
					p.Errors[i].Field = "rename"
				}
			}
		}
		return h.refuseOnFolder(c, id, form, err)
	}
	return web.Done(c, "files.flash.renamed", h.folderPath(a, id))
}

// moveFolderForm moves the folder under another of its tree (0: to the top).
func (h *handlers) moveFolderForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "parent_id")
	to := formID(form, "parent_id")
	if _, err := h.svc.UpdateFolder(c.UserContext(), a, id, FolderPatch{ParentID: &to}); err != nil {
		return h.refuseOnFolder(c, id, form, err)
	}
	return web.Done(c, "files.flash.folder_moved", h.folderPath(a, id))
}

// shareFolderForm shares the folder with the chosen client companies, or keeps it internal
// (none chosen).
func (h *handlers) shareFolderForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	var ids []int64
	for _, raw := range c.Request().PostArgs().PeekMulti("company_ids") {
		if n, ok := api.ParseID(string(raw)); ok && len(ids) < 100 {
			ids = append(ids, n)
		}
	}
	vis := VisibilityInternal
	if len(ids) > 0 {
		vis = VisibilityClients
	}
	up := vis == VisibilityClients && c.FormValue("clients_upload") != ""
	if _, err := h.svc.UpdateFolder(c.UserContext(), a, id, FolderPatch{Visibility: &vis, CompanyIDs: &ids, ClientsUpload: &up}); err != nil {
		if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusForbidden {
			web.Flash(c, "error", "files.flash.share_refused")
			return c.Redirect(h.folderPath(a, id), fiber.StatusSeeOther)
		}
		return h.refuseOnFolder(c, id, web.EmptyForm(nil), err)
	}
	return web.Done(c, "files.flash.shared", h.folderPath(a, id))
}

func (h *handlers) trashFolderForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	v, err := h.svc.Folder(c.UserContext(), a, id, 1)
	if err != nil {
		return err
	}
	if err := h.svc.TrashFolder(c.UserContext(), a, id); err != nil {
		return err
	}
	back := "/" + a.Account.Slug + "/files"
	if len(v.Path) > 0 {
		back = h.folderPath(a, v.Path[len(v.Path)-1].ID)
	}
	return web.Done(c, "files.flash.trashed", back)
}

func (h *handlers) restoreFolderForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	if _, err := h.svc.RestoreFolder(c.UserContext(), a, id); err != nil {
		if !refusable(err) {
			return err
		}
		web.Flash(c, "error", "files.flash.restore_clash")
		return c.Redirect("/"+a.Account.Slug+"/files/trash", fiber.StatusSeeOther)
	}
	return web.Done(c, "files.flash.restored", h.folderPath(a, id))
}

// fileData is what a file's page shows.
type fileData struct {
	File      *File
	Folder    *Folder
	Human     string
	Versions  []versionRow
	History   []Download
	ShowHist  bool
	Targets   []Folder
	Download  string
	Writable  bool
	TrashDays int
	Links     []Link
	// Preview is what the page shows of the file itself: "image" (its thumbnail, a link to the
	// image in the browser), "pdf" (an icon and a link opening it in the browser's viewer) or ""
	// (the type's icon). Showing the page downloads nothing: only opening the file is in its
	// download history.
	Preview string
	Inline  string // the inline download the preview links to
	Thumb   string // the thumbnail's URL
}

// previewOf is the kind of preview the file page shows for fi (see fileData.Preview).
func previewOf(fi *File) string {
	switch {
	case slices.Contains(thumbTypes, fi.MIME) && fi.Size <= thumbMaxBytes:
		return "image"
	case fi.MIME == "application/pdf" && inline(fi.Name, fi.MIME):
		return "pdf"
	}
	return ""
}

type versionRow struct {
	Version
	Human   string
	Current bool
}

func (h *handlers) fileView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	fi, folder, err := h.svc.File(ctx, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := h.svc.Versions(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &fileData{File: fi, Folder: folder, Writable: mayWrite(a), ShowHist: MayHistory(a, fi),
		Download: "/api/v1/" + a.Account.Slug + "/files/" + itoa(fi.ID) + "/download", Preview: previewOf(fi)}
	d.Inline, d.Thumb = d.Download+"?inline=1", "/api/v1/"+a.Account.Slug+"/files/"+itoa(fi.ID)+"/thumbnail"
	for _, v := range vs {
		d.Versions = append(d.Versions, versionRow{Version: v, Current: v.N == fi.Version})
	}
	if d.Writable {
		if d.Links, err = h.svc.Links(ctx, a, id); err != nil {
			return nil, err
		}
	}
	st, err := h.svc.Settings(ctx, a)
	if err != nil {
		return nil, err
	}
	d.TrashDays = st.TrashDays
	if d.ShowHist {
		if d.History, err = h.svc.store.downloads(ctx, h.svc.tenant(a.AccountID()), id, 200); err != nil {
			return nil, err
		}
	}
	if d.Writable {
		// Where it may move: the folders beside and above its own, and their subfolders.
		v, err := h.svc.Folder(ctx, a, folder.ID, 1)
		if err != nil {
			return nil, err
		}
		d.Targets = append(append([]Folder{}, v.Path...), v.Folders...)
		if len(v.Path) > 0 {
			up, err := h.svc.Folder(ctx, a, v.Path[len(v.Path)-1].ID, 1)
			if err != nil {
				return nil, err
			}
			for _, s := range up.Folders {
				if s.ID != folder.ID {
					d.Targets = append(d.Targets, s)
				}
			}
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": fi.Name})
	}
	p := h.web.NewPage(c, "files.file.title")
	d.Human = localSize(p.L, fi.Size)
	for i := range d.Versions {
		d.Versions[i].Human = localSize(p.L, d.Versions[i].Size)
	}
	p.Data = d
	p.Form = form
	return p, nil
}

func (h *handlers) filePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.fileView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/file", p)
}

// fileForm runs a change of a file's page and comes back to it (or re-renders it refused).
func (h *handlers) fileForm(c *fiber.Ctx, fields []string, flash string, run func(a *actor.Actor, id int64, form *web.Form) error) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, fields...)
	if err := run(a, id, form); err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.fileView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "files/file", p, err)
	}
	return web.Done(c, flash, h.filePath(a, id))
}

func (h *handlers) renameFileForm(c *fiber.Ctx) error {
	return h.fileForm(c, []string{"name"}, "files.flash.renamed", func(a *actor.Actor, id int64, form *web.Form) error {
		name := form.Get("name")
		_, err := h.svc.UpdateFile(c.UserContext(), a, id, FilePatch{Name: &name})
		return err
	})
}

func (h *handlers) moveFileForm(c *fiber.Ctx) error {
	return h.fileForm(c, []string{"folder_id"}, "files.flash.moved", func(a *actor.Actor, id int64, form *web.Form) error {
		to := formID(form, "folder_id")
		_, err := h.svc.UpdateFile(c.UserContext(), a, id, FilePatch{FolderID: &to})
		return err
	})
}

// copyFileForm copies the file into the chosen folder and opens the copy.
func (h *handlers) copyFileForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "copy_to")
	out, err := h.svc.CopyFile(c.UserContext(), a, id, CopyInput{FolderID: formID(form, "copy_to")})
	if err != nil {
		if !refusable(err) {
			return err
		}
		if pr, ok := problem.As(err); ok {
			for i := range pr.Errors {
				if pr.Errors[i].Field == "folder_id" {
					pr.Errors[i].Field = "copy_to"
				}
			}
		}
		p, verr := h.fileView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "files/file", p, err)
	}
	return web.Done(c, "files.flash.copied", h.filePath(a, out.ID))
}

func (h *handlers) trashFileForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	fi, _, err := h.svc.File(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	if err := h.svc.TrashFile(c.UserContext(), a, id); err != nil {
		return err
	}
	return web.Done(c, "files.flash.trashed", h.folderPath(a, fi.FolderID))
}

func (h *handlers) restoreFileForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	if _, err := h.svc.RestoreFile(c.UserContext(), a, id); err != nil {
		if !refusable(err) {
			return err
		}
		web.Flash(c, "error", "files.flash.restore_clash")
		return c.Redirect("/"+a.Account.Slug+"/files/trash", fiber.StatusSeeOther)
	}
	return web.Done(c, "files.flash.restored", h.filePath(a, id))
}

func (h *handlers) versionForm(c *fiber.Ctx) error {
	return h.fileForm(c, nil, "files.flash.version_added", func(a *actor.Actor, id int64, _ *web.Form) error {
		parts, err := fileParts(c)
		if err != nil {
			return err
		}
		r, err := parts[0].Open()
		if err != nil {
			return err
		}
		defer r.Close()
		_, err = h.svc.AddVersion(c.UserContext(), a, id, r, parts[0].Size)
		return err
	})
}

func (h *handlers) restoreVersionForm(c *fiber.Ctx) error {
	return h.fileForm(c, nil, "files.flash.version_restored", func(a *actor.Actor, id int64, _ *web.Form) error {
		n, err := strconv.Atoi(c.Params("n"))
		if err != nil || n < 1 {
			return problem.NotFound()
		}
		_, err = h.svc.RestoreVersion(c.UserContext(), a, id, n)
		return err
	})
}

// trashData is what the trash page shows.
type trashData struct {
	Folders []Folder
	Files   []fileRow
	Days    int
	Manager bool // the retention form and "Empty the trash now"
}

func (h *handlers) trashView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	fos, fis, err := h.svc.Trash(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Settings(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	d := &trashData{Folders: fos, Days: st.TrashDays, Manager: manager(a)}
	for _, f := range fis {
		d.Files = append(d.Files, fileRow{File: f})
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"trash_days": strconv.Itoa(st.TrashDays)})
	}
	p := h.web.NewPage(c, "files.trash.title")
	for i := range d.Files {
		d.Files[i].Human = localSize(p.L, d.Files[i].Size)
	}
	p.Data = d
	p.Form = form
	return p, nil
}

func (h *handlers) trashPage(c *fiber.Ctx) error {
	p, err := h.trashView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/trash", p)
}

func (h *handlers) trashSettingsForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "trash_days")
	days, err := strconv.Atoi(strings.TrimSpace(form.Get("trash_days")))
	if err != nil {
		err = problem.Invalid(problem.Sayf("trash_days", "must be from {min} to {max} days", "min", MinTrashDays, "max", MaxTrashDays))
	} else {
		_, err = h.svc.SetSettings(c.UserContext(), a, Settings{TrashDays: days})
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.trashView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "files/trash", p, err)
	}
	return web.Done(c, "files.flash.settings_saved", "/"+a.Account.Slug+"/files/trash")
}

func (h *handlers) emptyTrashForm(c *fiber.Ctx) error {
	a := actor.From(c)
	if _, err := h.svc.EmptyTrash(c.UserContext(), a); err != nil {
		return err
	}
	return web.Done(c, "files.flash.trash_emptied", "/"+a.Account.Slug+"/files/trash")
}

var _ = strings.Clone
