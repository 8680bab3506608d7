package app_test

// Helpers shared by the Core API tests of this package: the request each capability route is
// exercised with, the role matrix, and small assertions on responses.

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/api"
	"groupcamp/core/testkit"
	"groupcamp/policies"
)

// wantStatus fails the test unless r has one of the statuses; it also fails on any 5xx.
func wantStatus(t testing.TB, what string, r *testkit.Response, want ...int) {
	t.Helper()
	for _, w := range want {
		if r.Status == w {
			return
		}
	}
	t.Fatalf("%s: status %d, want %v; body: %.600s", what, r.Status, want, r.Body)
}

// checkStatus is wantStatus that lets the test go on.
func checkStatus(t testing.TB, what string, r *testkit.Response, want ...int) bool {
	t.Helper()
	for _, w := range want {
		if r.Status == w {
			return true
		}
	}
	t.Errorf("%s: status %d, want %v; body: %.600s", what, r.Status, want, r.Body)
	return false
}

// wantProblem checks that r is an RFC 9457 problem with the status and, when fields are
// given, a field-level message for each of them.
func wantProblem(t testing.TB, what string, r *testkit.Response, status int, fields ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d; body: %.600s", what, r.Status, status, r.Body)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	m := r.Map()
	if int(num(m["status"])) != status || m["title"] == "" || m["type"] == nil {
		t.Errorf("%s: not a problem document: %s", what, r.Body)
	}
	errs := r.FieldErrors()
	for _, f := range fields {
		if strings.TrimSpace(errs[f]) == "" {
			t.Errorf("%s: no message for field %q in %s", what, f, r.Body)
		}
	}
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// idOf reads the integer "id" of a JSON object body, or of the object under key.
func idOf(t testing.TB, r *testkit.Response, key ...string) int64 {
	t.Helper()
	m := r.Map()
	for _, k := range key {
		sub, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("no %q object in %s", k, r.Body)
		}
		m = sub
	}
	id := int64(num(m["id"]))
	if id <= 0 {
		t.Fatalf("no id in %s", r.Body)
	}
	return id
}

// listItems decodes a list envelope {items, next_cursor}.
type listPage struct {
	Items      []map[string]any `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

func readList(t testing.TB, r *testkit.Response) listPage {
	t.Helper()
	var p listPage
	r.JSON(t, &p)
	if p.Items == nil {
		t.Fatalf("list without items: %s", r.Body)
	}
	return p
}

// invitation invites a person (without accepting) and returns their user id and the
// invitation token from the returned link.
func invitation(t testing.TB, e *testkit.Env, by *testkit.User, slug string, body map[string]any) (int64, string) {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/users", body)
	wantStatus(t, "invite "+fmt.Sprint(body["email"]), r, http.StatusCreated)
	url, _ := r.Map()["invitation_url"].(string)
	if url == "" {
		t.Fatalf("invite: no invitation_url in %s", r.Body)
	}
	return idOf(t, r, "user"), url[strings.LastIndexByte(url, '/')+1:]
}

// newTeam creates a team and returns its id.
func newTeam(t testing.TB, e *testkit.Env, by *testkit.User, slug, name string) int64 {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/teams", map[string]any{"name": name})
	wantStatus(t, "create team "+name, r, http.StatusCreated)
	return idOf(t, r)
}

// fixture holds the real ids a capability route is called with.
type fixture struct {
	Slug      string
	UserID    int64 // a person of the account that tests may change (role, team, active)
	TeamID    int64
	GrantID   int64 // a support grant the owner may revoke
	RequestID int64 // a support request
	// NotificationID is a notification of one person (only they may mark it read).
	NotificationID int64
	// A project with a list, a task waiting for its predecessor, and a colleague the project
	// routes add and remove as a member (projectFixture).
	ProjectID, ListID, TaskID, PredID, ProjectMemberID int64
	// A custom status and a label of the project, and a checklist item of the task.
	StatusID, LabelID, ItemID int64
	MilestoneID               int64
}

// newGrant gives a logs grant of a day as the owner (support still reaches no data) and
// returns its id.
func newGrant(t testing.TB, e *testkit.Env, owner *testkit.User, slug string) int64 {
	t.Helper()
	r := e.As(owner).Post("/api/v1/"+slug+"/support-grants", map[string]any{"scope": "logs", "expires_at": time.Now().Add(24 * time.Hour).Format(time.RFC3339), "reason": "fixture"})
	wantStatus(t, "grant", r, http.StatusCreated)
	return idOf(t, r)
}

// newSupportRequest opens a support request and returns its id.
func newSupportRequest(t testing.TB, e *testkit.Env, by *testkit.User, slug string) int64 {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/support-requests", map[string]any{"subject": "Fixture", "body": "A support request."})
	wantStatus(t, "support request", r, http.StatusCreated)
	return idOf(t, r)
}

// routePath fills a route's parameters: :slug, :user_id, and :id after "users" or "teams"
// from fx, and the ids of the modules' routes (projectsPathID). Any other parameter (a route of a newer part of core that this file does not know)
// gets "1", and known is false: the guard still answers for such a call, the handler may not.
func routePath(path string, fx fixture) (p string, known bool) {
	known = true
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		switch {
		case s == ":slug":
			segs[i] = fx.Slug
		case s == ":user_id" && i >= 3 && segs[i-3] == "projects" && fx.ProjectMemberID != 0:
			segs[i] = strconv.FormatInt(fx.ProjectMemberID, 10)
		case s == ":user_id", s == ":id" && prev == "users":
			segs[i] = strconv.FormatInt(fx.UserID, 10)
		case s == ":id" && prev == "teams":
			segs[i] = strconv.FormatInt(fx.TeamID, 10)
		case s == ":id" && prev == "support-grants" && fx.GrantID != 0:
			segs[i] = strconv.FormatInt(fx.GrantID, 10)
		case s == ":id" && prev == "support-requests" && fx.RequestID != 0:
			segs[i] = strconv.FormatInt(fx.RequestID, 10)
		case s == ":id" && prev == "notifications" && fx.NotificationID != 0:
			segs[i] = strconv.FormatInt(fx.NotificationID, 10)
		default:
			if id, ok := projectsPathID(s, prev, fx); ok {
				segs[i] = id
				continue
			}
			segs[i], known = "1", false
		}
	}
	return strings.Join(segs, "/"), known
}

// routeBody is a valid body for a write route of the Core API (n makes names and emails
// unique), or nil for routes that take none. For a write route it does not know it returns {}
// and known false.
func routeBody(r api.Route, fx fixture, n int) (body any, known bool) {
	switch r.Method + " " + r.Path {
	case "PATCH /api/v1/:slug/account":
		return map[string]any{"name": fmt.Sprintf("Renamed %d", n)}, true
	case "POST /api/v1/:slug/companies":
		return map[string]any{"name": fmt.Sprintf("Supplier %d", n), "kind": "supplier"}, true
	case "POST /api/v1/:slug/users":
		return map[string]any{"name": fmt.Sprintf("Invitee %d", n), "email": fmt.Sprintf("invitee-%d@%s.test", n, fx.Slug), "role": "member"}, true
	case "PATCH /api/v1/:slug/users/:id":
		return map[string]any{"role": "member"}, true
	case "POST /api/v1/:slug/teams":
		return map[string]any{"name": fmt.Sprintf("Team %d", n)}, true
	case "POST /api/v1/:slug/support-grants":
		return map[string]any{"scope": "logs", "expires_at": time.Now().Add(24 * time.Hour).Format(time.RFC3339), "reason": fmt.Sprintf("Grant %d", n)}, true
	case "POST /api/v1/:slug/support-requests":
		return map[string]any{"subject": fmt.Sprintf("Request %d", n), "body": "Something is odd."}, true
	case "POST /api/v1/:slug/support-requests/:id/replies":
		return map[string]any{"body": fmt.Sprintf("Reply %d", n)}, true
	case "PUT /api/v1/:slug/notification-preferences":
		return map[string]any{"preferences": []map[string]string{{"event_type": "user.invited", "channel": "in_app"}}}, true
	case "POST /api/v1/:slug/notifications/read-all", "POST /api/v1/:slug/notifications/:id/read":
		return nil, true
	case "PUT /api/v1/:slug/teams/:id/members/:user_id", "DELETE /api/v1/:slug/teams/:id/members/:user_id",
		"DELETE /api/v1/:slug/users/:id", "POST /api/v1/:slug/support-grants/:id/revoke":
		return nil, true
	}
	if body, known := projectsBody(r, fx, n); known {
		return body, true
	}
	if r.Method == http.MethodGet {
		return nil, true
	}
	return map[string]any{}, false
}

// capabilityRoutes are the API routes guarded by a capability in an account.
func capabilityRoutes(e *testkit.Env) []api.Route {
	var out []api.Route
	for _, r := range e.App.Routes.All() {
		if r.IsAPI() && r.Guard.Capability() != "" {
			out = append(out, r)
		}
	}
	return out
}

// matrix is policies/matrix.csv: capability -> role -> allowed.
type matrix map[string]map[string]bool

func readMatrix(t testing.TB) matrix {
	t.Helper()
	rd := csv.NewReader(strings.NewReader(policies.Matrix))
	rd.Comment = '#'
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("matrix.csv: %v", err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "role,object,action,expected" {
		t.Fatalf("matrix.csv: want the header role,object,action,expected, got %v", rows[:1])
	}
	m := matrix{}
	for i, row := range rows[1:] {
		if len(row) != 4 {
			t.Fatalf("matrix.csv row %d: %v", i+2, row)
		}
		c := row[1] + ":" + row[2]
		if m[c] == nil {
			m[c] = map[string]bool{}
		}
		if _, dup := m[c][row[0]]; dup {
			t.Errorf("matrix.csv: %s for %s appears twice", c, row[0])
		}
		switch row[3] {
		case "allow":
			m[c][row[0]] = true
		case "deny":
			m[c][row[0]] = false
		default:
			t.Errorf("matrix.csv row %d: expected must be allow or deny, got %q", i+2, row[3])
		}
	}
	return m
}

// containsFold reports whether body mentions s, ignoring case.
func containsFold(body []byte, s string) bool {
	return strings.Contains(strings.ToLower(string(body)), strings.ToLower(s))
}
