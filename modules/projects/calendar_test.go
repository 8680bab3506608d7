package projects_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

// calendarWorld is the pages' world with the clock on 12 March 2025 and a few more tasks: one
// with only a due day, one done, six on one day (more than a day shows).
type calendarWorld struct {
	*pagesWorld
	onlyDue, done int64
}

func newCalendarWorld(t *testing.T, w *world) *calendarWorld {
	t.Helper()
	w.svc.Now = func() time.Time { return time.Date(2025, 3, 12, 9, 0, 0, 0, time.UTC) }
	cw := &calendarWorld{pagesWorld: newPagesWorld(t, w)}
	cw.onlyDue = w.task(w.manager, cw.pid, cw.shared, "Only a due day", map[string]any{"due_on": "2025-03-20"})
	cw.done = w.task(w.manager, cw.pid, cw.shared, "Finished work", map[string]any{"starts_on": "2025-03-04", "due_on": "2025-03-05"})
	w.want(w.as(w.manager).Patch(w.path("/tasks/%d", cw.done), map[string]any{"status": "done"}), http.StatusOK)
	for i := range 6 {
		w.task(w.manager, cw.pid, cw.internal, fmt.Sprintf("Crowded %d", i), map[string]any{"due_on": "2025-03-26"})
	}
	return cw
}

// cell is the markup of the calendar's cell for day.
func cell(t *testing.T, page, day string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<td[^>]*data-date="` + day + `"[^>]*>(.*?)</td>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no cell for %s", day)
	}
	return html.UnescapeString(m[1])
}

// getIn is a page in a language, its markup unescaped.
func getIn(c *testkit.Client, path, lang string) string {
	return html.UnescapeString(c.Send(http.MethodGet, path, http.Header{"Accept-Language": {lang}}, nil).String())
}

func TestCalendarShowsTasksOnTheirDays(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		cw := newCalendarWorld(t, w)
		cal := cw.page("/projects/%d/calendar", cw.pid)
		page := want(t, "calendar", w.as(w.manager).Get(cal+"?month=2025-03"), http.StatusOK).String()
		if !strings.Contains(page, "March 2025") {
			t.Errorf("no month title")
		}
		// A Monday-first grid: March 2025 starts on a Saturday, so the grid starts on 24 February
		// and ends on Sunday 6 April.
		if !strings.Contains(page, `data-date="2025-02-24"`) || strings.Contains(page, `data-date="2025-02-23"`) ||
			!strings.Contains(page, `data-date="2025-04-06"`) || strings.Contains(page, `data-date="2025-04-07"`) {
			t.Errorf("the grid does not run Monday 24 Feb to Sunday 6 Apr")
		}
		if i, j := strings.Index(page, ">Mon<"), strings.Index(page, ">Sun<"); i < 0 || j < i {
			t.Errorf("the weekdays do not start on Monday")
		}
		for day, titles := range map[string][]string{
			"2025-03-03": {"Design mockups"}, "2025-03-07": {"Design mockups"}, "2025-03-10": {"Design mockups"},
			"2025-03-11": {"Margin review"}, "2025-03-14": {"Margin review"}, "2025-03-20": {"Only a due day"},
			"2025-04-01": {"Launch"}, "2025-03-05": {"Finished work"},
		} {
			for _, title := range titles {
				if !strings.Contains(cell(t, page, day), title) {
					t.Errorf("%s does not show %q", day, title)
				}
			}
		}
		for day, title := range map[string]string{"2025-03-02": "Design mockups", "2025-03-11": "Design mockups", "2025-03-10": "Margin review",
			"2025-03-19": "Only a due day", "2025-03-21": "Only a due day", "2025-03-31": "Launch"} {
			if strings.Contains(cell(t, page, day), title) {
				t.Errorf("%s shows %q", day, title)
			}
		}
		// Links to the task, late and done marks, a milestone's mark, today.
		if !strings.Contains(cell(t, page, "2025-03-20"), fmt.Sprintf(`href="/%s/tasks/%d"`, w.acc.Slug, cw.onlyDue)) {
			t.Errorf("the task is not a link to its page")
		}
		if !strings.Contains(cell(t, page, "2025-03-10"), `late`) || strings.Contains(cell(t, page, "2025-03-20"), `calitem late`) {
			t.Errorf("late marks: only a task past its due day (10 March, today 12 March) is late")
		}
		if !strings.Contains(cell(t, page, "2025-03-05"), "<s>Finished work</s>") {
			t.Errorf("a done task is not struck through")
		}
		if !strings.Contains(cell(t, page, "2025-04-01"), "milestone") {
			t.Errorf("the milestone is not marked as one")
		}
		if m := regexp.MustCompile(`<td[^>]*aria-current="date"`).FindAllString(page, -1); len(m) != 1 || !strings.Contains(m[0], "2025-03-12") {
			t.Errorf("today: %v", m)
		}
		// Six tasks on one day: four shown, two folded.
		crowded := cell(t, page, "2025-03-26")
		if !strings.Contains(crowded, "<details") || !strings.Contains(crowded, "+2 more") || strings.Count(crowded, "Crowded") != 6 {
			t.Errorf("the crowded day: %s", crowded)
		}
		// Navigation keeps the filters.
		for _, m := range []string{"month=2025-02", "month=2025-04"} {
			if !strings.Contains(page, m) {
				t.Errorf("no link to %s", m)
			}
		}
		page = w.as(w.manager).Get(cal + "?month=2025-03&assignee=" + fmt.Sprint(w.member.ID)).String()
		if !strings.Contains(page, "Design mockups") || strings.Contains(page, "Margin review") || strings.Contains(page, "Launch</") {
			t.Errorf("the assignee filter shows the wrong entries")
		}
		if !strings.Contains(page, "assignee="+fmt.Sprint(w.member.ID)+"&amp;month=2025-04") {
			t.Errorf("the next month's link drops the filter")
		}
		page = w.as(w.manager).Get(fmt.Sprintf("%s?month=2025-03&list_id=%d", cal, cw.internal)).String()
		if strings.Contains(page, "Design mockups") || !strings.Contains(page, "Margin review") {
			t.Errorf("the list filter shows the wrong entries")
		}
		// Without a month: the month of today. The tab is there.
		page = w.as(w.manager).Get(cal).String()
		if !strings.Contains(page, "March 2025") || !strings.Contains(page, `href="`+cal+`" aria-current="page">Calendar<`) {
			t.Errorf("the default month or the tab is wrong")
		}
		// In French and in Russian.
		fr := getIn(w.as(w.manager), cal+"?month=2025-03", "fr")
		if !strings.Contains(fr, "mars 2025") || !strings.Contains(fr, ">lun.<") || !strings.Contains(fr, "Calendrier") || !strings.Contains(fr, "+2 autres") {
			t.Errorf("the French calendar is not French")
		}
		ru := getIn(w.as(w.manager), cal+"?month=2025-03", "ru")
		if !strings.Contains(ru, "Март 2025") || !strings.Contains(ru, ">Пн<") || !strings.Contains(ru, "ещё 2") {
			t.Errorf("the Russian calendar is not Russian")
		}
	})
}

func TestCalendarVisibility(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		cw := newCalendarWorld(t, w)
		cal := cw.page("/projects/%d/calendar?month=2025-03", cw.pid)
		page := want(t, "client X", w.as(w.clientX).Get(cal), http.StatusOK).String()
		if !strings.Contains(page, "Design mockups") || !strings.Contains(page, "Only a due day") {
			t.Errorf("client X does not see the shared tasks")
		}
		for _, s := range []string{"Margin review", "Crowded", "Internal budget"} {
			if strings.Contains(page, s) {
				t.Errorf("client X sees %q", s)
			}
		}
		check(t, "client Y", w.as(w.clientY).Get(cal), http.StatusNotFound)
		other := w.e.NewAccount()
		check(t, "stranger", w.e.As(other.Owner).Get(strings.Replace(cal, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1)), http.StatusNotFound)
		// My calendar: the member's own tasks, across projects.
		mine := cw.page("/my-calendar?month=2025-03")
		page = want(t, "my calendar", w.as(w.member).Get(mine), http.StatusOK).String()
		if !strings.Contains(cell(t, page, "2025-03-05"), "Design mockups") || strings.Contains(page, "Margin review") || !strings.Contains(page, "WEB") {
			t.Errorf("the member's calendar shows the wrong tasks")
		}
		page = want(t, "client's calendar", w.as(w.clientX).Get(mine), http.StatusOK).String()
		if !strings.Contains(page, "Nothing scheduled in March 2025") {
			t.Errorf("client X, assigned nothing, does not get the empty state")
		}
	})
}

func TestCalendarEmptyAndBadInput(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		cw := newCalendarWorld(t, w)
		cal := cw.page("/projects/%d/calendar", cw.pid)
		page := want(t, "empty month", w.as(w.manager).Get(cal+"?month=2024-01"), http.StatusOK).String()
		if !strings.Contains(page, "Nothing scheduled in January 2024") || strings.Contains(page, `<ul class="calitems">`) {
			t.Errorf("no empty state for January 2024")
		}
		for _, q := range []string{"month=2025-13", "month=abc", "month=2025-1", "month=99999-01", "month=0000-01", "month=" + strings.Repeat("9", 5000),
			"assignee=abc", "list_id=-1", "status=nonsense"} {
			r := w.as(w.manager).Get(cal + "?" + q)
			check(t, q, r, http.StatusUnprocessableEntity, http.StatusBadRequest, http.StatusRequestHeaderFieldsTooLarge)
		}
		// The edges of what a month may be still draw, with links that stay valid.
		for _, m := range []string{"1000-01", "9998-12"} {
			check(t, m, w.as(w.manager).Get(cal+"?month="+m), http.StatusOK)
		}
	})
}
