package planning

import (
	"context"
	"sort"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

// WeekLoad is a resource's (or the team's) week: capacity, time away, time booked by
// allocations and, apart, the estimates of the person's dated tasks in the projects
// (task_minutes: an estimate laid evenly over the task's working days; a task an allocation
// names is not counted again).
type WeekLoad struct {
	Week             string `json:"week" example:"2027-W01"`
	CapacityMinutes  int    `json:"capacity_minutes"`
	AllocatedMinutes int    `json:"allocated_minutes"`
	TaskMinutes      int    `json:"task_minutes"`
	AbsentMinutes    int    `json:"absent_minutes"`
}

// add sums another week into w.
func (w *WeekLoad) add(o WeekLoad) {
	w.CapacityMinutes += o.CapacityMinutes
	w.AbsentMinutes += o.AbsentMinutes
	w.AllocatedMinutes += o.AllocatedMinutes
	w.TaskMinutes += o.TaskMinutes
}

// Busy is the time planned: allocations and tasks.
func (w WeekLoad) Busy() int { return w.AllocatedMinutes + w.TaskMinutes }

// Free is the week's capacity left (negative: over-booked).
func (w WeekLoad) Free() int { return w.CapacityMinutes - w.AbsentMinutes - w.Busy() }

// Level is how full the week is: "off" (no capacity), "free", "full" (80 to 100 %), "over".
func (w WeekLoad) Level() string {
	open := w.CapacityMinutes - w.AbsentMinutes
	switch {
	case open <= 0 && w.Busy() == 0:
		return "off"
	case w.Busy() > open:
		return "over"
	case w.Busy()*5 >= open*4:
		return "full"
	}
	return "free"
}

// ResourceLoad is a resource's weeks.
type ResourceLoad struct {
	ResourceID int64      `json:"resource_id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Role       string     `json:"role"`
	Weeks      []WeekLoad `json:"weeks"`
}

// TeamLoad is a team's weeks: the sums of its people's.
type TeamLoad struct {
	TeamID int64      `json:"team_id"`
	Name   string     `json:"name"`
	Weeks  []WeekLoad `json:"weeks"`
}

// Workload is the heatmap: every resource per ISO week, the totals and the conflicts.
type Workload struct {
	From      string         `json:"from" format:"date"`
	To        string         `json:"to" format:"date"`
	Weeks     []Week         `json:"weeks"`
	Resources []ResourceLoad `json:"resources"`
	// Totals are the weeks of all the resources shown (the team's, with team_id).
	Totals []WeekLoad `json:"totals"`
	// Teams are the totals of each team of the account over its people shown.
	TeamTotals []TeamLoad `json:"teams"`
	Conflicts  []Conflict `json:"conflicts"`
}

// Query is a period and a filter, as the workload, availability and timeline read them.
type Query struct {
	From, To string
	TeamID   int64
	RoleID   int64
	ClientID int64
	Minutes  int
	// Days, DayMinutes and Consecutive ask the availability search for people free at least
	// Days working days (in a row with Consecutive) with DayMinutes free on each.
	Days        int
	DayMinutes  int
	Consecutive bool
}

// filter is the query's filter of resources and bookings.
func (q Query) filter() Filter { return Filter{TeamID: q.TeamID, RoleID: q.RoleID, Client: q.ClientID} }

// period checks the query's days (default: from this week's Monday, weeks on).
func (s *Service) period(q Query, weeks int) (period, error) {
	var f problem.Fields
	q.From, q.To = s.defaultRange(q.From, q.To, weeks)
	from, to, _ := parseRange(&f, "from", "to", q.From, q.To)
	if err := f.Err(); err != nil {
		return period{}, err
	}
	return newPeriod(from, to), nil
}

// Workload is the heatmap of the period (whole ISO weeks) of the resources of the filter.
func (s *Service) Workload(ctx context.Context, a *actor.Actor, q Query) (*Workload, error) {
	p, err := s.period(q, 8)
	if err != nil {
		return nil, err
	}
	return s.workload(ctx, a, p, q.filter())
}

func (s *Service) workload(ctx context.Context, a *actor.Actor, p period, f Filter) (*Workload, error) {
	tn := s.tenant(a.AccountID())
	d, err := s.load(ctx, tn, p, f)
	if err != nil {
		return nil, err
	}
	roles, err := s.roleNames(ctx, a)
	if err != nil {
		return nil, err
	}
	nw := p.weeks()
	out := &Workload{From: p.first(), To: p.last(), Weeks: make([]Week, nw), Resources: make([]ResourceLoad, 0, len(d.resources)),
		Totals: make([]WeekLoad, nw), Conflicts: []Conflict{}}
	for i := range nw {
		out.Weeks[i] = p.week(i)
		out.Totals[i].Week = out.Weeks[i].Label
	}
	ms, err := s.store.memberships(ctx, tn)
	if err != nil {
		return nil, err
	}
	// teamsOf are the indexes in out.TeamTotals of each person's teams.
	teamsOf := map[int64][]int{}
	out.TeamTotals = []TeamLoad{}
	for _, m := range ms {
		if n := len(out.TeamTotals); n == 0 || out.TeamTotals[n-1].TeamID != m.TeamID {
			out.TeamTotals = append(out.TeamTotals, TeamLoad{TeamID: m.TeamID, Name: m.Name, Weeks: make([]WeekLoad, nw)})
			for i := range nw {
				out.TeamTotals[len(out.TeamTotals)-1].Weeks[i].Week = out.Weeks[i].Label
			}
		}
		teamsOf[m.UserID] = append(teamsOf[m.UserID], len(out.TeamTotals)-1)
	}
	d.sweep(func(r *Resource, c *dayCells) {
		present(r, roles)
		rl := ResourceLoad{ResourceID: r.ID, Name: r.Name, Kind: r.Kind, Role: r.Role, Weeks: make([]WeekLoad, nw)}
		for w := range nw {
			wl := &rl.Weeks[w]
			wl.Week = out.Weeks[w].Label
			for i := 7 * w; i < 7*w+7; i++ {
				wl.CapacityMinutes += c.capacity[i]
				wl.AbsentMinutes += c.absent[i]
				wl.AllocatedMinutes += c.booked[i]
				wl.TaskMinutes += c.tasked[i]
			}
			out.Totals[w].add(*wl)
			if r.UserID != nil {
				for _, ti := range teamsOf[*r.UserID] {
					out.TeamTotals[ti].Weeks[w].add(*wl)
				}
			}
			if wl.Free() < 0 {
				out.Conflicts = append(out.Conflicts, Conflict{ResourceID: r.ID, Name: r.Name, Week: wl.Week, Monday: out.Weeks[w].Monday,
					CapacityMinutes: wl.CapacityMinutes - wl.AbsentMinutes, AllocatedMinutes: wl.AllocatedMinutes, TaskMinutes: wl.TaskMinutes, OverMinutes: -wl.Free()})
			}
		}
		out.Resources = append(out.Resources, rl)
	})
	return out, nil
}

// FreeDay is a day with free time.
type FreeDay struct {
	Day     string `json:"day" format:"date"`
	Minutes int    `json:"minutes"`
}

// FreeSpan is a run of working days each with the minutes asked free: days off (not worked by
// the capacity profile, public holidays) inside it neither count nor break it; a working day
// without that much free time (booked, on leave) ends it.
type FreeSpan struct {
	From    string `json:"from" format:"date"`
	To      string `json:"to" format:"date"`
	Days    int    `json:"days"`
	Minutes int    `json:"free_minutes"`
}

// Available is a resource with free time in a period.
type Available struct {
	ResourceID  int64     `json:"resource_id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Role        string    `json:"role"`
	FreeMinutes int       `json:"free_minutes"`
	FreeDays    []FreeDay `json:"free_days"`
	// Days are the working days with day_minutes free (any free time when not asked).
	Days      int        `json:"days"`
	FreeSpans []FreeSpan `json:"free_spans"`
}

// Availability is the answer to "who is free": resources ranked by free time.
type Availability struct {
	From  string      `json:"from" format:"date"`
	To    string      `json:"to" format:"date"`
	Items []Available `json:"items"`
}

// Availability ranks the resources of the filter with at least q.Minutes free from q.From to
// q.To (exactly those days), most free first, with their free days and spans. With q.Days,
// only those with that many working days each with q.DayMinutes free (a whole free working
// day by default), in one span with q.Consecutive, ranked by those days (or their longest
// span), then by free time.
func (s *Service) Availability(ctx context.Context, a *actor.Actor, q Query) (*Availability, error) {
	var f problem.Fields
	from, to, ok := parseRange(&f, "from", "to", q.From, q.To)
	f.Check(q.Minutes >= 0 && q.Minutes <= MaxRangeDays*DayMinutes, "minutes", "must be from 0 to the minutes of the period")
	f.Check(q.DayMinutes >= 0 && q.DayMinutes <= DayMinutes, "day_minutes", "must be from 0 to 1440 (24 hours)")
	if n := int(to.Sub(from).Hours()/24) + 1; ok && (q.Days < 0 || q.Days > n) {
		f.Addf("days", "must be from 0 to {days}, the days from {from} to {to}", "days", n, "from", problem.Field("from"), "to", problem.Field("to"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p := newPeriod(from, to)
	lo, hi := p.index(q.From), p.index(q.To)
	d, err := s.load(ctx, s.tenant(a.AccountID()), p, q.filter())
	if err != nil {
		return nil, err
	}
	roles, err := s.roleNames(ctx, a)
	if err != nil {
		return nil, err
	}
	// rank is what orders the answer: the days asked for (or the longest span), then the time.
	rank := map[int64]int{}
	out := &Availability{From: q.From, To: q.To, Items: []Available{}}
	d.sweep(func(r *Resource, c *dayCells) {
		total := 0
		for i := lo; i <= hi; i++ {
			total += max(c.free(i), 0)
		}
		if total < q.Minutes || total == 0 {
			return
		}
		spans, days, longest := d.freeSpans(r, c, lo, hi, q)
		if q.Days > 0 && (q.Consecutive && longest < q.Days || !q.Consecutive && days < q.Days) {
			return
		}
		present(r, roles)
		av := Available{ResourceID: r.ID, Name: r.Name, Kind: r.Kind, Role: r.Role, FreeMinutes: total, FreeDays: []FreeDay{}, Days: days, FreeSpans: spans}
		for i := lo; i <= hi; i++ {
			if m := c.free(i); m > 0 {
				av.FreeDays = append(av.FreeDays, FreeDay{Day: p.dates[i], Minutes: m})
			}
		}
		if q.Consecutive {
			rank[r.ID] = longest
		} else if q.Days > 0 {
			rank[r.ID] = days
		}
		out.Items = append(out.Items, av)
	})
	sort.SliceStable(out.Items, func(i, j int) bool {
		a, b := out.Items[i], out.Items[j]
		if rank[a.ResourceID] != rank[b.ResourceID] {
			return rank[a.ResourceID] > rank[b.ResourceID]
		}
		return a.FreeMinutes > b.FreeMinutes
	})
	return out, nil
}

// freeSpans cuts the days lo..hi of a resource into spans of working days with the minutes
// asked free (q.DayMinutes; by default the whole open day when q.Days is asked, else any free
// time), answering them, the number of such days and the longest span's.
func (d *planData) freeSpans(r *Resource, c *dayCells, lo, hi int, q Query) (spans []FreeSpan, days, longest int) {
	spans = []FreeSpan{}
	holiday := d.holidaysFor(r)
	var cur *FreeSpan
	for i := lo; i <= hi; i++ {
		open := c.capacity[i] - c.absent[i]
		if c.capacity[i] == 0 || holiday != nil && holiday[i] {
			continue // a day off: neither counts nor breaks
		}
		free := c.free(i)
		need := q.DayMinutes
		if need == 0 {
			need = 1
			if q.Days > 0 {
				need = open
			}
		}
		if open <= 0 || free < need {
			cur = nil
			continue
		}
		days++
		if cur == nil {
			spans = append(spans, FreeSpan{From: d.period.dates[i]})
			cur = &spans[len(spans)-1]
		}
		cur.To = d.period.dates[i]
		cur.Days++
		cur.Minutes += free
		longest = max(longest, cur.Days)
	}
	return spans, days, longest
}
