package admin

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/capacity"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the admin pages. They parse the request, call the identity service and
// render; the rules live in the service.
type handlers struct {
	web     *web.Renderer
	svc     *identity.Service
	db      *bun.DB
	mailbox *mail.DevMailbox  // nil unless the dev mailbox is on
	hooks   *hooks.Set        // what the modules fed (what names a company)
	cap     *capacity.Service // capacity profiles, job roles and rates
}

// option is a <select> choice: a value and a message key (or plain text for names).
type option = []string

// selectAll is how many rows the pickers (people, companies) load at most.
const selectAll = 1000

func (h *handlers) page(c *fiber.Ctx, title string, form *web.Form) *web.Page {
	p := h.web.NewPage(c, title)
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Form = form
	return p
}

// done queues a success message and sends the browser to the page that shows the result.
func done(c *fiber.Ctx, key, to string) error {
	web.Flash(c, "success", key)
	return c.Redirect(to, fiber.StatusSeeOther)
}

func base(c *fiber.Ctx) string { return "/" + actor.From(c).Account.Slug }

// formID reads an optional id field of a form: "" is 0; anything but a positive integer is a
// field error.
func formID(f *web.Form, field string) (int64, error) {
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return 0, nil
	}
	id, ok := api.ParseID(s)
	if !ok {
		return 0, problem.Invalid(problem.FieldError{Field: field, Message: "is not a valid choice"})
	}
	return id, nil
}

// roleOptions are the choices of a role <select>.
func roleOptions(roles []string) []option {
	out := make([]option, len(roles))
	for i, r := range roles {
		out[i] = option{r, "role." + r}
	}
	return out
}

// invitable are the roles a person can be given (the owner is made by sign-up only).
var invitable = []string{actor.RoleAdmin, actor.RoleManager, actor.RoleMember, actor.RoleClient}

// label translates key when the catalog has it, else shows fallback (an audit action that
// a newer module records, say).
func (h *handlers) label(p *web.Page, key, fallback string) string {
	if h.web.Catalog.Has(key) {
		return p.T(key)
	}
	return fallback
}

// loadCompanies returns the account's companies (at most selectAll) and their names by id.
func (h *handlers) loadCompanies(c *fiber.Ctx) ([]identity.Company, map[int64]string, error) {
	list, err := h.svc.ListCompanies(c.UserContext(), actor.From(c), api.Page{Limit: selectAll})
	names := make(map[int64]string, len(list.Items))
	for _, co := range list.Items {
		names[co.ID] = co.Name
	}
	return list.Items, names, err
}

// everyone returns the account's people (at most selectAll), sorted by name, for pickers.
func (h *handlers) everyone(c *fiber.Ctx) ([]identity.Member, error) {
	list, err := h.svc.ListMembers(c.UserContext(), actor.From(c), api.Page{Limit: selectAll}, identity.MemberFilter{})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(list.Items, func(a, b identity.Member) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return list.Items, nil
}

// pager holds the links between the pages of a list; both keep the list's filters.
type pager struct {
	First string // the first page, when this is a later one
	Next  string // the next page, when there is one
}

func makePager(path string, q url.Values, next string) pager {
	v := url.Values{}
	for k, vs := range q {
		if k != "cursor" && len(vs) > 0 && vs[0] != "" {
			v.Set(k, vs[0])
		}
	}
	link := func(cursor string) string {
		w := url.Values{}
		for k, vs := range v {
			w[k] = vs
		}
		if cursor != "" {
			w.Set("cursor", cursor)
		}
		if len(w) == 0 {
			return path
		}
		return path + "?" + w.Encode()
	}
	var p pager
	if q.Get("cursor") != "" {
		p.First = link("")
	}
	if next != "" {
		p.Next = link(next)
	}
	return p
}

// queryValues copies the request's query (fasthttp reuses its buffers).
func queryValues(c *fiber.Ctx) url.Values {
	v, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	return v
}

// status is what a person's badge says.
func status(m *identity.Member) string {
	switch {
	case m.DeactivatedAt != nil:
		return "deactivated"
	case m.Status == identity.StatusInvited:
		return "invited"
	default:
		return "active"
	}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
