package gcapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/identity"
)

// The people and companies of core/v1 (provisioning): users are the account's people,
// "orgas" its companies (invited = client and supplier companies).

// MaxListed bounds the unpaged lists (users, orgas): GroupCamp answers them whole.
const MaxListed = 10000

// allMembers pages through the account's people.
func (h *handlers) allMembers(c *fiber.Ctx, a *actor.Actor) ([]identity.Member, error) {
	var out []identity.Member
	pg := api.Page{Limit: api.MaxLimit}
	for len(out) < MaxListed {
		list, err := h.people.ListMembers(c.UserContext(), a, pg, identity.MemberFilter{})
		if err != nil {
			return nil, err
		}
		out = append(out, list.Items...)
		if list.NextCursor == "" || len(list.Items) == 0 {
			break
		}
		pg.After = list.Items[len(list.Items)-1].ID
	}
	return out, nil
}

// listUsers is GET core/v1/users.
func (h *handlers) listUsers(c *fiber.Ctx, a *actor.Actor) error {
	st, ut, leader := c.Query("state"), c.Query("user_type"), c.Query("is_leader")
	switch st {
	case "", "ok", "del", "trash":
	default:
		return badParam("state", "invalid")
	}
	switch ut {
	case "", "employee", "guest":
	default:
		return badParam("user_type", "invalid")
	}
	switch leader {
	case "", "project", "intranet", "extranet":
	default:
		return badParam("is_leader", "invalid")
	}
	ms, err := h.allMembers(c, a)
	if err != nil {
		return err
	}
	var leaders map[int64]bool
	if leader != "" {
		leaders = map[int64]bool{}
		if leader == "project" {
			gs, err := h.groups.Get().List(c.UserContext(), a, projectsAll)
			if err != nil {
				return err
			}
			for _, g := range gs {
				leaders[g.LeaderID], leaders[g.AssistantLeaderID] = true, true
			}
		}
	}
	out := []SimpleUser{}
	for _, m := range ms {
		u := simpleUser(m)
		switch {
		case st != "" && u.State != st:
		case ut != "" && u.UType != ut:
		case leaders != nil && !leaders[m.ID]:
		default:
			out = append(out, u)
		}
	}
	return result(c, out)
}

// userTeams is GET core/v1/user/[User]/teams.
func (h *handlers) userTeams(c *fiber.Ctx, a *actor.Actor) error {
	uid, err := h.userRef(c, a, c.Params("user"))
	if err != nil {
		return err
	}
	ts, err := h.people.MemberTeams(c.UserContext(), a, uid)
	if err != nil {
		return err
	}
	out := make([]SimpleTeam, len(ts))
	for i, t := range ts {
		out[i] = SimpleTeam{ID: id(t.ID), Name: t.Name, Type: "team"}
	}
	return result(c, out)
}

// allCompanies pages through the account's companies.
func (h *handlers) allCompanies(c *fiber.Ctx, a *actor.Actor) ([]identity.Company, error) {
	var out []identity.Company
	pg := api.Page{Limit: api.MaxLimit}
	for len(out) < MaxListed {
		list, err := h.people.ListCompanies(c.UserContext(), a, pg)
		if err != nil {
			return nil, err
		}
		out = append(out, list.Items...)
		if list.NextCursor == "" || len(list.Items) == 0 {
			break
		}
		pg.After = list.Items[len(list.Items)-1].ID
	}
	return out, nil
}

// listInvited is GET core/v1/orgas/invited.
func (h *handlers) listInvited(c *fiber.Ctx, a *actor.Actor) error {
	cos, err := h.allCompanies(c, a)
	if err != nil {
		return err
	}
	out := []SimpleOrga{}
	for _, co := range cos {
		if co.Kind != identity.KindInternal {
			out = append(out, simpleOrga(co))
		}
	}
	return result(c, out)
}

// getOrga is GET core/v1/orga/[Orga].
func (h *handlers) getOrga(c *fiber.Ctx, a *actor.Actor) error {
	oid, err := pathID(c, "orga")
	if err != nil {
		return err
	}
	co, err := h.people.Company(c.UserContext(), a, oid)
	if err != nil {
		return err
	}
	return result(c, orga(*co))
}

// orgaBody is the body of POST core/v1/orga/invited(/[Orga]).
type orgaBody struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

func (b orgaBody) name() (string, error) {
	if b.Name == nil {
		return "", &badRequest{detail: "error_body_data", errs: []fieldError{{Field: "name", Error: "mandatory"}}}
	}
	name, code := clean(*b.Name, 200, true)
	if code != "" {
		return "", &badRequest{detail: "error_body_data", errs: []fieldError{{Field: "name", Error: code}}}
	}
	return name, nil
}

// createInvited is POST core/v1/orga/invited: a client company; one of that name already
// there is answered as it is (GroupCamp's documented behaviour).
func (h *handlers) createInvited(c *fiber.Ctx, a *actor.Actor) error {
	var b orgaBody
	if err := decode(c, &b); err != nil {
		return err
	}
	name, err := b.name()
	if err != nil {
		return err
	}
	cos, err := h.allCompanies(c, a)
	if err != nil {
		return err
	}
	for _, co := range cos {
		if co.Kind != identity.KindInternal && strings.EqualFold(co.Name, name) {
			return result(c, orga(co))
		}
	}
	co, err := h.people.CreateCompany(c.UserContext(), a, identity.CompanyInput{Name: name, Kind: identity.KindClient})
	if err != nil {
		return err
	}
	return result(c, orga(*co))
}

// updateInvited is POST core/v1/orga/invited/[Orga]: renames an invited company.
func (h *handlers) updateInvited(c *fiber.Ctx, a *actor.Actor) error {
	oid, err := pathID(c, "orga")
	if err != nil {
		return err
	}
	var b orgaBody
	if err := decode(c, &b); err != nil {
		return err
	}
	co, err := h.people.Company(c.UserContext(), a, oid)
	if err != nil {
		return err
	}
	if co.Kind == identity.KindInternal {
		return notFound // not an invited organisation
	}
	if b.Name == nil {
		return result(c, orga(*co))
	}
	name, err := b.name()
	if err != nil {
		return err
	}
	co, err = h.people.UpdateCompany(c.UserContext(), a, oid, identity.CompanyPatch{Name: &name})
	if err != nil {
		return err
	}
	return result(c, orga(*co))
}
