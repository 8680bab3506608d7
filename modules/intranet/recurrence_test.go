package intranet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestEventEditDeleteRecurrence: an event is edited and deleted by its author or a manager,
// never by another member (403) or another account (404); a bad recurrence is a 422 that
// writes nothing; a weekly series with a count and a monthly one until a day (skipping the
// months without its day) are expanded in the API's ranges and on the calendar grid, and the
// feed gives each once with its RRULE; the edit and delete forms work on the event's page.
func TestEventEditDeleteRecurrence(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc, other := e.NewAccount(), e.NewAccount()
		manager := e.NewUser(acc, actor.RoleManager)
		alice := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		devs := team(t, e, acc, "Devs", alice, bob, manager)
		space := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Devs", "team_id": devs}))
		year := time.Now().UTC().Year() + 1
		weekly := map[string]any{"space_id": space, "title": "Standup", "starts_at": fmt.Sprintf("%d-03-02T09:00:00Z", year),
			"ends_at": fmt.Sprintf("%d-03-02T09:15:00Z", year), "recurrence": "weekly", "recur_count": 4}
		id := idOf(created(t, e.As(alice), base+"/events", weekly))
		path := fmt.Sprintf("%s/events/%d", base, id)

		// Bad recurrences: 422 on the field, nothing written.
		before := e.Snapshot()
		for field, bad := range map[string]map[string]any{
			"recurrence":  {"recurrence": "daily", "recur_count": 2},
			"recur_until": {"recurrence": "weekly"},
			"recur_count": {"recurrence": "weekly", "recur_count": 100000},
		} {
			in := map[string]any{}
			for k, v := range weekly {
				in[k] = v
			}
			delete(in, "recur_count")
			for k, v := range bad {
				in[k] = v
			}
			r := e.As(alice).Post(base+"/events", in)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"`+field+`"`) {
				t.Errorf("bad %s: %d %s", field, r.Status, r.Body)
			}
			if r := e.As(alice).Put(path, in); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("bad %s on an edit: %d", field, r.Status)
			}
		}
		if e.Snapshot() != before {
			t.Errorf("a refused event wrote")
		}

		// Expanded in a range: four Mondays of March (the fifth is past the count).
		var list struct {
			Items []struct {
				ID             int64     `json:"id"`
				StartsAt       time.Time `json:"starts_at"`
				SeriesStartsAt *string   `json:"series_starts_at"`
			}
		}
		e.As(bob).Get(fmt.Sprintf("%s/events?from=%d-03-01&to=%d-03-31", base, year, year)).JSON(t, &list)
		if len(list.Items) != 4 || list.Items[3].StartsAt.Day() != 23 || list.Items[0].SeriesStartsAt != nil || list.Items[1].SeriesStartsAt == nil {
			t.Fatalf("the weekly series in March: %+v", list.Items)
		}
		e.As(bob).Get(fmt.Sprintf("%s/events?from=%d-03-20&to=%d-04-30", base, year, year)).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].StartsAt.Day() != 23 {
			t.Fatalf("the series from the 20th: %+v", list.Items)
		}

		// Who changes it: bob (another member) no, another account not even sees it.
		if r := e.As(bob).Put(path, weekly); r.Status != http.StatusForbidden {
			t.Errorf("bob edits alice's event: %d", r.Status)
		}
		if r := e.As(bob).Delete(path); r.Status != http.StatusForbidden {
			t.Errorf("bob deletes alice's event: %d", r.Status)
		}
		foreign := strings.Replace(path, "/"+acc.Slug+"/", "/"+other.Slug+"/", 1)
		if r := e.As(other.Owner).Put(foreign, weekly); r.Status != http.StatusNotFound {
			t.Errorf("another account edits: %d", r.Status)
		}
		if r := e.As(other.Owner).Delete(foreign); r.Status != http.StatusNotFound {
			t.Errorf("another account deletes: %d", r.Status)
		}

		// The manager makes it monthly on the 31st until the end of July: March, May, July.
		monthly := map[string]any{"space_id": space, "title": "Month end", "starts_at": fmt.Sprintf("%d-01-31T16:00:00Z", year),
			"ends_at": fmt.Sprintf("%d-01-31T17:00:00Z", year), "recurrence": "monthly", "recur_until": fmt.Sprintf("%d-07-31", year)}
		r := e.As(manager).Put(path, monthly)
		if r.Status != http.StatusOK || r.Map()["recurrence"] != "monthly" {
			t.Fatalf("the manager edits: %d %s", r.Status, r.Body)
		}
		e.As(alice).Get(fmt.Sprintf("%s/events?from=%d-01-01&to=%d-12-31", base, year, year)).JSON(t, &list)
		var months []string
		for _, it := range list.Items {
			months = append(months, it.StartsAt.Month().String()[:3])
		}
		if strings.Join(months, " ") != "Jan Mar May Jul" {
			t.Errorf("the monthly series: %v", months)
		}

		// The feed: the series once, with its RRULE.
		var me struct {
			ICalURL string `json:"ical_url"`
		}
		e.As(alice).Get("/api/v1/me").JSON(t, &me)
		feed := e.Anonymous().Get(strings.TrimPrefix(me.ICalURL, e.URL)).String()
		if strings.Count(feed, "SUMMARY:Month end") != 1 || !strings.Contains(feed, fmt.Sprintf("RRULE:FREQ=MONTHLY;UNTIL=%d0731T235959Z", year)) {
			t.Errorf("the feed: %s", feed)
		}

		// The pages: the grid shows each occurrence; the author edits and deletes by the forms.
		b := e.BrowserLogin(alice)
		grid := b.Get(fmt.Sprintf("/%s/intranet/calendar?month=%d-05", acc.Slug, year))
		if grid.Status != http.StatusOK || !strings.Contains(grid.String(), "Month end") {
			t.Fatalf("the May grid: %d %s", grid.Status, grid.Body)
		}
		page := fmt.Sprintf("/%s/intranet/events/%d", acc.Slug, id)
		pg := b.Get(page)
		if !strings.Contains(pg.String(), `id="event-repeat"`) || !strings.Contains(pg.String(), "data-confirm=") {
			t.Fatalf("the event page: %s", pg.Body)
		}
		if r := b.SubmitForm(page, page+"/edit", url.Values{"space_id": {fmt.Sprint(space)}, "title": {"Retro"}, "starts_at": {fmt.Sprintf("%d-02-05T10:00", year)},
			"ends_at": {fmt.Sprintf("%d-02-05T11:00", year)}, "recurrence": {"weekly"}, "recur_count": {"2"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("the edit form: %d %s", r.Status, r.Body)
		}
		var ev map[string]any
		e.As(alice).Get(path).JSON(t, &ev)
		if ev["title"] != "Retro" || ev["recur_count"] != float64(2) {
			t.Errorf("after the edit form: %v", ev)
		}
		if r := b.SubmitForm(page, page+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("the delete form: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Get(path); r.Status != http.StatusNotFound {
			t.Errorf("the deleted event: %d", r.Status)
		}
	})
}
