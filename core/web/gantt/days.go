package gantt

import "time"

// Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar. The chart works on
// them rather than on time.Time so that tick iteration is integer arithmetic (fast, no
// allocation) and so that a fuzzed year 292277026596 cannot overflow time's internals: the
// conversions below (H. Hinnant's civil algorithms) are exact over the whole int64 range that
// time.Time.Date can produce.

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// daysFromCivil returns the day number of y-m-d; m is 1..12, d 1..31 (a day past the end of
// the month rolls into the next one, which clamping to MaxYears from 29 February relies on).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil is the inverse of daysFromCivil.
func civil(z int64) (y int64, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// dayOf is the calendar day of t in its own location.
func dayOf(t time.Time) int64 {
	y, m, d := t.Date()
	return daysFromCivil(int64(y), int(m), d)
}

// weekday is 0 for Monday .. 6 for Sunday (1970-01-01 was a Thursday).
func weekday(z int64) int { return int(floorMod(z+3, 7)) }

// isoWeek is the ISO 8601 week number of day z: the week belongs to the year of its Thursday.
func isoWeek(z int64) int {
	th := z - int64(weekday(z)) + 3
	y, _, _ := civil(th)
	return int((th-daysFromCivil(y, 1, 1))/7) + 1
}

// monthStart is the first day of the month after (y, m) when next is true, else of (y, m).
func monthStart(y int64, m int, next bool) int64 {
	if next {
		m++
		if m > 12 {
			m, y = 1, y+1
		}
	}
	return daysFromCivil(y, m, 1)
}

// appendISO appends z as YYYY-MM-DD (years outside 0..9999 keep their sign and digits).
func appendISO(b []byte, z int64) []byte {
	y, m, d := civil(z)
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	b = appendPad(b, y, 4)
	b = append(b, '-')
	b = appendPad(b, int64(m), 2)
	b = append(b, '-')
	return appendPad(b, int64(d), 2)
}

func appendPad(b []byte, v int64, width int) []byte {
	var tmp [24]byte
	i := len(tmp)
	for v >= 10 {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	tmp[i] = byte('0' + v)
	for n := len(tmp) - i; n < width; n++ {
		b = append(b, '0')
	}
	return append(b, tmp[i:]...)
}
