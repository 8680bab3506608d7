package consent

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the pages: the owner's consent, the account's support requests, and
// the platform console.
func (h *HTTP) pageRoutes(r *api.Routes) {
	r.Get("/:slug/consent", api.Can("consent", "manage"), h.consentPage)
	r.Post("/:slug/consent", api.Can("consent", "manage"), h.giveForm)
	r.Get("/:slug/consent/:id/revoke", api.Can("consent", "manage"), h.revokePage)
	r.Post("/:slug/consent/:id/revoke", api.Can("consent", "manage"), h.revokeForm)

	r.Get("/:slug/support", api.Can("support_requests", "read"), h.supportPage)
	r.Post("/:slug/support", api.Can("support_requests", "create"), h.openForm)
	r.Get("/:slug/support/:id", api.Can("support_requests", "read"), h.threadPage)
	r.Post("/:slug/support/:id/replies", api.Can("support_requests", "create"), h.replyForm)

	r.Get("/platform", api.Platform("*"), h.consolePage)
	r.Get("/platform/accounts/:slug", api.Platform("*"), h.consoleAccountPage)
	r.Get("/platform/accounts/:slug/logs", api.Platform(actor.PlatformSupport), h.consoleLogsPage)
	r.Get("/platform/accounts/:slug/support", api.Platform("*"), h.consoleRequestsPage)
	r.Get("/platform/accounts/:slug/support/:id", api.Platform("*"), h.consoleThreadPage)
	r.Post("/platform/accounts/:slug/support/:id/replies", api.Platform("*"), h.consoleReplyForm)
}

// rerender shows a page again with the submitted values and the messages next to their
// fields; errors a person cannot fix go on to the error page.
func (h *HTTP) rerender(c *fiber.Ctx, name string, p *web.Page, err error) error {
	if !p.Form.Fail(err) {
		return err
	}
	p.Status = p.Form.Status(err)
	return h.Web.Render(c, name, p)
}

// pageOf reads ?cursor= for a page of at most max items.
func pageOf(c *fiber.Ctx, max int) (api.Page, error) {
	p, err := api.ParsePage(c)
	p.Limit = max
	return p, err
}

// consentData is what the owner's consent page shows.
type consentData struct {
	Requested    []Grant // support's requests awaiting the owner's decision
	Active, Past []Grant
	Accesses     []audit.Event
	Scopes       [][2]string // select options: value, label key
	Today, Max   string      // bounds of the end date
}

var scopeOptions = [][2]string{{ScopeLogs, "consent.scope.logs"}, {ScopeData, "consent.scope.data"}}

func (h *HTTP) consentView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	list, err := h.Svc.ListGrants(c.UserContext(), a, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	accesses, err := h.Svc.SupportAccesses(c.UserContext(), a, 50)
	if err != nil {
		return nil, err
	}
	now := h.Svc.now()
	d := consentData{Accesses: accesses, Scopes: scopeOptions,
		Today: now.AddDate(0, 0, 1).Format(time.DateOnly), Max: now.Add(MaxGrant).Format(time.DateOnly)}
	for _, g := range list.Items {
		switch {
		case g.State == StateRequested:
			d.Requested = append(d.Requested, g)
		case g.Active:
			d.Active = append(d.Active, g)
		default:
			d.Past = append(d.Past, g)
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"scope": ScopeLogs, "expires_at": now.AddDate(0, 0, 7).Format(time.DateOnly)})
	}
	p := h.Web.NewPage(c, "consent.title")
	p.Form, p.Data = form, d
	return p, nil
}

func (h *HTTP) consentPage(c *fiber.Ctx) error {
	p, err := h.consentView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "consent/consent", p)
}

func (h *HTTP) giveForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "scope", "expires_at", "reason")
	_, err := h.Svc.Give(c.UserContext(), actor.From(c), GrantInput{Scope: form.Get("scope"), ExpiresAt: form.Get("expires_at"), Reason: form.Get("reason")})
	if err != nil {
		p, perr := h.consentView(c, form)
		if perr != nil {
			return perr
		}
		return h.rerender(c, "consent/consent", p, err)
	}
	web.Flash(c, "success", "consent.granted")
	return c.Redirect("/"+actor.From(c).Account.Slug+"/consent", fiber.StatusSeeOther)
}

func (h *HTTP) revokePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	g, err := h.Svc.FindGrant(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	p := h.Web.NewPage(c, "consent.revoke_title")
	p.Data = g
	return h.Web.Render(c, "consent/revoke", p)
}

func (h *HTTP) revokeForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	_, err = h.Svc.Revoke(c.UserContext(), a, id)
	pr, isProblem := problem.As(err)
	switch {
	case err == nil:
		web.Flash(c, "success", "consent.revoked")
	case isProblem && pr.Status == fiber.StatusConflict:
		web.Flash(c, "info", "consent.revoke_ended")
	default:
		return err
	}
	return c.Redirect("/"+a.Account.Slug+"/consent", fiber.StatusSeeOther)
}

// supportData is what the account's support page shows.
type supportData struct {
	Requests []SupportRequest
	Next     string
}

func (h *HTTP) supportView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	pg, err := pageOf(c, 50)
	if err != nil {
		return nil, err
	}
	list, err := h.Svc.ListRequests(c.UserContext(), actor.From(c), pg)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.Web.NewPage(c, "support.title")
	p.Form, p.Data = form, supportData{Requests: list.Items, Next: list.NextCursor}
	return p, nil
}

func (h *HTTP) supportPage(c *fiber.Ctx) error {
	p, err := h.supportView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "consent/support", p)
}

func (h *HTTP) openForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "subject", "body")
	a := actor.From(c)
	r, err := h.Svc.OpenRequest(c.UserContext(), a, RequestInput{Subject: form.Get("subject"), Body: form.Get("body")})
	if err != nil {
		p, perr := h.supportView(c, form)
		if perr != nil {
			return perr
		}
		return h.rerender(c, "consent/support", p, err)
	}
	web.Flash(c, "success", "support.opened")
	return c.Redirect("/"+a.Account.Slug+"/support/"+strconv.FormatInt(r.ID, 10), fiber.StatusSeeOther)
}

// threadData is what a support conversation page shows, on either side.
type threadData struct {
	Thread   *Thread
	Action   string // where the reply form posts; "" hides the form
	Back     string
	Platform bool // the viewer is platform staff
}

func (h *HTTP) threadView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	a := actor.From(c)
	t, err := h.Svc.Thread(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	base := "/" + a.Account.Slug + "/support"
	d := threadData{Thread: t, Back: base}
	if a.May("support_requests", "create") {
		d.Action = base + "/" + strconv.FormatInt(id, 10) + "/replies"
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.Web.NewPage(c, "support.title")
	p.Form, p.Data = form, d
	return p, nil
}

func (h *HTTP) threadPage(c *fiber.Ctx) error {
	p, err := h.threadView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "consent/thread", p)
}

func (h *HTTP) replyForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	a := actor.From(c)
	if _, err := h.Svc.Reply(c.UserContext(), a, id, ReplyInput{Body: form.Get("body")}); err != nil {
		p, perr := h.threadView(c, form)
		if perr != nil {
			return perr
		}
		return h.rerender(c, "consent/thread", p, err)
	}
	web.Flash(c, "success", "support.replied")
	return c.Redirect("/"+a.Account.Slug+"/support/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// consoleData is what the platform console's home shows.
type consoleData struct {
	Support  bool
	Accounts []SupportListItem
	Partner  []PartnerView
	Next     string
}

func (h *HTTP) consolePage(c *fiber.Ctx) error {
	pg, err := pageOf(c, 100)
	if err != nil {
		return err
	}
	a := actor.From(c)
	d := consoleData{Support: a.PlatformRole == actor.PlatformSupport}
	if d.Support {
		list, err := h.Svc.SupportAccounts(c.UserContext(), a, pg)
		if err != nil {
			return err
		}
		d.Accounts, d.Next = list.Items, list.NextCursor
	} else {
		list, err := h.Svc.PartnerAccounts(c.UserContext(), a, pg)
		if err != nil {
			return err
		}
		d.Partner, d.Next = list.Items, list.NextCursor
	}
	p := h.Web.NewPage(c, "platform.title")
	p.Data = d
	return h.Web.Render(c, "consent/console", p)
}

// consoleAccountData is one account in the console: support's view or the partner's.
type consoleAccountData struct {
	Slug    string
	Support *SupportView
	Grants  *InForce // support only: the owner's grants in force
	Partner *PartnerView
	Scopes  [][2]string // the request form's choices (support)
}

func (h *HTTP) consoleAccountView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	d := consoleAccountData{Slug: slug(c), Scopes: scopeOptions}
	var err error
	if a.PlatformRole == actor.PlatformSupport {
		if d.Support, err = h.Svc.SupportAccount(c.UserContext(), a, d.Slug); err != nil {
			return nil, err
		}
		if d.Grants, err = h.Svc.GrantsInForce(c.UserContext(), a, d.Slug); err != nil {
			return nil, err
		}
	} else if d.Partner, err = h.Svc.PartnerAccount(c.UserContext(), a, d.Slug); err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"scope": ScopeLogs, "expires_at": h.Svc.now().AddDate(0, 0, 7).Format(time.DateOnly)})
	}
	p := h.Web.NewPage(c, "platform.title")
	p.Data, p.Form = d, form
	return p, nil
}

func (h *HTTP) consoleAccountPage(c *fiber.Ctx) error {
	p, err := h.consoleAccountView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "consent/console_account", p)
}

// LogsPerPage is how many lines a page of the console's application log shows.
const LogsPerPage = 50

// consoleLogsData is a page of the application log of an account, or the refusal.
type consoleLogsData struct {
	Slug         string
	Entries      []LogEntry
	Denied       bool
	Errors       bool   // the filters, echoed in the form
	RequestID    string //
	Filtered     bool
	Older, Newer string // the neighbour pages' links ("" when none)
	Clear        string // the page without filters
}

// logsLink is the log page at a cursor with the filters kept.
func logsLink(base string, errors bool, requestID, key string, id int64) string {
	v := url.Values{}
	if errors {
		v.Set("status", "errors")
	}
	if requestID != "" {
		v.Set("request_id", requestID)
	}
	if key != "" {
		v.Set(key, api.Cursor(id))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// logCursor reads a cursor parameter as api.Cursor writes it; anything else is a 422.
func logCursor(c *fiber.Ctx, name string) (int64, error) {
	s := c.Query(name)
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	id, ok := api.ParseID(string(b))
	if err != nil || !ok {
		return 0, problem.Invalid(problem.FieldError{Field: name, Message: "is not a cursor this page gave"})
	}
	return id, nil
}

// logQuery reads the console log page's parameters: ?cursor= (older) or ?before= (newer),
// ?status=errors and ?request_id=.
func logQuery(c *fiber.Ctx) (LogQuery, error) {
	q := LogQuery{Limit: LogsPerPage}
	var err error
	if q.Older, err = logCursor(c, "cursor"); err != nil {
		return q, err
	}
	if q.Newer, err = logCursor(c, "before"); err != nil {
		return q, err
	}
	if q.Older != 0 && q.Newer != 0 {
		return q, problem.Invalid(problem.FieldError{Field: "before", Message: "cannot go with cursor"})
	}
	switch c.Query("status") {
	case "":
	case "errors":
		q.Errors = true
	default:
		return q, problem.Invalid(problem.FieldError{Field: "status", Message: "must be errors or nothing"})
	}
	if q.RequestID, err = api.QueryText(c, "request_id", 64); err != nil {
		return q, err
	}
	q.RequestID = strings.TrimSpace(q.RequestID)
	return q, nil
}

func (h *HTTP) consoleLogsPage(c *fiber.Ctx) error {
	q, err := logQuery(c)
	if err != nil {
		return err
	}
	d := consoleLogsData{Slug: slug(c), Errors: q.Errors, RequestID: q.RequestID, Filtered: q.Errors || q.RequestID != ""}
	base := "/platform/accounts/" + d.Slug + "/logs"
	d.Clear = base
	page, err := h.Svc.ReadLogsPage(c.UserContext(), actor.From(c), d.Slug, q)
	p := h.Web.NewPage(c, "platform.logs")
	switch {
	case err == errNoLogsGrant:
		d.Denied, p.Status = true, fiber.StatusForbidden
	case err != nil:
		return err
	default:
		d.Entries = page.Entries
		if page.Older != 0 {
			d.Older = logsLink(base, q.Errors, q.RequestID, "cursor", page.Older)
		}
		if page.Newer != 0 {
			d.Newer = logsLink(base, q.Errors, q.RequestID, "before", page.Newer)
		}
	}
	p.Data = d
	return h.Web.Render(c, "consent/console_logs", p)
}

// consoleRequestsData is an account's support requests in the console.
type consoleRequestsData struct {
	Slug     string
	Requests []SupportRequest
	Next     string
}

func (h *HTTP) consoleRequestsPage(c *fiber.Ctx) error {
	pg, err := pageOf(c, 50)
	if err != nil {
		return err
	}
	d := consoleRequestsData{Slug: slug(c)}
	list, err := h.Svc.PlatformRequests(c.UserContext(), actor.From(c), d.Slug, pg)
	if err != nil {
		return err
	}
	d.Requests, d.Next = list.Items, list.NextCursor
	p := h.Web.NewPage(c, "platform.requests")
	p.Data = d
	return h.Web.Render(c, "consent/console_requests", p)
}

func (h *HTTP) consoleThreadView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	s := slug(c)
	t, err := h.Svc.PlatformThread(c.UserContext(), actor.From(c), s, id)
	if err != nil {
		return nil, err
	}
	base := "/platform/accounts/" + s + "/support"
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.Web.NewPage(c, "platform.requests")
	p.Form = form
	p.Data = threadData{Thread: t, Back: base, Action: base + "/" + strconv.FormatInt(id, 10) + "/replies", Platform: true}
	return p, nil
}

func (h *HTTP) consoleThreadPage(c *fiber.Ctx) error {
	p, err := h.consoleThreadView(c, nil)
	if err != nil {
		return err
	}
	return h.Web.Render(c, "consent/thread", p)
}

func (h *HTTP) consoleReplyForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	s := slug(c)
	if _, err := h.Svc.PlatformReply(c.UserContext(), actor.From(c), s, id, ReplyInput{Body: form.Get("body")}); err != nil {
		p, perr := h.consoleThreadView(c, form)
		if perr != nil {
			return perr
		}
		return h.rerender(c, "consent/thread", p, err)
	}
	web.Flash(c, "success", "support.replied")
	return c.Redirect("/platform/accounts/"+s+"/support/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
