package ical_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, options(), fn)
}

// office is an account with a member and a client, and a project open to its members.
type office struct {
	e        *testkit.Env
	acc      *testkit.Account
	base     string
	owner    *testkit.User
	mem, cli *testkit.User
	project  int64
	lists    map[int64]int64 // a task list of each project
}

func newOffice(t testing.TB, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount(), lists: map[int64]int64{}}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.mem = e.NewUser(o.acc, actor.RoleMember)
	o.cli = e.NewClient(o.acc, e.ClientCompany(o.acc))
	o.project = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Website"})
	return o
}

// created posts body under the account's API and returns the id of what it made.
func (o *office) created(t testing.TB, c *testkit.Client, path string, body any) int64 {
	t.Helper()
	r := c.Post(o.base+path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return v.ID
}

// task makes a task of the project due in days, assigned to who.
func (o *office) task(t testing.TB, project int64, title string, due time.Time, who ...*testkit.User) int64 {
	t.Helper()
	var as []map[string]any
	for _, u := range who {
		as = append(as, map[string]any{"user_id": u.ID})
	}
	list, ok := o.lists[project]
	if !ok {
		list = o.created(t, o.e.As(o.owner), fmt.Sprintf("/projects/%d/lists", project), map[string]any{"name": "To do"})
		o.lists[project] = list
	}
	return o.created(t, o.e.As(o.owner), fmt.Sprintf("/projects/%d/tasks", project),
		map[string]any{"list_id": list, "title": title, "due_on": due.Format(time.DateOnly), "assignees": as})
}

// feedURL is u's feed path (under the test server), from GET /api/v1/me's ical_url.
func feedURL(t testing.TB, e *testkit.Env, u *testkit.User) string {
	t.Helper()
	var me struct {
		ICalURL string `json:"ical_url"`
	}
	r := e.As(u).Get("/api/v1/me")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/me: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &me)
	if !strings.HasPrefix(me.ICalURL, e.URL+"/ical/") || !strings.HasSuffix(me.ICalURL, ".ics") {
		t.Fatalf("ical_url = %q, want %s/ical/….ics", me.ICalURL, e.URL)
	}
	return strings.TrimPrefix(me.ICalURL, e.URL)
}

// feed fetches a feed over HTTP, anonymously (the URL is the credential), and parses it back
// with emersion/go-ical.
func feed(t testing.TB, e *testkit.Env, path string) *goical.Calendar {
	t.Helper()
	r := e.Anonymous().Get(path)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("Content-Type = %q", ct)
	}
	cal, err := goical.NewDecoder(bytes.NewReader(r.Body)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, r.Body)
	}
	return cal
}

// summaries are the events' summaries, sorted.
func summaries(t testing.TB, cal *goical.Calendar) []string {
	t.Helper()
	out := []string{}
	for _, ev := range cal.Events() {
		s, err := ev.Props.Text(goical.PropSummary)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func today() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }
