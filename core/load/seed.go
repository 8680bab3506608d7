package load

import (
	"context"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/auth"
	"groupcamp/core/identity"
)

// roleMix spreads n people over the roles as a company of 20 has them (1 owner, 2 admins, 5
// managers, 10 members, 2 clients), scaled, with at least one of each from 5 people up.
func roleMix(n int) []string {
	if n < 5 {
		n = 5
	}
	admins, managers, clients := max(1, n/10), max(1, n/4), max(1, n/10)
	members := n - 1 - admins - managers - clients
	out := []string{actor.RoleOwner}
	for _, g := range []struct {
		role string
		n    int
	}{{actor.RoleAdmin, admins}, {actor.RoleManager, managers}, {actor.RoleMember, members}, {actor.RoleClient, clients}} {
		for range g.n {
			out = append(out, g.role)
		}
	}
	return out
}

// teamCount is one team per four people (5 for 20).
func teamCount(n int) int { return max(1, n/4) }

// seedCore creates the account, its people with their roles and tokens, a client company and
// the teams: through the services in-process, through the HTTP API against -url.
func seedCore(ctx context.Context, env *Env) error {
	roles := roleMix(env.Size.Users)
	password := "gcload-" + env.RunID + "-secret"
	env.Slug = "load-" + env.RunID
	env.AccountName = "Load " + env.RunID
	for i, r := range roles {
		env.People = append(env.People, Person{
			Name:     fmt.Sprintf("%s %d", strings.ToUpper(r[:1])+r[1:], i),
			Email:    fmt.Sprintf("%s-%d@%s.load.test", r, i, env.Slug),
			Role:     r,
			Password: password,
		})
	}
	s := &coreSeed{env: env}
	if env.App != nil {
		return s.viaServices(ctx)
	}
	return s.viaHTTP(ctx)
}

type coreSeed struct{ env *Env }

// teamPlan says who joins team t: the first team is the management team (admins and
// managers); the others each get a manager and a share of the members.
func (s *coreSeed) teamPlan(t, teams int) (name string, management bool, people []int) {
	env := s.env
	if t == 0 {
		for i, p := range env.People {
			if p.Role == actor.RoleAdmin || p.Role == actor.RoleManager {
				people = append(people, i)
			}
		}
		return "Management", true, people
	}
	var managers, members []int
	for i, p := range env.People {
		switch p.Role {
		case actor.RoleManager:
			managers = append(managers, i)
		case actor.RoleMember:
			members = append(members, i)
		}
	}
	people = append(people, managers[(t-1)%len(managers)])
	for j, m := range members {
		if j%(teams-1) == t-1 {
			people = append(people, m)
		}
	}
	return fmt.Sprintf("Team %d", t), false, people
}

// viaServices seeds through identity and auth directly: no HTTP, no JSON, and personal API
// tokens made without a password check (argon2 runs only where a password is set).
func (s *coreSeed) viaServices(ctx context.Context) error {
	env := s.env
	a := env.App
	owner := &env.People[0]
	acc, user, err := a.Identity.Signup(ctx, identity.SignupInput{AccountName: env.AccountName, Slug: env.Slug, Country: "FR",
		OwnerName: owner.Name, Email: owner.Email, Password: owner.Password}, nil)
	if err != nil {
		return fmt.Errorf("signup: %w", err)
	}
	env.AccountID, owner.ID = acc.ID, user.ID
	ownerActor := env.Actor(*owner)
	co, err := a.Identity.CreateCompany(ctx, ownerActor, identity.CompanyInput{Name: "Client of " + env.AccountName, Kind: identity.KindClient})
	if err != nil {
		return fmt.Errorf("client company: %w", err)
	}
	env.ClientCompanyID = co.ID
	for i := 1; i < len(env.People); i++ {
		p := &env.People[i]
		in := identity.InviteInput{Name: p.Name, Email: p.Email, Role: p.Role}
		if p.Role == actor.RoleClient {
			in.CompanyID = co.ID
		}
		inv, err := a.Identity.Invite(ctx, ownerActor, in)
		if err != nil {
			return fmt.Errorf("invite %s: %w", p.Email, err)
		}
		p.ID = inv.User.ID
		raw := inv.InvitationURL[strings.LastIndexByte(inv.InvitationURL, '/')+1:]
		if _, err := a.Identity.AcceptInvitation(ctx, raw, identity.AcceptInput{Name: p.Name, Password: p.Password}, nil); err != nil {
			return fmt.Errorf("accept %s: %w", p.Email, err)
		}
	}
	teams := teamCount(len(env.People))
	for t := range teams {
		name, mgmt, members := s.teamPlan(t, teams)
		team, err := a.Identity.CreateTeam(ctx, ownerActor, identity.TeamInput{Name: name, Management: mgmt})
		if err != nil {
			return fmt.Errorf("team: %w", err)
		}
		env.Teams = append(env.Teams, team.ID)
		for _, m := range members {
			if err := a.Identity.SetTeamMember(ctx, ownerActor, team.ID, env.People[m].ID, true); err != nil {
				return fmt.Errorf("team member: %w", err)
			}
		}
	}
	for i := range env.People {
		p := &env.People[i]
		tok, err := a.Auth.CreateToken(ctx, &actor.Actor{UserID: p.ID}, auth.TokenInput{Name: "gcload " + env.RunID})
		if err != nil {
			return fmt.Errorf("token for %s: %w", p.Email, err)
		}
		p.Token = tok.Token
	}
	return nil
}

// viaHTTP seeds through the public API, as a script of a customer would: sign-up, invitations
// accepted with a password, sign-ins for login tokens.
func (s *coreSeed) viaHTTP(ctx context.Context) error {
	env := s.env
	anon := &API{env: env}
	owner := &env.People[0]
	var signed struct {
		Account struct {
			ID int64 `json:"id"`
		} `json:"account"`
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	if err := anon.Post(ctx, "/api/v1/signup", identity.SignupInput{AccountName: env.AccountName, Slug: env.Slug, Country: "FR",
		OwnerName: owner.Name, Email: owner.Email, Password: owner.Password}, &signed); err != nil {
		return fmt.Errorf("signup (is sign-up open on that server?): %w", err)
	}
	env.AccountID, owner.ID = signed.Account.ID, signed.User.ID
	if err := s.login(ctx, owner); err != nil {
		return err
	}
	api := env.API(*owner)
	base := "/api/v1/" + env.Slug
	var co struct {
		ID int64 `json:"id"`
	}
	if err := api.Post(ctx, base+"/companies", identity.CompanyInput{Name: "Client of " + env.AccountName, Kind: identity.KindClient}, &co); err != nil {
		return fmt.Errorf("client company: %w", err)
	}
	env.ClientCompanyID = co.ID
	for i := 1; i < len(env.People); i++ {
		p := &env.People[i]
		in := identity.InviteInput{Name: p.Name, Email: p.Email, Role: p.Role}
		if p.Role == actor.RoleClient {
			in.CompanyID = co.ID
		}
		var inv struct {
			User struct {
				ID int64 `json:"id"`
			} `json:"user"`
			URL string `json:"invitation_url"`
		}
		if err := api.Post(ctx, base+"/users", in, &inv); err != nil {
			return fmt.Errorf("invite %s: %w", p.Email, err)
		}
		p.ID = inv.User.ID
		raw := inv.URL[strings.LastIndexByte(inv.URL, '/')+1:]
		if err := anon.Post(ctx, "/api/v1/invitations/"+raw+"/accept", identity.AcceptInput{Name: p.Name, Password: p.Password}, nil); err != nil {
			return fmt.Errorf("accept %s: %w", p.Email, err)
		}
		if err := s.login(ctx, p); err != nil {
			return err
		}
	}
	teams := teamCount(len(env.People))
	for t := range teams {
		name, mgmt, members := s.teamPlan(t, teams)
		var team struct {
			ID int64 `json:"id"`
		}
		if err := api.Post(ctx, base+"/teams", identity.TeamInput{Name: name, Management: mgmt}, &team); err != nil {
			return fmt.Errorf("team: %w", err)
		}
		env.Teams = append(env.Teams, team.ID)
		for _, m := range members {
			if err := api.Put(ctx, fmt.Sprintf("%s/teams/%d/members/%d", base, team.ID, env.People[m].ID), nil, nil); err != nil {
				return fmt.Errorf("team member: %w", err)
			}
		}
	}
	return nil
}

func (s *coreSeed) login(ctx context.Context, p *Person) error {
	var out struct {
		Token string `json:"token"`
	}
	if err := (&API{env: s.env}).Post(ctx, "/api/v1/login", auth.LoginInput{Email: p.Email, Password: p.Password}, &out); err != nil {
		return fmt.Errorf("login %s: %w", p.Email, err)
	}
	p.Token = out.Token
	return nil
}
