package admin

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// companyRow is one line of the companies list.
type companyRow struct {
	identity.Company
	People int
}

// companiesData is what the companies page shows.
type companiesData struct {
	Rows  []companyRow
	Kinds []option
	pager
}

func (h *handlers) companiesPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	pg, err := api.ParsePage(c)
	if err != nil {
		return nil, err
	}
	list, err := h.svc.ListCompanies(c.UserContext(), a, pg)
	if err != nil {
		return nil, err
	}
	counts, err := h.svc.CompanyHeadcounts(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"kind": identity.KindClient})
	}
	p := h.page(c, "admin.companies.title", form)
	d := companiesData{Kinds: []option{{identity.KindClient, "admin.kind.client"}, {identity.KindSupplier, "admin.kind.supplier"}},
		pager: makePager(base(c)+"/companies", queryValues(c), list.NextCursor)}
	for _, co := range list.Items {
		d.Rows = append(d.Rows, companyRow{Company: co, People: counts[co.ID]})
	}
	p.Data = d
	return p, nil
}

func (h *handlers) companies(c *fiber.Ctx) error {
	p, err := h.companiesPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/companies", p)
}

func (h *handlers) createCompany(c *fiber.Ctx) error {
	form := web.NewForm(c, "name", "kind")
	if _, err := h.svc.CreateCompany(c.UserContext(), actor.From(c), identity.CompanyInput{Name: form.Get("name"), Kind: form.Get("kind")}); err != nil {
		p, perr := h.companiesPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/companies", p, err)
	}
	return done(c, "admin.companies.created", base(c)+"/companies")
}

// teamRow is one line of the teams list.
type teamRow struct {
	identity.Team
	Members int
}

// teamsData is what the teams page shows.
type teamsData struct {
	Rows []teamRow
	pager
}

func (h *handlers) teamsPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	pg, err := api.ParsePage(c)
	if err != nil {
		return nil, err
	}
	list, err := h.svc.ListTeams(c.UserContext(), actor.From(c), pg)
	if err != nil {
		return nil, err
	}
	p := h.page(c, "admin.teams.title", form)
	d := teamsData{pager: makePager(base(c)+"/teams", queryValues(c), list.NextCursor)}
	for _, t := range list.Items {
		d.Rows = append(d.Rows, teamRow{Team: t, Members: len(t.MemberIDs)})
	}
	p.Data = d
	return p, nil
}

func (h *handlers) teams(c *fiber.Ctx) error {
	p, err := h.teamsPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/teams", p)
}

func (h *handlers) createTeam(c *fiber.Ctx) error {
	form := web.NewForm(c, "name", "management")
	in := identity.TeamInput{Name: form.Get("name"), Management: form.Get("management") != ""}
	t, err := h.svc.CreateTeam(c.UserContext(), actor.From(c), in)
	if err != nil {
		p, perr := h.teamsPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/teams", p, err)
	}
	return done(c, "admin.teams.created", base(c)+"/teams/"+idString(t.ID))
}

// teamData is what a team's page shows.
type teamData struct {
	Team       *identity.Team
	Members    []personRow
	Candidates []identity.Member // people who may join: in the account, not deactivated, not in
}

func (h *handlers) teamPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	t, err := h.svc.Team(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	members, err := h.svc.TeamMembers(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	d := teamData{Team: t}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.ID] = true
		d.Members = append(d.Members, personRow{Member: m, State: status(&m)})
	}
	if a.May("teams", "manage") {
		all, err := h.everyone(c)
		if err != nil {
			return nil, err
		}
		for _, m := range all {
			if !in[m.ID] && m.DeactivatedAt == nil {
				d.Candidates = append(d.Candidates, m)
			}
		}
	}
	p := h.page(c, t.Name, form)
	p.Data = d
	return p, nil
}

func (h *handlers) team(c *fiber.Ctx) error {
	p, err := h.teamPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/team", p)
}

// setTeamMember adds or removes a person; a person who is not in the account is a field
// error on the form (the team itself was found: a missing team is a 404 page).
func (h *handlers) setTeamMember(c *fiber.Ctx, form *web.Form, userID int64, in bool, flash string) error {
	a := actor.From(c)
	teamID, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.svc.Team(c.UserContext(), a, teamID); err != nil {
		return err
	}
	if userID == 0 {
		err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "is required"})
	} else {
		err = h.svc.SetTeamMember(c.UserContext(), a, teamID, userID, in)
	}
	var pr *problem.Problem
	if errors.As(err, &pr) && pr.Status == http.StatusNotFound {
		err = problem.Invalid(problem.FieldError{Field: "user_id", Message: "is not a valid choice"})
	}
	if err != nil {
		p, perr := h.teamPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/team", p, err)
	}
	return done(c, flash, base(c)+"/teams/"+idString(teamID))
}

func (h *handlers) addTeamMember(c *fiber.Ctx) error {
	form := web.NewForm(c, "user_id")
	userID, err := formID(form, "user_id")
	if err != nil {
		p, perr := h.teamPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/team", p, err)
	}
	return h.setTeamMember(c, form, userID, true, "admin.team.added")
}

func (h *handlers) removeTeamMember(c *fiber.Ctx) error {
	userID, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	return h.setTeamMember(c, nil, userID, false, "admin.team.removed")
}
