package identity

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/obs"
	"groupcamp/core/problem"
)

// HTTP serves the Core API of identity.
type HTTP struct {
	Svc          *Service
	SignupClosed bool
	// Language picks the product language for an Accept-Language header (the catalogs' best
	// match): a new owner or a new login gets the browser's language unless they chose one.
	Language func(acceptLanguage string) string
}

// Routes registers the identity endpoints with their guards.
func (h *HTTP) Routes(r *api.Routes) {
	const tag = "Core"
	r.Post("/api/v1/signup", api.Public(), h.signup, api.Doc{Summary: "Create an account, its internal company and its owner", Tag: tag, Request: SignupInput{}, Response: SignupResult{}, Status: 201})
	r.Get("/api/v1/me", api.Authenticated(), h.me, api.Doc{Summary: "The signed-in user and their accounts", Tag: tag, Response: Me{}})
	r.Post("/api/v1/invitations/:token/accept", api.Public(), h.accept, api.Doc{Summary: "Accept an invitation", Tag: tag, Request: AcceptInput{}, Response: struct {
		User *User `json:"user"`
	}{}})

	r.Get("/api/v1/:slug/account", api.Can("account", "read"), h.account, api.Doc{Summary: "Account settings", Tag: tag, Response: Account{}})
	r.Patch("/api/v1/:slug/account", api.Can("account", "update"), h.updateAccount, api.Doc{Summary: "Change account settings (legal and billing fields: owner only)", Tag: tag, Request: AccountPatch{}, Response: Account{}})

	r.Get("/api/v1/:slug/companies", api.Can("companies", "read"), h.companies, api.Doc{Summary: "List companies", Tag: tag, Response: api.List[Company]{}, Query: pageParams})
	r.Post("/api/v1/:slug/account/owner", api.Can("account", "transfer"), h.transferOwnership, api.Doc{Summary: "Transfer the ownership of the account to an active colleague (the owner becomes an admin)", Tag: tag, Request: TransferInput{}, Response: Member{}})
	r.Post("/api/v1/:slug/companies", api.Can("companies", "create"), h.createCompany, api.Doc{Summary: "Add a client or supplier company", Tag: tag, Request: CompanyInput{}, Response: Company{}, Status: 201})
	r.Get("/api/v1/:slug/companies/:id", api.Can("companies", "read"), h.company, api.Doc{Summary: "One company", Tag: tag, Response: Company{}})
	r.Patch("/api/v1/:slug/companies/:id", api.Can("companies", "update"), h.updateCompany, api.Doc{Summary: "Rename a company", Tag: tag, Request: CompanyPatch{}, Response: Company{}})
	r.Delete("/api/v1/:slug/companies/:id", api.Can("companies", "update"), h.deleteCompany, api.Doc{Summary: "Delete a client or supplier company nobody belongs to (409 otherwise); projects and lists let go of it", Tag: tag, Status: 204})

	r.Get("/api/v1/:slug/users", api.Can("users", "read"), h.users, api.Doc{Summary: "List people", Tag: tag, Response: api.List[Member]{},
		Query: append([]api.Param{{Name: "q", Type: "string", Description: "name or email contains"}, {Name: "role", Type: "string", Description: "only this role"},
			{Name: "company_id", Type: "integer", Description: "only the people of this company"}}, pageParams...)})
	r.Post("/api/v1/:slug/users", api.Can("users", "invite"), h.invite, api.Doc{Summary: "Invite a person", Tag: tag, Request: InviteInput{}, Response: Invited{}, Status: 201})
	r.Get("/api/v1/:slug/users/:id", api.Can("users", "read"), h.user, api.Doc{Summary: "One person", Tag: tag, Response: Member{}})
	r.Patch("/api/v1/:slug/users/:id", api.Can("users", "update"), h.updateUser, api.Doc{Summary: "Change a person's role, company or active state", Tag: tag, Request: MemberPatch{}, Response: Member{}})
	r.Delete("/api/v1/:slug/users/:id", api.Can("users", "update"), h.deactivate, api.Doc{Summary: "Deactivate a person (their data stays)", Tag: tag, Response: Member{}})

	r.Get("/api/v1/:slug/teams", api.Can("teams", "read"), h.teams, api.Doc{Summary: "List teams", Tag: tag, Response: api.List[Team]{}, Query: pageParams})
	r.Post("/api/v1/:slug/teams", api.Can("teams", "manage"), h.createTeam, api.Doc{Summary: "Create a team", Tag: tag, Request: TeamInput{}, Response: Team{}, Status: 201})
	r.Put("/api/v1/:slug/teams/:id/members/:user_id", api.Can("teams", "manage"), h.addTeamMember, api.Doc{Summary: "Add a person to a team", Tag: tag, Status: 204})
	r.Delete("/api/v1/:slug/teams/:id/members/:user_id", api.Can("teams", "manage"), h.removeTeamMember, api.Doc{Summary: "Remove a person from a team", Tag: tag, Status: 204})
}

var pageParams = []api.Param{
	{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
	{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
}

// SignupResult is the body of a successful signup.
type SignupResult struct {
	Account *Account `json:"account"`
	User    *User    `json:"user"`
}

func meta(c *fiber.Ctx) *actor.Actor {
	return &actor.Actor{IP: obs.ClientIP(c), UserAgent: string(c.Request().Header.UserAgent())}
}

func (h *HTTP) signup(c *fiber.Ctx) error {
	if h.SignupClosed {
		return problem.Forbidden("sign-up is closed on this server; ask its administrator for an invitation")
	}
	var in SignupInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if in.Locale == "" && h.Language != nil {
		in.Locale = h.Language(c.Get(fiber.HeaderAcceptLanguage)) // the browser's, unless chosen
	}
	acc, u, err := h.Svc.Signup(c.UserContext(), in, meta(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, SignupResult{Account: acc, User: u})
}

func (h *HTTP) me(c *fiber.Ctx) error {
	me, err := h.Svc.Me(c.UserContext(), actor.From(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(me)
}

func (h *HTTP) accept(c *fiber.Ctx) error {
	var in AcceptInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if in.Locale == "" && h.Language != nil {
		in.Locale = h.Language(c.Get(fiber.HeaderAcceptLanguage))
	}
	u, err := h.Svc.AcceptInvitation(c.UserContext(), strings.Clone(c.Params("token")), in, meta(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": u})
}

func (h *HTTP) account(c *fiber.Ctx) error {
	acc, err := h.Svc.Account(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return c.JSON(acc)
}

func (h *HTTP) updateAccount(c *fiber.Ctx) error {
	var in AccountPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	acc, err := h.Svc.UpdateAccount(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return c.JSON(acc)
}

func (h *HTTP) companies(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ListCompanies(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) company(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	co, err := h.Svc.Company(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(co)
}

func (h *HTTP) updateCompany(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in CompanyPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	co, err := h.Svc.UpdateCompany(c.UserContext(), actor.From(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(co)
}

func (h *HTTP) deleteCompany(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.DeleteCompany(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) createCompany(c *fiber.Ctx) error {
	var in CompanyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	co, err := h.Svc.CreateCompany(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, co)
}

func (h *HTTP) users(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	var f MemberFilter
	if f.Query, err = api.QueryText(c, "q", 100); err != nil {
		return err
	}
	if f.Role, err = api.QueryText(c, "role", 20); err != nil {
		return err
	}
	if v := c.Query("company_id"); v != "" {
		id, ok := api.ParseID(v)
		if !ok {
			return problem.Invalid(problem.FieldError{Field: "company_id", Message: "must be an id"})
		}
		f.CompanyID = id
	}
	list, err := h.Svc.ListMembers(c.UserContext(), actor.From(c), p, f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) invite(c *fiber.Ctx) error {
	var in InviteInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	inv, err := h.Svc.Invite(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, inv)
}

func (h *HTTP) user(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	m, err := h.Svc.Member(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *HTTP) updateUser(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in MemberPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	m, err := h.Svc.UpdateMember(c.UserContext(), actor.From(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *HTTP) transferOwnership(c *fiber.Ctx) error {
	var in TransferInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	m, err := h.Svc.TransferOwnership(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, m)
}

func (h *HTTP) deactivate(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	m, err := h.Svc.Deactivate(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (h *HTTP) teams(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ListTeams(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) createTeam(c *fiber.Ctx) error {
	var in TeamInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.Svc.CreateTeam(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, t)
}

func (h *HTTP) setTeamMember(c *fiber.Ctx, in bool) error {
	teamID, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	userID, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	if err := h.Svc.SetTeamMember(c.UserContext(), actor.From(c), teamID, userID, in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) addTeamMember(c *fiber.Ctx) error    { return h.setTeamMember(c, true) }
func (h *HTTP) removeTeamMember(c *fiber.Ctx) error { return h.setTeamMember(c, false) }
