package privacy

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the pages: the person's privacy page (every right in one place), the
// admins' privacy page (record of processing, settings, erasures), the owner's closure, and
// the public policy pages.
func (h *handlers) pageRoutes(r routes) {
	self, selfWrite := api.Can("privacy.self", "read"), api.Can("privacy.self", "write")
	r.Get("/:slug/me/privacy", self, h.mePage)
	r.Get("/:slug/me/privacy/report.json", self, h.reportJSON)
	r.Get("/:slug/me/privacy/report.html", self, h.reportHTML)
	r.Post("/:slug/me/privacy/exports", selfWrite, h.exportForm)
	r.Get("/:slug/me/privacy/exports/:id/download", self, h.download)
	r.Post("/:slug/me/privacy/erasure", selfWrite, h.erasureForm)
	r.Get("/:slug/me/privacy/erasure/:id", self, h.confirmPage)
	r.Post("/:slug/me/privacy/erasure/:id", selfWrite, h.confirmForm)
	r.Post("/:slug/me/privacy/erasure-cancel", selfWrite, h.cancelForm)

	r.Get("/:slug/privacy", api.Can("privacy.settings", "read"), h.adminPage)
	r.Post("/:slug/privacy/settings", api.Can("privacy.settings", "update"), h.settingsForm)
	r.Post("/:slug/privacy/erasures", api.Can("privacy.erasures", "manage"), h.eraseForm)
	r.Post("/:slug/privacy/erasures/:id/cancel", api.Can("privacy.erasures", "manage"), h.cancelErasureForm)
	r.Get("/:slug/privacy/closure", api.Can("privacy.account", "close"), h.closurePage)
	r.Post("/:slug/privacy/closure", api.Can("privacy.account", "close"), h.closureForm)
	r.Post("/:slug/privacy/closure/cancel", api.Can("privacy.account", "close"), h.cancelClosureForm)
	r.Post("/:slug/privacy/owner", api.Can("privacy.account", "close"), h.transferForm)

	r.Get("/privacy", api.Public(), h.public("privacy/policy", "privacy.policy.title"))
	r.Get("/cookies", api.Public(), h.public("privacy/cookies", "privacy.cookies.title"))
	r.Get("/security", api.Public(), h.public("privacy/security", "privacy.security.title"))
}

// meData is what the person's privacy page shows.
type meData struct {
	Report   *Report
	Requests []Request
	Erasure  *Request
	Running  bool // an export is being built: the page refreshes itself
	Owner    bool
	Days     int // the account's connection data retention
}

func (h *handlers) meView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	rep, err := h.svc.Report(ctx, a, h.lang(c))
	if err != nil {
		return nil, err
	}
	reqs, err := h.svc.MyRequests(ctx, a)
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Settings(ctx, a.AccountID())
	if err != nil {
		return nil, err
	}
	d := meData{Report: rep, Owner: a.Role == actor.RoleOwner, Days: st.ConnectionDays}
	for i := range reqs {
		r := &reqs[i]
		if r.Kind == KindExport && (r.State == StateQueued || r.State == StateRunning) {
			d.Running = true
		}
		if r.Kind == KindErasure && r.Open() && d.Erasure == nil {
			d.Erasure = r
		}
		if r.Kind == KindExport || !r.Open() {
			d.Requests = append(d.Requests, *r)
		}
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.web.NewPage(c, "privacy.me.title")
	p.Form, p.Data = form, d
	return p, nil
}

func (h *handlers) mePage(c *fiber.Ctx) error {
	p, err := h.meView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "privacy/me", p)
}

func (h *handlers) reportJSON(c *fiber.Ctx) error {
	rep, err := h.svc.Report(c.UserContext(), actor.From(c), h.lang(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="personal-data.json"`)
	return api.JSON(c, fiber.StatusOK, rep)
}

// reportHTML is the access report as a page of its own, to keep or print.
func (h *handlers) reportHTML(c *fiber.Ctx) error {
	rep, err := h.svc.Report(c.UserContext(), actor.From(c), h.lang(c))
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "privacy.report.title")
	p.Bare, p.Data = true, rep
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="personal-data.html"`)
	return h.web.Render(c, "privacy/report", p)
}

func (h *handlers) exportForm(c *fiber.Ctx) error {
	a := actor.From(c)
	if _, err := h.svc.RequestExport(c.UserContext(), a); err != nil {
		if pr, ok := problem.As(err); ok && pr.Status < 500 {
			web.Flash(c, "error", "privacy.export.refused")
			return c.Redirect("/"+a.Account.Slug+"/me/privacy", fiber.StatusSeeOther)
		}
		return err
	}
	return web.Done(c, "privacy.export.started", "/"+a.Account.Slug+"/me/privacy#exports")
}

func (h *handlers) download(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	f, name, err := h.svc.Download(c.UserContext(), actor.From(c), id, c.Query("token"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	if fi, err := f.Stat(); err == nil {
		return c.SendStream(f, int(fi.Size()))
	}
	return c.SendStream(f)
}

func (h *handlers) erasureForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "password")
	a := actor.From(c)
	if _, err := h.svc.RequestErasure(c.UserContext(), a, ErasureInput{Password: form.Get("password")}); err != nil {
		form.Values["password"] = ""
		return h.again(c, "privacy/me", func() (*web.Page, error) { return h.meView(c, form) }, err)
	}
	return web.Done(c, "privacy.erasure.check_mail", "/"+a.Account.Slug+"/me/privacy#erasure")
}

// confirmPage is where the emailed link lands: a button, so that a mail scanner following
// links cannot confirm an erasure by itself.
func (h *handlers) confirmPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	r, err := h.svc.ownErasure(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	if !h.svc.validToken(r, c.Query("token")) {
		return problem.NotFound()
	}
	p := h.web.NewPage(c, "privacy.confirm.title")
	p.Data = map[string]any{"Request": r, "Token": c.Query("token"), "Grace": int(Grace.Hours() / 24)}
	return h.web.Render(c, "privacy/confirm", p)
}

func (h *handlers) confirmForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	if _, err := h.svc.ConfirmErasure(c.UserContext(), a, id, c.FormValue("token")); err != nil {
		return err
	}
	return web.Done(c, "privacy.erasure.scheduled", "/"+a.Account.Slug+"/me/privacy#erasure")
}

func (h *handlers) cancelForm(c *fiber.Ctx) error {
	a := actor.From(c)
	if _, err := h.svc.CancelMyErasure(c.UserContext(), a); err != nil {
		return err
	}
	return web.Done(c, "privacy.erasure.cancelled", "/"+a.Account.Slug+"/me/privacy")
}

// adminData is what the admins' privacy page shows.
type adminData struct {
	Record   []ModuleReport
	Settings *Settings
	Erasures []erasureRow
	People   []identity.Member // who may be erased from here
	Closure  *Request
	Min, Max int
}

// erasureRow is a request with the name of the person it is about, while they are there.
type erasureRow struct {
	Request
	Person string
}

func (h *handlers) adminView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	rec, err := h.svc.Record(ctx, a, h.lang(c))
	if err != nil {
		return nil, err
	}
	st, err := h.svc.Settings(ctx, a.AccountID())
	if err != nil {
		return nil, err
	}
	list, err := h.svc.Erasures(ctx, a)
	if err != nil {
		return nil, err
	}
	d := adminData{Record: rec, Settings: st, Min: MinConnectionDays, Max: MaxConnectionDays}
	people, err := h.svc.People.ListMembers(ctx, a, api.Page{Limit: api.MaxLimit}, identity.MemberFilter{})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, m := range people.Items {
		names[m.ID] = m.Name
		if m.Role != actor.RoleOwner && m.ID != a.UserID {
			d.People = append(d.People, m)
		}
	}
	for i := range list {
		row := erasureRow{Request: list[i]}
		if list[i].UserID != nil {
			row.Person = names[*list[i].UserID]
		}
		d.Erasures = append(d.Erasures, row)
		if list[i].Kind == KindClosure && list[i].Open() {
			d.Closure = &list[i]
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"connection_days": strconv.Itoa(st.ConnectionDays), "keep_text": strconv.FormatBool(st.KeepText)})
	}
	p := h.web.NewPage(c, "privacy.admin.title")
	p.Form, p.Data = form, d
	return p, nil
}

func (h *handlers) adminPage(c *fiber.Ctx) error {
	p, err := h.adminView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "privacy/admin", p)
}

func (h *handlers) settingsForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "connection_days", "keep_text")
	a := actor.From(c)
	days, err := strconv.Atoi(form.Get("connection_days"))
	if err != nil {
		err = problem.Invalid(problem.FieldError{Field: "connection_days", Message: "must be a whole number of days"})
	} else {
		_, err = h.svc.SaveSettings(c.UserContext(), a, SettingsInput{ConnectionDays: days, KeepText: form.Get("keep_text") == "true"})
	}
	if err != nil {
		return h.again(c, "privacy/admin", func() (*web.Page, error) { return h.adminView(c, form) }, err)
	}
	return web.Done(c, "privacy.settings.saved", "/"+a.Account.Slug+"/privacy")
}

func (h *handlers) eraseForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "user_id", "immediately")
	a := actor.From(c)
	id, ok := api.ParseID(form.Get("user_id"))
	var err error
	if !ok {
		err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "choose a person"})
	} else {
		_, err = h.svc.EraseMember(c.UserContext(), a, id, MemberErasureInput{Immediately: form.Get("immediately") == "true"})
		if pr, isP := problem.As(err); isP && pr.Status == fiber.StatusNotFound {
			err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "choose a person"})
		}
	}
	if err != nil {
		return h.again(c, "privacy/admin", func() (*web.Page, error) { return h.adminView(c, form) }, err)
	}
	return web.Done(c, "privacy.erasure.requested", "/"+a.Account.Slug+"/privacy#erasures")
}

func (h *handlers) cancelErasureForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	if _, err := h.svc.CancelErasure(c.UserContext(), a, id); err != nil {
		return err
	}
	return web.Done(c, "privacy.erasure.cancelled", "/"+a.Account.Slug+"/privacy#erasures")
}

func (h *handlers) closureView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	r, err := h.svc.Closure(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	if r.State == StateNone {
		r = nil
	}
	// Who may become the owner: active colleagues.
	people, err := h.svc.People.ListMembers(c.UserContext(), a, api.Page{Limit: api.MaxLimit}, identity.MemberFilter{})
	if err != nil {
		return nil, err
	}
	var heirs [][2]string
	for _, m := range people.Items {
		if m.ID != a.UserID && m.Role != actor.RoleClient && m.Status == identity.StatusActive && m.DeactivatedAt == nil {
			heirs = append(heirs, [2]string{strconv.FormatInt(m.ID, 10), m.Name + " · " + m.Email})
		}
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.web.NewPage(c, "privacy.closure.title")
	p.Form, p.Data = form, map[string]any{"Closure": r, "Account": a.Account.Name, "Grace": int(Grace.Hours() / 24), "Heirs": heirs, "Kept": h.svc.retentionNotices()}
	return p, nil
}

func (h *handlers) closurePage(c *fiber.Ctx) error {
	p, err := h.closureView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "privacy/closure", p)
}

func (h *handlers) closureForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "password", "immediately", "confirm")
	a := actor.From(c)
	var err error
	if form.Get("confirm") != a.Account.Slug {
		err = problem.Invalid(problem.FieldError{Field: "confirm", Message: "type the account's address to confirm"})
	} else {
		_, err = h.svc.CloseAccount(c.UserContext(), a, ClosureInput{Password: form.Get("password"), Immediately: form.Get("immediately") == "true"})
	}
	if err != nil {
		form.Values["password"] = ""
		return h.again(c, "privacy/closure", func() (*web.Page, error) { return h.closureView(c, form) }, err)
	}
	return web.Done(c, "privacy.closure.requested", "/"+a.Account.Slug+"/privacy/closure")
}

// again shows a page once more after a refused form: the values stay, the messages go next to
// their fields (web.Renderer.Refuse).
func (h *handlers) again(c *fiber.Ctx, view string, build func() (*web.Page, error), err error) error {
	p, perr := build()
	if perr != nil {
		return perr
	}
	return h.web.Refuse(c, view, p, err)
}

// transferForm hands the account to another colleague: the owner becomes an admin (and may
// then be erased like anyone).
func (h *handlers) transferForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "user_id")
	a := actor.From(c)
	id, ok := api.ParseID(form.Get("user_id"))
	var err error
	if !ok {
		err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "choose a person"})
	} else {
		_, err = h.svc.People.TransferOwnership(c.UserContext(), a, identity.TransferInput{UserID: id})
	}
	if err != nil {
		return h.again(c, "privacy/closure", func() (*web.Page, error) { return h.closureView(c, form) }, err)
	}
	return web.Done(c, "privacy.owner.transferred", "/"+a.Account.Slug+"/me/privacy")
}

func (h *handlers) cancelClosureForm(c *fiber.Ctx) error {
	a := actor.From(c)
	if _, err := h.svc.CancelClosure(c.UserContext(), a); err != nil {
		return err
	}
	return web.Done(c, "privacy.closure.cancelled", "/"+a.Account.Slug+"/privacy")
}

// public serves a signed-out page of the policy set.
func (h *handlers) public(view, title string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := h.web.NewPage(c, title)
		p.Data = map[string]any{"Cookies": web.Cookies(), "Days": DefaultConnectionDays, "Min": MinConnectionDays, "Max": MaxConnectionDays,
			"Modules": h.publicRecord(c, p)}
		return h.web.Render(c, view, p)
	}
}

// publicRecord is what the product may hold about anyone, for the privacy policy: the same
// descriptions as an account's record of processing, in the reader's language.
func (h *handlers) publicRecord(c *fiber.Ctx, p *web.Page) []ModuleReport {
	mods, err := h.svc.describe(c.UserContext(), hooks.Subject{}, p.L)
	if err != nil {
		return nil
	}
	return mods
}
