package testkit

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/identity"
)

// Account is an account made for a test, with its owner signed in.
type Account struct {
	ID    int64
	Slug  string
	Name  string
	Owner *User

	clientCompanyID int64
}

// User is a person made for a test, signed in through the API.
type User struct {
	ID       int64
	Email    string
	Name     string
	Password string
	Role     string // account role or platform role
	Token    string // login token
}

// AllRoles are the account roles and the platform roles, in matrix order.
var AllRoles = []string{actor.RoleOwner, actor.RoleAdmin, actor.RoleManager, actor.RoleMember, actor.RoleClient, actor.PlatformSupport, actor.PlatformPartner}

// NewAccount signs up a new account through the API and signs its owner in.
func (e *Env) NewAccount() *Account {
	e.T.Helper()
	slug := e.next("acct-")
	owner := &User{Email: slug + "-owner@example.test", Name: "Owner of " + slug, Password: e.password, Role: actor.RoleOwner}
	r := e.Anonymous().Post("/api/v1/signup", map[string]any{
		"account_name": "Company " + slug, "slug": slug, "country": "FR",
		"owner_name": owner.Name, "email": owner.Email, "password": owner.Password,
	})
	if r.Status != http.StatusCreated {
		e.T.Fatalf("testkit: signup: %d %s", r.Status, r.Body)
	}
	var out struct {
		Account struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"account"`
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	r.JSON(e.T, &out)
	owner.ID = out.User.ID
	if e.mine != nil {
		*e.mine = append(*e.mine, out.Account.ID)
	}
	e.Login(owner)
	return &Account{ID: out.Account.ID, Slug: slug, Name: out.Account.Name, Owner: owner}
}

// Login signs u in through the API and stores the token on u.
func (e *Env) Login(u *User) {
	e.T.Helper()
	r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": u.Email, "password": u.Password})
	if r.Status != http.StatusOK {
		e.T.Fatalf("testkit: login %s: %d %s", u.Email, r.Status, r.Body)
	}
	var out struct {
		Token string `json:"token"`
	}
	r.JSON(e.T, &out)
	u.Token = out.Token
}

// ClientCompany returns (creating once) a client company of the account.
func (e *Env) ClientCompany(acc *Account) int64 {
	e.T.Helper()
	if acc.clientCompanyID != 0 {
		return acc.clientCompanyID
	}
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/companies", map[string]string{"name": "Client of " + acc.Slug, "kind": "client"})
	if r.Status != http.StatusCreated {
		e.T.Fatalf("testkit: create client company: %d %s", r.Status, r.Body)
	}
	var co struct {
		ID int64 `json:"id"`
	}
	r.JSON(e.T, &co)
	acc.clientCompanyID = co.ID
	return co.ID
}

// NewUser returns a signed-in user with the given role in acc: the owner for "owner"; an
// invited and accepted member for admin, manager, member and client; a platform user outside
// the account for support and partner.
func (e *Env) NewUser(acc *Account, role string) *User {
	e.T.Helper()
	switch role {
	case actor.RoleOwner:
		return acc.Owner
	case actor.PlatformSupport, actor.PlatformPartner:
		return e.NewPlatformUser(role)
	}
	var companyID int64
	if role == actor.RoleClient {
		companyID = e.ClientCompany(acc)
	}
	return e.invite(acc, role, companyID)
}

// NewClient returns a signed-in client of acc who belongs to the given client or supplier
// company of acc (NewUser's clients all belong to ClientCompany).
func (e *Env) NewClient(acc *Account, companyID int64) *User {
	e.T.Helper()
	return e.invite(acc, actor.RoleClient, companyID)
}

// invite invites a person with role (in companyID, when not 0) into acc as its owner, accepts
// the invitation and signs them in.
func (e *Env) invite(acc *Account, role string, companyID int64) *User {
	e.T.Helper()
	email := e.next(role+"-") + "@" + acc.Slug + ".test"
	u := &User{Email: email, Name: strings.ToUpper(role[:1]) + role[1:] + " " + email[:strings.IndexByte(email, '@')], Password: e.password, Role: role}
	body := map[string]any{"name": u.Name, "email": u.Email, "role": role}
	if companyID != 0 {
		body["company_id"] = companyID
	}
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", body)
	if r.Status != http.StatusCreated {
		e.T.Fatalf("testkit: invite %s: %d %s", role, r.Status, r.Body)
	}
	var inv struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
		URL string `json:"invitation_url"`
	}
	r.JSON(e.T, &inv)
	u.ID = inv.User.ID
	tok := inv.URL[strings.LastIndexByte(inv.URL, '/')+1:]
	if r := e.Anonymous().Post("/api/v1/invitations/"+tok+"/accept", map[string]string{"name": u.Name, "password": u.Password}); r.Status != http.StatusOK {
		e.T.Fatalf("testkit: accept: %d %s", r.Status, r.Body)
	}
	e.Login(u)
	return u
}

// NewPlatformUser creates a support or partner user (as `groupcamp platform grant-role`
// does) and signs them in.
func (e *Env) NewPlatformUser(role string) *User {
	e.T.Helper()
	email := e.next(role+"-") + "@groupcamp.test"
	u := &User{Email: email, Name: "Platform " + role, Password: e.password, Role: role}
	hash, err := password.Hash(u.Password)
	if err != nil {
		e.T.Fatal(err)
	}
	now := db.Now()
	row := &identity.User{Email: email, Name: u.Name, PasswordHash: hash, TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
	ctx := context.Background()
	if _, err := e.App.DB.NewInsert().Model(row).Exec(ctx); err != nil {
		e.T.Fatal(err)
	}
	if err := e.App.Identity.GrantPlatformRole(ctx, email, role); err != nil {
		e.T.Fatal(err)
	}
	u.ID = row.ID
	e.Login(u)
	return u
}

// Count returns the number of rows in table (for "nothing was written" checks). On a shared
// App it counts the rows of the accounts this test made (see Snapshot), as other tests write
// beside it; a table with no account column is counted whole there.
func (e *Env) Count(table string) int {
	e.T.Helper()
	ctx := context.Background()
	if e.mine != nil {
		if n, err := e.mineOf(table).Count(ctx); err == nil {
			return int(n)
		}
	}
	n, err := e.App.DB.NewSelect().TableExpr(table).Count(ctx)
	if err != nil {
		e.T.Fatalf("testkit: count %s: %v", table, err)
	}
	return int(n)
}

// mineOf selects the rows of table that belong to the accounts of a shared view (and to their
// people, for the tables of people).
func (e *Env) mineOf(table string) *bun.SelectQuery {
	ids := *e.mine
	if len(ids) == 0 {
		ids = []int64{0}
	}
	people := e.App.DB.NewSelect().TableExpr("memberships").Column("user_id").Where("account_id IN (?)", bun.In(ids))
	q := e.App.DB.NewSelect().TableExpr(table)
	switch table {
	case "accounts":
		return q.Where("id IN (?)", bun.In(ids))
	case "users":
		return q.Where("id IN (?)", people)
	case "api_tokens", "password_resets":
		return q.Where("user_id IN (?)", people)
	default:
		return q.Where("account_id IN (?)", bun.In(ids))
	}
}

// Snapshot counts the rows of the tables that hold user-visible state, so a test can assert
// that a refused request wrote nothing. On a shared App it counts the rows of the accounts
// this test made with NewAccount (and of their people), as other tests write beside it.
func (e *Env) Snapshot() string {
	e.T.Helper()
	tables := []string{"accounts", "users", "companies", "memberships", "teams", "team_members", "invitations", "api_tokens", "password_resets", "audit_events"}
	var b strings.Builder
	if e.mine == nil {
		for _, t := range tables {
			fmt.Fprintf(&b, "%s=%d ", t, e.Count(t))
		}
		return b.String()
	}
	for _, t := range tables {
		q := e.mineOf(t)
		n, err := q.Count(context.Background())
		if err != nil {
			e.T.Fatalf("testkit: count %s: %v", t, err)
		}
		fmt.Fprintf(&b, "%s=%d ", t, n)
	}
	return b.String()
}
