package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"groupcamp/core/automation"
	"groupcamp/core/testkit"
)

// TestTenantIsolation: the owner and an admin of account B reach nothing of account A — not
// with A's slug, and not with A's ids under B's slug — and nothing of A shows in B's lists.
func TestTenantIsolation(t *testing.T) {
	testkit.EachDB(t, withModules(), func(t *testing.T, e *testkit.Env) {
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
		aGrant, aRequest := newGrant(t, e, a.Owner, a.Slug), newSupportRequest(t, e, a.Owner, a.Slug)
		// A notification of A's member (what B must not reach by its id).
		if err := e.App.Notify.Notify(context.Background(), e.App.DB, automation.Notice{AccountID: a.ID, UserIDs: []int64{aMember.ID}, EventType: "user.invited", Text: "For A"}); err != nil {
			t.Fatal(err)
		}
		var aNotification int64
		if err := e.App.DB.NewSelect().Table("notifications").Column("id").Where("account_id = ?", a.ID).Limit(1).Scan(context.Background(), &aNotification); err != nil {
			t.Fatal(err)
		}

		// A project of A, with a list, tasks and a member.
		var aProject fixture
		projectFixture(t, e, a.Owner, aClient, a, &aProject)

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
		snap := e.Snapshot()

		aIDs := fixture{Slug: a.Slug, UserID: aMember.ID, TeamID: aTeam, GrantID: aGrant, RequestID: aRequest, NotificationID: aNotification,
			ProjectID: aProject.ProjectID, ListID: aProject.ListID, TaskID: aProject.TaskID, PredID: aProject.PredID, ProjectMemberID: aProject.ProjectMemberID}
		for _, who := range []*testkit.User{b.Owner, bAdmin} {
			n := 0
			for _, r := range capabilityRoutes(e) {
				n++
				body, _ := routeBody(r, aIDs, n)
				// A's slug with A's ids.
				path, known := routePath(r.Path, aIDs)
				wantProblem(t, "B "+who.Role+" "+r.Method+" "+path, e.As(who).Do(r.Method, path, body), http.StatusNotFound)

				// B's slug with A's ids, one foreign id at a time (a role without the capability
				// gets its 403 before any id is read: nothing to learn there).
				if !known || !strings.Contains(strings.TrimPrefix(r.Path, "/api/v1/:slug"), ":") || !e.App.Enforcer.Allowed(who.Role, b.Slug, r.Guard.Object, r.Guard.Action) {
					continue
				}
				for _, fx := range []fixture{
					{Slug: b.Slug, UserID: aMember.ID, TeamID: bTeam, GrantID: aGrant, RequestID: aRequest, NotificationID: aNotification,
						ProjectID: aProject.ProjectID, ListID: aProject.ListID, TaskID: aProject.TaskID, PredID: aProject.PredID, ProjectMemberID: aProject.ProjectMemberID},
					{Slug: b.Slug, UserID: bPerson, TeamID: aTeam},
					{Slug: b.Slug, UserID: a.Owner.ID, TeamID: aTeam},
				} {
					path, _ := routePath(r.Path, fx)
					if path == "" || (fx.UserID == bPerson && !strings.Contains(r.Path, "teams/")) {
						continue // no foreign id in this path
					}
					wantProblem(t, "B "+who.Role+" "+r.Method+" "+path, e.As(who).Do(r.Method, path, body), http.StatusNotFound)
				}
			}
		}
		if after := e.Snapshot(); after != snap {
			t.Errorf("B's attempts wrote something:\n before %s\n after  %s", snap, after)
		}
		if after := aView(); after != before {
			t.Errorf("A changed under B's attempts:\n before %s\n after  %s", before, after)
		}
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
		m := readMatrix(t)
		for _, rt := range capabilityRoutes(e) {
			if m[rt.Guard.Capability()]["client"] || rt.Method != http.MethodGet {
				continue
			}
			path, _ := routePath(rt.Path, aIDs)
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
