package admin_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOddRequestsNever500: malformed ids, bodies and queries get a 4xx page (or the form
// again), never a 500, and change nothing.
func TestOddRequestsNever500(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		s := signIn(t, e, w.acc.Owner)
		base := "/" + w.acc.Slug
		before := e.Snapshot()
		gets := []string{
			base + "/people/99999999999999999999", base + "/people/-1", base + "/people/0", base + "/people/1.5",
			base + "/teams/99999999999999999999", base + "/teams/%00",
			base + "/people?limit=abc", base + "/people?limit=9999", base + "/people?role=%00",
			base + "/people?q=%27%3B--", base + "/people?q=%00", base + "/people?q=%ff%fe", base + "/audit?actor=99999999999999999999", base + "/audit.csv?actor=x",
			base + "/audit?action=%00", base + "/companies?cursor=MA", base + "/teams?cursor=LTE",
		}
		for _, p := range gets {
			if r := s.get(p); r.Status >= 500 || r.Status == 0 {
				t.Errorf("GET %s: %d", p, r.Status)
			}
		}
		long := strings.Repeat("x", 5000)
		posts := []struct {
			path string
			body string
		}{
			{base + "/people", "name=%zz&email=%"},
			{base + "/people", "name=" + long + "&email=" + long + "@x.test&role=member"},
			{base + "/people", "name=A&email=a%40b.test&role=member&company_id=99999999999999999999"},
			{base + "/people", "name=A&email=a%40b.test&role=member&company_id=-3"},
			{fmt.Sprintf("%s/people/%d", base, w.target), "role=&company_id="},
			{fmt.Sprintf("%s/people/%d", base, w.target), "role=owner"},
			{base + "/settings", "name=&time_unit=&locale="},
			{base + "/settings", "name=" + long},
			{base + "/companies", "name=%00&kind=client"},
			{base + "/teams", "name=" + long},
			{fmt.Sprintf("%s/teams/%d/members", base, w.team), "user_id=0"},
			{fmt.Sprintf("%s/teams/%d/members", base, w.team), "user_id=99999999999999999999"},
			{fmt.Sprintf("%s/teams/%d/members/abc/remove", base, w.team), ""},
			{fmt.Sprintf("%s/teams/%d/members/999999/remove", base, w.team), ""},
		}
		for _, p := range posts {
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			r := s.c.Send(http.MethodPost, p.path, h, strings.NewReader("_csrf="+s.csrf+"&"+p.body))
			if r.Status < 400 || r.Status >= 500 {
				t.Errorf("POST %s %.40s: %d, want 4xx", p.path, p.body, r.Status)
			}
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("odd requests changed something:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// BenchmarkPeoplePage measures the heaviest admin page: the people list with its companies,
// filters and invite form, for an account of 100 people.
func BenchmarkPeoplePage(b *testing.B) {
	e := testkit.Start(b, "sqlite", testkitOptions())
	acc := e.NewAccount()
	owner := e.As(acc.Owner)
	for i := range 100 {
		r := owner.Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": fmt.Sprintf("Person %03d", i), "email": fmt.Sprintf("p%03d@example.test", i), "role": "member"})
		if r.Status != http.StatusCreated {
			b.Fatalf("invite: %d %s", r.Status, r.Body)
		}
	}
	path := "/" + acc.Slug + "/people?limit=100"
	b.ResetTimer()
	for b.Loop() {
		if r := owner.Get(path); r.Status != http.StatusOK {
			b.Fatalf("people: %d", r.Status)
		}
	}
}
