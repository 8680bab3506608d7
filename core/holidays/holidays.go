// Package holidays answers which days are public holidays in a country, so planning,
// absences and capacity do not count them as working days.
//
// The dates come from github.com/rickar/cal/v2, a maintained library whose country packages
// encode the legal rules (Easter-based days, "n-th Monday", substitute days). Only national
// holidays are returned: regional lists (German Länder, Swiss cantons, Canadian provinces,
// Spanish communities, US states) are deliberately left out because an account or a person
// only records a country. Where the library has an observed-day rule (GB, US, CA substitute
// days), Date is the day actually taken off and Actual the calendar date of the holiday.
//
// Curated deviations from the library's "national" lists: Switzerland keeps only the days
// observed in nearly all cantons (the library's list includes cantonal days such as
// Josefstag), Canada drops Easter Monday (a federal-administration day, not a general
// holiday of the Labour Code), and Russia gains the New Year holidays of 2–6 and 8 January
// (the library has 1 and 7 only; the yearly decrees moving days off are not modelled).
package holidays

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/us"
)

// Holiday is one public holiday.
type Holiday struct {
	// Date is the civil day off (UTC midnight): the observed day when a substitute rule moved it.
	Date time.Time `json:"date"`
	// Actual is the holiday's own date; it differs from Date only for a substitute day.
	Actual time.Time `json:"actual"`
	// Name is the holiday's name in the country's language, as the library spells it.
	Name string `json:"name"`
}

// Observed reports whether Date is a substitute for a holiday falling on a weekend.
func (h Holiday) Observed() bool { return !h.Date.Equal(h.Actual) }

var countries = map[string][]*cal.Holiday{
	"BE": be.Holidays,
	"CA": without(ca.Holidays, ca.EasterMonday),
	"CH": {ch.Neujahr, ch.Karfreitag, ch.Ostermontag, ch.Auffahrt, ch.Pfingstmontag,
		ch.Bundesfeiertag, ch.Weihnachtstag, ch.ZweiterWeihnachtsfeiertag},
	"DE": de.Holidays,
	"ES": es.Holidays,
	"FR": fr.Holidays,
	"GB": gb.Holidays,
	"IT": it.Holidays,
	"RU": append(slices.Clone(ru.Holidays), newYearHolidays...),
	"US": us.Holidays,
}

// newYearHolidays are the days of Russia's New Year holidays besides 1 and 7 January (Labour
// Code, art. 112: 1–6 and 8 January are non-working holidays), which the library lacks. The
// yearly government decrees that move days off are not modelled.
var newYearHolidays = func() []*cal.Holiday {
	var out []*cal.Holiday
	for _, d := range []int{2, 3, 4, 5, 6, 8} {
		out = append(out, &cal.Holiday{Name: "Новогодние каникулы", Type: cal.ObservancePublic, Month: time.January, Day: d, Func: cal.CalcDayOfMonth})
	}
	return out
}()

func without(list []*cal.Holiday, drop *cal.Holiday) []*cal.Holiday {
	out := make([]*cal.Holiday, 0, len(list))
	for _, h := range list {
		if h != drop {
			out = append(out, h)
		}
	}
	return out
}

// Countries lists the supported ISO 3166 alpha-2 codes, sorted.
func Countries() []string {
	out := make([]string, 0, len(countries))
	for c := range countries {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Supported reports whether the country (ISO code, any case) has a holiday calendar.
func Supported(country string) bool {
	_, ok := countries[strings.ToUpper(country)]
	return ok
}

// A year of a country is computed once and kept: the rules never change at run time and
// planning pages ask for the same few years over and over.
type yearKey struct {
	country string
	year    int
}

var cache sync.Map // yearKey -> []Holiday

// MaxYears bounds the span one call may cover, so a user-supplied range cannot make the
// server compute (and cache) centuries.
const MaxYears = 20

func year(country string, y int) []Holiday {
	k := yearKey{country, y}
	if v, ok := cache.Load(k); ok {
		return v.([]Holiday)
	}
	var out []Holiday
	for _, h := range countries[country] {
		actual, observed := h.Calc(y)
		if actual.IsZero() {
			continue
		}
		out = append(out, Holiday{Date: civil(observed), Actual: civil(actual), Name: h.Name})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	// One day off per date: a substitute may land on another holiday (RU: 1 January on a
	// Saturday is taken on the 3rd, already a New Year holiday).
	out = slices.CompactFunc(out, func(a, b Holiday) bool { return a.Date.Equal(b.Date) })
	cache.Store(k, out)
	return out
}

// civil drops the library's system-location clock time: a holiday is a calendar day.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Between returns the country's holidays whose day off falls in [from, to] (calendar days,
// both inclusive), sorted by date. An unknown country, an empty or reversed range, or a
// range longer than MaxYears gives nothing.
func Between(country string, from, to time.Time) []Holiday {
	country = strings.ToUpper(country)
	if _, ok := countries[country]; !ok {
		return nil
	}
	from, to = civil(from), civil(to)
	if to.Before(from) || to.Year()-from.Year() > MaxYears {
		return nil
	}
	var out []Holiday
	// A substitute day can cross the new year (US: 1 Jan 2022, a Saturday, was taken on
	// Friday 31 Dec 2021), so the years on each side are looked at too.
	for y := from.Year() - 1; y <= to.Year()+1; y++ {
		for _, h := range year(country, y) {
			if !h.Date.Before(from) && !h.Date.After(to) {
				out = append(out, h)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// Is reports whether day is a public holiday (day off) in the country, and its name.
func Is(country string, day time.Time) (string, bool) {
	hs := Between(country, day, day)
	if len(hs) == 0 {
		return "", false
	}
	return hs[0].Name, true
}
