package files

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Personal spaces: each colleague who may write files (members and up) has a folder tree of
// their own, private to them — not even the account's administrators see it (a 404, as for
// another account's folder), nor clients (who have none). Its top folder (PersonalName, owner_id
// set, no parent nor project) is made on first use; every folder below keeps its owner_id, as
// a project's folders keep project_id, so the service's one rule (service.go, sees) scopes
// the pages, the API, search, the trash, copies, share links and WebDAV alike. The owner shares
// a file by link (links.go); a folder of the personal space is never shared with clients.
// Its bytes count in the account's storage like any other. Moving a folder or a file into a
// personal space from elsewhere is for its maker or a files manager (it would leave the team's
// view). A person's erasure deletes their personal space (privacy.go).

// PersonalName is the stored name of a personal space's top folder (pages show it translated:
// "files.personal.title").
const PersonalName = "Personal"

// personalTop reports whether f is the top of a personal space.
func personalTop(f *Folder) bool { return f.OwnerID != nil && f.ParentID == nil }

// Personal is the top folder of the actor's personal space, made on first use (writers only:
// a client or a reader has none, a 404).
func (s *Service) Personal(ctx context.Context, a *actor.Actor) (*Folder, error) {
	if client(a) || !mayWrite(a) || a.UserID <= 0 {
		return nil, problem.NotFound()
	}
	tn := s.tenant(a.AccountID())
	f, err := s.store.personalTop(ctx, tn, a.UserID)
	if err == nil || !db.IsNotFound(err) {
		return f, err
	}
	now, uid := s.now(), a.UserID
	fo := &Folder{AccountID: a.AccountID(), OwnerID: &uid, Name: PersonalName, NameKey: nameKey(PersonalName),
		Visibility: VisibilityInternal, CreatedBy: &uid, CreatedAt: now, UpdatedAt: now, CompanyIDs: []int64{}}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error { return s.store.insertFolder(ctx, tn, fo) })
	if db.IsUniqueViolation(err) { // made meanwhile by another request of theirs
		return s.store.personalTop(ctx, tn, a.UserID)
	}
	return fo, err
}

// PersonalView is the actor's personal space's top folder with its content (Folder's).
func (s *Service) PersonalView(ctx context.Context, a *actor.Actor, limit int, after cursor) (*FolderView, error) {
	top, err := s.Personal(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.folderPage(ctx, a, top.ID, limit, after)
}

// personalTop reads the top of the person's personal space (db not found when there is none).
func (store) personalTop(ctx context.Context, tn db.Tenant, owner int64) (*Folder, error) {
	f := new(Folder)
	err := tn.Select(f).Where("fo.owner_id = ? AND fo.parent_id IS NULL AND fo.trashed_at IS NULL", owner).OrderExpr("fo.id").Limit(1).Scan(ctx)
	if err != nil {
		return nil, err
	}
	f.CompanyIDs = []int64{}
	return f, nil
}

// personal answers GET /api/v1/{slug}/folders/personal: the personal space's top folder, as
// GET /api/v1/{slug}/folders/{id} answers a folder.
func (h *handlers) personal(c *fiber.Ctx) error {
	var f problem.Fields
	limit := queryInt(c, "limit", &f)
	after := queryCursor(c, &f)
	if err := f.Err(); err != nil {
		return err
	}
	out, err := h.svc.PersonalView(c.UserContext(), actor.From(c), limit, after)
	if err != nil {
		return err
	}
	return writeFolderView(c, out) // listing_json.go
}

// personalPage shows the personal space's top folder: the folder page, at /{slug}/files/personal.
func (h *handlers) personalPage(c *fiber.Ctx) error {
	top, err := h.svc.Personal(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	p, err := h.folderView(c, top.ID, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/folder", p)
}
