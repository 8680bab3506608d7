package planning_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// availableDays is the answer of the availability search, as "at least N days" reads it.
type availableDays struct {
	Items []struct {
		ResourceID int64 `json:"resource_id"`
		Days       int   `json:"days"`
		FreeSpans  []struct {
			From string `json:"from"`
			To   string `json:"to"`
			Days int    `json:"days"`
		} `json:"free_spans"`
	} `json:"items"`
}

// spans writes the spans of an item as "from..to/days" for a short comparison.
func (a availableDays) spans(i int) string {
	var out []string
	for _, s := range a.Items[i].FreeSpans {
		out = append(out, fmt.Sprintf("%s..%s/%d", s.From[5:], s.To[5:], s.Days))
	}
	return strings.Join(out, " ")
}

// TestAvailabilityDays: "at least N days" in the availability search. Two weeks of July 2027
// in France (Wednesday 14 July is a public holiday): the member is on leave on Friday 16 and
// half booked on Tuesday 20; the manager is half booked every day. Whole free days: the
// member has 7 in three spans (the holiday and the weekend do not break a span; the leave
// and the booked day do), the manager none; with 4 hours a day, the manager has 9 in a row.
func TestAvailabilityDays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr, mem := e.As(o.mgr), e.As(o.mem)
		memRes, mgrRes := o.resourceOf(t, o.mem), o.resourceOf(t, o.mgr)
		leave := o.created(t, mem, "/absences", map[string]any{"type": o.holiday(t), "starts_on": "2027-07-16", "ends_on": "2027-07-16"})
		if r := mgr.Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": memRes, "project_id": o.project, "starts_on": "2027-07-20", "ends_on": "2027-07-20", "minutes_per_day": 240})
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": mgrRes, "project_id": o.project, "starts_on": "2027-07-12", "ends_on": "2027-07-23", "minutes_per_day": 240})
		search := func(extra string) availableDays {
			t.Helper()
			r := mem.Get(fmt.Sprintf("%s/availability?from=2027-07-12&to=2027-07-23&team_id=%d&%s", o.base, o.team, extra))
			if r.Status != http.StatusOK {
				t.Fatalf("availability %s: %d %s", extra, r.Status, r.Body)
			}
			var av availableDays
			r.JSON(t, &av)
			return av
		}
		av := search("days=7")
		if len(av.Items) != 1 || av.Items[0].ResourceID != memRes || av.Items[0].Days != 7 || av.spans(0) != "07-12..07-15/3 07-19..07-19/1 07-21..07-23/3" {
			t.Errorf("7 whole days = %+v", av.Items)
		}
		if av := search("days=4&consecutive=true"); len(av.Items) != 0 {
			t.Errorf("4 whole days in a row = %+v", av.Items)
		}
		av = search("days=8&day_minutes=240")
		if len(av.Items) != 2 || av.Items[0].ResourceID != mgrRes || av.Items[0].Days != 9 || av.Items[1].ResourceID != memRes || av.Items[1].Days != 8 ||
			av.spans(0) != "07-12..07-23/9" || av.spans(1) != "07-12..07-15/3 07-19..07-23/5" {
			t.Errorf("8 days of 4 hours = %+v", av.Items)
		}
		if av := search("days=6&day_minutes=240&consecutive=true"); len(av.Items) != 1 || av.Items[0].ResourceID != mgrRes {
			t.Errorf("6 days of 4 hours in a row = %+v", av.Items)
		}
		for q, field := range map[string]string{"days=13": "days", "days=-1": "days", "day_minutes=1441": "day_minutes", "consecutive=maybe": "consecutive", "days=2&to=2027-07-01": "to"} {
			if !strings.Contains(q, "to=") {
				q += "&to=2027-07-23"
			}
			r := mem.Get(o.base + "/availability?from=2027-07-12&" + q)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest || r.FieldErrors()[field] == "" {
				t.Errorf("availability %s: %d %s", q, r.Status, r.Body)
			}
		}

		page := e.BrowserLogin(o.mem).Get(fmt.Sprintf("/%s/planning/availability?from=2027-07-12&to=2027-07-23&days=6&day_hours=4&consecutive=true&team_id=%d", o.acc.Slug, o.team))
		if page.Status != http.StatusOK {
			t.Fatalf("page: %d %s", page.Status, page.Body)
		}
		if body := string(page.Body); !strings.Contains(body, o.mgr.Name) || !strings.Contains(body, "07-12 – 07-23") {
			t.Errorf("the page does not show the manager's span")
		}
		if page := e.BrowserLogin(o.mem).Get(fmt.Sprintf("/%s/planning/availability?from=2027-07-12&to=2027-07-23&day_hours=25", o.acc.Slug)); page.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(string(page.Body), "must be a number of hours from 0 to 24") {
			t.Errorf("page with 25 hours a day: %d", page.Status)
		}
		// The field messages speak the reader's language (an admin reads in their browser's).
		admin := e.BrowserLogin(e.NewUser(o.acc, actor.RoleAdmin))
		for _, c := range []struct{ lang, query, want string }{
			{"fr", "to=2027-07-23&day_hours=25", "doit être un nombre d’heures de 0 à 24"},
			{"ru", "to=2027-07-23&day_hours=25", "должно быть числом часов от 0 до 24"},
			{"fr", "to=2027-07-01", "ne doit pas être avant « premier jour »"},
			{"ru", "to=2027-07-01", "не должно быть раньше «Первый день»"},
		} {
			r := admin.Send(http.MethodGet, fmt.Sprintf("/%s/planning/availability?from=2027-07-12&%s", o.acc.Slug, c.query), http.Header{"Accept-Language": {c.lang}}, nil)
			if body := html.UnescapeString(r.String()); r.Status != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
				t.Errorf("%s page ?%s: %d, lacks %q", c.lang, c.query, r.Status, c.want)
			}
		}
		// The API speaks the person's language to the pages' scripts (session cookie), and
		// English to integrators (a token).
		api := fmt.Sprintf("/api/v1/%s/availability?from=2027-07-12&to=2027-07-01", o.acc.Slug)
		if r := admin.Send(http.MethodGet, api, http.Header{"Accept-Language": {"ru"}}, nil); r.FieldErrors()["to"] != "не должно быть раньше «Первый день»" {
			t.Errorf("the API to the page's script in Russian: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.mem).Send(http.MethodGet, api, http.Header{"Accept-Language": {"ru"}}, nil); r.FieldErrors()["to"] != "must not be before from" {
			t.Errorf("the API to a token: %d %s", r.Status, r.Body)
		}
	})
}
