package timesheet

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
)

// Report groupings (group_by, then_by).
const (
	ByUser     = "user"
	ByProject  = "project"
	ByClient   = "client"
	ByCategory = "category"
	ByTask     = "task"
	ByWeek     = "week"
	ByMonth    = "month"
)

// Groupings are the report's groupings, in the order the pages offer them.
var Groupings = []string{ByProject, ByUser, ByClient, ByCategory, ByTask, ByWeek, ByMonth}

// MaxReportDays bounds a report's period (two years and a day).
const MaxReportDays = 732

// rawColumns are the columns of time_entries a grouping sums by.
var rawColumns = map[string][]string{
	ByUser: {"user_id"}, ByProject: {"project_id"}, ByClient: {"project_id"}, ByCategory: {"category_id"},
	ByTask: {"project_id", "task_id"}, ByWeek: {"day"}, ByMonth: {"day"},
}

// ReportFilter is what a time report sums: a period, a grouping (and a second one), filters.
type ReportFilter struct {
	GroupBy, ThenBy string
	From, To        string // days, inclusive
	UserID          int64
	ProjectID       int64
	CompanyID       int64 // the projects of this client company
	CategoryID      int64
	TeamID          int64
	Billable        *bool
}

// ReportRow is a group of a time report: its key (an id, 0 for none: time on no project, no
// task, no category, no client, or a person since erased; a week 2026-W49; a month 2026-12),
// its label, its sums in minutes, and its rows by the second grouping.
type ReportRow struct {
	Key                string      `json:"key" example:"3"`
	Label              string      `json:"label" example:"Website"`
	Minutes            int64       `json:"minutes" example:"2730"`
	BillableMinutes    int64       `json:"billable_minutes" example:"2400"`
	NonBillableMinutes int64       `json:"non_billable_minutes" example:"330"`
	Entries            int64       `json:"entries" example:"31"`
	Rows               []ReportRow `json:"rows,omitempty"`
}

// ReportTotals are the sums of a whole report.
type ReportTotals struct {
	Minutes            int64 `json:"minutes" example:"9600"`
	BillableMinutes    int64 `json:"billable_minutes" example:"7200"`
	NonBillableMinutes int64 `json:"non_billable_minutes" example:"2400"`
	Entries            int64 `json:"entries" example:"120"`
}

// TimeReport is the time the reader sees in a period, grouped.
type TimeReport struct {
	GroupBy string       `json:"group_by" enum:"user,project,client,category,task,week,month" example:"project"`
	ThenBy  string       `json:"then_by,omitempty" enum:"user,project,client,category,task,week,month" example:"user"`
	From    string       `json:"from" format:"date" example:"2026-11-01"`
	To      string       `json:"to" format:"date" example:"2026-11-30"`
	Rows    []ReportRow  `json:"rows"`
	Totals  ReportTotals `json:"totals"`
	// Own: the reader sees only their own time ("My time").
	Own bool `json:"own"`
}

// checkReport checks a report's filter: groupings known, period given (default: this month),
// in order and no longer than MaxReportDays.
func checkReport(f *ReportFilter, now time.Time, maxDays int) error {
	var fs problem.Fields
	if f.GroupBy == "" {
		f.GroupBy = ByProject
	}
	fs.Check(slices.Contains(Groupings, f.GroupBy), "group_by", "must be one of user, project, client, category, task, week, month")
	fs.Check(f.ThenBy == "" || slices.Contains(Groupings, f.ThenBy), "then_by", "must be one of user, project, client, category, task, week, month")
	fs.Check(f.ThenBy == "" || f.ThenBy != f.GroupBy, "then_by", "must be another grouping than group_by")
	if f.From == "" && f.To == "" {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
		f.From, f.To = first.Format(DayLayout), first.AddDate(0, 1, -1).Format(DayLayout)
	}
	from, okFrom := ParseDay(f.From)
	to, okTo := ParseDay(f.To)
	fs.Check(okFrom, "from", "must be a day written YYYY-MM-DD")
	fs.Check(okTo, "to", "must be a day written YYYY-MM-DD")
	if okFrom && okTo {
		fs.Check(!to.Before(from), "to", "must not be before from")
		fs.Check(maxDays == 0 || to.Sub(from) < time.Duration(maxDays)*24*time.Hour, "to", "the period must be at most "+strconv.Itoa(maxDays)+" days")
	}
	return fs.Err()
}

// readerReach is the time the actor may read: nil for an administrator (all of it); for a
// manager their own and that of the people in a team with them, and the time on the projects
// they lead; for anyone else their own. Clients (and any role without time) reach nothing: 404.
func (s *Service) readerReach(ctx context.Context, tn db.Tenant, a *actor.Actor) (*reportReach, error) {
	switch {
	case admin(a):
		return nil, nil
	case a.Role == actor.RoleManager:
		users, err := s.store.teammates(ctx, tn, a.UserID)
		if err != nil {
			return nil, err
		}
		led, err := s.ledProjects(ctx, a)
		if err != nil {
			return nil, err
		}
		return &reportReach{Users: users, Projects: led}, nil
	case a.Role == actor.RoleMember:
		return &reportReach{Users: []int64{a.UserID}}, nil
	}
	return nil, problem.NotFound() // a client's report of a shared project comes with the extranet
}

// reportQueryOf turns a filter into the query the reader may run: the reach, and each filter
// checked — a person outside the reader's reach or a team they are not in is a 404; a
// project, category or company the reader sees no time of gives no rows.
func (s *Service) reportQueryOf(ctx context.Context, tn db.Tenant, a *actor.Actor, f ReportFilter) (reportQuery, error) {
	q := reportQuery{From: f.From, To: f.To, UserID: f.UserID, ProjectID: f.ProjectID, CategoryID: f.CategoryID, Billable: f.Billable}
	reach, err := s.readerReach(ctx, tn, a)
	if err != nil {
		return q, err
	}
	q.Reach = reach
	if f.UserID != 0 && reach != nil {
		sh, err := s.reach(ctx, tn, a, f.UserID)
		if err != nil {
			return q, err
		}
		if sh.full {
			q.Reach = &reportReach{Users: []int64{f.UserID}}
		} else {
			q.Reach = &reportReach{Projects: sh.led}
		}
	}
	if f.TeamID != 0 {
		var with int64
		if reach != nil {
			with = a.UserID
		}
		people, found, err := s.store.teamPeople(ctx, tn, f.TeamID, with)
		if err != nil {
			return q, err
		}
		if !found {
			return q, problem.NotFound()
		}
		q.Users = people
	}
	if f.CompanyID != 0 {
		if q.Projects, err = s.Reports.Get().CompanyProjects(ctx, tn.AccountID, f.CompanyID); err != nil {
			return q, err
		}
	}
	return q, nil
}

// Report sums the time the actor reads in a period by one grouping, then optionally another.
func (s *Service) Report(ctx context.Context, a *actor.Actor, f ReportFilter) (*TimeReport, error) {
	if err := checkReport(&f, s.now(), MaxReportDays); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	q, err := s.reportQueryOf(ctx, tn, a, f)
	if err != nil {
		return nil, err
	}
	q.Group = groupColumns(f.GroupBy, f.ThenBy)
	sums, err := s.store.reportSums(ctx, tn, q)
	if err != nil {
		return nil, err
	}
	lb, err := s.labeler(ctx, tn, sums, f.GroupBy, f.ThenBy)
	if err != nil {
		return nil, err
	}
	out := &TimeReport{GroupBy: f.GroupBy, ThenBy: f.ThenBy, From: f.From, To: f.To, Rows: []ReportRow{},
		Own: q.Reach != nil && len(q.Reach.Projects) == 0 && slices.Equal(q.Reach.Users, []int64{a.UserID})}
	index := map[string]int{}
	for _, sm := range sums {
		k := lb.key(f.GroupBy, &sm)
		i, ok := index[k]
		if !ok {
			i = len(out.Rows)
			index[k] = i
			out.Rows = append(out.Rows, ReportRow{Key: k, Label: lb.label(f.GroupBy, k)})
		}
		add(&out.Rows[i], &sm)
		if f.ThenBy != "" {
			r := &out.Rows[i]
			k2 := lb.key(f.ThenBy, &sm)
			j := slices.IndexFunc(r.Rows, func(x ReportRow) bool { return x.Key == k2 })
			if j < 0 {
				j = len(r.Rows)
				r.Rows = append(r.Rows, ReportRow{Key: k2, Label: lb.label(f.ThenBy, k2)})
			}
			add(&r.Rows[j], &sm)
		}
		out.Totals.Minutes += sm.Minutes
		out.Totals.BillableMinutes += sm.Billable
		out.Totals.Entries += sm.Entries
	}
	out.Totals.NonBillableMinutes = out.Totals.Minutes - out.Totals.BillableMinutes
	sortRows(out.Rows, f.GroupBy)
	for i := range out.Rows {
		sortRows(out.Rows[i].Rows, f.ThenBy)
	}
	return out, nil
}

func add(r *ReportRow, sm *reportSum) {
	r.Minutes += sm.Minutes
	r.BillableMinutes += sm.Billable
	r.NonBillableMinutes = r.Minutes - r.BillableMinutes
	r.Entries += sm.Entries
}

// sortRows orders weeks and months in time, anything else by time spent, most first.
func sortRows(rows []ReportRow, by string) {
	slices.SortStableFunc(rows, func(x, y ReportRow) int {
		if by == ByWeek || by == ByMonth {
			return cmp.Compare(x.Key, y.Key)
		}
		if c := cmp.Compare(y.Minutes, x.Minutes); c != 0 {
			return c
		}
		return cmp.Compare(x.Label, y.Label)
	})
}

// groupColumns are the raw columns two groupings need.
func groupColumns(by, then string) []string {
	cols := slices.Clone(rawColumns[by])
	for _, c := range rawColumns[then] {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols
}

// labeler names the keys of a report.
type labeler struct {
	people, categories map[int64]string
	names              projects.TimeNames
	facts              projects.TimeFacts
}

func idKey(id *int64) string {
	if id == nil {
		return "0"
	}
	return strconv.FormatInt(*id, 10)
}

// key is the key of a group of sums by a grouping.
func (lb *labeler) key(by string, sm *reportSum) string {
	switch by {
	case ByUser:
		return idKey(sm.UserID)
	case ByProject:
		return idKey(sm.ProjectID)
	case ByClient:
		if sm.ProjectID != nil {
			if c := lb.facts.Projects[*sm.ProjectID].CompanyID; c != 0 {
				return strconv.FormatInt(c, 10)
			}
		}
		return "0"
	case ByCategory:
		return idKey(sm.CategoryID)
	case ByTask:
		return idKey(sm.TaskID)
	case ByWeek:
		d, _ := ParseDay(sm.Day)
		return WeekOf(d).String()
	case ByMonth:
		if len(sm.Day) >= 7 {
			return sm.Day[:7]
		}
	}
	return "0"
}

// label names a key; "" for the 0 key (no project, task, category, client; an erased person).
func (lb *labeler) label(by, key string) string {
	id, _ := strconv.ParseInt(key, 10, 64)
	switch by {
	case ByUser:
		return lb.people[id]
	case ByProject:
		return lb.names.Projects[id]
	case ByClient:
		for _, p := range lb.facts.Projects {
			if p.CompanyID == id && id != 0 {
				return p.CompanyName
			}
		}
		return ""
	case ByCategory:
		return lb.categories[id]
	case ByTask:
		if t, ok := lb.facts.Tasks[id]; ok {
			return lb.names.Projects[t.ProjectID] + " › " + t.Title
		}
		return lb.names.Tasks[id]
	}
	return key
}

// labeler reads the names the sums' keys need.
func (s *Service) labeler(ctx context.Context, tn db.Tenant, sums []reportSum, groupings ...string) (*labeler, error) {
	lb := &labeler{people: map[int64]string{}, categories: map[int64]string{}}
	var uids, pids, tids, cids []int64
	for _, sm := range sums {
		for _, x := range []struct {
			id   *int64
			list *[]int64
		}{{sm.UserID, &uids}, {sm.ProjectID, &pids}, {sm.TaskID, &tids}, {sm.CategoryID, &cids}} {
			if x.id != nil && !slices.Contains(*x.list, *x.id) {
				*x.list = append(*x.list, *x.id)
			}
		}
	}
	var err error
	if lb.people, err = s.store.personNames(ctx, tn, uids); err != nil {
		return nil, err
	}
	if lb.categories, err = s.store.categoryNames(ctx, tn, cids); err != nil {
		return nil, err
	}
	if len(pids) > 0 {
		if lb.names, err = s.Targets.Get().Names(ctx, tn.AccountID, pids, tids); err != nil {
			return nil, err
		}
		if slices.Contains(groupings, ByClient) || slices.Contains(groupings, ByTask) {
			if lb.facts, err = s.Reports.Get().Facts(ctx, tn.AccountID, pids); err != nil {
				return nil, err
			}
		}
	}
	return lb, nil
}

// PlanRow compares a project's or a task's estimate with the time logged on it.
type PlanRow struct {
	ProjectID       int64  `json:"project_id" example:"3"`
	TaskID          int64  `json:"task_id,omitempty" example:"0"`
	Label           string `json:"label" example:"Website"`
	EstimateMinutes int64  `json:"estimate_minutes" example:"2400"`
	ActualMinutes   int64  `json:"actual_minutes" example:"2730"`
	// DiffMinutes is the estimate less the time logged: below 0, over the estimate.
	DiffMinutes int64 `json:"diff_minutes" example:"-330"`
	// PercentUsed is the time logged in percent of the estimate (rounded down); null without one.
	PercentUsed *int64 `json:"percent_used" example:"113"`
}

// PlanReport is planned (task estimates) against actual time: per project, or per task of
// the project filtered.
type PlanReport struct {
	From string    `json:"from" format:"date" example:"2026-01-01"`
	To   string    `json:"to" format:"date" example:"2026-12-31"`
	Rows []PlanRow `json:"rows"`
}

// Plan compares estimates with the time the actor reads, per project; per task with a
// project filter. The period is optional (default: all time).
func (s *Service) Plan(ctx context.Context, a *actor.Actor, f ReportFilter) (*PlanReport, error) {
	if f.From == "" {
		f.From = "1970-01-01"
	}
	if f.To == "" {
		f.To = "9998-12-31"
	}
	f.GroupBy, f.ThenBy = ByProject, ""
	if err := checkReport(&f, s.now(), 0); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	q, err := s.reportQueryOf(ctx, tn, a, f)
	if err != nil {
		return nil, err
	}
	q.Group = []string{"project_id", "task_id"}
	sums, err := s.store.reportSums(ctx, tn, q)
	if err != nil {
		return nil, err
	}
	pids := []int64{}
	if f.ProjectID != 0 {
		pids = append(pids, f.ProjectID)
	}
	actual := map[[2]int64]int64{}
	for _, sm := range sums {
		if sm.ProjectID == nil {
			continue
		}
		if !slices.Contains(pids, *sm.ProjectID) {
			pids = append(pids, *sm.ProjectID)
		}
		var tid int64
		if f.ProjectID != 0 && sm.TaskID != nil {
			tid = *sm.TaskID
		}
		actual[[2]int64{*sm.ProjectID, tid}] += sm.Minutes
	}
	facts, err := s.Reports.Get().Facts(ctx, tn.AccountID, pids)
	if err != nil {
		return nil, err
	}
	out := &PlanReport{From: f.From, To: f.To, Rows: []PlanRow{}}
	if f.ProjectID != 0 {
		if _, ok := facts.Projects[f.ProjectID]; !ok || (len(sums) == 0 && q.Reach != nil) {
			return out, nil // a project of no time the reader sees: nothing to compare
		}
		for id, t := range facts.Tasks {
			if got := actual[[2]int64{f.ProjectID, id}]; t.EstimateMinutes > 0 || got > 0 {
				out.Rows = append(out.Rows, planRow(f.ProjectID, id, t.Title, t.EstimateMinutes, got))
			}
		}
		if got := actual[[2]int64{f.ProjectID, 0}]; got > 0 {
			out.Rows = append(out.Rows, planRow(f.ProjectID, 0, "", 0, got))
		}
	} else {
		for _, id := range pids {
			p := facts.Projects[id]
			out.Rows = append(out.Rows, planRow(id, 0, p.Name, p.EstimateMinutes, actual[[2]int64{id, 0}]))
		}
	}
	slices.SortFunc(out.Rows, func(x, y PlanRow) int {
		if x.TaskID == 0 || y.TaskID == 0 {
			return cmp.Compare(y.TaskID, x.TaskID) // the time on no task of the project last
		}
		return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.TaskID, y.TaskID))
	})
	if f.ProjectID == 0 {
		slices.SortFunc(out.Rows, func(x, y PlanRow) int {
			return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.ProjectID, y.ProjectID))
		})
	}
	return out, nil
}

func planRow(pid, tid int64, label string, estimate, actual int64) PlanRow {
	r := PlanRow{ProjectID: pid, TaskID: tid, Label: label, EstimateMinutes: estimate, ActualMinutes: actual, DiffMinutes: estimate - actual}
	if estimate > 0 {
		p := actual * 100 / estimate
		r.PercentUsed = &p
	}
	return r
}

// PlanOfReport compares a report grouped by project with its projects' estimates: the
// report's sums are the time logged, so no second pass over the entries is needed.
func (s *Service) PlanOfReport(ctx context.Context, a *actor.Actor, rep *TimeReport) (*PlanReport, error) {
	out := &PlanReport{From: rep.From, To: rep.To, Rows: []PlanRow{}}
	if rep.GroupBy != ByProject {
		return out, nil
	}
	var pids []int64
	actual := map[int64]int64{}
	for _, r := range rep.Rows {
		if id, err := strconv.ParseInt(r.Key, 10, 64); err == nil && id != 0 {
			pids = append(pids, id)
			actual[id] = r.Minutes
		}
	}
	facts, err := s.Reports.Get().Facts(ctx, a.AccountID(), pids)
	if err != nil {
		return nil, err
	}
	for _, id := range pids {
		p := facts.Projects[id]
		out.Rows = append(out.Rows, planRow(id, 0, p.Name, p.EstimateMinutes, actual[id]))
	}
	slices.SortFunc(out.Rows, func(x, y PlanRow) int {
		return cmp.Or(cmp.Compare(x.Label, y.Label), cmp.Compare(x.ProjectID, y.ProjectID))
	})
	return out, nil
}
