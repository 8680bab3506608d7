package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/personal"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/core/workflow"
)

// busyPerson makes, in acc, a person who did a bit of everything core records: an admin who
// joined a team, invited and promoted Bob, wrote an automation rule that names her, chose her
// notifications, opened the home page, asked support for help and replied, acted in a
// workflow, blocked the account's email, failed a sign-in, asked for a password reset and made
// an API token — while the owner named her in a support grant's reason and the rule notified
// the owner about her. It returns the person and Bob.
func busyPerson(t *testing.T, e *testkit.Env, acc *testkit.Account, name, email string) (*testkit.User, *testkit.User) {
	t.Helper()
	ctx := context.Background()
	ada := e.Join(acc, &testkit.User{Name: name, Email: email}, actor.RoleAdmin)
	as, owner := e.As(ada), e.As(acc.Owner)
	base := "/api/v1/" + acc.Slug
	want := func(what string, r *testkit.Response, status int) map[string]any {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		if len(r.Body) == 0 {
			return nil
		}
		return r.Map()
	}
	id := func(m map[string]any) int64 { f, _ := m["id"].(float64); return int64(f) }

	// Logs recorded from now on (the owner's consent, naming her).
	want("grant", owner.Post(base+"/support-grants", map[string]any{"scope": "logs", "expires_at": time.Now().AddDate(0, 0, 7).Format(time.DateOnly),
		"reason": "Asked by " + name}), http.StatusCreated)
	e.App.Consent.SetCacheTTL(0)

	team := id(want("team", as.Post(base+"/teams", map[string]any{"name": "Design"}), http.StatusCreated))
	want("team member", as.Put(fmt.Sprintf("%s/teams/%d/members/%d", base, team, ada.ID), nil), http.StatusNoContent)
	want("rule", as.Post(base+"/automation-rules", map[string]any{
		"name": "Tell " + name, "event_type": "user.role_changed",
		"conditions": []map[string]any{{"field": "actor_id", "op": "eq", "value": ada.ID}},
		"actions":    []map[string]any{{"type": "notify", "users": []int64{ada.ID, acc.Owner.ID}, "message": name + " changed a role"}},
	}), http.StatusCreated)
	e.Settle()
	bob := &testkit.User{Name: "Bob Stone", Email: "bob-" + acc.Slug + "@example.test"}
	want("invite bob", as.Post(base+"/users", map[string]any{"name": bob.Name, "email": bob.Email, "role": actor.RoleMember}), http.StatusCreated)
	var bobID int64
	if err := e.App.DB.NewSelect().Model((*identity.User)(nil)).Column("id").Where("email = ?", bob.Email).Scan(ctx, &bobID); err != nil {
		t.Fatal(err)
	}
	bob.ID = bobID
	want("promote bob", as.Patch(fmt.Sprintf("%s/users/%d", base, bobID), map[string]any{"role": actor.RoleManager}), http.StatusOK)
	want("prefs", as.Put(base+"/notification-preferences", map[string]any{"preferences": []map[string]any{{"event_type": "user.invited", "channel": "digest"}}}), http.StatusOK)
	req := id(want("support", as.Post(base+"/support-requests", map[string]any{"subject": "Help for " + name, "body": "I am " + name + " (" + email + ")."}), http.StatusCreated))
	want("reply", as.Post(fmt.Sprintf("%s/support-requests/%d/replies", base, req), map[string]any{"body": "Still " + name + " here."}), http.StatusCreated)
	want("token", as.Post("/api/v1/tokens", map[string]any{"name": "script of " + name}), http.StatusCreated)
	want("reset", e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": email}), http.StatusAccepted)
	home := e.BrowserLogin(ada)
	if r := home.Get("/" + acc.Slug); r.Status != http.StatusOK {
		t.Fatalf("home: %d", r.Status)
	}
	if _, err := e.App.Notify.Block(ctx, e.App.Notify.Token(acc.ID, ada.ID), "203.0.113.9", "Mail client"); err != nil {
		t.Fatal(err)
	}
	// A workflow she moves, with a comment naming her.
	def := "erasure_test"
	if _, ok := e.App.Workflows.Definition(def); !ok {
		e.App.Workflows.Define(&workflow.Definition{Name: def, Initial: "open", States: []string{"open", "done"},
			Transitions: []workflow.Transition{{Name: "approve", From: []string{"open"}, To: "done"}}})
	}
	who := &actor.Actor{UserID: ada.ID, Name: name, Role: actor.RoleAdmin, Account: &actor.Account{ID: acc.ID, Slug: acc.Slug}}
	if err := e.App.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		in, err := e.App.Workflows.Start(ctx, tx, acc.ID, def, "thing", req)
		if err != nil {
			return err
		}
		return e.App.Workflows.Fire(ctx, tx, in, "approve", who, "Approved by "+name)
	}); err != nil {
		t.Fatal(err)
	}
	// Last: a sign-in that succeeds deletes the failures of its email.
	want("wrong password", e.Anonymous().Post("/api/v1/login", map[string]string{"email": email, "password": "not it at all"}), http.StatusUnauthorized)
	e.Settle()
	return ada, bob
}

// subject is the erasure subject of u in acc.
func subject(acc *testkit.Account, u *testkit.User) hooks.Subject {
	return hooks.Subject{AccountID: acc.ID, UserID: u.ID, Email: u.Email, Name: u.Name}
}

func traces(t *testing.T, e *testkit.Env, accountID int64, texts ...string) []string {
	t.Helper()
	out, err := walk.Traces(context.Background(), e.App.DB, accountID, texts...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A person of two accounts erased from one: nothing of account A names them any more, the
// records A keeps are detached, account B and the login are untouched, and erasing again
// changes nothing.
func TestEraseFromOneAccount(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		accA, accB := e.NewAccount(), e.NewAccount()
		name, email := "Ada Lovelace", "ada.lovelace@example.test"
		ada, bob := busyPerson(t, e, accA, name, email)
		e.Join(accB, ada, actor.RoleMember)
		if r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": email, "password": "not it at all"}); r.Status != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", r.Status)
		}
		if got := traces(t, e, accA.ID, name, email); len(got) < 10 {
			t.Fatalf("before the erasure, account A names her in only %d places: %v", len(got), strings.Join(got, "\n"))
		}
		// What she may see of it before.
		cats := describe(t, e, subject(accA, ada))
		for _, key := range []string{"identity.data.profile", "identity.data.membership", "auth.data.sessions", "auth.data.login_failures", "audit.data.events",
			"consent.data.support", "consent.data.app_logs", "events.data.outbox", "workflow.data.transitions", "automation.data.rules",
			"notify.data.notifications", "notify.data.preferences", "notify.data.mail_blocks", "shell.data.home_visits"} {
			if cats[key] <= 0 {
				t.Errorf("Describe: %s counts %d", key, cats[key])
			}
		}
		x := export(t, e, subject(accA, ada))
		if p := string(x.Files["identity/profile.json"]); !strings.Contains(p, email) {
			t.Errorf("identity/profile.json = %s", p)
		}
		for name, b := range x.Files {
			if strings.Contains(strings.ToLower(string(b)), strings.ToLower(bob.Email)) {
				t.Errorf("the export's %s holds Bob's email: %s", name, b)
			}
		}
		if len(x.Files["audit/events.json"]) < 10 || len(x.Files["consent/support_requests.json"]) < 10 {
			t.Errorf("export: %v", x.Files)
		}

		for round := 1; round <= 2; round++ {
			if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, subject(accA, ada), hooks.Erasure{}); err != nil {
				t.Fatalf("erase (round %d): %v", round, err)
			}
			if got := traces(t, e, accA.ID, name, email); len(got) > 0 {
				t.Errorf("round %d: account A still names her:\n%s", round, strings.Join(got, "\n"))
			}
		}
		// B and the login are hers still.
		var accounts []int64
		if err := e.App.DB.NewSelect().Model((*identity.Membership)(nil)).Column("account_id").Where("user_id = ?", ada.ID).Scan(ctx, &accounts); err != nil {
			t.Fatal(err)
		}
		if len(accounts) != 1 || accounts[0] != accB.ID {
			t.Errorf("her memberships are in %v, want only B (%d)", accounts, accB.ID)
		}
		e.Login(ada)
		if r := e.As(ada).Get("/api/v1/" + accB.Slug + "/users"); r.Status != http.StatusOK {
			t.Errorf("B after the erasure in A: %d", r.Status)
		}
		if r := e.As(ada).Get("/api/v1/" + accA.Slug + "/users"); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("A after the erasure: %d", r.Status)
		}
		// A keeps its records, detached: the audit trail says "Deleted user" for her lines.
		var evs []audit.Event
		if err := e.App.DB.NewSelect().Model(&evs).Where("account_id = ? AND action IN (?)", accA.ID, bun.In([]string{"user.invited", "user.role_changed", "team.created"})).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		erased := 0
		for _, ev := range evs {
			if ev.ActorName == accA.Owner.Name {
				continue // the owner invited her
			}
			erased++
			if !ev.Erased() || ev.IP != "" || ev.UserAgent != "" {
				t.Errorf("audit line %s: %+v", ev.Action, ev)
			}
		}
		if erased != 3 {
			t.Errorf("A's audit lines of her actions: %+v", evs)
		}
		if r := e.As(accA.Owner).Get("/api/v1/" + accA.Slug + "/support-requests"); !strings.Contains(r.String(), `"opened_by":null`) {
			t.Errorf("support requests: %s", r.Body)
		}
		var inviter *int64
		if err := e.App.DB.NewSelect().Model((*identity.Invitation)(nil)).Column("invited_by").Where("account_id = ? AND user_id = ?", accA.ID, bob.ID).Scan(ctx, &inviter); err != nil || inviter != nil {
			t.Errorf("Bob's invitation: inviter %v, %v", inviter, err)
		}
		// The pages of A show "Deleted user" where they named her.
		page := e.BrowserLogin(accA.Owner)
		if r := page.Get("/" + accA.Slug + "/support"); !strings.Contains(r.String(), "Deleted user") {
			t.Errorf("the support page does not say Deleted user:\n%.2000s", r.Body)
		}
		// Nothing of hers is left to describe in A but the login the other account keeps.
		for key, n := range describe(t, e, subject(accA, ada)) {
			switch key {
			case "identity.data.profile", "auth.data.sessions", "auth.data.tokens", "auth.data.password_resets", "auth.data.login_failures":
			default:
				if n != 0 {
					t.Errorf("after the erasure, Describe: %s counts %d", key, n)
				}
			}
		}
	})
}

// A person of one account only loses their login with it: no row of the database names them,
// and the text they wrote stays when the erasure keeps text (without their name).
func TestEraseLastMembership(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		name, email := "Cy Young", "cy.young@example.test"
		cy, _ := busyPerson(t, e, acc, name, email)
		if err := e.App.Auth.ChangePassword(ctx, &actor.Actor{UserID: cy.ID, Name: name, Email: email}, authChange(cy.Password)); err != nil {
			t.Fatal(err)
		}
		e.Settle()
		if got := traces(t, e, 0, email); len(got) == 0 {
			t.Fatal("the database does not name her before the erasure")
		}
		for round := 1; round <= 2; round++ {
			if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, subject(acc, cy), hooks.Erasure{KeepText: true}); err != nil {
				t.Fatalf("erase (round %d): %v", round, err)
			}
		}
		if got := traces(t, e, 0, name, email); len(got) > 0 {
			t.Errorf("the database still names her:\n%s", strings.Join(got, "\n"))
		}
		for _, table := range []string{"users", "sessions", "api_tokens", "password_resets"} {
			col := "user_id"
			if table == "users" {
				col = "id"
			}
			if n, err := e.App.DB.NewSelect().TableExpr(table).Where("? = ?", bun.Ident(col), cy.ID).Count(ctx); err != nil || n != 0 {
				t.Errorf("%s: %d rows of hers (%v)", table, n, err)
			}
		}
		if r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": email, "password": cy.Password}); r.Status != http.StatusUnauthorized {
			t.Errorf("her login after the erasure: %d", r.Status)
		}
		// Her text stayed (KeepText), without her name.
		var body string
		if err := e.App.DB.NewSelect().TableExpr("support_requests").Column("body").Where("account_id = ?", acc.ID).Scan(ctx, &body); err != nil {
			t.Fatal(err)
		}
		if body != "I am "+personal.Redacted+" ("+personal.Redacted+")." {
			t.Errorf("her support request's body: %q", body)
		}
		var comment string
		if err := e.App.DB.NewSelect().TableExpr("workflow_transitions").Column("comment").Where("account_id = ? AND transition = 'approve'", acc.ID).Scan(ctx, &comment); err != nil || comment != "Approved by "+personal.Redacted {
			t.Errorf("her transition's comment: %q %v", comment, err)
		}
	})
}

// The owner is not erased while the account goes on.
func TestEraseOwnerRefused(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	err := walk.Erase(context.Background(), e.App.DB, e.App.Hooks, subject(acc, acc.Owner), hooks.Erasure{})
	if err == nil || !strings.Contains(err.Error(), "owner") {
		t.Fatalf("erasing the owner: %v", err)
	}
	if r := e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/users"); r.Status != http.StatusOK {
		t.Errorf("the owner after the refused erasure: %d", r.Status)
	}
}

// The record of processing: every category of every provider, counts -1, its words in every
// language.
func TestRecordOfProcessing(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	cat := e.App.Web.Catalog
	n := 0
	for _, p := range e.App.Hooks.PersonalData {
		cs, err := p.Hook.Describe(context.Background(), hooks.Subject{})
		if err != nil {
			t.Fatalf("%T: %v", p.Hook, err)
		}
		for _, c := range cs {
			n++
			if c.Count != -1 {
				t.Errorf("%s counts %d in the record of processing", c.Name, c.Count)
			}
			for _, key := range append([]string{c.Name, c.Purpose, c.Retention}, c.Fields...) {
				if !cat.Has(key) {
					t.Errorf("%s: the key %q is not in the catalog", c.Name, key)
				}
				for _, lang := range []string{"fr", "ru"} {
					if got := cat.For(lang).T(key); got == key || got == cat.For("en").T(key) && len(got) > 20 {
						t.Errorf("%s: %q in %s is %q", c.Name, key, lang, got)
					}
				}
			}
		}
	}
	if n < 15 {
		t.Errorf("the record of processing has %d categories", n)
	}
	if missing := cat.Missing(); len(missing) > 0 {
		t.Errorf("missing translations: %v", missing)
	}
}

func describe(t *testing.T, e *testkit.Env, s hooks.Subject) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, p := range e.App.Hooks.PersonalData {
		cs, err := p.Hook.Describe(context.Background(), s)
		if err != nil {
			t.Fatalf("%T: %v", p.Hook, err)
		}
		for _, c := range cs {
			out[c.Name] = c.Count
		}
	}
	return out
}

func export(t *testing.T, e *testkit.Env, s hooks.Subject) *walk.Export {
	t.Helper()
	x := &walk.Export{}
	for _, p := range e.App.Hooks.PersonalData {
		if err := p.Hook.Export(context.Background(), s, x); err != nil {
			t.Fatalf("%T: %v", p.Hook, err)
		}
	}
	for name, b := range x.Files {
		if !json.Valid(b) {
			t.Errorf("%s is no JSON: %s", name, b)
		}
	}
	return x
}

func authChange(current string) auth.PasswordChange {
	return auth.PasswordChange{Current: current, New: "an entirely new pass phrase 42"}
}

// Connection data older than the retention is purged: failed sign-ins and old sessions go,
// the IP address and browser leave the sessions still alive and the audit trail's old lines.
func TestPurgeConnections(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		acc := e.NewAccount()
		bob := e.NewUser(acc, actor.RoleMember)
		if r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": "nobody@example.test", "password": "wrong guess here"}); r.Status != http.StatusUnauthorized {
			t.Fatalf("failed sign-in: %d", r.Status)
		}
		count := func(q *bun.SelectQuery) int {
			n, err := q.Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		withIP := func() (sessions, lines int) {
			return count(e.App.DB.NewSelect().TableExpr("sessions").Where("ip <> '' OR user_agent <> ''")),
				count(e.App.DB.NewSelect().TableExpr("audit_events").Where("account_id = ? AND (ip <> '' OR user_agent <> '')", acc.ID))
		}
		if s, l := withIP(); s == 0 || l == 0 || count(e.App.DB.NewSelect().TableExpr("login_failures")) == 0 {
			t.Fatalf("before: %d sessions and %d audit lines with an IP", s, l)
		}
		var purged int64
		for _, p := range e.App.Hooks.PersonalData {
			c, ok := p.Hook.(hooks.ConnectionData)
			if !ok {
				continue
			}
			// The account's, then those of no account, as the privacy module's job does.
			for _, id := range []int64{acc.ID, 0} {
				n, err := c.PurgeConnections(ctx, e.App.DB, id, time.Now().Add(time.Hour))
				if err != nil {
					t.Fatalf("%T: %v", p.Hook, err)
				}
				purged += n
			}
		}
		if s, l := withIP(); s != 0 || l != 0 || purged == 0 || count(e.App.DB.NewSelect().TableExpr("login_failures")) != 0 {
			t.Errorf("after (%d purged): %d sessions and %d audit lines with an IP, %d failures", purged, s, l, count(e.App.DB.NewSelect().TableExpr("login_failures")))
		}
		// The sessions last used before the cutoff are gone: every one here.
		if n := count(e.App.DB.NewSelect().TableExpr("sessions").Where("user_id = ?", bob.ID)); n != 0 {
			t.Errorf("bob's sessions: %d", n)
		}
	})
}
