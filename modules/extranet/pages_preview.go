package extranet

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/problem"
)

// previewRoutes registers the administrators' "view as client company X": the portal's home as
// a client of that company sees it, read-only (no link leads into the client's pages, no form),
// and every view written in the audit trail.
func (h *handlers) previewRoutes(r routes) {
	// The enforcer exists once the App is built, after the modules registered.
	h.enforcer = r.Enforcer
	r.Get("/:slug/extranet/preview", api.Can("extranet.preview", "read"), h.previewPage)
}

// previewData is what the preview shows above the portal: whose view it is.
type previewData struct {
	Company   string
	Person    string // the client person whose view it is ("" when the company has nobody yet)
	Companies []company
}

// asClient is the actor the preview renders for: the first active client person of the company
// (projects show a client the projects they are a member of), or a person-less client of it.
func (h *handlers) asClient(c *fiber.Ctx, a *actor.Actor, companyID int64) (*actor.Actor, string, error) {
	tn := h.svc.tenant(a.AccountID())
	ids, err := h.svc.store.clientUsers(c.UserContext(), tn, companyID)
	if err != nil {
		return nil, "", err
	}
	v := &actor.Actor{Account: a.Account, Role: actor.RoleClient, CompanyID: companyID, Locale: a.Locale, TimeZone: a.TimeZone,
		SessionID: a.SessionID, ViaCookie: a.ViaCookie, IP: a.IP, UserAgent: a.UserAgent}
	slug := a.Account.Slug
	enf := h.enforcer()
	v.Can = func(object, action string) bool { return enf.Allowed(actor.RoleClient, slug, object, action) }
	name := ""
	if len(ids) > 0 {
		v.UserID = ids[0]
		if name, err = h.svc.store.userName(c.UserContext(), tn, ids[0]); err != nil {
			return nil, "", err
		}
		v.Name = name
	}
	return v, name, nil
}

func (h *handlers) previewPage(c *fiber.Ctx) error {
	a := actor.From(c)
	ctx := c.UserContext()
	tn := h.svc.tenant(a.AccountID())
	pv := &previewData{}
	s := c.Query("company")
	if s == "" {
		var err error
		if pv.Companies, err = h.svc.store.clientCompanies(ctx, tn); err != nil {
			return err
		}
		p := h.web.NewPage(c, "extranet.preview.title")
		p.Data = &portalData{Preview: pv}
		return h.web.Render(c, "extranet/preview", p)
	}
	companyID, ok := api.ParseID(s)
	if !ok {
		return problem.Invalid(problem.FieldError{Field: "company", Message: "must be a client company of the account"})
	}
	if isCo, err := h.svc.store.isClientCompany(ctx, tn, companyID); err != nil {
		return err
	} else if !isCo {
		return problem.NotFound()
	}
	as, person, err := h.asClient(c, a, companyID)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "extranet.preview.viewed", "company:"+strconv.FormatInt(companyID, 10),
		map[string]any{"company_id": companyID, "as_user_id": as.UserID}); err != nil {
		return err
	}
	p := h.web.NewPage(c, "extranet.preview.title")
	// The portal's parts ask for the actor of the request: the client's, while they render.
	d, err := func() (*portalData, error) {
		actor.Set(c, as)
		defer actor.Set(c, a)
		return h.portalFor(c, as, p)
	}()
	if err != nil {
		return err
	}
	pv.Company, pv.Person = d.Nav.Company, person
	d.Preview = pv
	p.Data = d
	return h.web.Render(c, "extranet/preview", p)
}
