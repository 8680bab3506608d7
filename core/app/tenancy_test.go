package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"groupcamp/core/automation"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestTenantIsolation: the owner and an admin of account B reach nothing of account A — not
// with A's slug, and not with A's ids under B's slug — and nothing of A shows in B's lists.
func TestTenantIsolation(t *testing.T) {
	testkit.EachDB(t, withExample(), func(t *testing.T, e *testkit.Env) {
		a := e.NewAccount()
		b := e.NewAccount()
		aMember := e.NewUser(a, "member")
		aClientCo := e.ClientCompany(a)
		aClient := e.NewUser(a, "client")
		aTeam := newTeam(t, e, a.Owner, a.Slug, "Alpha team")
		wantStatus(t, "A: add member to team", e.As(a.Owner).Put("/api/v1/"+a.Slug+"/teams/"+strconv.FormatInt(aTeam, 10)+"/members/"+strconv.FormatInt(aMember.ID, 10), nil), http.StatusNoContent)
		bAdmin := e.NewUser(b, "admin")
		bTeam := newTeam(t, e, b.Owner, b.Slug, "Beta team")
		bPerson, _ := invitation(t, e, b.Owner, b.Slug, map[string]any{"name": "Beta Person", "email": "person@" + b.Slug + ".test", "role": "member"})
		// A notification of A's member (what B must not see).
		if err := e.App.Notify.Notify(context.Background(), e.App.DB, automation.Notice{AccountID: a.ID, UserIDs: []int64{aMember.ID}, EventType: "user.invited", Text: "For A"}); err != nil {
			t.Fatal(err)
		}
		// What A looks like before B tries anything.
		aView := func() string {
			var s strings.Builder
			for _, p := range []string{"/account", "/users", "/teams", "/companies"} {
				r := e.As(a.Owner).Get("/api/v1/" + a.Slug + p)
				wantStatus(t, "A owner GET "+p, r, http.StatusOK)
				s.Write(r.Body)
			}
			return s.String()
		}
		before := aView()
		for _, who := range []*testkit.User{b.Owner, bAdmin} {
			for _, p := range []string{"/users", "/teams", "/account"} {
				wantProblem(t, "B GET A "+p, e.As(who).Get("/api/v1/"+a.Slug+p), http.StatusNotFound)
			}
			wantProblem(t, "B PATCH A's person", e.As(who).Patch("/api/v1/"+b.Slug+"/users/"+strconv.FormatInt(aMember.ID, 10), map[string]any{"role": "admin"}), http.StatusNotFound)
			wantProblem(t, "B puts A's person in A's team", e.As(who).Put("/api/v1/"+b.Slug+"/teams/"+strconv.FormatInt(aTeam, 10)+"/members/"+strconv.FormatInt(aMember.ID, 10), nil), http.StatusNotFound)
			wantProblem(t, "B puts its person in A's team", e.As(who).Put("/api/v1/"+b.Slug+"/teams/"+strconv.FormatInt(aTeam, 10)+"/members/"+strconv.FormatInt(bPerson, 10), nil), http.StatusNotFound)
			wantProblem(t, "B puts A's owner in its team", e.As(who).Put("/api/v1/"+b.Slug+"/teams/"+strconv.FormatInt(bTeam, 10)+"/members/"+strconv.FormatInt(a.Owner.ID, 10), nil), http.StatusNotFound)
		}
		if after := aView(); after != before {
			t.Errorf("A changed under B's attempts:\n before %s\n after  %s", before, after)
		}

		// Every capability route of core and the modules, API and pages: the walker.
		walk.Tenancy(t, e)
		// No link across accounts exists in the database.
		ctx := context.Background()
		n, err := e.App.DB.NewSelect().TableExpr("team_members AS tm").Join("JOIN teams AS t ON t.id = tm.team_id").
			Where("t.account_id <> tm.account_id").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad, err := e.App.DB.NewSelect().TableExpr("team_members AS tm").
			Where("NOT EXISTS (SELECT 1 FROM memberships AS m WHERE m.user_id = tm.user_id AND m.account_id = tm.account_id)").Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n+bad != 0 {
			t.Errorf("team_members links across accounts: %d rows", n+bad)
		}

		// B's own lists show nothing of A.
		for _, p := range []string{"/users", "/teams", "/companies", "/audit"} {
			r := e.As(b.Owner).Get("/api/v1/" + b.Slug + p)
			wantStatus(t, "B GET "+p, r, http.StatusOK)
			for _, leak := range []string{a.Slug, aMember.Email, a.Owner.Email, "Alpha team", "Client of " + a.Slug} {
				if containsFold(r.Body, leak) {
					t.Errorf("B GET %s shows %q of account A: %s", p, leak, r.Body)
				}
			}
		}

		// A company of A cannot be given to a person of B.
		r := e.As(b.Owner).Post("/api/v1/"+b.Slug+"/users", map[string]any{"name": "Cross Client", "email": "cross@" + b.Slug + ".test", "role": "client", "company_id": aClientCo})
		wantProblem(t, "B invites a client into A's company", r, http.StatusUnprocessableEntity, "company_id")
		r = e.As(b.Owner).Patch("/api/v1/"+b.Slug+"/users/"+strconv.FormatInt(bPerson, 10), map[string]any{"role": "client", "company_id": aClientCo})
		wantProblem(t, "B moves a person into A's company", r, http.StatusUnprocessableEntity, "company_id")

		// A's client sees 403 on what the matrix denies clients, and none of the data.
		m := walk.Matrix(t, e)
		for _, rt := range walk.Routes(e) {
			if m[rt.Guard.Capability()]["client"] || rt.Method != http.MethodGet || !rt.IsAPI() {
				continue
			}
			path := anyPath(rt.Path, a.Slug)
			r := e.As(aClient).Get(path)
			wantProblem(t, "A client GET "+path, r, http.StatusForbidden)
			for _, leak := range []string{aMember.Email, a.Owner.Email, "Alpha team"} {
				if containsFold(r.Body, leak) {
					t.Errorf("client GET %s reveals %q: %s", path, leak, r.Body)
				}
			}
		}
		// And a member of A is no member of B.
		wantProblem(t, "A member GET B users", e.As(aMember).Get("/api/v1/"+b.Slug+"/users"), http.StatusNotFound)
		// An unknown account and an existing one answer alike.
		x := e.As(aMember).Get("/api/v1/no-such-account/users")
		y := e.As(aMember).Get("/api/v1/" + b.Slug + "/users")
		if x.Status != y.Status || string(x.Body) != string(y.Body) {
			t.Errorf("unknown account %d %s vs foreign account %d %s", x.Status, x.Body, y.Status, y.Body)
		}
	})
}
