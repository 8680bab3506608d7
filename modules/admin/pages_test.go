package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// world is an account with one user of every role, a person who never signed in, a team
// with that person in it, and a client company.
type world struct {
	acc     *testkit.Account
	users   map[string]*testkit.User
	target  int64 // an invited member
	team    int64
	company int64
}

func newWorld(t *testing.T, e *testkit.Env) *world {
	t.Helper()
	w := &world{acc: e.NewAccount(), users: map[string]*testkit.User{}}
	for _, role := range testkit.AllRoles {
		w.users[role] = e.NewUser(w.acc, role)
	}
	w.company = e.ClientCompany(w.acc)
	owner := e.As(w.acc.Owner)
	r := owner.Post("/api/v1/"+w.acc.Slug+"/users", map[string]any{"name": "Target Person", "email": "target@" + w.acc.Slug + ".test", "role": "member"})
	wantStatus(t, "invite target", r, http.StatusCreated)
	var inv struct {
		User struct{ ID int64 } `json:"user"`
	}
	r.JSON(t, &inv)
	w.target = inv.User.ID
	r = owner.Post("/api/v1/"+w.acc.Slug+"/teams", map[string]any{"name": "Core team", "management": true})
	wantStatus(t, "create team", r, http.StatusCreated)
	var team struct{ ID int64 }
	r.JSON(t, &team)
	w.team = team.ID
	wantStatus(t, "put target in team", owner.Put(fmt.Sprintf("/api/v1/%s/teams/%d/members/%d", w.acc.Slug, w.team, w.target), nil), http.StatusNoContent)
	return w
}

// page is an admin page and the capability that guards it.
type page struct {
	path           string
	object, action string
}

func (w *world) pages() []page {
	s := "/" + w.acc.Slug
	return []page{
		{s + "/settings", "account", "read"},
		{s + "/people", "users", "read"},
		{fmt.Sprintf("%s/people/%d", s, w.target), "users", "read"},
		{s + "/companies", "companies", "read"},
		{s + "/teams", "teams", "read"},
		{fmt.Sprintf("%s/teams/%d", s, w.team), "teams", "read"},
		{s + "/audit", "audit", "read"},
		{s + "/audit.csv", "audit", "read"},
		{s + "/dev/mailbox", "devmail", "read"},
	}
}

// forms are the POST routes with the capability each needs; the bodies are valid, so an
// allowed role would change something.
func (w *world) forms() []struct {
	page
	body url.Values
} {
	s := "/" + w.acc.Slug
	type f = struct {
		page
		body url.Values
	}
	return []f{
		{page{s + "/settings", "account", "update"}, form("name", "Renamed", "time_unit", "days", "locale", "fr")},
		{page{s + "/people", "users", "invite"}, form("name", "New One", "email", "new.one@example.test", "role", "member")},
		{page{fmt.Sprintf("%s/people/%d", s, w.target), "users", "update"}, form("role", "manager")},
		{page{fmt.Sprintf("%s/people/%d/deactivate", s, w.target), "users", "update"}, nil},
		{page{fmt.Sprintf("%s/people/%d/reactivate", s, w.target), "users", "update"}, nil},
		{page{s + "/companies", "companies", "create"}, form("name", "Acme", "kind", "client")},
		{page{s + "/teams", "teams", "manage"}, form("name", "Another team")},
		{page{fmt.Sprintf("%s/teams/%d/members", s, w.team), "teams", "manage"}, form("user_id", fmt.Sprint(w.users["member"].ID))},
		{page{fmt.Sprintf("%s/teams/%d/members/%d/remove", s, w.team, w.target), "teams", "manage"}, nil},
	}
}

// TestPagesByRole opens every admin page as each of the seven roles: a role holding the
// capability sees the page, an account member without it gets 403, and platform staff
// without a grant get 404 (the account does not exist for them). Forms refuse the roles
// without their capability and change nothing.
func TestPagesByRole(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		allowed := func(role string, p page) bool {
			return e.App.Enforcer.Allowed(role, w.acc.Slug, p.object, p.action)
		}
		for _, p := range w.pages() {
			for _, role := range testkit.AllRoles {
				r := e.As(w.users[role]).Get(p.path)
				what := role + " GET " + p.path
				switch {
				case role == actor.PlatformSupport || role == actor.PlatformPartner:
					wantStatus(t, what, r, http.StatusNotFound)
				case allowed(role, p):
					wantStatus(t, what, r, http.StatusOK)
				default:
					wantStatus(t, what, r, http.StatusForbidden)
				}
			}
		}
		// The owner may open everything; a client nothing but home.
		for _, p := range w.pages() {
			wantStatus(t, "owner "+p.path, e.As(w.acc.Owner).Get(p.path), http.StatusOK)
			wantStatus(t, "client "+p.path, e.As(w.users["client"]).Get(p.path), http.StatusForbidden)
		}
		sessions := map[string]*session{}
		for _, role := range testkit.AllRoles {
			sessions[role] = signIn(t, e, w.users[role]) // platform sign-ins are audited: before the snapshot
		}
		before := e.Snapshot()
		for _, f := range w.forms() {
			for _, role := range testkit.AllRoles {
				if allowed(role, f.page) && role != actor.PlatformSupport && role != actor.PlatformPartner {
					continue
				}
				r := sessions[role].post(f.path, f.body)
				what := role + " POST " + f.path
				if role == actor.PlatformSupport || role == actor.PlatformPartner {
					wantStatus(t, what, r, http.StatusNotFound)
				} else {
					wantStatus(t, what, r, http.StatusForbidden)
				}
			}
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("refused forms changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// TestNavigation shows each role the admin entries it may open, in every language.
func TestNavigation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		home := "/" + w.acc.Slug
		for role, want := range map[string][]string{
			"owner":   {"People", "Teams", "Companies", "Settings", "Audit"},
			"admin":   {"People", "Teams", "Companies", "Settings", "Audit"},
			"manager": {"People", "Teams", "Companies"},
			"member":  {"People", "Teams"},
		} {
			r := e.As(w.users[role]).Get(home)
			wantStatus(t, role+" home", r, http.StatusOK)
			for _, label := range want {
				wantText(t, role+" nav", r, `>`+label+`</a>`)
			}
		}
		r := e.As(w.users["member"]).Get(home)
		wantNoText(t, "member nav", r, `/settings"`, `/audit"`, `/companies"`)
		r = e.As(w.users["client"]).Get(home)
		wantNoText(t, "client nav", r, `/people"`, `/teams"`)

		s := signIn(t, e, w.users["admin"]) // invited people follow their browser's language
		for lang, want := range map[string][]string{
			"fr": {"Personnes", "Équipes", "Sociétés", "Paramètres", "Audit"},
			"ru": {"Люди", "Команды", "Компании", "Настройки", "Журнал"},
		} {
			s.lang = lang
			r := s.get(home + "/people")
			wantStatus(t, lang+" people", r, http.StatusOK)
			wantText(t, lang+" people", r, `lang="`+lang+`"`)
			for _, label := range want {
				wantText(t, lang+" nav", r, label)
			}
		}
	})
}

// TestOtherAccount: a person of account B reaches none of account A's pages, forms or ids —
// 404 everywhere, as if A did not exist — and A's ids do not work under B's own address.
func TestOtherAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		a := newWorld(t, e)
		b := e.NewAccount()
		strangers := []*testkit.User{b.Owner, e.NewUser(b, "admin"), e.NewUser(b, "member")}
		before := e.Snapshot()
		for _, u := range strangers {
			s := signIn(t, e, u)
			for _, p := range a.pages() {
				wantStatus(t, u.Email+" GET "+p.path, s.get(p.path), http.StatusNotFound)
			}
			for _, f := range a.forms() {
				wantStatus(t, u.Email+" POST "+f.path, s.post(f.path, f.body), http.StatusNotFound)
			}
		}
		// A's ids under B's address.
		s := signIn(t, e, b.Owner)
		bs := "/" + b.Slug
		for _, path := range []string{
			fmt.Sprintf("%s/people/%d", bs, a.target),
			fmt.Sprintf("%s/people/%d", bs, a.acc.Owner.ID),
			fmt.Sprintf("%s/teams/%d", bs, a.team),
		} {
			wantStatus(t, "GET "+path, s.get(path), http.StatusNotFound)
		}
		for _, path := range []string{
			fmt.Sprintf("%s/people/%d", bs, a.target),
			fmt.Sprintf("%s/people/%d/deactivate", bs, a.target),
			fmt.Sprintf("%s/people/%d/reactivate", bs, a.target),
			fmt.Sprintf("%s/teams/%d/members", bs, a.team),
			fmt.Sprintf("%s/teams/%d/members/%d/remove", bs, a.team, a.target),
		} {
			wantStatus(t, "POST "+path, s.post(path, form("role", "member", "user_id", fmt.Sprint(a.target))), http.StatusNotFound)
		}
		// B's own team with A's person: refused as a choice that does not exist.
		r := e.As(b.Owner).Post("/api/v1/"+b.Slug+"/teams", map[string]any{"name": "B team"})
		wantStatus(t, "B team", r, http.StatusCreated)
		var team struct{ ID int64 }
		r.JSON(t, &team)
		before = e.Snapshot()
		r = s.post(fmt.Sprintf("%s/teams/%d/members", bs, team.ID), form("user_id", fmt.Sprint(a.target)))
		wantStatus(t, "B team + A person", r, http.StatusUnprocessableEntity)
		if msg := fieldError(r, "user_id"); msg == "" {
			t.Errorf("no message next to the person field")
		}
		wantNoText(t, "B team + A person", r, "target@"+a.acc.Slug)
		if after := e.Snapshot(); after != before {
			t.Errorf("a cross-account request changed something:\nbefore %s\nafter  %s", before, after)
		}
		// The CSV export under B's address holds nothing of A.
		r = s.get(bs + "/audit.csv")
		wantStatus(t, "B audit.csv", r, http.StatusOK)
		wantNoText(t, "B audit.csv", r, a.acc.Slug, "Target Person")
	})
}
