package extranet

import (
	"context"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	projects "groupcamp/modules/projects/contract"
)

// pageRoutes registers the portal, the client's deliverable pages and the team's.
func (h *handlers) pageRoutes(r routes) {
	portal := api.Can("extranet.portal", "read")
	write, decide := api.Can("extranet.deliverables", "write"), api.Can("extranet.deliverables", "decide")
	r.Get("/:slug/extranet", portal, h.portalPage)
	r.Get("/:slug/extranet/deliverables", portal, h.clientListPage)
	r.Get("/:slug/extranet/deliverables/:id", portal, h.clientDeliverablePage)
	r.Post("/:slug/extranet/deliverables/:id/approve", decide, h.decideForm(StateApproved))
	r.Post("/:slug/extranet/deliverables/:id/reject", decide, h.decideForm(StateRejected))
	r.Get("/:slug/deliverables", write, h.teamListPage)
	r.Post("/:slug/deliverables", write, h.createForm)
	r.Get("/:slug/deliverables/:id", write, h.teamDeliverablePage)
	r.Post("/:slug/deliverables/:id/resubmit", write, h.resubmitForm)
}

// tile is a section of the portal, as its navigation and its home show it.
type tile struct {
	Key, Label, Intro, Href string
	// Empty: the section says it holds nothing for this client.
	Empty bool
}

// portalNav is what every portal page shows above its content: the company, the sections.
type portalNav struct {
	Company string
	Account string
	Tiles   []tile
	Current string // the key of the section shown ("" for the portal's home)
	// The account's branding: its logo, welcome text and stylesheet of its colour ("" for none).
	Logo    template.URL
	Welcome string
	CSS     string
}

// sections are the portal's sections in order, each asked (when it can say) whether it holds
// anything for the client; a module the account has turned off shows none.
func (h *handlers) sections(ctx context.Context, a *actor.Actor, current string) (*portalNav, error) {
	tn := h.svc.tenant(a.AccountID())
	nav := &portalNav{Current: current}
	if a.Account != nil {
		nav.Account = a.Account.Name
	}
	var err error
	if nav.Company, err = h.svc.store.companyName(ctx, tn, a.CompanyID); err != nil {
		return nil, err
	}
	b, err := h.svc.Branding(ctx, a.AccountID())
	if err != nil {
		return nil, err
	}
	nav.Logo, nav.Welcome = logoURL(b.Logo), b.Welcome
	if b.Color != "" {
		nav.CSS = "/" + a.Account.Slug + PortalPath + "/brand.css?v=" + strconv.FormatInt(b.UpdatedAt.Unix(), 10)
	}
	secs := slices.Clone(h.hooks.Portal)
	slices.SortStableFunc(secs, func(x, y hooks.PortalSection) int { return x.Order - y.Order })
	for _, s := range secs {
		if on, err := h.hooks.Enabled(ctx, a.AccountID(), s.Module); err != nil || !on {
			continue
		}
		t := tile{Key: s.Module + "." + s.Key, Label: s.Label, Intro: s.Intro, Href: "/" + a.Account.Slug + s.Path}
		if s.Has != nil {
			has, err := s.Has(ctx, a)
			if err != nil {
				return nil, err
			}
			t.Empty = !has
		}
		nav.Tiles = append(nav.Tiles, t)
	}
	return nav, nil
}

// portalData is what the portal's home shows.
type portalData struct {
	Nav     *portalNav
	Counts  map[string]int
	Waiting []Deliverable // awaiting the client's decision, newest first
	// Sections are the modules' parts of a person's home (hooks.HomeSection) rendered for the
	// client: the portal is their home, so what the modules show a client there shows here.
	Sections []template.HTML
	// Preview is set when an administrator views the portal as a client company (read-only).
	Preview *previewData
}

func (h *handlers) portalPage(c *fiber.Ctx) error {
	a := actor.From(c)
	p := h.web.NewPage(c, "extranet.portal.title")
	d, err := h.portalFor(c, a, p)
	if err != nil {
		return err
	}
	p.Data = d
	return h.web.Render(c, "extranet/portal", p)
}

// portalFor gathers the portal's home for the client a (the request's actor while it runs: the
// modules' home sections read it from the request).
func (h *handlers) portalFor(c *fiber.Ctx, a *actor.Actor, p *web.Page) (*portalData, error) {
	ctx := c.UserContext()
	nav, err := h.sections(ctx, a, "")
	if err != nil {
		return nil, err
	}
	d := &portalData{Nav: nav}
	if d.Counts, err = h.svc.Counts(ctx, a); err != nil {
		return nil, err
	}
	waiting, err := h.svc.List(ctx, a, Filter{State: StatePending}, api.Page{Limit: 5})
	if err != nil {
		return nil, err
	}
	d.Waiting = waiting.Items
	homes := slices.Clone(h.hooks.Home)
	slices.SortStableFunc(homes, func(x, y hooks.HomeSection) int { return x.Order - y.Order })
	for _, sec := range homes {
		if on, err := h.hooks.Enabled(ctx, a.AccountID(), sec.Module); err != nil || !on {
			continue
		}
		html, err := sec.Render(c, p)
		if err != nil {
			return nil, err
		}
		if html != "" {
			d.Sections = append(d.Sections, html)
		}
	}
	return d, nil
}

// listData is what a list of deliverables shows (the client's and the team's).
type listData struct {
	Nav      *portalNav
	Items    []Deliverable
	Next     string
	State    string
	Project  int64
	States   []string
	Projects []projects.ProjectRef
	// Companies are the account's client companies, for the team's "new deliverable" form.
	Companies []company
}

var states = []string{StatePending, StateApproved, StateRejected}

func (h *handlers) listView(c *fiber.Ctx, current string) (*listData, error) {
	a := actor.From(c)
	var f problem.Fields
	d := &listData{States: states, State: CheckState(&f, c.Query("state"))}
	if s := c.Query("project"); s != "" {
		d.Project, _ = api.ParseID(s)
	}
	pg, err := api.ParsePage(c)
	if err != nil {
		pg = api.Page{Limit: api.DefaultLimit}
	}
	l, err := h.svc.List(c.UserContext(), a, Filter{State: d.State, ProjectID: d.Project}, pg)
	if err != nil {
		return nil, err
	}
	d.Items, d.Next = l.Items, l.NextCursor
	if current != "" {
		if d.Nav, err = h.sections(c.UserContext(), a, current); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (h *handlers) clientListPage(c *fiber.Ctx) error {
	d, err := h.listView(c, "extranet.deliverables")
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "extranet.deliverables.title")
	p.Data = d
	return h.web.Render(c, "extranet/client_list", p)
}

// detailData is what a deliverable's page shows.
type detailData struct {
	Nav *portalNav
	*DeliverableView
}

func (h *handlers) detailView(c *fiber.Ctx, id int64, client bool, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	v, err := h.svc.Get(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	d := &detailData{DeliverableView: v}
	if client {
		if d.Nav, err = h.sections(c.UserContext(), a, "extranet.deliverables"); err != nil {
			return nil, err
		}
	}
	p := h.web.NewPage(c, v.Title)
	p.Data = d
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Form = form
	return p, nil
}

func (h *handlers) clientDeliverablePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.detailView(c, id, true, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "extranet/client_deliverable", p)
}

func refusable(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status < 500 && p.Status != fiber.StatusNotFound
}

// decideForm approves or rejects from the client's page: the box "I have reviewed" confirms.
func (h *handlers) decideForm(state string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		a := actor.From(c)
		form := web.NewForm(c, "comment", "confirm")
		in := Decision{Comment: form.Get("comment")}
		if form.Get("confirm") == "" {
			err = problem.Invalid(problem.FieldError{Field: "confirm", Message: "must be ticked to confirm your decision"})
		} else if state == StateApproved {
			_, err = h.svc.Approve(c.UserContext(), a, id, in)
		} else {
			_, err = h.svc.Reject(c.UserContext(), a, id, in)
		}
		if err != nil {
			if !refusable(err) {
				return err
			}
			p, verr := h.detailView(c, id, true, form)
			if verr != nil {
				return verr
			}
			return h.web.Refuse(c, "extranet/client_deliverable", p, err)
		}
		return web.Done(c, "extranet.flash."+state, "/"+a.Account.Slug+PortalPath+"/deliverables/"+strconv.FormatInt(id, 10))
	}
}

func (h *handlers) teamView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	d, err := h.listView(c, "")
	if err != nil {
		return nil, err
	}
	if d.Projects, err = h.svc.Seen.Get().Projects(c.UserContext(), a, 1000); err != nil {
		return nil, err
	}
	if d.Companies, err = h.svc.store.clientCompanies(c.UserContext(), h.svc.tenant(a.AccountID())); err != nil {
		return nil, err
	}
	if form == nil {
		pid := ""
		if d.Project != 0 {
			pid = strconv.FormatInt(d.Project, 10)
		}
		form = web.EmptyForm(map[string]string{"project_id": pid})
	}
	p := h.web.NewPage(c, "extranet.team.title")
	p.Data = d
	p.Form = form
	return p, nil
}

func (h *handlers) teamListPage(c *fiber.Ctx) error {
	p, err := h.teamView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "extranet/team_list", p)
}

func formID(form *web.Form, name string) int64 {
	id, _ := api.ParseID(form.Get(name))
	return id
}

// formFileID reads the optional file field; what is no id is refused by the service as -1.
func formFileID(form *web.Form) int64 {
	s := form.Get("file_id")
	if s == "" {
		return 0
	}
	if id, ok := api.ParseID(s); ok {
		return id
	}
	return -1
}

// formFileIDs reads the files field: ids separated by commas or spaces (the field may come
// several times); what is no id is refused by the service as -1. At most 100 are read.
func formFileIDs(c *fiber.Ctx) []int64 {
	var out []int64
	for _, raw := range c.Request().PostArgs().PeekMulti("file_ids") {
		for _, s := range strings.FieldsFunc(string(raw), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
			if len(out) >= 100 {
				return append(out, -1)
			}
			id, ok := api.ParseID(strings.TrimPrefix(s, "#"))
			if !ok {
				id = -1
			}
			out = append(out, id)
		}
	}
	return out
}

func (h *handlers) createForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "project_id", "company_id", "title", "description", "file_id", "file_ids")
	out, err := h.svc.Create(c.UserContext(), a, DeliverableInput{ProjectID: formID(form, "project_id"), CompanyID: formID(form, "company_id"),
		Title: form.Get("title"), Description: form.Get("description"), FileID: formFileID(form), FileIDs: formFileIDs(c)})
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.teamView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "extranet/team_list", p, err)
	}
	return web.Done(c, "extranet.flash.submitted", "/"+a.Account.Slug+"/deliverables/"+strconv.FormatInt(out.ID, 10))
}

func (h *handlers) teamDeliverablePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.detailView(c, id, false, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "extranet/team_deliverable", p)
}

func (h *handlers) resubmitForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "description", "file_id", "file_ids")
	if _, err := h.svc.Resubmit(c.UserContext(), a, id, RoundInput{Description: form.Get("description"), FileID: formFileID(form), FileIDs: formFileIDs(c)}); err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.detailView(c, id, false, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "extranet/team_deliverable", p, err)
	}
	return web.Done(c, "extranet.flash.resubmitted", "/"+a.Account.Slug+"/deliverables/"+strconv.FormatInt(id, 10))
}
