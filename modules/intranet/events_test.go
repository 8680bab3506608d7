package intranet_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// sendICS posts data as the multipart field "file".
func sendICS(t *testing.T, c *testkit.Client, path string, data []byte) *testkit.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "team.ics")
	fw.Write(data)
	mw.Close()
	return c.Send(http.MethodPost, path, http.Header{"Content-Type": {mw.FormDataContentType()}}, &buf)
}

// events counts the account's events.
func events(t *testing.T, e *testkit.Env, acc *testkit.Account) int {
	t.Helper()
	n, err := e.App.DB.NewSelect().TableExpr("intranet_events").Where("account_id = ?", acc.ID).Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// TestEvents: a team's event is seen by its people only; the company's calendar takes events
// from managers and up; attendees are people of the space; bad times, strangers and huge
// descriptions are refused, writing nothing; the person's feed carries the event; the page
// shows it in a month grid and a week.
func TestEvents(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		manager := e.NewUser(acc, actor.RoleManager)
		alice := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		company := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Company"}))
		devs := team(t, e, acc, "Devs", alice)
		space := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Devs", "team_id": devs}))
		start := time.Now().UTC().Truncate(time.Hour).Add(24 * time.Hour)
		in := map[string]any{"space_id": space, "title": "Sprint review", "place": "Room 4", "description": "**Demo** <script>x</script>",
			"starts_at": start.Format(time.RFC3339), "ends_at": start.Add(time.Hour).Format(time.RFC3339), "attendee_ids": []int64{alice.ID}}
		ev := created(t, e.As(alice), base+"/events", in)
		id := idOf(ev)
		if att := ev["attendees"].([]any); len(att) != 1 {
			t.Fatalf("attendees: %v", ev)
		}
		if r := e.As(bob).Get(fmt.Sprintf("%s/events/%d", base, id)); r.Status != http.StatusNotFound {
			t.Errorf("bob, outside the team, sees its event: %d", r.Status)
		}
		var list struct{ Items []struct{ ID int64 } }
		e.As(bob).Get(base+"/events?from="+start.AddDate(0, 0, -1).Format(time.DateOnly)+"&to="+start.AddDate(0, 0, 1).Format(time.DateOnly)).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("bob lists the team's event: %+v", list)
		}
		e.As(alice).Get(base+"/events?from="+start.Format(time.DateOnly)+"&to="+start.Format(time.DateOnly)).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != id {
			t.Errorf("alice's list: %+v", list)
		}
		// The search finds the event for the team, not for bob.
		e.Settle()
		find := func(u *testkit.User) int {
			var res struct{ Items []struct{ Kind string } }
			e.As(u).Get(base+"/search?q=sprint&kind=event").JSON(t, &res)
			return len(res.Items)
		}
		if find(alice) != 1 || find(bob) != 0 {
			t.Errorf("search: alice finds %d, bob %d", find(alice), find(bob))
		}
		// The company's calendar: managers and up.
		co := map[string]any{"space_id": company, "title": "Party", "all_day": true, "starts_at": start.Format(time.RFC3339)}
		if r := e.As(bob).Post(base+"/events", co); r.Status != http.StatusForbidden {
			t.Errorf("a member adds a company event: %d", r.Status)
		}
		party := created(t, e.As(manager), base+"/events", co)
		if party["all_day"] != true || party["starts_at"] != party["ends_at"] {
			t.Errorf("all-day event: %v", party)
		}
		// Refusals write nothing.
		before, n := e.Snapshot(), events(t, e, acc)
		bad := []struct {
			field  string
			status int
			change func(m map[string]any)
		}{
			{"ends_at", 422, func(m map[string]any) { m["ends_at"] = start.Add(-time.Hour).Format(time.RFC3339) }},
			{"starts_at", 422, func(m map[string]any) { delete(m, "starts_at") }},
			{"title", 422, func(m map[string]any) { m["title"] = " " }},
			{"attendee_ids", 422, func(m map[string]any) { m["attendee_ids"] = []int64{bob.ID} }},
			{"space_id", 422, func(m map[string]any) { m["space_id"] = 999999999 }},
			{"description", 413, func(m map[string]any) { m["description"] = strings.Repeat("a", 101<<10) }},
		}
		for _, b := range bad {
			m := map[string]any{}
			for k, v := range in {
				m[k] = v
			}
			b.change(m)
			r := e.As(alice).Post(base+"/events", m)
			if r.Status != b.status || !strings.Contains(string(r.Body), `"`+b.field+`"`) {
				t.Errorf("%s: %d %s", b.field, r.Status, r.Body)
			}
		}
		if r := e.As(alice).Get(base + "/events?from=2026-01-10&to=2026-01-01"); r.Status != 422 {
			t.Errorf("to before from: %d", r.Status)
		}
		if after := e.Snapshot(); after != before || events(t, e, acc) != n {
			t.Errorf("a refused event wrote")
		}
		// The feed carries the event of alice's team and the company's, not bob's.
		var me struct {
			ICalURL string `json:"ical_url"`
		}
		e.As(alice).Get("/api/v1/me").JSON(t, &me)
		r := e.Anonymous().Get(strings.TrimPrefix(me.ICalURL, e.URL))
		cal, err := goical.NewDecoder(bytes.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("feed: %d %v %s", r.Status, err, r.Body)
		}
		found := map[string]bool{}
		for _, ev := range cal.Events() {
			s, _ := ev.Props.Text(goical.PropSummary)
			found[s] = true
		}
		if !found["Sprint review"] || !found["Party"] {
			t.Errorf("alice's feed: %v", found)
		}
		// The pages: the month grid, the week, the event (Markdown sanitized), in French.
		b := e.BrowserLogin(alice)
		month := fmt.Sprintf("/%s/intranet/calendar?month=%s", acc.Slug, start.Format("2006-01"))
		if r := b.Get(month); r.Status != http.StatusOK || !strings.Contains(r.String(), "Sprint review") || !strings.Contains(r.String(), "Party") {
			t.Fatalf("month page: %d %s", r.Status, r.Body)
		}
		if r := b.Get(fmt.Sprintf("/%s/intranet/calendar?week=%s&space_id=%d", acc.Slug, start.Format(time.DateOnly), space)); r.Status != http.StatusOK || !strings.Contains(r.String(), "Sprint review") || strings.Contains(r.String(), ">Party<") {
			t.Fatalf("week page: %d %s", r.Status, r.Body)
		}
		if r := b.Get(fmt.Sprintf("/%s/intranet/calendar?month=1999-01", acc.Slug)); !strings.Contains(r.String(), `id="cal-empty"`) {
			t.Errorf("an empty month shows no empty state: %d %s", r.Status, r.Body)
		}
		if r := b.Get(fmt.Sprintf("/%s/intranet/events/%d", acc.Slug, id)); r.Status != http.StatusOK || strings.Contains(r.String(), "<script>x") || !strings.Contains(r.String(), "<strong>Demo</strong>") {
			t.Fatalf("event page: %d %s", r.Status, r.Body)
		}
		// The form: end before start is shown on the form, nothing written.
		page := "/" + acc.Slug + "/intranet/calendar"
		form := map[string][]string{"space_id": {fmt.Sprint(space)}, "title": {"Late"}, "starts_at": {"2026-12-10T10:00"}, "ends_at": {"2026-12-10T09:00"}}
		if r := b.SubmitForm(page, page+"/events", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-ends_at"`) {
			t.Errorf("form with end before start: %d", r.Status)
		}
		form["ends_at"] = []string{"2026-12-10T11:00"}
		if r := b.SubmitForm(page, page+"/events", form); r.Status != http.StatusSeeOther {
			t.Errorf("event form: %d %s", r.Status, r.Body)
		}
	})
}

const goodICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:a-1@example.com\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20261215T090000Z\r\nDTEND:20261215T100000Z\r\nSUMMARY:Retro\r\nLOCATION:Room 1\r\nDESCRIPTION:Bring\\, notes\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:a-2@example.com\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261226\r\nSUMMARY:Holidays\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// seriesICS is a weekly series in Paris time (4 Mondays from 2027-01-04, 09:00) whose second
// occurrence is cancelled (EXDATE) and third changed alone (RECURRENCE-ID), and a series the
// calendars cannot follow (every two weeks).
const seriesICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:s-1@example.com\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Europe/Paris:20270104T090000\r\nDTEND;TZID=Europe/Paris:20270104T091500\r\n" +
	"SUMMARY:Standup\r\nRRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO\r\nEXDATE;TZID=Europe/Paris:20270111T090000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:s-1@example.com\r\nDTSTAMP:20261201T000000Z\r\nRECURRENCE-ID;TZID=Europe/Paris:20270118T090000\r\n" +
	"DTSTART;TZID=Europe/Paris:20270118T100000\r\nDTEND;TZID=Europe/Paris:20270118T101500\r\nSUMMARY:Standup with the board\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:s-2@example.com\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20270105T090000Z\r\nDTEND:20270105T100000Z\r\nSUMMARY:Biweekly\r\nRRULE:FREQ=WEEKLY;INTERVAL=2\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

// TestImportICS: a preview writes nothing; the import writes both events (an all-day one over
// its two days), a second import skips them; a malformed file is 422 naming the line, an event
// ending before it starts too, a huge file 413 — nothing written.
func TestImportICS(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		alice := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		devs := team(t, e, acc, "Devs", alice)
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Devs", "team_id": devs}))
		path := fmt.Sprintf("%s/events/import?space_id=%d", base, space)
		c := e.As(alice)
		r := sendICS(t, c, path+"&dry_run=true", []byte(goodICS))
		var rep struct {
			Events []struct {
				Title, Place string
				AllDay       bool   `json:"all_day"`
				EndsAt       string `json:"ends_at"`
				Repeats      bool
				Line         int
			}
			Imported, Skipped int
		}
		r.JSON(t, &rep)
		if r.Status != http.StatusOK || len(rep.Events) != 2 || rep.Imported != 0 || events(t, e, acc) != 0 {
			t.Fatalf("preview: %d %s", r.Status, r.Body)
		}
		if h := rep.Events[1]; !h.AllDay || !strings.HasPrefix(h.EndsAt, "2026-12-25") || !h.Repeats || h.Line != 13 {
			t.Errorf("all-day event: %+v", h)
		}
		if r := sendICS(t, c, path, []byte(goodICS)); r.Status != http.StatusCreated || events(t, e, acc) != 2 {
			t.Fatalf("import: %d %s", r.Status, r.Body)
		}
		sendICS(t, c, path, []byte(goodICS)).JSON(t, &rep)
		if rep.Imported != 0 || rep.Skipped != 2 || events(t, e, acc) != 2 {
			t.Errorf("again: %+v", rep)
		}
		before := e.Snapshot()
		for name, tc := range map[string]struct {
			data   string
			status int
			want   string
		}{
			"no colon":    {strings.Replace(goodICS, "SUMMARY:Retro", "SUMMARY Retro", 1), 422, "line 9: malformed"},
			"ends first":  {strings.Replace(goodICS, "DTEND:20261215T100000Z", "DTEND:20261215T080000Z", 1), 422, "line 4: the event ends before it starts"},
			"no calendar": {"hello\r\n", 422, "line 1"},
			"truncated":   {goodICS[:strings.Index(goodICS, "END:VCALENDAR")], 422, "ends before END:VCALENDAR"},
			"bad date":    {strings.Replace(goodICS, "DTSTART:20261215T090000Z", "DTSTART:2026-12-15", 1), 422, "line 4: DTSTART"},
			"huge":        {goodICS + strings.Repeat("X", 1<<20), 413, "larger"},
			"empty":       {"", 422, "empty"},
		} {
			r := sendICS(t, c, path, []byte(tc.data))
			if r.Status != tc.status || !strings.Contains(string(r.Body), tc.want) {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if e.Snapshot() != before || events(t, e, acc) != 2 {
			t.Errorf("a refused import wrote")
		}
		// The pages: the preview lists the file, the confirmation imports (nothing new here).
		b := e.BrowserLogin(alice)
		page := "/" + acc.Slug + "/intranet/calendar"
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("_csrf", testkit.CSRFIn(b.Get(page).Body))
		mw.WriteField("space_id", fmt.Sprint(space))
		fw, _ := mw.CreateFormFile("file", "x.ics")
		fw.Write([]byte(strings.ReplaceAll(goodICS, "a-", "b-")))
		mw.Close()
		r = b.Send(http.MethodPost, page+"/import", http.Header{"Content-Type": {mw.FormDataContentType()}}, &buf)
		if r.Status != http.StatusOK || !strings.Contains(r.String(), "Retro") || events(t, e, acc) != 2 {
			t.Fatalf("preview page: %d %s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page+"/import/confirm", map[string][]string{"space_id": {fmt.Sprint(space)}, "ics": {strings.ReplaceAll(goodICS, "a-", "b-")}}); r.Status != http.StatusSeeOther || events(t, e, acc) != 4 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		// A series: its rule followed, EXDATE cancels, RECURRENCE-ID changes one occurrence; a
		// rule the calendars cannot follow keeps its first occurrence (repeats).
		var series struct {
			Events []struct {
				Title, Recurrence string
				Repeats           bool
				TimeZone          string `json:"time_zone"`
				Exceptions        []struct {
					OccursOn  string `json:"occurs_on"`
					Cancelled bool
				}
			}
		}
		sendICS(t, c, path+"&dry_run=true", []byte(seriesICS)).JSON(t, &series)
		if ev := series.Events; len(ev) != 2 || ev[0].Recurrence != "weekly" || ev[0].TimeZone != "Europe/Paris" || len(ev[0].Exceptions) != 2 || ev[0].Repeats || ev[1].Recurrence != "" || !ev[1].Repeats {
			t.Fatalf("the series' preview: %+v", series.Events)
		}
		if r := sendICS(t, c, path, []byte(seriesICS)); r.Status != http.StatusCreated {
			t.Fatalf("the series' import: %d %s", r.Status, r.Body)
		}
		var list struct {
			Items []struct {
				Title      string
				StartsAt   time.Time `json:"starts_at"`
				Overridden bool
			}
		}
		c.Get(base+"/events?from=2027-01-01&to=2027-01-31").JSON(t, &list)
		var got []string
		for _, it := range list.Items {
			got = append(got, fmt.Sprintf("%s %s %v", it.StartsAt.UTC().Format("01-02T15:04"), it.Title, it.Overridden))
		}
		want := "01-04T08:00 Standup false|01-05T09:00 Biweekly false|01-18T09:00 Standup with the board true|01-25T08:00 Standup false"
		if strings.Join(got, "|") != want {
			t.Errorf("the imported series:\n got %s\nwant %s", strings.Join(got, "|"), want)
		}
	})
}

// TestCalendarAbsences: a member's approved leave (planning, through the calendar port) shows
// on their calendar page among the spaces' events.
func TestCalendarAbsences(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		alice := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		var types struct{ Items []struct{ ID int64 } }
		e.As(alice).Get(base+"/absence-types").JSON(t, &types)
		if len(types.Items) == 0 {
			t.Fatal("no kind of leave")
		}
		d := time.Now().UTC().AddDate(0, 0, 3)
		leave := idOf(created(t, e.As(alice), base+"/absences", map[string]any{"type": types.Items[0].ID, "starts_on": d.Format(time.DateOnly), "ends_on": d.Format(time.DateOnly)}))
		page := fmt.Sprintf("/%s/intranet/calendar?month=%s", acc.Slug, d.Format("2006-01"))
		b := e.BrowserLogin(alice)
		if r := b.Get(page); strings.Contains(r.String(), `<li class="calitem other"`) {
			t.Fatalf("leave not approved yet shows")
		}
		if r := e.As(acc.Owner).Post(fmt.Sprintf("%s/absences/%d/approve", base, leave), map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		if r := b.Get(page); r.Status != http.StatusOK || !strings.Contains(r.String(), `<li class="calitem other"`) || strings.Contains(r.String(), `id="cal-empty"`) {
			t.Errorf("the approved leave is not on the calendar: %d", r.Status)
		}
	})
}
