package planning

import (
	"context"
	"slices"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
)

// Timeline is what the timeline page draws: the resources of a period with their allocations,
// their approved leave and the task assignments of the people (read-only bars).
type Timeline struct {
	period    period
	Resources []Resource
	Allocs    map[int64][]Allocation // by resource
	Absences  map[int64][]away       // by person
	Tasks     map[int64][]projects.TaskAssignment
	Projects  map[int64]projects.PlanningProject
}

// MaxTasks bounds the task assignments a timeline shows.
const MaxTasks = 2000

// Timeline loads a period of the planning (filtered by team, role and project).
func (s *Service) Timeline(ctx context.Context, a *actor.Actor, from time.Time, days int, f Filter) (*Timeline, error) {
	p := newPeriod(from, from.AddDate(0, 0, days-1))
	tn := s.tenant(a.AccountID())
	d, err := s.load(ctx, tn, p, f)
	if err != nil {
		return nil, err
	}
	roles, err := s.roleNames(ctx, a)
	if err != nil {
		return nil, err
	}
	t := &Timeline{period: p, Resources: d.resources, Allocs: map[int64][]Allocation{}, Absences: map[int64][]away{}, Tasks: map[int64][]projects.TaskAssignment{}}
	var ids []int64
	for i := range t.Resources {
		present(&t.Resources[i], roles)
	}
	var rids []int64
	if f.TeamID != 0 || f.RoleID != 0 {
		rids = []int64{}
		for _, r := range d.resources {
			rids = append(rids, r.ID)
		}
	}
	allocs, err := s.store.allocations(ctx, tn, p.first(), p.last(), rids, f.Project)
	if err != nil {
		return nil, err
	}
	for _, al := range allocs {
		t.Allocs[al.ResourceID] = append(t.Allocs[al.ResourceID], al)
		if !slices.Contains(ids, al.ProjectID) {
			ids = append(ids, al.ProjectID)
		}
	}
	for _, ab := range d.absences {
		t.Absences[ab.UserID] = append(t.Absences[ab.UserID], ab)
	}
	// The tasks the engine read (of the project and client asked for).
	for _, ta := range d.tasks[:min(len(d.tasks), MaxTasks)] {
		t.Tasks[ta.UserID] = append(t.Tasks[ta.UserID], ta)
		if !slices.Contains(ids, ta.ProjectID) {
			ids = append(ids, ta.ProjectID)
		}
	}
	if t.Projects, err = s.Projects.Get().Projects(ctx, tn.AccountID, ids); err != nil {
		return nil, err
	}
	if f.Client != 0 {
		for r, als := range t.Allocs {
			t.Allocs[r] = slices.DeleteFunc(als, func(al Allocation) bool { return t.Projects[al.ProjectID].CompanyID != f.Client })
		}
	}
	return t, nil
}

// PlanRow is a person's (or resource's) plan and actual time on a project per week.
type PlanRow struct {
	Name    string     `json:"name"`
	Weeks   []PlanWeek `json:"weeks"`
	Planned int        `json:"planned_minutes"`
	Actual  int        `json:"actual_minutes"`

	// What prices the row (service_costs.go): the resource, its person and job role.
	resourceID     int64
	userID, roleID *int64
	kind           string
	// The minutes planned and logged on each day of the weeks (7 per week), priced each at
	// the rate of its day.
	plannedDays, actualDays []int
}

// PlanWeek is a week of a plan-vs-actual row.
type PlanWeek struct {
	Week    string `json:"week"`
	Planned int    `json:"planned_minutes"`
	Actual  int    `json:"actual_minutes"`
}

// Diff is the actual time minus the planned.
func (w PlanWeek) Diff() int { return w.Actual - w.Planned }

// Diff is the actual time minus the planned.
func (r PlanRow) Diff() int { return r.Actual - r.Planned }

// PlanActual compares, for a project and a period, the time booked with the time logged
// (the timesheet's, through its Actuals port) per person and week.
func (s *Service) PlanActual(ctx context.Context, a *actor.Actor, projectID int64, from, to string) ([]Week, []PlanRow, error) {
	var f problem.Fields
	start, end, _ := parseRange(&f, "from", "to", from, to)
	seen, err := s.Seen.Get().Seen(ctx, a, []int64{projectID})
	if err != nil {
		return nil, nil, err
	}
	f.Check(seen[projectID] != "", "project_id", "is not a project of this account you see")
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	p := newPeriod(start, end)
	tn := s.tenant(a.AccountID())
	d, err := s.load(ctx, tn, p, Filter{Project: projectID})
	if err != nil {
		return nil, nil, err
	}
	roles, err := s.roleNames(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	weeks := make([]Week, p.weeks())
	for i := range weeks {
		weeks[i] = p.week(i)
	}
	rows := []PlanRow{}
	byUser := map[int64]int{}
	d.sweep(func(r *Resource, c *dayCells) {
		present(r, roles)
		row := PlanRow{Name: r.Name, Weeks: make([]PlanWeek, len(weeks)), resourceID: r.ID, userID: r.UserID, roleID: r.RoleID, kind: r.Kind,
			plannedDays: make([]int, 7*len(weeks)), actualDays: make([]int, 7*len(weeks))}
		for w := range weeks {
			row.Weeks[w].Week = weeks[w].Label
			for i := 7 * w; i < 7*w+7; i++ {
				row.plannedDays[i] = c.booked[i] + c.tasked[i]
				row.Weeks[w].Planned += row.plannedDays[i]
			}
			row.Planned += row.Weeks[w].Planned
		}
		if r.UserID != nil {
			byUser[*r.UserID] = len(rows)
		}
		rows = append(rows, row)
	})
	if s.Actuals.Has() {
		acts, err := s.Actuals.Get().Project(ctx, tn.AccountID, projectID, p.first(), p.last())
		if err != nil {
			return nil, nil, err
		}
		for _, ac := range acts {
			i, ok := byUser[ac.UserID]
			if !ok {
				continue // someone who left the account
			}
			day, err := time.Parse(capacity.DayLayout, ac.Day)
			if err != nil {
				continue
			}
			d := int(day.Sub(p.from).Hours() / 24)
			w := d / 7
			if d < 0 || w >= len(weeks) {
				continue
			}
			rows[i].actualDays[d] += ac.Minutes
			rows[i].Weeks[w].Actual += ac.Minutes
			rows[i].Actual += ac.Minutes
		}
	}
	// Only who was planned or logged time.
	rows = slices.DeleteFunc(rows, func(r PlanRow) bool { return r.Planned == 0 && r.Actual == 0 })
	return weeks, rows, nil
}
