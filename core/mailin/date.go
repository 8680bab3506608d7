package mailin

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A forward gives the original's date as the forwarding client wrote it, in its user's
// language: Thunderbird keeps the RFC 5322 header ("Thu, 3 Dec 2026 10:00:00 +0100"), Gmail
// writes "Fri, Dec 4, 2026 at 9:12 AM" / "ven. 4 déc. 2026 à 09:12" / "Fr., 4. Dez. 2026 um
// 09:12 Uhr" / "пт, 4 дек. 2026 г. в 09:12", Outlook "Friday, December 4, 2026 9:12 AM" /
// "vendredi 4 décembre 2026 09:12" / "Freitag, 4. Dezember 2026 09:12" / "4 декабря 2026 г.
// 9:12" (or "04.12.2026 09:12"), Apple Mail "December 4, 2026 at 9:12:00 AM GMT+1" / "4
// décembre 2026 à 09:12:00 UTC+1". ParseDate reads them all.

// ParseDate reads a forward's date: an RFC 5322 date, or a mail client's date in English,
// French, German or Russian — a day, a month by name (or "DD.MM.YYYY", "YYYY-MM-DD"), a
// four-digit year and a time, with a weekday, "at"/"à"/"um"/"в", "Uhr", "г.", AM/PM and a
// zone ("+0100", "GMT+1", "UTC", "CET"...) around them. A date without a zone is the wall time
// of loc (the forwarder's time zone; nil: UTC). ok is false for anything else — a word it does
// not know, a day and month it cannot tell apart ("12/7/2026") — and the caller keeps the text.
func ParseDate(s string, loc *time.Location) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t, true
	}
	var (
		year, month, day, ambiguous int
		hour, min, sec              = -1, 0, 0
		meridiem                    string
		zone                        *int
	)
	setDay := func(n int) bool {
		if day != 0 || n < 1 || n > 31 {
			return false
		}
		day = n
		return true
	}
	for _, m := range dateToken.FindAllStringSubmatch(strings.ToLower(s), -1) {
		switch {
		case m[1] != "": // 2026-12-04
			year, month, day = atoi(m[1]), atoi(m[2]), atoi(m[3])
		case m[4] != "": // 04.12.2026
			if !setDay(atoi(m[4])) {
				return time.Time{}, false
			}
			month, year = atoi(m[5]), atoi(m[6])
		case m[7] != "": // 09:12[:00]
			if hour >= 0 {
				return time.Time{}, false
			}
			hour, min = atoi(m[7]), atoi(m[8])
			if m[9] != "" {
				sec = atoi(m[9])
			}
		case m[10] != "": // +0100, GMT+1, UTC+01:00
			off := atoi(m[11])*3600 + atoi(m[12])*60
			if m[10] == "-" {
				off = -off
			}
			zone = &off
		case m[13] != "": // a number: the year or the day
			n := atoi(m[13])
			if len(m[13]) == 4 {
				if year != 0 {
					return time.Time{}, false
				}
				year = n
			} else if !setDay(n) {
				return time.Time{}, false
			}
		default: // a word
			w := strings.TrimSuffix(m[0], ".")
			mon, isMonth := monthNames[w]
			_, isDay := weekdayNames[w]
			off, isZone := zoneNames[w]
			switch {
			case isMonth && isDay: // "mar." is Tuesday in French and March in English
				ambiguous = mon
			case isMonth:
				if month != 0 {
					return time.Time{}, false
				}
				month = mon
			case isDay || dateFiller[w]:
			case w == "am" || w == "pm":
				meridiem = w
			case isZone:
				zone = &off
			default:
				return time.Time{}, false
			}
		}
	}
	if month == 0 {
		month = ambiguous
	}
	if year < 1970 || year > 2200 || month < 1 || month > 12 || day == 0 || hour < 0 {
		return time.Time{}, false
	}
	switch {
	case meridiem != "" && (hour < 1 || hour > 12):
		return time.Time{}, false
	case meridiem == "pm" && hour < 12:
		hour += 12
	case meridiem == "am" && hour == 12:
		hour = 0
	}
	if hour > 23 || min > 59 || sec > 60 {
		return time.Time{}, false
	}
	if zone != nil {
		loc = time.FixedZone("", *zone)
	} else if loc == nil {
		loc = time.UTC
	}
	t = time.Date(year, time.Month(month), day, hour, min, sec, 0, loc)
	if t.Day() != day { // 31 November
		return time.Time{}, false
	}
	return t, true
}

// dateToken is one piece of a date: an ISO day, a dotted day, a time, a zone offset, a
// number or a word (what lies between — commas, dots, spaces — is skipped).
var dateToken = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})|(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{1,2}):(\d{2})(?::(\d{2}))?|(?:gmt|utc)?([+-])(\d{1,2})(?::?(\d{2}))?|(\d+)|\pL+\.?`)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

var monthNames = func() map[string]int {
	m := map[string]int{}
	for i, names := range [12]string{
		"january jan janvier janv januar jän jänner январь января янв",
		"february feb février fevrier févr fevr februar февраль февраля фев февр",
		"march mar mars märz mär mrz март марта",
		"april apr avril avr апрель апреля апр",
		"may mai май мая",
		"june jun juin juni июнь июня июн",
		"july jul juillet juil juli июль июля июл",
		"august aug août aout авг август августа",
		"september sep sept septembre сентябрь сентября сен сент",
		"october oct octobre oktober okt октябрь октября окт",
		"november nov novembre ноябрь ноября ноя нояб",
		"december dec décembre decembre déc dezember dez декабрь декабря дек",
	} {
		for _, n := range strings.Fields(names) {
			m[n] = i + 1
		}
	}
	return m
}()

var weekdayNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun " +
		"lundi mardi mercredi jeudi vendredi samedi dimanche lun mar mer jeu ven sam dim " +
		"montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so " +
		"понедельник вторник среда четверг пятница суббота воскресенье пн вт ср чт пт сб вс") {
		m[n] = true
	}
	return m
}()

// dateFiller is the words clients put between a date's parts ("at", "à", "um", "в", "Uhr",
// "г." for "года").
var dateFiller = map[string]bool{"at": true, "à": true, "a": true, "le": true, "um": true, "uhr": true, "den": true, "в": true, "г": true, "года": true}

// zoneNames are the zone abbreviations clients write, as offsets in seconds.
var zoneNames = map[string]int{
	"gmt": 0, "utc": 0, "ut": 0, "z": 0, "wet": 0, "bst": 3600, "cet": 3600, "mez": 3600, "cest": 7200, "mesz": 7200,
	"eet": 7200, "eest": 3 * 3600, "msk": 3 * 3600, "мск": 3 * 3600,
	"est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600, "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
}
