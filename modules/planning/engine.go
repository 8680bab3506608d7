package planning

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/holidays"
	projects "groupcamp/modules/projects/contract"
)

// The engine computes, for every resource and every day of a period, the capacity, the time
// away and the time booked, in one pass over intervals grouped by resource:
// three queries load the resources, the allocations and the approved absences (plus the two
// of core/capacity's schedule), then each resource's days are filled by a sweep — an
// allocation adds its minutes (or percent) at its first day and takes them back after its
// last, so its length costs nothing — and summed per ISO week. No query per cell or per
// person: a 200-person, 26-week heatmap over 10,000 allocations is ~36,000 cells of
// arithmetic (bench_test.go).

// period is a run of days from a Monday to a Sunday.
type period struct {
	from   time.Time
	number int // from's dayNumber
	days   int
	dates  []string // each day "YYYY-MM-DD"
}

func newPeriod(from, to time.Time) period {
	from = monday(from)
	to = monday(to).AddDate(0, 0, 6)
	n := int(to.Sub(from).Hours()/24) + 1
	p := period{from: from, days: n, dates: make([]string, n), number: int(from.Unix() / 86400)}
	for i := range n {
		p.dates[i] = from.AddDate(0, 0, i).Format(capacity.DayLayout)
	}
	return p
}

func (p period) to() time.Time { return p.from.AddDate(0, 0, p.days-1) }

// day is the day at offset i of the period's first day (outside it too).
func (p period) day(i int) string {
	if i >= 0 && i < p.days {
		return p.dates[i]
	}
	return p.from.AddDate(0, 0, i).Format(capacity.DayLayout)
}
func (p period) first() string   { return p.dates[0] }
func (p period) last() string    { return p.dates[p.days-1] }
func (p period) weeks() int      { return p.days / 7 }
func (p period) week(i int) Week { return weekOf(p.from.AddDate(0, 0, 7*i)) }

// index is the day's index in the period, clipped to [-1, days] (outside on either side).
func (p period) index(day string) int {
	n, ok := dayNumber(day)
	if !ok {
		return -1
	}
	i := n - p.number
	if i < -1 {
		return -1
	}
	if i > p.days {
		return p.days
	}
	return i
}

// offset is the day's index in the period, unclipped (negative before it); a day that is
// not one is far outside.
func (p period) offset(day string) int {
	n, ok := dayNumber(day)
	if !ok {
		return -1 << 30
	}
	return n - p.number
}

// dayNumber is the number of days from 1970-01-01 to day ("YYYY-MM-DD"), without time.Parse:
// the engine reads two days per allocation, 20,000 for a heatmap.
func dayNumber(day string) (int, bool) {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return 0, false
	}
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, m, d := num(day[0:4]), num(day[5:7]), num(day[8:10])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	// Days from civil (H. Hinnant's algorithm).
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468, true
}

// monday is the Monday of t's ISO week.
func monday(t time.Time) time.Time {
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, 0, -capacity.Weekday(t))
}

// Week is an ISO week.
type Week struct {
	Label  string `json:"week" example:"2027-W01"`
	Monday string `json:"monday" format:"date" example:"2027-01-04"`
}

func weekOf(mon time.Time) Week {
	y, w := mon.ISOWeek()
	return Week{Label: fmt.Sprintf("%d-W%02d", y, w), Monday: mon.Format(capacity.DayLayout)}
}

// dayCells are one resource's days: capacity, absent (capacity taken by leave), booked (the
// allocations) and tasked (the estimates of the person's dated tasks, apart from bookings).
type dayCells struct {
	capacity []int
	absent   []int
	booked   []int
	tasked   []int
}

func newCells(n int) *dayCells {
	return &dayCells{capacity: make([]int, n), absent: make([]int, n), booked: make([]int, n), tasked: make([]int, n)}
}

// free is the day's capacity left.
func (c *dayCells) free(i int) int { return c.capacity[i] - c.absent[i] - c.booked[i] - c.tasked[i] }

// planData is what the engine loads for a period.
type planData struct {
	period    period
	resources []Resource
	allocs    []booking // by resource (in no order within one: the sweep adds them up)
	absences  []away    // approved, by person (in no order within one)
	// tasks are the dated task assignments of the people (projects' port), by person.
	tasks []projects.TaskAssignment
	// planned are the tasks each resource's allocations name (their plan: not counted again).
	planned  map[int64][]int64
	schedule *capacity.Schedule
	profiles map[int64]*capacity.Profile // of placeholders, equipment and rooms
	def      *capacity.Profile
	// country is the account's; offDays are the public holidays of each country in the
	// period (core/holidays), by day index.
	country string
	offDays map[string][]bool
}

// holidaysOf are the days of the period that are public holidays in the country.
func (d *planData) holidaysOf(country string) []bool {
	if country == "" {
		country = d.country
	}
	if off, ok := d.offDays[country]; ok {
		return off
	}
	var off []bool
	if hs := holidays.Between(country, d.period.from, d.period.to()); len(hs) > 0 {
		off = make([]bool, d.period.days)
		for _, h := range hs {
			if i := int(h.Date.Sub(d.period.from).Hours() / 24); i >= 0 && i < d.period.days {
				off[i] = true
			}
		}
	}
	d.offDays[country] = off
	return off
}

// holidaysFor are the public holidays of the resource: those of its own country, else of its
// person's profile, else the account's.
func (d *planData) holidaysFor(r *Resource) []bool {
	return d.holidaysOf(cmp.Or(r.Country, strings.ToUpper(r.PersonCountry)))
}

// load reads what the engine needs: resources of the filter, their allocations and absences.
func (s *Service) load(ctx context.Context, tn db.Tenant, p period, f Filter) (*planData, error) {
	// Resources named by id exist already (a write's check); others may be new colleagues.
	if f.IDs == nil {
		if err := s.store.syncPeople(ctx, tn, s.now()); err != nil {
			return nil, err
		}
	}
	rs, err := s.store.resources(ctx, tn, f)
	if err != nil {
		return nil, err
	}
	d := &planData{period: p, resources: rs, profiles: map[int64]*capacity.Profile{}, offDays: map[string][]bool{}}
	if d.country, err = s.store.country(ctx, tn); err != nil {
		return nil, err
	}
	var ids, users []int64
	if f.TeamID != 0 || f.RoleID != 0 || f.IDs != nil || f.Users != nil || f.Kind != "" {
		ids, users = []int64{}, []int64{}
	}
	var profileIDs []int64
	for _, r := range rs {
		if ids != nil {
			ids = append(ids, r.ID)
		}
		if r.UserID != nil {
			users = append(users, *r.UserID)
		} else if r.CapacityProfileID != nil {
			profileIDs = append(profileIDs, *r.CapacityProfileID)
		}
	}
	if d.allocs, err = s.store.bookings(ctx, tn, p.first(), p.last(), ids, f.Project); err != nil {
		return nil, err
	}
	// The tasks the allocations name (an allocation names a task of its own project: the
	// project filter keeps those of the tasks kept).
	d.planned = map[int64][]int64{}
	for _, b := range d.allocs {
		if b.TaskID != 0 {
			d.planned[b.ResourceID] = append(d.planned[b.ResourceID], b.TaskID)
		}
	}
	// Grouped by resource, the sweep's runs: a comparison of numbers, not of days as text.
	slices.SortFunc(d.allocs, func(a, b booking) int { return cmp.Compare(a.ResourceID, b.ResourceID) })
	// A filtered view (one resource when a move is checked, a team, a role) reads its people's
	// tasks only: the account's were most of a move's time with 20,000 tasks (49 moves/s).
	var taskUsers []int64
	if ids != nil {
		taskUsers = users
		if taskUsers == nil {
			taskUsers = []int64{}
		}
	}
	if d.tasks, err = s.Projects.Get().TaskAssignments(ctx, tn.AccountID, p.first(), p.last(), taskUsers, MaxWorkloadTasks); err != nil {
		return nil, err
	}
	// By person (the port's order already; the sweep's runs depend on it).
	slices.SortStableFunc(d.tasks, func(a, b projects.TaskAssignment) int { return cmp.Compare(a.UserID, b.UserID) })
	if f.Project != 0 {
		d.tasks = slices.DeleteFunc(d.tasks, func(t projects.TaskAssignment) bool { return t.ProjectID != f.Project })
	}
	if f.Client != 0 {
		if err := d.onlyClient(ctx, s.Projects.Get(), tn.AccountID, f.Client); err != nil {
			return nil, err
		}
	}
	if d.absences, err = s.store.aways(ctx, tn, p.first(), p.last(), users); err != nil {
		return nil, err
	}
	slices.SortFunc(d.absences, func(a, b away) int { return cmp.Compare(a.UserID, b.UserID) })
	everyone := users
	if everyone == nil {
		for _, r := range rs {
			if r.UserID != nil {
				everyone = append(everyone, *r.UserID)
			}
		}
	}
	if d.schedule, err = s.Capacity.ProfilesOn(ctx, tn.AccountID, everyone, p.last()); err != nil {
		return nil, err
	}
	d.def = d.schedule.On(0, p.first())
	if len(profileIDs) > 0 {
		if d.profiles, err = s.Capacity.ProfilesByID(ctx, tn.AccountID, profileIDs); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// MaxWorkloadTasks bounds the task assignments one workload reads.
const MaxWorkloadTasks = 50_000

// onlyClient keeps the allocations and tasks of the projects of the client company.
func (d *planData) onlyClient(ctx context.Context, pp projects.PlanningProjects, accountID, client int64) error {
	var ids []int64
	for _, b := range d.allocs {
		ids = append(ids, b.ProjectID)
	}
	for _, t := range d.tasks {
		ids = append(ids, t.ProjectID)
	}
	slices.Sort(ids)
	ps, err := pp.Projects(ctx, accountID, slices.Compact(ids))
	if err != nil {
		return err
	}
	other := func(id int64) bool { return ps[id].CompanyID != client }
	d.allocs = slices.DeleteFunc(d.allocs, func(b booking) bool { return other(b.ProjectID) })
	d.tasks = slices.DeleteFunc(d.tasks, func(t projects.TaskAssignment) bool { return other(t.ProjectID) })
	return nil
}

// sweep walks the resources in order, filling c with each one's days and calling fn; the
// allocations and absences, sorted by resource and person, are cut into runs once.
func (d *planData) sweep(fn func(r *Resource, c *dayCells)) {
	n := d.period.days
	c := newCells(n)
	mpd := make([]int, n+1) // minutes per day, as differences
	pct := make([]int, n+1) // percent of capacity, as differences
	allocs := spans(len(d.allocs), func(i int) int64 { return d.allocs[i].ResourceID })
	absences := spans(len(d.absences), func(i int) int64 { return d.absences[i].UserID })
	tasks := spans(len(d.tasks), func(i int) int64 { return d.tasks[i].UserID })
	for ri := range d.resources {
		r := &d.resources[ri]
		clear(c.absent)
		clear(c.tasked)
		clear(mpd)
		clear(pct)
		// Capacity.
		if r.UserID != nil {
			for i, day := range d.period.dates {
				c.capacity[i] = d.schedule.On(*r.UserID, day).Minutes(d.period.from.AddDate(0, 0, i))
			}
		} else {
			prof := d.def
			if r.CapacityProfileID != nil && d.profiles[*r.CapacityProfileID] != nil {
				prof = d.profiles[*r.CapacityProfileID]
			}
			for i := range n {
				c.capacity[i] = prof.DayMinutes[i%7] // the period starts on a Monday
			}
		}
		// Public holidays: time away for whoever works that day.
		if off := d.holidaysFor(r); off != nil {
			for i, h := range off {
				if h {
					c.absent[i] = c.capacity[i]
				}
			}
		}
		// Absences (persons only).
		if r.UserID != nil {
			sp := absences[*r.UserID]
			for bi := sp[0]; bi < sp[1]; bi++ {
				b := &d.absences[bi]
				lo, hi := max(b.First, 0), min(b.Last, n-1)
				for i := lo; i <= hi; i++ {
					if b.Half { // half a day: half its capacity (two halves: all of it)
						c.absent[i] = min(c.absent[i]+c.capacity[i]/2, c.capacity[i])
					} else {
						c.absent[i] = c.capacity[i]
					}
				}
			}
		}
		// Allocations: differences at the first day and after the last of each occurrence.
		sp := allocs[r.ID]
		for ai := sp[0]; ai < sp[1]; ai++ {
			a := &d.allocs[ai]
			// Unclipped: a repetition of an allocation begun before the period lands inside it.
			lo, hi := a.First, a.Last
			for k := 0; k <= a.RepeatWeeks; k++ {
				l, h := max(lo+7*k, 0), min(hi+7*k, n-1)
				if l > h {
					continue
				}
				mpd[l] += a.MinutesPerDay
				mpd[h+1] -= a.MinutesPerDay
				pct[l] += a.Percent
				pct[h+1] -= a.Percent
			}
		}
		m, p := 0, 0
		for i := range n {
			m += mpd[i]
			p += pct[i]
			open := c.capacity[i] - c.absent[i]
			if open <= 0 {
				c.booked[i] = 0 // no work on a day off or away
				continue
			}
			// Booked time shrinks with the day's open time: nothing on a day away, half on a
			// half day away (as the whole day's booking is dropped on a day off).
			c.booked[i] = (m + p*c.capacity[i]/100) * open / c.capacity[i]
		}
		if r.UserID != nil {
			sp := tasks[*r.UserID]
			for ti := sp[0]; ti < sp[1]; ti++ {
				if t := &d.tasks[ti]; !slices.Contains(d.planned[r.ID], t.TaskID) {
					d.spread(c, *r.UserID, t)
				}
			}
		}
		fn(r, c)
	}
}

// spread lays a task's estimate for the person evenly over the working days of its dates
// (days of the period: open ones, not away; days outside it: working days of their
// schedule), adding the period's share to c.tasked. An allocation naming the task is the
// plan of it already: the caller skips those.
func (d *planData) spread(c *dayCells, userID int64, t *projects.TaskAssignment) {
	if t.EstimateMinutes <= 0 {
		return
	}
	lo, hi := d.period.offset(t.StartsOn), d.period.offset(t.DueOn)
	if hi < lo || hi-lo > MaxRangeDays || hi < 0 || lo >= d.period.days {
		return
	}
	works := func(i int) bool {
		if i >= 0 && i < d.period.days {
			return c.capacity[i]-c.absent[i] > 0
		}
		day := d.period.from.AddDate(0, 0, i)
		return d.schedule.On(userID, day.Format(capacity.DayLayout)).Minutes(day) > 0
	}
	n := 0
	for i := lo; i <= hi; i++ {
		if works(i) {
			n++
		}
	}
	est, k := int(t.EstimateMinutes), 0
	for i := lo; i <= hi; i++ {
		if !works(i) {
			continue
		}
		// Shares by cumulative rounding: they add up to the estimate exactly.
		if i >= 0 && i < d.period.days {
			c.tasked[i] += est*(k+1)/n - est*k/n
		}
		k++
	}
}

// spans are the runs of equal keys of a sorted slice of n: key -> [first, end).
func spans(n int, key func(int) int64) map[int64][2]int {
	out := map[int64][2]int{}
	for i := 0; i < n; {
		k, j := key(i), i+1
		for j < n && key(j) == k {
			j++
		}
		out[k] = [2]int{i, j}
		i = j
	}
	return out
}
