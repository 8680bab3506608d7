package intranet

// The calendar page's grid: the weeks of a month (or one week), each day with the entries
// that meet it, in the viewer's time zone. Weeks start on Monday (ISO 8601), as the rest of
// the product's calendars.

import (
	"sort"
	"strconv"
	"time"

	"groupcamp/core/hooks"
)

// calItem is one entry of a day: an event of a space, or an entry of another module's
// calendar source (Other: an approved absence, a task due), shown apart.
type calItem struct {
	Title  string
	URL    string
	Starts time.Time // in the viewer's zone; zero for all-day
	AllDay bool
	Other  bool
}

// calDay is one cell of the grid.
type calDay struct {
	Date    time.Time
	InRange bool // in the month shown (a week view: always)
	Today   bool
	Items   []calItem
}

// calendarRange is the first and last day of the grid: whole weeks around the month, or the
// week of start.
func calendarRange(start time.Time, week bool) (time.Time, time.Time) {
	if week {
		first := mondayOf(start)
		return first, first.AddDate(0, 0, 6)
	}
	first := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1)
	return mondayOf(first), mondayOf(last).AddDate(0, 0, 6)
}

// mondayOf is the Monday of t's week.
func mondayOf(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	return day(t).AddDate(0, 0, -back)
}

// buildGrid lays events and the other modules' entries out over the days first..last.
func buildGrid(first, last time.Time, month time.Month, week bool, today time.Time, loc *time.Location, events []Event, others []hooks.CalendarEvent, slug string) [][]calDay {
	var days []calDay
	index := map[time.Time]int{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		index[d] = len(days)
		days = append(days, calDay{Date: d, InRange: week || d.Month() == month, Today: d.Equal(today)})
	}
	put := func(it calItem, st, en time.Time) {
		if st.Before(first) {
			st = first
		}
		for d := st; !d.After(en) && !d.After(last); d = d.AddDate(0, 0, 1) {
			if i, ok := index[d]; ok {
				days[i].Items = append(days[i].Items, it)
			}
		}
	}
	// span is the civil days (in loc) an entry covers.
	span := func(st, en time.Time, allDay bool) (time.Time, time.Time) {
		if allDay {
			return day(st), day(en)
		}
		s, e := st.In(loc), en.In(loc)
		if e.After(s) && e.Hour() == 0 && e.Minute() == 0 {
			e = e.Add(-time.Minute) // an event ending at midnight does not reach the next day
		}
		return time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC), time.Date(e.Year(), e.Month(), e.Day(), 0, 0, 0, 0, time.UTC)
	}
	for _, e := range events {
		it := calItem{Title: e.Title, URL: "/" + slug + "/intranet/events/" + strconv.FormatInt(e.ID, 10), AllDay: e.AllDay}
		if e.Occurrence != "" {
			it.URL += "?occurrence=" + e.Occurrence
		}
		if !e.AllDay {
			it.Starts = e.StartsAt.In(loc)
		}
		st, en := span(e.StartsAt, e.EndsAt, e.AllDay)
		put(it, st, en)
	}
	for _, o := range others {
		it := calItem{Title: o.Summary, URL: o.URL, AllDay: o.AllDay, Other: true}
		if !o.AllDay {
			it.Starts = o.Starts.In(loc)
		}
		en := o.Ends
		if en.IsZero() {
			en = o.Starts
		}
		st, en := span(o.Starts, en, o.AllDay)
		put(it, st, en)
	}
	for i := range days {
		items := days[i].Items
		sort.SliceStable(items, func(a, b int) bool {
			if items[a].AllDay != items[b].AllDay {
				return items[a].AllDay
			}
			return items[a].Starts.Before(items[b].Starts)
		})
	}
	var weeks [][]calDay
	for i := 0; i < len(days); i += 7 {
		weeks = append(weeks, days[i:min(i+7, len(days))])
	}
	return weeks
}
