package admin

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// personRow is one line of the people list.
type personRow struct {
	identity.Member
	State   string // active, invited or deactivated
	Company string
}

// peopleData is what the people page shows.
type peopleData struct {
	Rows        []personRow
	Query, Role string
	RoleFilter  []option
	InviteRoles []option
	Guests      []identity.Company // client and supplier companies, for inviting clients
	pager
	Invited *identity.Invited // the invitation just sent, with its link
	Mailbox string
}

var inviteFields = []string{"name", "email", "role", "company_id"}

// peoplePage loads the list for the request's filters (?q=, ?role=, ?cursor=).
func (h *handlers) peoplePage(c *fiber.Ctx, form *web.Form, invited *identity.Invited) (*web.Page, error) {
	a := actor.From(c)
	pg, err := api.ParsePage(c)
	if err != nil {
		return nil, err
	}
	q := queryValues(c)
	f := identity.MemberFilter{Query: strings.TrimSpace(q.Get("q")), Role: q.Get("role")}
	var fields problem.Fields
	fields.Check(len(f.Query) <= 100, "q", "must be at most 100 characters")
	fields.Check(!strings.ContainsFunc(f.Query, unicode.IsControl) && utf8.ValidString(f.Query), "q", "must not contain control characters")
	fields.Check(f.Role == "" || slices.Contains(actor.Roles, f.Role), "role", "is not a valid choice")
	if err := fields.Err(); err != nil {
		return nil, err
	}
	list, err := h.svc.ListMembers(c.UserContext(), a, pg, f)
	if err != nil {
		return nil, err
	}
	companies, names, err := h.loadCompanies(c)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"role": actor.RoleMember})
	}
	p := h.page(c, "admin.people.title", form)
	d := peopleData{Query: f.Query, Role: f.Role, Invited: invited, InviteRoles: roleOptions(invitable),
		RoleFilter: append([]option{{"", "admin.people.all_roles"}}, roleOptions(actor.Roles)...),
		pager:      makePager(base(c)+"/people", q, list.NextCursor)}
	for _, m := range list.Items {
		d.Rows = append(d.Rows, personRow{Member: m, State: status(&m), Company: names[m.CompanyID]})
	}
	for _, co := range companies {
		if co.Kind != identity.KindInternal {
			d.Guests = append(d.Guests, co)
		}
	}
	if h.mailbox != nil && a.May("devmail", "read") {
		d.Mailbox = base(c) + "/dev/mailbox"
	}
	p.Data = d
	return p, nil
}

func (h *handlers) people(c *fiber.Ctx) error {
	p, err := h.peoplePage(c, nil, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/people", p)
}

func (h *handlers) invite(c *fiber.Ctx) error {
	form := web.NewForm(c, inviteFields...)
	in := identity.InviteInput{Name: form.Get("name"), Email: form.Get("email"), Role: form.Get("role")}
	companyID, err := formID(form, "company_id")
	var invited *identity.Invited
	if err == nil {
		in.CompanyID = companyID
		invited, err = h.svc.Invite(c.UserContext(), actor.From(c), in)
	}
	if err != nil {
		p, perr := h.peoplePage(c, form, nil)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/people", p, err)
	}
	// No redirect: the invitation link is shown on this response only, never kept in a cookie.
	p, err := h.peoplePage(c, nil, invited)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.web.Render(c, "admin/people", p)
}

// personData is what a person's page shows.
type personData struct {
	Member    *identity.Member
	State     string
	Company   string
	Companies []identity.Company
	Teams     []identity.Team
	Roles     []option
	Capacity  *personCapacity
	IsOwner   bool // the owner's role and access cannot change here
	IsSelf    bool // nobody changes their own role or access
}

func (h *handlers) personPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	m, err := h.svc.Member(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	companies, names, err := h.loadCompanies(c)
	if err != nil {
		return nil, err
	}
	teams, err := h.svc.MemberTeams(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"role": m.Role, "company_id": idString(m.CompanyID)})
	}
	pc, err := h.personCapacity(c.UserContext(), a, m.Role, id)
	if err != nil {
		return nil, err
	}
	if pc != nil && form.Values["profile_id"] == "" {
		form.Values["profile_id"], form.Values["role_id"], form.Values["cost_rate_minor"] = idString(pc.Profile.ID), "0", pc.OwnRate
		if pc.RoleID != nil {
			form.Values["role_id"] = idString(*pc.RoleID)
		}
	}
	p := h.page(c, m.Name, form)
	p.Data = personData{Member: m, State: status(m), Company: names[m.CompanyID], Companies: companies, Teams: teams,
		Roles: roleOptions(invitable), Capacity: pc, IsOwner: m.Role == actor.RoleOwner, IsSelf: m.ID == a.UserID}
	return p, nil
}

func (h *handlers) person(c *fiber.Ctx) error {
	p, err := h.personPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/person", p)
}

// errSelf refuses a change of one's own role or access, which could lock the last
// administrator out; another administrator makes it.
var errSelf = problem.Conflict("role", "you cannot change your own role or access; ask another administrator")

// changePerson loads the person's page, applies change and answers: back to the page with
// a message, or the page again with the refusal.
func (h *handlers) changePerson(c *fiber.Ctx, form *web.Form, flash string, change func(a *actor.Actor, id int64) error) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if id == a.UserID {
		err = errSelf
	} else {
		err = change(a, id)
	}
	if err != nil {
		p, perr := h.personPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/person", p, err)
	}
	return done(c, flash, base(c)+"/people/"+idString(id))
}

func (h *handlers) updatePerson(c *fiber.Ctx) error {
	form := web.NewForm(c, "role", "company_id")
	return h.changePerson(c, form, "admin.person.saved", func(a *actor.Actor, id int64) error {
		role := form.Get("role")
		patch := identity.MemberPatch{Role: &role}
		companyID, err := formID(form, "company_id")
		if err != nil {
			return err
		}
		if companyID != 0 {
			patch.CompanyID = &companyID
		}
		_, err = h.svc.UpdateMember(c.UserContext(), a, id, patch)
		return err
	})
}

func (h *handlers) setActive(c *fiber.Ctx, on bool, flash string) error {
	return h.changePerson(c, nil, flash, func(a *actor.Actor, id int64) error {
		_, err := h.svc.UpdateMember(c.UserContext(), a, id, identity.MemberPatch{Active: &on})
		return err
	})
}

func (h *handlers) deactivate(c *fiber.Ctx) error {
	return h.setActive(c, false, "admin.person.deactivated")
}

func (h *handlers) reactivate(c *fiber.Ctx) error {
	return h.setActive(c, true, "admin.person.reactivated")
}
