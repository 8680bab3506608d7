package files

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// linkRoutes registers the share links: the API, the file page's forms and the public page.
func (h *handlers) linkRoutes(r routes) {
	const tag = "Files"
	write := api.Can("files", "write")
	r.Post("/api/v1/:slug/files/:id/links", write, api.Create("id", h.svc.CreateLink), api.Doc{Summary: "Share a file by link: anyone holding the url downloads it, signed out, until expires_at, max_downloads (0: no limit) or revocation; with a password (the sign-in's policy), wrong ones throttled. Not for clients; at most 60 links an hour per person (429)", Tag: tag,
		Request: LinkInput{}, Response: Link{}, Status: 201})
	r.Get("/api/v1/:slug/files/:id/links", write, api.One("id", h.links), api.Doc{Summary: "A file's share links, newest first, with their url and state (active, expired, revoked, exhausted)", Tag: tag, Response: LinkList{}})
	r.Delete("/api/v1/:slug/files/:id/links/:link_id", write, api.Remove("id", "link_id", h.svc.RevokeLink), api.Doc{Summary: "Revoke a share link (its maker or a files manager): it opens no more", Tag: tag, Status: 204})

	r.Post("/:slug/files/:id/links", write, h.createLinkForm)
	r.Post("/:slug/files/:id/links/:link_id/revoke", write, h.revokeLinkForm)

	// The public side: signed out, the token is the credential.
	r.Get("/s/:token", api.Public(), h.sharedPage)
	r.Get("/s/:token/download", api.Public(), h.sharedDownload, api.Doc{Stream: true})
	r.Post("/s/:token/download", api.Public(), h.sharedDownload, api.Doc{Stream: true})
}

func (h *handlers) links(ctx context.Context, a *actor.Actor, id int64) (*LinkList, error) {
	out, err := h.svc.Links(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return &LinkList{Items: out}, nil
}

// createLinkForm is the file page's "Share link" dialog: expiry as a date (the end of that day,
// UTC), an optional password and download limit.
func (h *handlers) createLinkForm(c *fiber.Ctx) error {
	return h.fileForm(c, []string{"expires_on", "password", "max_downloads"}, "files.flash.link_created", func(a *actor.Actor, id int64, form *web.Form) error {
		var in LinkInput
		var f problem.Fields
		if s := strings.TrimSpace(form.Get("expires_on")); s != "" {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				f.Add("expires_on", "must be a date")
			} else {
				end := d.Add(24*time.Hour - time.Second)
				in.ExpiresAt = &end
			}
		}
		if s := strings.TrimSpace(form.Get("max_downloads")); s != "" {
			n, ok := api.ParseID(s)
			if !ok || n > LinkMaxDownloads {
				f.Addf("max_downloads", "must be from 0 (no limit) to {max}", "max", LinkMaxDownloads)
			}
			in.MaxDownloads = int(n)
		}
		in.Password = form.Get("password")
		if err := f.Err(); err != nil {
			return err
		}
		_, err := h.svc.CreateLink(c.UserContext(), a, id, in)
		if pr, ok := problem.As(err); ok {
			// The form names the expiry expires_on.
			for i := range pr.Errors {
				if pr.Errors[i].Field == "expires_at" {
					pr.Errors[i].Field = "expires_on"
				}
			}
		}
		return err
	})
}

func (h *handlers) revokeLinkForm(c *fiber.Ctx) error {
	return h.fileForm(c, nil, "files.flash.link_revoked", func(a *actor.Actor, id int64, _ *web.Form) error {
		lid, err := api.PathID(c, "link_id")
		if err != nil {
			return err
		}
		return h.svc.RevokeLink(c.UserContext(), a, id, lid)
	})
}

// sharedData is what the public page of a link shows.
type sharedData struct {
	Name, Human, Token string
	Password           bool
	Expires            *time.Time
	Left               int // downloads left, -1 for no limit
}

func (h *handlers) sharedView(c *fiber.Ctx, sh *Shared, tok string, form *web.Form) *web.Page {
	d := &sharedData{Name: sh.File.Name, Token: tok, Password: sh.Link.PasswordHash != "", Expires: sh.Link.ExpiresAt, Left: -1}
	if sh.Link.MaxDownloads > 0 {
		d.Left = sh.Link.MaxDownloads - sh.Link.Downloads
	}
	p := h.web.NewPage(c, "files.shared.title")
	d.Human = localSize(p.L, sh.File.Size)
	p.Bare = true
	p.Data = d
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Form = form
	// The page carries the token: no other site learns it from a Referer.
	c.Set("Referrer-Policy", "no-referrer")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return p
}

// sharedPage shows a link's file, signed out: its name, its size and a download button (with
// a password field when the link asks one). Unknown tokens are 404, spent links 410.
func (h *handlers) sharedPage(c *fiber.Ctx) error {
	tok := strings.Clone(c.Params("token"))
	sh, err := h.svc.Shared(c.UserContext(), tok)
	if err != nil {
		return err
	}
	return h.web.Render(c, "files/shared", h.sharedView(c, sh, tok, nil))
}

// sharedDownload streams a link's file: GET for a link without a password (scripts, curl),
// POST with the form's password. A wrong password shows the page again with the field's
// message (422), a throttled one 429.
func (h *handlers) sharedDownload(c *fiber.Ctx) error {
	tok := strings.Clone(c.Params("token"))
	ctx := c.UserContext()
	sh, err := h.svc.Shared(ctx, tok)
	if err != nil {
		return err
	}
	pw := ""
	var form *web.Form
	switch {
	case c.Method() == fiber.MethodGet && sh.Link.PasswordHash != "":
		// The password goes in the page's form (a POST), never in an address.
		return c.Redirect("/s/"+tok, fiber.StatusSeeOther)
	case c.Method() == fiber.MethodPost:
		form = web.NewForm(c, "password")
		pw = form.Get("password")
		form.Values["password"] = ""
	}
	if err := h.svc.Unlock(ctx, sh, pw, auth.ClientOf(c).IP); err != nil {
		if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusUnprocessableEntity {
			if form == nil {
				form = web.EmptyForm(nil)
			}
			return h.web.Refuse(c, "files/shared", h.sharedView(c, sh, tok, form), err)
		}
		return err
	}
	ct, err := h.svc.OpenShared(ctx, sh)
	if err != nil {
		return err
	}
	c.Set("Referrer-Policy", "no-referrer")
	return h.send(c, ct, false, func(ctx context.Context) error { return h.svc.SharedDownloaded(ctx, sh, ct) })
}
