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

// TestRecurrenceZoneExceptions: a weekly 09:00 series of a Paris author stays 09:00 in Paris
// across the change to summer time; one occurrence is changed alone and another cancelled
// alone (API ?occurrence=, 422 for a day of no occurrence, 403 for another member), the
// ranges and the feed (TZID, EXDATE, RECURRENCE-ID) show it; the page of an occurrence offers
// "this occurrence only" or "the whole series", and the whole series survives both.
func TestRecurrenceZoneExceptions(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		alice := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		if _, err := e.App.DB.NewUpdate().Table("users").Set("time_zone = ?", "Europe/Paris").Where("id = ?", alice.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/" + acc.Slug
		devs := team(t, e, acc, "Devs", alice, bob)
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Devs", "team_id": devs}))
		year := time.Now().UTC().Year() + 1
		// The last Monday of March is in summer time: start two weeks before (08:00 UTC = 09:00 CET).
		paris, _ := time.LoadLocation("Europe/Paris")
		first := time.Date(year, 3, 31, 9, 0, 0, 0, paris)
		for first.Weekday() != time.Monday {
			first = first.AddDate(0, 0, -1)
		}
		first = first.AddDate(0, 0, -14)
		ev := created(t, e.As(alice), base+"/events", map[string]any{"space_id": space, "title": "Standup", "starts_at": first.UTC().Format(time.RFC3339),
			"ends_at": first.Add(15 * time.Minute).UTC().Format(time.RFC3339), "recurrence": "weekly", "recur_count": 4})
		if ev["time_zone"] != "Europe/Paris" {
			t.Fatalf("the series' zone: %v", ev["time_zone"])
		}
		id := idOf(ev)
		path := fmt.Sprintf("%s/events/%d", base, id)
		type item struct {
			ID         int64     `json:"id"`
			Title      string    `json:"title"`
			StartsAt   time.Time `json:"starts_at"`
			Occurrence string    `json:"occurrence"`
			Overridden bool      `json:"overridden"`
		}
		var list struct{ Items []item }
		rng := fmt.Sprintf("%s/events?from=%s&to=%s", base, first.Format(time.DateOnly), first.AddDate(0, 0, 30).Format(time.DateOnly))
		e.As(bob).Get(rng).JSON(t, &list)
		if len(list.Items) != 4 {
			t.Fatalf("four occurrences: %+v", list.Items)
		}
		for _, it := range list.Items {
			if h := it.StartsAt.In(paris).Hour(); h != 9 {
				t.Errorf("%s starts at %d:00 in Paris", it.Occurrence, h)
			}
		}
		if list.Items[0].StartsAt.UTC().Hour() != 8 || list.Items[3].StartsAt.UTC().Hour() != 7 {
			t.Errorf("winter 08:00 UTC, summer 07:00 UTC: %+v", list.Items)
		}
		second, third := list.Items[1].Occurrence, list.Items[2].Occurrence

		// One occurrence alone: bad day 422, another member 403, the author moves it an hour.
		moved := list.Items[2].StartsAt.Add(time.Hour)
		one := map[string]any{"space_id": space, "title": "Standup (late)", "starts_at": moved.Format(time.RFC3339), "ends_at": moved.Add(15 * time.Minute).Format(time.RFC3339)}
		if r := e.As(alice).Put(path+"?occurrence="+first.AddDate(0, 0, 1).Format(time.DateOnly), one); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"occurrence"`) {
			t.Errorf("a day of no occurrence: %d %s", r.Status, r.Body)
		}
		if r := e.As(bob).Put(path+"?occurrence="+third, one); r.Status != http.StatusForbidden {
			t.Errorf("bob changes an occurrence: %d", r.Status)
		}
		if r := e.As(alice).Put(path+"?occurrence="+third, one); r.Status != http.StatusOK || r.Map()["overridden"] != true || r.Map()["occurrence"] != third {
			t.Fatalf("the occurrence alone: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Delete(path + "?occurrence=" + second); r.Status != http.StatusNoContent {
			t.Fatalf("cancel an occurrence: %d %s", r.Status, r.Body)
		}
		if r := e.As(bob).Get(path + "?occurrence=" + second); r.Status != http.StatusNotFound {
			t.Errorf("a cancelled occurrence: %d", r.Status)
		}
		e.As(bob).Get(rng).JSON(t, &list)
		if len(list.Items) != 3 || list.Items[1].Title != "Standup (late)" || !list.Items[1].Overridden || !list.Items[1].StartsAt.Equal(moved) || list.Items[2].Title != "Standup" {
			t.Fatalf("the series with its exceptions: %+v", list.Items)
		}

		// The search finds the series by its occurrence's own title.
		e.Settle()
		if n := searchCount(t, e, acc, bob, "late"); n != 1 {
			t.Errorf("the occurrence's title finds the series %d times", n)
		}
		// The feed: the series in Paris time, its cancelled day an EXDATE, its moved one an override.
		var me struct {
			ICalURL string `json:"ical_url"`
		}
		e.As(alice).Get("/api/v1/me").JSON(t, &me)
		feed := e.Anonymous().Get(strings.TrimPrefix(me.ICalURL, e.URL)).String()
		local := func(t time.Time) string { return t.In(paris).Format("20060102T150405") }
		for _, want := range []string{"DTSTART;TZID=Europe/Paris:" + local(first), "EXDATE;TZID=Europe/Paris:" + local(first.AddDate(0, 0, 7)),
			"RECURRENCE-ID;TZID=Europe/Paris:" + local(first.AddDate(0, 0, 14)), "SUMMARY:Standup (late)", "BEGIN:VTIMEZONE"} {
			if !strings.Contains(feed, want) {
				t.Errorf("the feed lacks %q: %s", want, feed)
			}
		}

		// The pages: the grid links the occurrence; its page offers the choice; the whole
		// series from there moves every occurrence and keeps the exceptions.
		b := e.BrowserLogin(alice)
		grid := b.Get(fmt.Sprintf("/%s/intranet/calendar?month=%s", acc.Slug, first.AddDate(0, 0, 14).Format("2006-01")))
		if !strings.Contains(grid.String(), fmt.Sprintf("/intranet/events/%d?occurrence=%s", id, third)) {
			t.Errorf("the grid does not link the occurrence: %s", grid.Body)
		}
		page := fmt.Sprintf("/%s/intranet/events/%d?occurrence=%s", acc.Slug, id, list.Items[2].Occurrence)
		pg := b.Get(page)
		if !strings.Contains(pg.String(), `name="scope" value="occurrence"`) || !strings.Contains(pg.String(), `id="event-occurrence"`) {
			t.Fatalf("the occurrence's page: %s", pg.Body)
		}
		last := list.Items[2].StartsAt.In(paris)
		edit := fmt.Sprintf("/%s/intranet/events/%d/edit", acc.Slug, id)
		form := url.Values{"space_id": {fmt.Sprint(space)}, "title": {"Daily"}, "starts_at": {last.Add(30 * time.Minute).Format("2006-01-02T15:04")},
			"ends_at": {last.Add(45 * time.Minute).Format("2006-01-02T15:04")}, "recurrence": {"weekly"}, "recur_count": {"4"},
			"scope": {"series"}, "occurrence": {list.Items[2].Occurrence}}
		if r := b.SubmitForm(page, edit, form); r.Status != http.StatusSeeOther {
			t.Fatalf("the whole series from an occurrence: %d %s", r.Status, r.Body)
		}
		e.As(bob).Get(rng).JSON(t, &list)
		if len(list.Items) != 3 || list.Items[0].Title != "Daily" || list.Items[0].StartsAt.In(paris).Format("15:04") != "09:30" || list.Items[1].Title != "Standup (late)" {
			t.Fatalf("the series moved half an hour, its exceptions kept: %+v", list.Items)
		}
		form.Set("scope", "occurrence")
		if r := b.SubmitForm(page, fmt.Sprintf("/%s/intranet/events/%d/delete", acc.Slug, id), url.Values{"scope": {"occurrence"}, "occurrence": {list.Items[2].Occurrence}}); r.Status != http.StatusSeeOther {
			t.Fatalf("cancel from the page: %d %s", r.Status, r.Body)
		}
		e.As(bob).Get(rng).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("after cancelling the last one: %+v", list.Items)
		}
	})
}
