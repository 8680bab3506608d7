package notify

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/web"
)

// Pages serves the notification pages, the unsubscribe pages and the profile's
// "allow emails again" button.
type Pages struct {
	Svc *Service
	Web *web.Renderer
}

// Install loads the views (the catalogs came with New).
func (h *Pages) Install() error {
	views, _ := fs.Sub(files, "views")
	return h.Web.Load(views, "notify")
}

// Routes registers the pages.
func (h *Pages) Routes(r *api.Routes) {
	can := api.Can("notifications", "read")
	r.Get("/:slug/notifications", can, h.list)
	r.Post("/:slug/notifications/read-all", can, h.readAll)
	r.Post("/:slug/notifications/:id/read", can, h.read)
	r.Get("/:slug/notifications/preferences", can, h.prefsPage)
	r.Post("/:slug/notifications/preferences", can, h.savePrefs)
	// One-click unsubscribe (RFC 8058): the mail client POSTs without a session or a CSRF
	// token; the signed token is the credential.
	r.Get("/unsubscribe/:token", api.Public(), h.unsubscribePage)
	r.Post("/unsubscribe/:token", api.Public(), h.unsubscribe)
	r.Post("/profile/mail-blocks/:id/lift", api.Authenticated(), h.lift)
}

// Bell is what the layout's bell shows: nil for viewers outside an account.
func (s *Service) Bell(c *fiber.Ctx, a *actor.Actor) *web.Bell {
	if a == nil || a.Account == nil || !a.May("notifications", "read") {
		return nil
	}
	n, err := s.UnreadCount(c.UserContext(), a.AccountID(), a.UserID)
	if err != nil {
		return nil
	}
	return &web.Bell{Href: "/" + a.Account.Slug + "/notifications", Unread: n}
}

type listData struct {
	Items      []Notification
	Unread     int
	UnreadOnly bool
	Next       string // the next (older) page's query
}

func (h *Pages) list(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	unread, err := unreadOnly(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	out, err := h.Svc.List(c.UserContext(), a, unread, p)
	if err != nil {
		return err
	}
	n, err := h.Svc.UnreadCount(c.UserContext(), a.AccountID(), a.UserID)
	if err != nil {
		return err
	}
	page := h.Web.NewPage(c, "notify.title")
	d := listData{Items: out.Items, Unread: n, UnreadOnly: unread}
	if out.NextCursor != "" {
		d.Next = "?cursor=" + out.NextCursor
		if unread {
			d.Next += "&unread=true"
		}
	}
	page.Data = d
	return h.Web.Render(c, "notify/notifications", page)
}

func (h *Pages) back(c *fiber.Ctx) string { return "/" + actor.From(c).Account.Slug + "/notifications" }

func (h *Pages) read(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Svc.MarkRead(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return c.Redirect(h.back(c), fiber.StatusSeeOther)
}

func (h *Pages) readAll(c *fiber.Ctx) error {
	if _, err := h.Svc.MarkAllRead(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	return web.Done(c, "notify.all_marked", h.back(c))
}

type prefsData struct {
	Types    []string
	Channels [][]string // value, label key
}

func (h *Pages) prefsView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	if form == nil {
		cur, err := h.Svc.Preferences(c.UserContext(), actor.From(c))
		if err != nil {
			return nil, err
		}
		values := map[string]string{}
		for _, p := range cur.Preferences {
			values["pref_"+p.EventType] = p.Channel
		}
		form = web.EmptyForm(values)
	}
	p := h.Web.NewPage(c, "notify.prefs.title")
	p.Form = form
	d := prefsData{Types: h.Svc.EventTypes}
	for _, ch := range Channels {
		d.Channels = append(d.Channels, []string{ch, "notify.channel." + ch})
	}
	p.Data = d
	return p, nil
}

func (h *Pages) prefsPage(c *fiber.Ctx) error {
	p, err := h.prefsView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "notify/preferences", p)
}

func (h *Pages) savePrefs(c *fiber.Ctx) error {
	fields := make([]string, len(h.Svc.EventTypes))
	for i, t := range h.Svc.EventTypes {
		fields[i] = "pref_" + t
	}
	form := web.NewForm(c, fields...)
	var in Prefs
	for _, t := range h.Svc.EventTypes {
		in.Preferences = append(in.Preferences, Pref{EventType: t, Channel: form.Get("pref_" + t)})
	}
	_, err := h.Svc.SetPreferences(c.UserContext(), actor.From(c), in)
	if err != nil {
		p, perr := h.prefsView(c, form)
		if perr != nil {
			return perr
		}
		if !form.Fail(err) {
			return err
		}
		// The service names entries preferences[i].channel; the form names them pref_<type>.
		for i, t := range h.Svc.EventTypes {
			if m, ok := form.Errors[fmt.Sprintf("preferences[%d].channel", i)]; ok {
				form.Errors["pref_"+t] = m
			}
		}
		return h.Web.Refuse(c, "notify/preferences", p, err)
	}
	return web.Done(c, "notify.prefs.saved", h.back(c)+"/preferences")
}

type unsubscribeData struct {
	*Unsubscription
	Token string
	Done  bool // the block is in force
}

func (h *Pages) unsubscribePage(c *fiber.Ctx) error {
	tok := strings.Clone(c.Params("token"))
	un, err := h.Svc.Unsubscribe(c.UserContext(), tok)
	if err != nil {
		return err
	}
	return h.renderUnsubscribe(c, un, tok)
}

// unsubscribe blocks the email: the page's button, or a mail client's one-click POST with
// the body List-Unsubscribe=One-Click. Both get the confirmation page.
func (h *Pages) unsubscribe(c *fiber.Ctx) error {
	tok := strings.Clone(c.Params("token"))
	cl := auth.ClientOf(c)
	un, err := h.Svc.Block(c.UserContext(), tok, cl.IP, cl.UserAgent)
	if err != nil {
		return err
	}
	return h.renderUnsubscribe(c, un, tok)
}

// renderUnsubscribe shows the question, or — once blocked — the confirmation. The page
// carries the token: it is sent to no other site.
func (h *Pages) renderUnsubscribe(c *fiber.Ctx, un *Unsubscription, tok string) error {
	p := h.Web.NewPage(c, "notify.unsub.title")
	p.Bare = true
	p.Data = unsubscribeData{Unsubscription: un, Token: tok, Done: un.Blocked}
	c.Set("Referrer-Policy", "no-referrer")
	return h.Web.Render(c, "notify/unsubscribe", p)
}

func (h *Pages) lift(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.Lift(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "notify.block.lifted", "/profile#mail-blocks")
}
